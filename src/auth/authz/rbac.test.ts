import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from './types.js';
import { testBinding, testClusterRole, testPolicy, testRole } from './testing.js';

const sa = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const req = (user: Attributes['user'], verb: string, resource: string, namespace: string, extra: Partial<Attributes> = {}): Attributes => ({
  user, verb, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace, resource, subresource: '', name: '', ...extra,
});

const policy = testPolicy([
  testRole('dev', 'pod-reader', [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['pods'] }]),
  testClusterRole('secret-reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]),
  testClusterRole('ns-lister', [{ verbs: ['list'], apiGroups: [''], resources: ['namespaces'] }]),
  testBinding('dev', 'read-pods', ['Role', 'pod-reader'], [{ kind: 'ServiceAccount', name: 'build-robot' }]),
  testBinding('dev', 'devs-secrets', ['ClusterRole', 'secret-reader'], [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' }]),
  testBinding(undefined, 'alice-ns', ['ClusterRole', 'ns-lister'], [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]),
  testBinding('dev', 'dangling', ['Role', 'missing'], [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }]),
  testBinding(undefined, 'sa-without-ns', ['ClusterRole', 'ns-lister'], [{ kind: 'ServiceAccount', name: 'build-robot' }]),
]);

describe('RBAC authorizer', () => {
  const cases: Array<[string, Attributes, 'allow' | 'no-opinion', string]> = [
    ['SA subject without namespace defaults to the binding namespace', req(sa('dev', 'build-robot'), 'list', 'pods', 'dev'), 'allow',
      'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to ServiceAccount "build-robot/dev"'],
    ['the same SA elsewhere', req(sa('prod', 'build-robot'), 'list', 'pods', 'dev'), 'no-opinion', ''],
    ['a RoleBinding grants nothing in another namespace', req(sa('dev', 'build-robot'), 'list', 'pods', 'prod'), 'no-opinion', ''],
    ['not granted verb', req(sa('dev', 'build-robot'), 'delete', 'pods', 'dev'), 'no-opinion', ''],
    ['a ClusterRoleBinding SA subject needs a namespace', req(sa('dev', 'build-robot'), 'list', 'namespaces', ''), 'no-opinion', ''],
    ['group subject', req(alice, 'get', 'secrets', 'dev'), 'allow', 'RBAC: allowed by RoleBinding "devs-secrets/dev" of ClusterRole "secret-reader" to Group "devs"'],
    ['cluster binding applies in every namespace', req(alice, 'list', 'namespaces', 'dev'), 'allow', 'RBAC: allowed by ClusterRoleBinding "alice-ns" of ClusterRole "ns-lister" to User "alice"'],
    ['a missing role is reported and grants nothing', req(alice, 'delete', 'pods', 'dev'), 'no-opinion', 'RBAC: role.rbac.authorization.k8s.io "missing" not found'],
    ['unknown user', req({ username: 'bob', groups: [] }, 'get', 'secrets', 'dev'), 'no-opinion', ''],
  ];
  for (const [name, attrs, decision, reason] of cases) {
    it(name, () => assert.deepEqual(policy.authorizer.authorize(attrs), { decision, reason }));
  }

  it('follows binding changes (upsert, remove)', () => {
    const p = testPolicy([testClusterRole('r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])]);
    const b = { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'User', name: 'bob' }] };
    const a = req({ username: 'bob', groups: [] }, 'get', 'pods', 'x');
    assert.equal((p.authorizer.authorize(a) as { decision: string }).decision, 'no-opinion');
    p.crb.upsert(b);
    assert.equal((p.authorizer.authorize(a) as { decision: string }).decision, 'allow');
    p.crb.upsert({ ...b, subjects: [{ kind: 'User', name: 'carol' }] });
    assert.equal((p.authorizer.authorize(a) as { decision: string }).decision, 'no-opinion');
    p.crb.remove(b);
    assert.equal(p.crb.size, 0);
  });

  it('sees role changes once the roles generation moves', () => {
    const p = testPolicy([
      testClusterRole('r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]),
      testBinding(undefined, 'b', ['ClusterRole', 'r'], [{ kind: 'User', name: 'bob' }]),
    ]);
    const a = req({ username: 'bob', groups: [] }, 'list', 'pods', 'x');
    assert.equal((p.authorizer.authorize(a) as { decision: string }).decision, 'no-opinion');
    p.clusterRoles.set('r', testClusterRole('r', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]));
    p.rolesChanged();
    assert.equal((p.authorizer.authorize(a) as { decision: string }).decision, 'allow');
    p.clusterRoles.delete('r');
    p.rolesChanged();
    assert.deepEqual(p.authorizer.authorize(a), { decision: 'no-opinion', reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "r" not found' });
  });

  it('lists rules for SelfSubjectRulesReview', () => {
    const r = policy.authorizer.rulesFor(alice, 'dev');
    assert.deepEqual(r.resourceRules.map((x) => x.resources[0]).sort(), ['namespaces', 'secrets']);
    assert.equal(r.incomplete, false);
    assert.equal(r.error, 'role.rbac.authorization.k8s.io "missing" not found');
  });
});
