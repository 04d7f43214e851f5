import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { decodeFromStorage, encodeForStorage, orderTopLevel, spliceResourceVersion } from './codec.js';

describe('codec', () => {
  const objects: KubeObject[] = [
    orderTopLevel({ metadata: { name: 'a', labels: { x: 'y' } }, kind: 'ServiceAccount', apiVersion: 'v1', secrets: [{ name: 's' }] } as KubeObject),
    orderTopLevel({ kind: 'Role', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: {} } as KubeObject),
    { kind: 'X', apiVersion: 'v1', metadata: { name: '"metadata":{' } } as KubeObject,
  ];
  for (const o of objects) {
    it(`splices the resourceVersion into ${JSON.stringify(o).slice(0, 60)}`, () => {
      const stored = encodeForStorage(o);
      const raw = spliceResourceVersion(stored, 42)!;
      assert.deepEqual(JSON.parse(raw.toString()), decodeFromStorage({ key: 'k', value: stored, createRevision: 1, modRevision: 42 }));
    });
  }
  it('declines bytes not in kind/apiVersion/metadata order', () => {
    assert.equal(spliceResourceVersion(Buffer.from('{"metadata":{"name":"a"},"kind":"X","apiVersion":"v1"}'), 1), undefined);
    assert.equal(spliceResourceVersion(Buffer.from('{"a":"\\"metadata\\":{"}'), 1), undefined);
  });
});
