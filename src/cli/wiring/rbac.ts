/**
 * Wiring of authorization (issues 5 and 6): the Node authorizer (node identities, over the pods
 * they run, fed from the pods watch cache), asked before RBAC as upstream's
 * --authorization-mode=Node,RBAC; the four RBAC Stores; the RBAC authorizer over bindings indexed
 * by subject (fed from the Stores' watch caches); escalation checks as an admission plugin; the
 * authorization.k8s.io reviews; impersonation; and the bootstrap policy, reconciled at start.
 * The rules of aggregated ClusterRoles (admin, edit, view, ...) are written by the ClusterRole
 * aggregation controller (controllers/clusterrole-aggregation.ts), which the controller manager
 * runs through the API like any client (wiring/controllers.ts).
 */
import type { UserInfo } from '../../admission/types.js';
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
import { createNodeAuthorizer } from '../../auth/authz/node.js';
import { NodeGraph, feedNodeGraph } from '../../auth/authz/node-graph.js';
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

    // The pods Store is the core's (started): the graph follows it from build on. If its feed
    // breaks, the Node authorizer fails closed (an error is a denial), never stale.
    const graph = new NodeGraph();
    let graphBroken: string | undefined;
    stops.push(
      feedNodeGraph(ctx.store('pods').cache, graph, (m) => {
        graphBroken = m;
        ctx.log.error({ err: m }, 'Node authorizer lost its pods watch; node requests it decides are refused');
      }),
    );
    const node = createNodeAuthorizer({
      graph: () => {
        if (graphBroken) throw new Error(`node authorizer graph unavailable: ${graphBroken}`);
        return graph;
      },
    });

    return {
      stores: [roles, clusterRoles, roleBindings, clusterRoleBindings],
      authorizers: [node, rbac],
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
      },
      stop() {
        for (const s of stops) s();
      },
    };
  },
};
