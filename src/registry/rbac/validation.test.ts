import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './validation.js';
import { defaultBinding } from './strategy.js';

const g = 'rbac.authorization.k8s.io';
const role = (rules: unknown[]): KubeObject => ({ metadata: { name: 'r', namespace: 'dev' }, rules });
const binding = (roleRef: unknown, subjects: unknown[] = []): KubeObject => ({ metadata: { name: 'b', namespace: 'dev' }, roleRef, subjects });
const msgs = (errs: ReturnType<typeof validateRole>) => errs.map(fieldErrorMessage);

describe('Role / ClusterRole validation', () => {
  const cases: Array<[string, (o: KubeObject) => ReturnType<typeof validateRole>, KubeObject, string[]]> = [
    ['valid', validateRole, role([{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), []],
    ['no verbs', validateRole, role([{ apiGroups: [''], resources: ['pods'] }]), ['rules[0].verbs: Required value: verbs must contain at least one value']],
    ['no groups, no resources', validateRole, role([{ verbs: ['get'] }]), [
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]],
    ['names with several resources', validateRole, role([{ verbs: ['get'], apiGroups: [''], resources: ['a', 'b'], resourceNames: ['x'] }]),
      ['rules[0].resourceNames: Required value: resource names cannot apply to multiple resources']],
    ['URLs in a namespaced Role', validateRole, role([{ verbs: ['get'], nonResourceURLs: ['/healthz'] }]),
      ['rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs']],
    ['URLs and resources', validateClusterRole, role([{ verbs: ['get'], nonResourceURLs: ['/x'], resources: ['pods'] }]),
      ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs']],
    ['URLs in a ClusterRole', validateClusterRole, role([{ verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] }]), []],
    ['wildcards anywhere are accepted (they only match literally)', validateClusterRole, role([{ verbs: ['g*'], apiGroups: ['a*'], resources: ['pods/*'] }]), []],
    ['empty aggregationRule', validateClusterRole, { metadata: { name: 'a' }, aggregationRule: {} },
      ['aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']],
    ['bad selector operator', validateClusterRole, { metadata: { name: 'a' }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'k', operator: 'Near' }] }] } }, [
      'aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      'aggregationRule.clusterRoleSelectors[0]: Invalid value: "null": invalid label selector.',
    ]],
  ];
  for (const [name, fn, obj, want] of cases) it(name, () => assert.deepEqual(msgs(fn(obj)), want));
});

describe('RoleBinding / ClusterRoleBinding validation', () => {
  const ref = { apiGroup: g, kind: 'Role', name: 'r' };
  const cases: Array<[string, (o: KubeObject) => ReturnType<typeof validateRole>, KubeObject, string[]]> = [
    ['valid', validateRoleBinding, binding(ref, [{ kind: 'ServiceAccount', name: 'build-robot' }, { kind: 'User', apiGroup: g, name: 'bob' }]), []],
    ['bad roleRef', validateRoleBinding, binding({ apiGroup: 'x', kind: 'Thing', name: '' }), [
      'roleRef.apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
      'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
    ]],
    ['ClusterRoleBinding to a Role', validateClusterRoleBinding, binding(ref), ['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']],
    ['ClusterRoleBinding SA needs a namespace', validateClusterRoleBinding, binding({ ...ref, kind: 'ClusterRole' }, [{ kind: 'ServiceAccount', name: 'x' }]),
      ['subjects[0].namespace: Required value']],
    ['subject kinds and groups', validateRoleBinding, binding(ref, [{ kind: 'Robot', name: 'x' }, { kind: 'User', name: 'u' }, { kind: 'ServiceAccount', apiGroup: g, name: 'Bad_Name' }]), [
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      'subjects[1].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
      'subjects[2].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      'subjects[2].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
    ]],
  ];
  for (const [name, fn, obj, want] of cases) it(name, () => assert.deepEqual(msgs(fn(obj)), want));

  it('roleRef is immutable', () => {
    assert.deepEqual(msgs(validateBindingUpdate(binding({ ...ref, name: 'other' }), binding(ref), true)), [
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef',
    ]);
  });

  it('defaults roleRef.apiGroup and User/Group subject apiGroup', () => {
    const b = binding({ kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }]);
    defaultBinding(b);
    assert.deepEqual(b.roleRef, { apiGroup: g, kind: 'Role', name: 'r' });
    assert.deepEqual(b.subjects, [{ kind: 'User', name: 'u', apiGroup: g }, { kind: 'ServiceAccount', name: 's' }]);
  });
});
