import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../../admission/types.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapRoleBindings, bootstrapRoles, legacyTokenTrackingConfigMap } from './bootstrap-policy.js';
import { testPolicy } from './testing.js';
import type { Attributes } from './types.js';

// The identities the in-process controllers act as (wiring/controllers.ts, wiring/legacy-tokens.ts):
// their certificates carry no other group than these, so the bootstrap policy alone must let each
// do its job, and no more.
const kcm: UserInfo = { username: 'system:kube-controller-manager', groups: ['system:authenticated'] };
const sa = (name: string): UserInfo => ({
  username: `system:serviceaccount:kube-system:${name}`,
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
});
const serviceAccounts = sa('service-account-controller');
const rootCa = sa('root-ca-cert-publisher');
const namespaces = sa('namespace-controller');
const gc = sa('generic-garbage-collector');
const cleaner = sa('legacy-service-account-token-cleaner');
const aggregation = sa('clusterrole-aggregation-controller');
const nodeController = sa('node-controller');
const scheduler: UserInfo = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
const node: UserInfo = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const coordination = { apiGroup: 'coordination.k8s.io' };

const req = (user: UserInfo, verb: string, resource: string, namespace = '', extra: Partial<Attributes> = {}): Attributes => {
  const [res, subresource = ''] = resource.split('/');
  return { user, verb, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace, resource: res!, subresource, name: '', ...extra };
};
const url = (user: UserInfo, path: string): Attributes => ({
  user, verb: 'get', isResourceRequest: false, path, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '',
});
const rbac = { apiGroup: 'rbac.authorization.k8s.io' };

const policy = testPolicy([...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings(), ...bootstrapRoles(), ...bootstrapRoleBindings()]);

