/**
 * Wiring of RBAC (issue 5): the four RBAC Stores; the RBAC authorizer over bindings indexed by
 * subject (fed from the Stores' watch caches); escalation checks as an admission plugin; the
 * authorization.k8s.io reviews; impersonation; the bootstrap policy, reconciled at start; and the
 * ClusterRole aggregation controller.
 */
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../admission/types.js';
import { isStatusError } from '../../api/status.js';
import { schemaRegistry } from '../../api/schema/registry.js';
import { Store } from '../../registry/store.js';
import { rbacStrategies } from '../../registry/rbac/strategy.js';
import { createRbacAuthorizer } from '../../auth/authz/rbac.js';
import { BindingIndex, createRuleResolver, type RuleResolver } from '../../auth/authz/rule-resolver.js';
import { feedBindingIndex } from '../../auth/authz/watch-feed.js';
import { createEscalationCheck } from '../../auth/authz/escalation.js';
import {
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from '../../auth/authz/access-review.js';
import { impersonate } from '../../auth/authz/impersonation.js';
import { impersonationRequestOf } from '../../server/impersonation.js';
import { createOnlyHandler } from '../../server/handlers/create-only.js';
import { reconcileBootstrapPolicy } from '../../auth/authz/bootstrap-apply.js';
import { aggregatedRules, aggregationFieldManager } from '../../auth/authz/aggregation.js';
import type { PartModule } from './part.js';

export const rbacPart: PartModule = {
  addFlags: (cmd) => cmd,
  build(ctx) {
    const watchCacheSize = Number(ctx.flags.defaultWatchCacheSize) || 10000;
    const [roles, clusterRoles, roleBindings, clusterRoleBindings] = rbacStrategies.map(
      (strategy) => new Store({ backend: ctx.backend, strategy, watchCacheSize, schema: schemaRegistry }),
    ) as [Store, Store, Store, Store];
    const crbIndex = new BindingIndex(false);
    const rbIndex = new BindingIndex(true);
    const base = createRuleResolver({
      roles: {
        role: (ns, name) => roles.find(ns, name),
        clusterRole: (name) => clusterRoles.find('', name),
        // Both caches' revisions only grow, and change on every role write (seen before the write returns).
        generation: () => roles.cache.revision + clusterRoles.cache.revision,
      },
      clusterRoleBindings: crbIndex,
      roleBindings: rbIndex,
    });

    // The Stores are started by the core after build(); the indexes follow them from first use.
    // If a feed breaks, RBAC fails closed: every decision is an error (a denial), never stale.
    const stops: Array<() => void> = [];
    let fed = false;
    let broken: string | undefined;
    const ensureFed = () => {
      if (broken) throw new Error(`RBAC binding index unavailable: ${broken}`);
      if (fed) return;
      fed = true;
      const onError = (m: string) => {
        broken = m;
        ctx.log.error({ err: m }, 'RBAC binding index lost its watch; authorization through RBAC is refused');
      };
      stops.push(feedBindingIndex(clusterRoleBindings, crbIndex, onError), feedBindingIndex(roleBindings, rbIndex, onError));
    };
    const resolver: RuleResolver = {
      visitRulesFor: (u, ns, v) => (ensureFed(), base.visitRulesFor(u, ns, v)),
      rulesFor: (u, ns) => (ensureFed(), base.rulesFor(u, ns)),
      firstAllowing: (attrs) => (ensureFed(), base.firstAllowing(attrs)),
      roleReferenceRules: (ref, ns) => base.roleReferenceRules(ref, ns),
    };
    const rbac = createRbacAuthorizer(resolver);
    let stopAggregation: (() => void) | undefined;

    return {
      stores: [roles, clusterRoles, roleBindings, clusterRoleBindings],
      authorizers: [rbac],
      admissionPlugins: [createEscalationCheck({ resolver, authorizer: () => ctx.authorizer() })],
      createHandlers: {
        'authorization.k8s.io/v1/subjectaccessreviews': createOnlyHandler((obj) => subjectAccessReview(obj, ctx.authorizer())),
        'authorization.k8s.io/v1/localsubjectaccessreviews': createOnlyHandler((obj, scope) =>
          localSubjectAccessReview(obj, scope.info.namespace, ctx.authorizer()),
        ),
        'authorization.k8s.io/v1/selfsubjectaccessreviews': createOnlyHandler((obj, scope) => selfSubjectAccessReview(obj, scope.user, ctx.authorizer())),
        'authorization.k8s.io/v1/selfsubjectrulesreviews': createOnlyHandler((obj, scope) =>
          selfSubjectRulesReview(obj, scope.user, (u: UserInfo, ns: string) => rbac.rulesFor(u, ns)),
        ),
      },
      impersonate: (req, user) => impersonate(user, impersonationRequestOf(req), ctx.authorizer()),
      async start() {
        ensureFed();
        await reconcileBootstrapPolicy({ roles, clusterRoles, roleBindings, clusterRoleBindings, user: ctx.systemUser, log: ctx.log });
        stopAggregation = startAggregationController({
          clusterRoles,
          user: ctx.systemUser,
          onError: (e: unknown) => {
            if (!isStatusError(e) || e.code !== 409) ctx.log.warn({ err: e instanceof Error ? e.message : String(e) }, 'clusterrole aggregation failed');
          },
        });
      },
      stop() {
        stopAggregation?.();
        for (const s of stops) s();
      },
    };
  },
};

/**
 * The ClusterRole aggregation controller, in process: follows the clusterroles Store's watch cache
 * and, after any change, rewrites the rules of every aggregated ClusterRole that differ from
 * aggregatedRules() (src/auth/authz/aggregation.ts). Passes are coalesced; chains (view -> edit ->
 * admin) converge over successive passes.
 *
 * It talks to the Store directly for now, as system:apiserver; it moves onto src/client (an
 * informer and updates through the API as kube-system/clusterrole-aggregation-controller, whose
 * role the bootstrap policy already holds) once that client is integrated.
 */
interface AggregationControllerOptions {
  clusterRoles: Store;
  user: UserInfo;
  onError(e: unknown): void;
}

/** Starts the controller (one pass right away); returns a stop function. */
function startAggregationController(o: AggregationControllerOptions): () => void {
  const cache = o.clusterRoles.cache;
  let scheduled = false;
  let running = false;
  let again = false;
  let stopped = false;

  async function pass(): Promise<void> {
    const all: KubeObject[] = cache.list('').map((e) => e.object);
    for (const role of all) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, all);
      if (!rules) continue;
      try {
        await o.clusterRoles.guaranteedUpdate('', role.metadata.name!, { user: o.user, dryRun: false, fieldManager: aggregationFieldManager }, (cur) => {
          const next = aggregatedRules(cur, cache.list('').map((e) => e.object));
          if (next) cur.rules = next;
          return cur;
        });
      } catch (e) {
        o.onError(e);
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      running = true;
      pass()
        .catch(o.onError)
        .finally(() => {
          running = false;
          if (again) {
            again = false;
            schedule();
          }
        });
    });
  }

  const unwatch = cache.watch(cache.revision, { onEvent: schedule, onError: (m) => o.onError(new Error(m)) });
  schedule();
  return () => {
    stopped = true;
    if (typeof unwatch === 'function') unwatch();
  };
}
