import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from './index.js';
import { assertPatchError, deepFreeze } from './testing/helpers.js';

const sa = () =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'app', namespace: 'default', resourceVersion: '112', labels: { tier: 'api', y: 'n' } },
    secrets: [{ name: 's-one' }, { name: 's-two' }],
    imagePullSecrets: [{ name: 'regcred' }],
  });

describe('applyMergePatch: RFC 7386 appendix A', () => {
  // Every example of the RFC whose patch is an object or an array (see below for the others).
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['replace a member', { a: 'b' }, { a: 'c' }, { a: 'c' }],
    ['add a member', { a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    ['null deletes', { a: 'b' }, { a: null }, {}],
    ['null deletes one of two', { a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    ['scalar replaces array', { a: ['b'] }, { a: 'c' }, { a: 'c' }],
    ['array replaces scalar', { a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    ['nested merge and delete', { a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    ['arrays are replaced, not merged', { a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    ['array patch replaces array document', ['a', 'b'], ['c', 'd'], ['c', 'd']],
    ['array patch replaces object document', { a: 'b' }, ['c'], ['c']],
    ['existing nulls in the document stay', { e: null }, { a: 1 }, { e: null, a: 1 }],
    ['object patch on array document, nulls pruned', [1, 2], { a: 'b', c: null }, { a: 'b' }],
    ['nulls pruned from a new nested value', {}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [name, original, patch, want] of cases) {
    it(name, () => assert.deepEqual(applyMergePatch(deepFreeze(original), deepFreeze(patch)), want));
  }
});

describe('applyMergePatch: kube-apiserver (evanphx/json-patch v4) specifics', () => {
  it('a null, string, number or boolean patch is 400 Invalid JSON Patch (RFC 7386 would replace)', () => {
    for (const patch of [null, 'bar', 1, true]) assertPatchError(() => applyMergePatch(sa(), patch), 400, 'Invalid JSON Patch');
  });
  it('nulls inside objects inside a new array are pruned, null elements stay', () => {
    assert.deepEqual(applyMergePatch({ a: 1 }, { list: [{ x: 1, y: null }, null] }), { a: 1, list: [{ x: 1 }, null] });
  });
  it('a value replacing a scalar is pruned; one replacing an object keeps its nulls', () => {
    assert.deepEqual(applyMergePatch({ s: 'x' }, { s: { k: null, v: 1 } }), { s: { v: 1 } });
    assert.deepEqual(applyMergePatch({ o: { k: 1 } }, { o: [{ k: null }] }), { o: [{ k: null }] });
  });
  it('deleting a missing key is a no-op; an empty patch returns an equal, fresh object', () => {
    const original = sa();
    const out = applyMergePatch(original, { metadata: { labels: { missing: null } } });
    assert.deepEqual(out, original);
    assert.notEqual(out, original);
    assert.deepEqual(applyMergePatch(original, {}), original);
  });
  it('keeps the key order of the live object and appends new keys', () => {
    const out = applyMergePatch({ a: 1, b: 2, c: 3 }, { b: 20, d: 4 }) as object;
    assert.deepEqual(Object.keys(out), ['a', 'b', 'c', 'd']);
  });
});

describe('applyMergePatch: kubectl bodies', () => {
  const cases: Array<[string, unknown, (o: ReturnType<typeof sa>) => unknown]> = [
    [
      'kubectl label y- (fieldManager kubectl-label)',
      { metadata: { labels: { y: null } } },
      (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'api' } } }),
    ],
    [
      'kubectl label x=1 --overwrite',
      { metadata: { labels: { x: '1' } } },
      (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'api', y: 'n', x: '1' } } }),
    ],
    [
      'kubectl annotate a=b (creates the map)',
      { metadata: { annotations: { a: 'b' } } },
      (o) => ({ ...o, metadata: { ...o.metadata, annotations: { a: 'b' } } }),
    ],
    [
      'kubectl patch --type merge replaces lists whole',
      { secrets: [{ name: 's-three' }] },
      (o) => ({ ...o, secrets: [{ name: 's-three' }] }),
    ],
    [
      'kubectl patch --type merge removes a list',
      { imagePullSecrets: null },
      (o) => ({ apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata, secrets: o.secrets }),
    ],
    [
      'a resourceVersion in the patch is just a value here (the caller checks the precondition)',
      { metadata: { resourceVersion: '7' } },
      (o) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '7' } }),
    ],
  ];
  for (const [name, patch, want] of cases) {
    it(name, () => {
      const original = sa();
      assert.deepEqual(applyMergePatch(original, deepFreeze(patch)), want(original));
    });
  }
});