describe('bootstrap policy: what each controller identity may do', () => {
  const cases: Array<[string, Attributes, 'allow' | 'no-opinion']> = [
    // Shared informers (system:kube-controller-manager) list and watch everything.
    ['informers list secrets', req(kcm, 'list', 'secrets'), 'allow'],
    ['informers watch clusterroles', req(kcm, 'watch', 'clusterroles', '', rbac), 'allow'],
    // The tokens controller (system:kube-controller-manager).
    ['tokens: update a Secret', req(kcm, 'update', 'secrets', 'a'), 'allow'],
    ['tokens: delete a Secret', req(kcm, 'delete', 'secrets', 'a'), 'allow'],
    ['tokens: create a Secret (legacy mode)', req(kcm, 'create', 'secrets', 'a'), 'allow'],
    ['tokens: get a ServiceAccount', req(kcm, 'get', 'serviceaccounts', 'a'), 'allow'],
    ['tokens: update a ServiceAccount (legacy mode)', req(kcm, 'update', 'serviceaccounts', 'a'), 'allow'],
    ['tokens: record an Event', req(kcm, 'create', 'events', 'a'), 'allow'],
    ['kcm may not delete namespaces', req(kcm, 'delete', 'namespaces'), 'no-opinion'],
    ['kcm may not write bindings', req(kcm, 'create', 'clusterrolebindings', '', rbac), 'no-opinion'],
    // ServiceAccounts controller.
    ['serviceaccounts: create default', req(serviceAccounts, 'create', 'serviceaccounts', 'a'), 'allow'],
    ['serviceaccounts: record an Event', req(serviceAccounts, 'create', 'events', 'default'), 'allow'],
    ['serviceaccounts: may not delete accounts', req(serviceAccounts, 'delete', 'serviceaccounts', 'a'), 'no-opinion'],
    ['serviceaccounts: may not read Secrets', req(serviceAccounts, 'get', 'secrets', 'a'), 'no-opinion'],
    // Root CA publisher.
    ['root CA: create kube-root-ca.crt', req(rootCa, 'create', 'configmaps', 'a'), 'allow'],
    ['root CA: update kube-root-ca.crt', req(rootCa, 'update', 'configmaps', 'a'), 'allow'],
    ['root CA: record an Event', req(rootCa, 'patch', 'events', 'default'), 'allow'],
    ['root CA: may not delete ConfigMaps', req(rootCa, 'delete', 'configmaps', 'a'), 'no-opinion'],
    // Namespace controller.
    ['namespace: get a namespace', req(namespaces, 'get', 'namespaces'), 'allow'],
    ['namespace: update status', req(namespaces, 'update', 'namespaces/status'), 'allow'],
    ['namespace: update finalize', req(namespaces, 'update', 'namespaces/finalize'), 'allow'],
    ['namespace: list pods', req(namespaces, 'list', 'pods', 'a'), 'allow'],
    ['namespace: deletecollection of Secrets', req(namespaces, 'deletecollection', 'secrets', 'a'), 'allow'],
    ['namespace: delete RoleBindings', req(namespaces, 'delete', 'rolebindings', 'a', rbac), 'allow'],
    ['namespace: discovery', url(namespaces, '/apis/rbac.authorization.k8s.io/v1'), 'allow'],
    ['namespace: record NamespaceDeletionFailed (Insignia deviation)', req(namespaces, 'create', 'events', 'default'), 'allow'],
    ['namespace: may not create pods', req(namespaces, 'create', 'pods', 'a'), 'no-opinion'],
    ['namespace: may not update Secrets', req(namespaces, 'update', 'secrets', 'a'), 'no-opinion'],
    // Garbage collector.
    ['gc: get any object', req(gc, 'get', 'configmaps', 'a'), 'allow'],
    ['gc: patch owner references', req(gc, 'patch', 'roles', 'a', rbac), 'allow'],
    ['gc: delete a dependent', req(gc, 'delete', 'pods', 'a'), 'allow'],
    ['gc: discovery', url(gc, '/api/v1'), 'allow'],
    ['gc: record an Event', req(gc, 'create', 'events', 'default'), 'allow'],
    ['gc: may not create objects', req(gc, 'create', 'configmaps', 'a'), 'no-opinion'],
    // Legacy token cleaner.
    ['cleaner: get the tracking ConfigMap', req(cleaner, 'get', 'configmaps', 'kube-system', { name: legacyTokenTrackingConfigMap }), 'allow'],
    ['cleaner: label a Secret invalid', req(cleaner, 'patch', 'secrets', 'a'), 'allow'],
    ['cleaner: delete a Secret', req(cleaner, 'delete', 'secrets', 'a'), 'allow'],
    ['cleaner: record an Event (Insignia deviation)', req(cleaner, 'create', 'events', 'a'), 'allow'],
    ['cleaner: may not get other ConfigMaps', req(cleaner, 'get', 'configmaps', 'kube-system', { name: 'other' }), 'no-opinion'],
    ['cleaner: may not list Secrets', req(cleaner, 'list', 'secrets', 'a'), 'no-opinion'],
    // ClusterRole aggregation: upstream's verbs; `escalate`, since the escalation check applies to its writes.
    ...['escalate', 'get', 'list', 'patch', 'update', 'watch'].map((verb): [string, Attributes, 'allow'] =>
      [`aggregation: ${verb} clusterroles`, req(aggregation, verb, 'clusterroles', '', rbac), 'allow']),
    ['aggregation: may not create clusterroles', req(aggregation, 'create', 'clusterroles', '', rbac), 'no-opinion'],
    ['aggregation: may not delete clusterroles', req(aggregation, 'delete', 'clusterroles', '', rbac), 'no-opinion'],
    ['aggregation: may not update roles', req(aggregation, 'update', 'roles', 'a', rbac), 'no-opinion'],
    ['aggregation: may not bind', req(aggregation, 'bind', 'clusterroles', '', rbac), 'no-opinion'],
    // The scheduler (system:kube-scheduler, bound to the User).
    ['scheduler: watch pods', req(scheduler, 'watch', 'pods'), 'allow'],
    ['scheduler: list nodes', req(scheduler, 'list', 'nodes'), 'allow'],
    ['scheduler: bind a pod', req(scheduler, 'create', 'pods/binding', 'a'), 'allow'],
    ['scheduler: Unschedulable condition', req(scheduler, 'patch', 'pods/status', 'a'), 'allow'],
    ['scheduler: Scheduled event', req(scheduler, 'create', 'events', 'a'), 'allow'],
    ['scheduler: its leader lease', req(scheduler, 'update', 'leases', 'kube-system', { ...coordination, name: 'kube-scheduler' }), 'allow'],
    ['scheduler: another lease', req(scheduler, 'update', 'leases', 'kube-system', { ...coordination, name: 'other' }), 'no-opinion'],
    ['scheduler: may not update pods', req(scheduler, 'update', 'pods', 'a'), 'no-opinion'],
    ['scheduler: may not read secrets', req(scheduler, 'get', 'secrets', 'a'), 'no-opinion'],
    // The node lifecycle controller (its informers list and watch as system:kube-controller-manager).
    ['node-controller: update node status', req(nodeController, 'update', 'nodes/status'), 'allow'],
    ['node-controller: patch a node (taints)', req(nodeController, 'patch', 'nodes'), 'allow'],
    ['node-controller: mark pods not ready', req(nodeController, 'patch', 'pods/status', 'a'), 'allow'],
    ['node-controller: delete pods', req(nodeController, 'delete', 'pods', 'a'), 'allow'],
    ['node-controller: record an Event', req(nodeController, 'create', 'events', 'default'), 'allow'],
    ['node-controller: may not create nodes', req(nodeController, 'create', 'nodes'), 'no-opinion'],
    ['node-controller: may not read secrets', req(nodeController, 'get', 'secrets', 'a'), 'no-opinion'],
    // system:node is bound to no one: a node gets nothing through RBAC (the Node authorizer decides).
    ['node: nothing through RBAC', req(node, 'get', 'nodes', '', { name: 'n1' }), 'no-opinion'],
  ];
  for (const [name, attrs, want] of cases) {
    it(name, async () => assert.equal((await policy.authorizer.authorize(attrs)).decision, want));
  }

  it('has system:node with upstream NodeRules and a binding without subjects', () => {
    const role = bootstrapClusterRoles().find((r) => r.metadata.name === 'system:node')!;
    const rules = role.rules as Array<{ verbs: string[]; resources: string[] }>;
    assert.equal(rules.length, 22);
    assert.deepEqual(rules.find((r) => r.resources.includes('serviceaccounts/token'))!.verbs, ['create']);
    assert.deepEqual(rules.find((r) => r.resources.includes('leases'))!.verbs, ['create', 'delete', 'get', 'patch', 'update']);
    const binding = bootstrapClusterRoleBindings().find((b) => b.metadata.name === 'system:node')!;
    assert.equal(binding.subjects, undefined);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' });
  });

  it('binds cluster-admin to system:masters only, and every controller role to its own ServiceAccount', () => {
    for (const b of bootstrapClusterRoleBindings()) {
      const ref = (b.roleRef as { name: string }).name;
      const subjects = b.subjects as Array<{ kind: string; name: string; namespace?: string }>;
      if (ref === 'cluster-admin') assert.deepEqual(subjects.map((s) => [s.kind, s.name]), [['Group', 'system:masters']]);
      if (ref.startsWith('system:controller:')) {
        assert.deepEqual(subjects, [{ kind: 'ServiceAccount', name: ref.slice('system:controller:'.length), namespace: 'kube-system' }]);
      }
    }
  });
});
