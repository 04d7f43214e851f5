import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AdmissionAttributes, UserInfo } from '../../admission/types.js';
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { isStatusError } from '../../api/status.js';
import { createEscalationCheck } from './escalation.js';
import { testBinding, testClusterRole, testPolicy, testRole } from './testing.js';
import { createUnionAuthorizer } from './types.js';
import { createSystemMastersAuthorizer } from './system-masters.js';

const g = 'rbac.authorization.k8s.io';
const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
const policy = testPolicy([
  testRole('dev', 'pod-reader', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }]),
  testClusterRole('cluster-admin', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }]),
  testClusterRole('rbac-editor', [{ verbs: ['create', 'update'], apiGroups: [g], resources: ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'] }]),
  testClusterRole('binder', [{ verbs: ['bind'], apiGroups: [g], resources: ['clusterroles'], resourceNames: ['cluster-admin'] }]),
  testClusterRole('escalator', [{ verbs: ['escalate'], apiGroups: [g], resources: ['roles'] }]),
  testBinding(undefined, 'bob-rbac', ['ClusterRole', 'rbac-editor'], [{ kind: 'User', name: 'bob' }]),
  testBinding('dev', 'bob-pods', ['Role', 'pod-reader'], [{ kind: 'User', name: 'bob' }]),
  testBinding(undefined, 'carol-binder', ['ClusterRole', 'binder'], [{ kind: 'User', name: 'carol' }]),
  testBinding(undefined, 'dan-escalate', ['ClusterRole', 'escalator'], [{ kind: 'User', name: 'dan' }]),
  testBinding(undefined, 'carol-rbac', ['ClusterRole', 'rbac-editor'], [{ kind: 'User', name: 'carol' }]),
  testBinding(undefined, 'dan-rbac', ['ClusterRole', 'rbac-editor'], [{ kind: 'User', name: 'dan' }]),
]);
const check = createEscalationCheck({ resolver: policy.resolver, authorizer: () => createUnionAuthorizer([createSystemMastersAuthorizer(), policy.authorizer]) });

const attrs = (resource: string, namespace: string, object: KubeObject, user: UserInfo = bob, operation: 'CREATE' | 'UPDATE' = 'CREATE', oldObject: KubeObject | null = null): AdmissionAttributes => ({
  operation, resource: findResource(g, 'v1', resource)!, subresource: '', namespace, name: object.metadata.name ?? '', object, oldObject, user, dryRun: false,
});

async function outcome(a: AdmissionAttributes): Promise<string> {
  try {
    await check.validate!(a);
    return 'ok';
  } catch (e) {
    if (isStatusError(e)) return `${e.code} ${e.status.message}`;
    throw e;
  }
}

describe('escalation check', () => {
  const cases: Array<[string, AdmissionAttributes, string]> = [
    ['a Role within what the user holds', attrs('roles', 'dev', testRole('dev', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])), 'ok'],
    ['a Role granting what the user lacks', attrs('roles', 'dev', testRole('dev', 'r', [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets', 'pods'] }])),
      '403 roles.rbac.authorization.k8s.io "r" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}'],
    ['the same Role in a namespace where the user holds nothing', attrs('roles', 'prod', testRole('prod', 'r', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }])),
      '403 roles.rbac.authorization.k8s.io "r" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["get"]}'],
    ['escalate verb allows any Role', attrs('roles', 'dev', testRole('dev', 'r', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), { username: 'dan', groups: [] }), 'ok'],
    ['system:masters may write anything', attrs('clusterroles', '', testClusterRole('r', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]), { username: 'root', groups: ['system:masters'] }), 'ok'],
    ['an aggregationRule needs cluster-admin', attrs('clusterroles', '', { ...testClusterRole('agg', []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } }),
      '403 clusterroles.rbac.authorization.k8s.io "agg" is forbidden: must have cluster-admin privileges to use the aggregationRule'],
    ['a binding to cluster-admin without bind', attrs('clusterrolebindings', '', testBinding(undefined, 'b', ['ClusterRole', 'cluster-admin'], [{ kind: 'User', name: 'bob' }])),
      '403 clusterrolebindings.rbac.authorization.k8s.io "b" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}\n{NonResourceURLs:["*"], Verbs:["*"]}'],
    ['a binding to cluster-admin with bind on it', attrs('clusterrolebindings', '', testBinding(undefined, 'b', ['ClusterRole', 'cluster-admin'], [{ kind: 'User', name: 'carol' }]), { username: 'carol', groups: [] }), 'ok'],
    ['a binding to a role the user holds', attrs('rolebindings', 'dev', testBinding('dev', 'b', ['Role', 'pod-reader'], [{ kind: 'User', name: 'eve' }])), 'ok'],
    ['a binding to a missing role is 404 without bind', attrs('rolebindings', 'dev', testBinding('dev', 'b', ['Role', 'nope'], [{ kind: 'User', name: 'eve' }])),
      '404 roles.rbac.authorization.k8s.io "nope" not found'],
    ['a binding to a missing role is allowed for masters', attrs('rolebindings', 'dev', testBinding('dev', 'b', ['Role', 'nope'], []), { username: 'root', groups: ['system:masters'] }), 'ok'],
  ];
  for (const [name, a, want] of cases) it(name, async () => assert.equal(await outcome(a), want));

  it('an update that only changes finalizers is not checked', async () => {
    const old = testRole('dev', 'big', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    const next = { ...old, metadata: { ...old.metadata, finalizers: ['example.com/x'] } };
    assert.equal(await outcome(attrs('roles', 'dev', next, bob, 'UPDATE', old)), 'ok');
    const widened = { ...old, metadata: { ...old.metadata, labels: { a: 'b' } } };
    assert.match(await outcome(attrs('roles', 'dev', widened, bob, 'UPDATE', old)), /^403 /);
  });
});
