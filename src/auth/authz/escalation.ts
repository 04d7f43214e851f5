/**
 * RBAC escalation prevention (upstream pkg/registry/rbac/*\/policybased and escalation_check.go),
 * as a validating admission plugin on roles, clusterroles, rolebindings and clusterrolebindings:
 *
 * - members of system:masters may write anything;
 * - a Role/ClusterRole write needs the `escalate` verb on it, or every permission it grants held at
 *   the object's scope; setting (or having had) an aggregationRule needs `*` on everything;
 * - a binding write needs the `bind` verb on the referenced role, or every permission of that
 *   role at the binding's scope; a missing role is then 404 (as upstream's registry lookup);
 * - updates that only change ownerReferences/finalizers are always allowed.
 *
 * Refusals are 403 with upstream's sentence:
 * `user "u" (groups=["g"]) is attempting to grant RBAC permissions not currently held:\n{...}`.
 */
import type { AdmissionAttributes, AdmissionPlugin, UserInfo } from '../../admission/types.js';
import type { KubeObject } from '../../api/meta.js';
import { forbidden, notFound } from '../../api/status.js';
import { rbacGroup, roleRefOf, rulesOf, type PolicyRule } from './rbac-types.js';
import { compactRules, compactString, covers, goQuoteList } from './rule-match.js';
import { aggregateMessage, RoleRefError, type RuleResolver } from './rule-resolver.js';
import type { Authorizer } from './types.js';

const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export interface EscalationCheckOptions {
  resolver: RuleResolver;
  /** The server's whole authorizer (asked for `escalate` and `bind`). */
  authorizer: () => Authorizer;
}

/** ConfirmNoEscalation: the error message when `user` lacks some of `rules` in `namespace`, else undefined. */
export function escalationError(resolver: RuleResolver, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const owner = resolver.rulesFor(user, namespace);
  const { covered, missing } = covers(owner.rules, rules);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  let msg = `user ${JSON.stringify(user.username)} (groups=${goQuoteList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
  if (owner.errors.length) msg += `; resolution errors: [${aggregateMessage(owner.errors)}]`;
  return msg;
}

const hasAggregationRule = (o: KubeObject | null) => {
  const ar = o?.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined | null;
  return !!ar && Array.isArray(ar.clusterRoleSelectors) && ar.clusterRoleSelectors.length > 0;
};

/** IsOnlyMutatingGCFields: equal once ownerReferences, finalizers and server-managed fields are ignored. */
export function isOnlyMutatingGCFields(obj: KubeObject, old: KubeObject | null): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, selfLink: _s, generation: _g, ...meta } = o.metadata;
    return JSON.stringify({ ...o, metadata: meta }, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  };
  return strip(obj) === strip(old);
}

export function createEscalationCheck(o: EscalationCheckOptions): AdmissionPlugin {
  const authorized = async (user: UserInfo, verb: string, resource: string, namespace: string, name: string, apiGroup = rbacGroup) => {
    try {
      const r = await o.authorizer().authorize({
        user, verb, isResourceRequest: true, path: '', apiGroup, apiVersion: verb === 'escalate' ? '*' : '',
        namespace, resource, subresource: '', name,
      });
      return r.decision === 'allow';
    } catch {
      return false;
    }
  };

  return {
    name: 'RBACEscalation',
    handles: (a) =>
      a.resource.group === rbacGroup && a.subresource === '' && (a.operation === 'CREATE' || a.operation === 'UPDATE') &&
      ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'].includes(a.resource.resource),
    async validate(a: AdmissionAttributes) {
      if (a.user.groups.includes('system:masters')) return;
      const obj = a.object!;
      const gr = { group: rbacGroup, resource: a.resource.resource };
      const name = obj.metadata.name ?? '';
      if (a.operation === 'UPDATE' && isOnlyMutatingGCFields(obj, a.oldObject)) return;
      if (a.resource.resource === 'roles' || a.resource.resource === 'clusterroles') {
        // The request's name: empty on create (POST to the collection).
        if (await authorized(a.user, 'escalate', a.resource.resource, a.namespace, a.operation === 'CREATE' ? '' : a.name)) return;
        const msg = escalationError(o.resolver, a.user, a.namespace, rulesOf(obj));
        if (msg) throw forbidden(gr, name, msg);
        if (a.resource.resource === 'clusterroles' && (hasAggregationRule(obj) || (a.operation === 'UPDATE' && hasAggregationRule(a.oldObject)))) {
          if (escalationError(o.resolver, a.user, a.namespace, fullAuthority)) {
            throw forbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
          }
        }
        return;
      }
      const ref = roleRefOf(obj);
      const refResource = ref.kind === 'ClusterRole' ? 'clusterroles' : ref.kind === 'Role' ? 'roles' : '';
      if (refResource && (await authorized(a.user, 'bind', refResource, a.namespace, ref.name, ref.apiGroup))) return;
      let rules: PolicyRule[];
      try {
        rules = o.resolver.roleReferenceRules(ref, a.namespace);
      } catch (e) {
        if (e instanceof RoleRefError && e.reason === 'NotFound') throw notFound({ group: rbacGroup, resource: refResource }, ref.name);
        throw forbidden(gr, name, (e as Error).message);
      }
      const msg = escalationError(o.resolver, a.user, a.namespace, rules);
      if (msg) throw forbidden(gr, name, msg);
    },
  };
}
