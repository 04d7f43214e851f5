import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { reconcileBinding, reconcileRole } from './reconcile.js';
import { aggregatedRules } from './aggregation.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapRoleBindings, bootstrapRoles } from './bootstrap-policy.js';
import { validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from '../../registry/rbac/validation.js';

const expected = bootstrapClusterRoles().find((r) => r.metadata.name === 'system:basic-user')!;

describe('bootstrap policy', () => {
  it('is valid', () => {
    for (const r of bootstrapClusterRoles()) assert.deepEqual(validateClusterRole(r), [], r.metadata.name);
    for (const r of bootstrapRoles()) assert.deepEqual(validateRole(r), [], r.metadata.name);
    for (const b of bootstrapClusterRoleBindings()) assert.deepEqual(validateClusterRoleBinding(b), [], b.metadata.name);
    for (const b of bootstrapRoleBindings()) assert.deepEqual(validateRoleBinding(b), [], b.metadata.name);
  });
  it('binds issuer discovery to every ServiceAccount and each role exists', () => {
    const b = bootstrapClusterRoleBindings().find((x) => x.metadata.name === 'system:service-account-issuer-discovery')!;
    assert.deepEqual(b.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts' }]);
    const names = new Set(bootstrapClusterRoles().map((r) => r.metadata.name));
    for (const x of bootstrapClusterRoleBindings()) assert.ok(names.has((x.roleRef as { name: string }).name), x.metadata.name);
  });
});

describe('reconcileRole (union)', () => {
  it('unchanged when the existing role covers the expected one', () => assert.deepEqual(reconcileRole(structuredClone(expected), expected), { op: 'none' }));
  it('adds missing rules and keeps user additions', () => {
    const existing: KubeObject = { ...structuredClone(expected), rules: [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }] };
    const r = reconcileRole(existing, expected);
    assert.equal(r.op, 'update');
    const rules = (r as { object: KubeObject }).object.rules as unknown[];
    assert.deepEqual(rules[0], { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] });
    assert.equal(rules.length, 4);
  });
  it('respects autoupdate=false', () => {
    const existing: KubeObject = { ...structuredClone(expected), rules: [], metadata: { ...expected.metadata, annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'false' } } };
    assert.deepEqual(reconcileRole(existing, expected), { op: 'none' });
  });
  it('restores missing labels without overriding existing values', () => {
    const existing: KubeObject = { ...structuredClone(expected), metadata: { ...expected.metadata, labels: { mine: 'x' } } };
    const r = reconcileRole(existing, expected) as { op: string; object: KubeObject };
    assert.deepEqual(r.object.metadata.labels, { 'kubernetes.io/bootstrapping': 'rbac-defaults', mine: 'x' });
  });
});

describe('reconcileBinding (union)', () => {
  const b = bootstrapClusterRoleBindings().find((x) => x.metadata.name === 'system:basic-user')!;
  it('adds missing subjects, keeps extra ones', () => {
    const existing = { ...structuredClone(b), subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }] };
    const r = reconcileBinding(existing, b) as { op: string; object: KubeObject };
    assert.equal(r.op, 'update');
    assert.deepEqual((r.object.subjects as Array<{ name: string }>).map((s) => s.name), ['bob', 'system:authenticated']);
  });
  it('recreates on a different roleRef', () => {
    const existing = { ...structuredClone(b), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'other' } };
    assert.equal(reconcileBinding(existing, b).op, 'recreate');
  });
});

describe('aggregatedRules', () => {
  const cr = (name: string, labels: Record<string, string>, rules: unknown[], aggregate?: string): KubeObject => ({
    metadata: { name, labels },
    rules,
    ...(aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregate]: 'true' } }] } } : {}),
  });
  const r1 = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
  const r2 = { verbs: ['list'], apiGroups: [''], resources: ['pods'] };
  it('collects matching roles by name, without duplicates or itself', () => {
    const agg = cr('agg', { x: 'true' }, [], 'x');
    const all = [agg, cr('b', { x: 'true' }, [r2, r1]), cr('a', { x: 'true' }, [r1]), cr('c', {}, [{ verbs: ['*'] }])];
    assert.deepEqual(aggregatedRules(agg, all), [r1, r2]);
  });
  it('undefined when already aggregated or not aggregated', () => {
    const agg = cr('agg', {}, [r1], 'x');
    assert.equal(aggregatedRules(agg, [agg, cr('a', { x: 'true' }, [r1])]), undefined);
    assert.equal(aggregatedRules(cr('plain', {}, []), []), undefined);
  });
  it('matchExpressions select too; an empty match clears the rules', () => {
    const agg: KubeObject = { metadata: { name: 'agg' }, rules: [r1], aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] }] } };
    assert.deepEqual(aggregatedRules(agg, [agg, cr('t', { tier: 'a' }, [r2])]), [r2]);
    assert.deepEqual(aggregatedRules(agg, [agg]), []);
  });
});
