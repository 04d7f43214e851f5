import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { StatusError } from '../api/status.js';
import { schemaRegistry } from '../api/schema/registry.js';
import { describePath, fromFieldsV1, leafValues, sep, toFieldsV1 } from './field-paths.js';
import { appliedFields, planApply, updateManagedFields, type FieldManagerContext } from './managed-fields.js';

const t = { schema: { type: 'ref' as const, ref: 'io.k8s.api.core.v1.Pod' }, registry: schemaRegistry };
const pod = (labels: Record<string, string>, image = 'nginx'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'u', labels },
  spec: { containers: [{ name: 'c', image }], restartPolicy: 'Always' },
  status: { phase: 'Pending' },
});
const ctx = (manager: string, operation: 'Apply' | 'Update', applied?: Set<string>): FieldManagerContext => ({ manager, operation, subresource: '', apiVersion: 'v1', time: '2026-11-22T10:00:00Z', applied });

describe('field paths', () => {
  it('lists leaves with keyed list items, skipping system metadata and status', () => {
    const leaves = [...leafValues(pod({ a: 'b' }), t.schema, t.registry).keys()].map((p) => p.split(sep).join('/'));
    assert.deepEqual(leaves.sort(), [
      'f:metadata/f:labels/f:a',
      'f:spec/f:containers/k:{"name":"c"}/.',
      'f:spec/f:containers/k:{"name":"c"}/f:image',
      'f:spec/f:containers/k:{"name":"c"}/f:name',
      'f:spec/f:restartPolicy',
    ]);
  });
  it('round-trips FieldsV1 and names paths like kube', () => {
    const set = new Set(leafValues(pod({ a: 'b' }), t.schema, t.registry).keys());
    assert.deepEqual(fromFieldsV1(toFieldsV1(set)), set);
    assert.equal(describePath(['f:spec', 'f:containers', 'k:{"name":"c"}', 'f:image'].join(sep)), '.spec.containers[name="c"].image');
  });
});

describe('managed fields', () => {
  it('an Update owns what it changed and takes it from others', () => {
    const created = pod({ a: 'b' });
    updateManagedFields(null, created, t, ctx('kubectl-create', 'Update'));
    const changed = structuredClone(pod({ a: 'b' }, 'nginx:2'));
    changed.metadata.managedFields = created.metadata.managedFields;
    updateManagedFields(created, changed, t, ctx('kubectl-edit', 'Update'));
    const byManager = Object.fromEntries(changed.metadata.managedFields!.map((m) => [m.manager, [...fromFieldsV1(m.fieldsV1)].map((p) => p.split(sep).pop())]));
    assert.ok(!byManager['kubectl-create']!.includes('f:image'));
    assert.deepEqual(byManager['kubectl-edit'], ['f:image']);
  });
  it('an Apply conflicts with another owner unless forced, and drops fields it stopped applying', () => {
    const live = pod({ a: 'b', keep: '1' });
    updateManagedFields(null, live, t, ctx('kubectl', 'Apply', appliedFields(live, t, '')));
    const edited = structuredClone(live);
    edited.metadata.labels = { a: 'changed', keep: '1' };
    updateManagedFields(live, edited, t, ctx('kubectl-label', 'Update'));
    const config = pod({ a: 'b' });
    assert.throws(() => planApply(edited, config, t, ctx('kubectl', 'Apply'), false), (e: unknown) => e instanceof StatusError && e.code === 409 && /conflict with "kubectl-label" using v1: \.metadata\.labels\.a/.test(e.message));
    const plan = planApply(edited, config, t, ctx('kubectl', 'Apply'), true);
    assert.deepEqual(plan.base.metadata.labels, { a: 'changed' });
  });
});
