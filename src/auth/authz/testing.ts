/** Test helpers: an in-memory RBAC policy (roles, bindings) behind the real resolver and authorizer. */
import type { KubeObject } from '../../api/meta.js';
import { createRbacAuthorizer } from './rbac.js';
import { BindingIndex, createRuleResolver } from './rule-resolver.js';
import type { PolicyRule } from './rbac-types.js';

const g = 'rbac.authorization.k8s.io';

export const testRole = (namespace: string, name: string, rules: PolicyRule[]): KubeObject => ({ kind: 'Role', metadata: { namespace, name }, rules });
export const testClusterRole = (name: string, rules: PolicyRule[], labels?: Record<string, string>): KubeObject => ({ kind: 'ClusterRole', metadata: { name, labels }, rules });
export const testBinding = (namespace: string | undefined, name: string, ref: [string, string], subjects: Array<Record<string, string>>): KubeObject => ({
  kind: namespace ? 'RoleBinding' : 'ClusterRoleBinding',
  metadata: namespace ? { namespace, name } : { name },
  roleRef: { apiGroup: g, kind: ref[0], name: ref[1] },
  subjects,
});

export function testPolicy(objects: KubeObject[]) {
  const roles = new Map<string, KubeObject>();
  const clusterRoles = new Map<string, KubeObject>();
  const crb = new BindingIndex(false);
  const rb = new BindingIndex(true);
  let generation = 0;
  for (const o of objects) {
    if (o.kind === 'Role') roles.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
    else if (o.kind === 'ClusterRole') clusterRoles.set(o.metadata.name!, o);
    else if (o.kind === 'RoleBinding') rb.upsert(o);
    else crb.upsert(o);
  }
  const resolver = createRuleResolver({
    roles: { role: (ns, n) => roles.get(`${ns}/${n}`), clusterRole: (n) => clusterRoles.get(n), generation: () => generation },
    clusterRoleBindings: crb,
    roleBindings: rb,
  });
  /** Call after changing roles or clusterRoles. */
  const rolesChanged = () => generation++;
  return { resolver, authorizer: createRbacAuthorizer(resolver), roles, clusterRoles, crb, rb, rolesChanged };
}
