import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaRegistry } from '../../api/schema/registry.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, PatchError, patchTypeFor } from './index.js';

const saSchema = { type: 'ref' as const, ref: 'io.k8s.api.core.v1.ServiceAccount' };
const podSchema = { type: 'ref' as const, ref: 'io.k8s.api.core.v1.Pod' };
const smp = (o: unknown, p: unknown, s = saSchema) => applyStrategicMergePatch(o, p, s, schemaRegistry);

describe('strategic merge patch', () => {
  const sa = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'app', labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] },
    secrets: [{ name: 's-one' }, { name: 's-two' }],
    imagePullSecrets: [{ name: 'regcred' }],
  };
  it('applies kubectl apply bodies: $setElementOrder, $patch delete, atomic lists', () => {
    const patch = {
      '$setElementOrder/secrets': [{ name: 's-two' }, { name: 's-three' }],
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred2' }],
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      secrets: [{ name: 's-three' }, { $patch: 'delete', name: 's-one' }],
    };
    assert.deepEqual(smp(sa, patch), {
      ...sa,
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred2' }],
      metadata: { ...sa.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      secrets: [{ name: 's-two' }, { name: 's-three' }],
    });
  });
  it('null deletes map keys; imagePullSecrets are replaced whole', () => {
    assert.deepEqual(smp(sa, { metadata: { labels: { a: null } }, imagePullSecrets: [{ name: 'other' }] }), {
      ...sa,
      metadata: { ...sa.metadata, labels: { b: '2' } },
      imagePullSecrets: [{ name: 'other' }],
    });
  });
  it('$deleteFromPrimitiveList and primitive set merge on finalizers', () => {
    const r = smp(sa, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'], finalizers: ['z'] } }) as typeof sa;
    assert.deepEqual(r.metadata.finalizers, ['y', 'z']);
  });
  it('merges pod containers and env by name (kubectl apply body)', () => {
    const pod = {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'c1', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'c2', image: 'busybox' },
        ],
        volumes: [{ name: 'v', secret: { secretName: 's' } }],
      },
    };
    const patch = {
      spec: {
        '$setElementOrder/containers': [{ name: 'c1' }, { name: 'c2' }],
        containers: [{ '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '3' }, { $patch: 'delete', name: 'A' }], image: 'nginx:1.26', name: 'c1' }],
        volumes: [{ name: 'v', $retainKeys: ['name', 'configMap'], configMap: { name: 'cm' } }],
      },
    };
    assert.deepEqual(smp(pod, patch, podSchema), {
      metadata: { name: 'p' },
      spec: {
        containers: [
          { name: 'c1', image: 'nginx:1.26', env: [{ name: 'B', value: '3' }] },
          { name: 'c2', image: 'busybox' },
        ],
        volumes: [{ name: 'v', configMap: { name: 'cm' } }],
      },
    });
  });
  it('$patch: replace on a map and rejects bad directives', () => {
    assert.deepEqual((smp(sa, { metadata: { labels: { $patch: 'replace', c: '3' } } }) as typeof sa).metadata.labels, { c: '3' });
    assert.throws(() => smp(sa, { metadata: { $patch: 'bogus' } }), PatchError);
    assert.throws(() => smp(sa, { secrets: [{ nameless: true }] }), PatchError);
  });
  it('does not pollute prototypes and survives deep nesting', () => {
    smp(sa, JSON.parse('{"metadata":{"__proto__":{"polluted":true}}}'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    let deep: unknown = { x: 1 };
    for (let i = 0; i < 10000; i++) deep = { a: deep };
    assert.throws(() => smp({}, deep), PatchError);
  });
});

describe('merge patch and JSON patch', () => {
  it('RFC 7386', () => {
    assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 }, f: [1] }), { a: 1, b: { d: 3, e: 4 }, f: [1] });
  });
  it('RFC 6902 including test and failures', () => {
    const o = { metadata: { labels: { a: 'b' } } };
    assert.deepEqual(applyJsonPatch(o, [{ op: 'add', path: '/metadata/labels/c', value: 'd' }, { op: 'test', path: '/metadata/labels/a', value: 'b' }]), {
      metadata: { labels: { a: 'b', c: 'd' } },
    });
    assert.deepEqual(o, { metadata: { labels: { a: 'b' } } });
    for (const bad of [[{ op: 'test', path: '/metadata/labels/a', value: 'x' }], [{ op: 'remove', path: '/nope/x' }]]) {
      assert.throws(() => applyJsonPatch(o, bad), (e: unknown) => e instanceof PatchError && e.code === 422);
    }
    assert.throws(() => applyJsonPatch(o, { op: 'add' }), (e: unknown) => e instanceof PatchError && e.code === 400);
    assert.throws(() => applyJsonPatch(o, [{ op: 'frobnicate', path: '/a' }]), (e: unknown) => e instanceof PatchError && e.code === 400);
  });
  it('matches patch content types exactly', () => {
    assert.equal(patchTypeFor('application/strategic-merge-patch+json'), 'strategic');
    assert.equal(patchTypeFor('application/merge-patch+json; charset=utf-8'), 'merge');
    assert.equal(patchTypeFor('application/json-patch+json'), 'json');
    assert.equal(patchTypeFor('application/apply-patch+yaml'), 'apply');
    assert.equal(patchTypeFor('application/json'), undefined);
  });
});
