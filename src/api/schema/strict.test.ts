import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDuplicateFields, findUnknownFields } from './strict.js';

const sa = { group: '', version: 'v1', kind: 'ServiceAccount' };
const pod = { group: '', version: 'v1', kind: 'Pod' };
const secret = { group: '', version: 'v1', kind: 'Secret' };
const node = { group: '', version: 'v1', kind: 'Node' };

describe('findUnknownFields', () => {
  const cases: Array<{ name: string; gvk: typeof sa; obj: unknown; want: string[] }> = [
    { name: 'known fields only', gvk: sa, obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', labels: { x: 'y' } }, secrets: [{ name: 's' }], automountServiceAccountToken: false }, want: [] },
    { name: 'top level', gvk: sa, obj: { metadata: { name: 'a' }, foo: 1 }, want: ['foo'] },
    { name: 'nested in metadata', gvk: sa, obj: { metadata: { name: 'a', foo: 1 } }, want: ['metadata.foo'] },
    { name: 'inside a list', gvk: sa, obj: { secrets: [{ name: 'a' }, { name: 'b', bar: true }] }, want: ['secrets[1].bar'] },
    { name: 'case matters (Go decoding here is case-sensitive)', gvk: sa, obj: { Metadata: {}, secrets: [{ Name: 'a' }] }, want: ['Metadata', 'secrets[0].Name'] },
    { name: 'deep inside the pod spec', gvk: pod, obj: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, bogus: 1 }], env: [{ name: 'A', valueFrom: { secretKeyRef: { key: 'k', x: 1 } } }] }], volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't', audiance: 'x' } }] } }] } }, want: ['spec.containers[0].ports[0].bogus', 'spec.containers[0].env[0].valueFrom.secretKeyRef.x', 'spec.volumes[0].projected.sources[0].serviceAccountToken.audiance'] },
    { name: 'document order across levels', gvk: pod, obj: { z: 1, spec: { containers: [{ name: 'c', q: 1 }], y: 2 }, a: 3 }, want: ['z', 'spec.containers[0].q', 'spec.y', 'a'] },
    { name: 'map values of strings are not fields', gvk: secret, obj: { data: { anything: 'eA==' }, stringData: { 'odd.key': 'v' }, metadata: { annotations: { 'a/b': 'c' } } }, want: [] },
    { name: 'map of quantities', gvk: node, obj: { status: { capacity: { cpu: '2', memory: '1Gi' }, nodeInfo: { kubeletVersion: 'v1', extra: 1 } } }, want: ['status.nodeInfo.extra'] },
    { name: 'any subtrees are accepted', gvk: pod, obj: { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:metadata': { 'f:whatever': {} } } }] }, spec: { volumes: [{ name: 'v', gcePersistentDisk: { pdName: 'x', anything: true } }] } }, want: [] },
    { name: 'the inside of an unknown field is not reported', gvk: sa, obj: { foo: { bar: { baz: 1 } } }, want: ['foo'] },
    { name: 'nulls and wrong types are skipped', gvk: pod, obj: { metadata: null, spec: { containers: 'nope', volumes: [null, 3] } }, want: [] },
    { name: 'unknown kind', gvk: { group: 'x', version: 'v1', kind: 'Nope' }, obj: { a: 1 }, want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(findUnknownFields(c.obj, c.gvk), c.want));
  }

  it('walks very deep (but schema-bounded) input without recursion', () => {
    let fields: unknown = { deep: 1 };
    for (let i = 0; i < 100_000; i++) fields = { x: fields };
    assert.deepEqual(findUnknownFields({ metadata: { managedFields: [{ fieldsV1: fields }] }, spec: fields }, pod), ['spec.x']);
  });
});

describe('findDuplicateFields', () => {
  const cases: Array<{ name: string; json: string; want: string[] }> = [
    { name: 'none', json: '{"a":1,"b":{"a":1},"c":[{"a":1},{"a":2}]}', want: [] },
    { name: 'top level', json: '{"kind":"ServiceAccount","metadata":{},"kind":"ServiceAccount"}', want: ['kind'] },
    { name: 'nested object', json: '{"metadata":{"name":"a","labels":{},"name":"b"}}', want: ['metadata.name'] },
    { name: 'inside a list', json: '{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","name":"c"}]}}', want: ['spec.containers[1].name'] },
    { name: 'map keys', json: '{"data":{"k":"MQ==","k":"Mg=="}}', want: ['data.k'] },
    { name: 'every repeat, in document order', json: '{"a":1,"b":{"c":[{"x":1,"x":2}],"c":3},"a":2,"a":3}', want: ['b.c[0].x', 'b.c', 'a', 'a'] },
    { name: 'keys compared after unescaping', json: '{"name":1,"n\\u0061me":2,"q\\"":1,"q\\u0022":2}', want: ['name', 'q"'] },
    { name: 'structural characters inside strings', json: '{"s":"a,\\"b\\":{[","s":"}]\\\\","t":"\\\\"}', want: ['s'] },
    { name: 'whitespace and nested arrays', json: ' { "a" : [ [ { "b" : 1 , "b" : 2 } ] ] , "a" : null } ', want: ['a[0][0].b', 'a'] },
    { name: 'large objects switch to a set', json: `{${Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',')},"k7":0,"k39":0}`, want: ['k7', 'k39'] },
    { name: 'not an object', json: '[1,2,"a"]', want: [] },
    { name: 'invalid JSON does not throw', json: '{"a":1,"a":2,"b":"unterminated', want: ['a'] },
    { name: 'empty', json: '', want: [] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(findDuplicateFields(c.json), c.want));
  }

  it('survives 100,000-deep nesting and reports the deepest duplicate', () => {
    const depth = 100_000;
    const objects = '{"a":'.repeat(depth) + '{"z":1,"z":2}' + '}'.repeat(depth);
    const got = findDuplicateFields(objects);
    assert.equal(got.length, 1);
    assert.equal(got[0], `${'a.'.repeat(depth)}z`);
    assert.deepEqual(findDuplicateFields('['.repeat(depth) + ']'.repeat(depth)), []);
    const mixed = '{"a":['.repeat(depth / 2) + '1' + ']}'.repeat(depth / 2);
    assert.deepEqual(findDuplicateFields(mixed), []);
  });

  it('scans 3 MiB bodies linearly', () => {
    const bigValue = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', data: { k: 'x'.repeat(3 * 1024 * 1024) }, type: 'Opaque', kind2: 1 });
    const dense = JSON.stringify({ items: Array.from({ length: 30_000 }, (_, i) => ({ name: `n${i}`, value: 'v'.repeat(40), labels: { a: 'b', c: 'd' } })) });
    assert.ok(dense.length > 3 * 1024 * 1024 * 0.9);
    const timed = (s: string) => {
      const t0 = performance.now();
      const r = findDuplicateFields(s);
      return { r, ms: performance.now() - t0 };
    };
    const a = timed(bigValue);
    assert.deepEqual(a.r, []);
    assert.ok(a.ms < 200, `large string value took ${a.ms}ms`);
    const b = timed(dense);
    assert.deepEqual(b.r, []);
    // Generous bound: same order as JSON.parse of the same text, far from quadratic.
    assert.ok(b.ms < 2000, `dense document took ${b.ms}ms`);
  });
});
