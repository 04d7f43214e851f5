/**
 * Hostile input: nesting that would overflow the stack, prototype-pollution keys, and lists large
 * enough to expose quadratic algorithms. None may crash the process or touch Object.prototype.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, maxPatchDepth } from './index.js';
import { guardStack } from './errors.js';
import { assertPatchError, deepFreeze, json, nested } from './testing/helpers.js';
import { saSchema, testRegistry } from './testing/schemas.js';

const sa = deepFreeze({
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'app', labels: { tier: 'api' } },
  secrets: [{ name: 's-one' }],
});
const smp = (original: unknown, patch: unknown) => applyStrategicMergePatch(original, patch, saSchema, testRegistry);
const tooDeep = `the patch is nested too deeply: more than ${maxPatchDepth} levels`;

const appliers: Array<[string, (original: unknown, deepValue: unknown) => unknown]> = [
  ['strategic merge patch', (o, v) => smp(o, { metadata: { labels: { x: v } } })],
  ['merge patch', (o, v) => applyMergePatch(o, { metadata: { labels: { x: v } } })],
  ['JSON patch', (o, v) => applyJsonPatch(o, [{ op: 'add', path: '/metadata/labels/x', value: v }])],
];

describe('hostile input: deep nesting', () => {
  for (const [name, apply] of appliers) {
    it(`${name}: a 10,000-level map is a 400, not a crash`, () => {
      assertPatchError(() => apply(sa, nested(10_000)), 400, tooDeep);
    });
    it(`${name}: a 10,000-level list is a 400, not a crash`, () => {
      assertPatchError(() => apply(sa, nested(10_000, 'list')), 400, tooDeep);
    });
    it(`${name}: nesting just under the limit applies`, () => {
      const out = apply(sa, nested(maxPatchDepth - 10)) as { metadata: { labels: { x: unknown } } };
      assert.ok(JSON.stringify(out).length > maxPatchDepth);
    });
    it(`${name}: a deep live object is fine when the patch is shallow`, () => {
      const deepLive = { ...sa, spec: nested(20_000) };
      const out = apply(deepLive, 'v') as { metadata: { labels: { x: unknown } } };
      assert.equal(out.metadata.labels.x, 'v');
    });
  }
  it('strategic merge patch: deep patch merged into an equally deep live object', () => {
    const depth = maxPatchDepth - 5;
    const out = smp({ ...sa, spec: nested(depth, 'map', 'old') }, { spec: nested(depth, 'map', 'new') });
    let v: unknown = (out as { spec: unknown }).spec;
    for (let i = 0; i < depth; i++) v = (v as { a: unknown }).a;
    assert.equal(v, 'new');
  });
  it('guardStack turns a stack overflow into the 400', () => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    assertPatchError(() => guardStack(() => recurse(0)), 400, tooDeep);
  });
});

describe('hostile input: prototype pollution', () => {
  afterEach(() => {
    for (const k of ['polluted', 'polluted2', 'polluted3', 'x']) {
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, k), false, `Object.prototype.${k}`);
      assert.equal(Object.prototype.hasOwnProperty.call(Object, k), false, `Object.${k}`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  const body = '{"metadata":{"labels":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted2":true}}}},"__proto__":{"polluted3":1}}';

  for (const [name, apply] of [
    ['strategic merge patch', smp],
    ['merge patch', applyMergePatch],
  ] as const) {
    it(`${name}: __proto__ and constructor keys stay plain data`, () => {
      const out = apply(sa, json(body)) as Record<string, any>;
      const labels = out.metadata.labels;
      assert.equal(Object.getPrototypeOf(labels), Object.prototype);
      assert.deepEqual(Object.keys(labels), ['tier', '__proto__', 'constructor']);
      assert.deepEqual(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value, { polluted: 'yes' });
      assert.ok(Object.prototype.hasOwnProperty.call(out, '__proto__'));
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
    });
    it(`${name}: merging into a live object that has a __proto__ key`, () => {
      const live = json<Record<string, unknown>>('{"kind":"ServiceAccount","metadata":{"annotations":{"__proto__":{"a":"1"}}}}');
      const out = apply(live, json('{"metadata":{"annotations":{"__proto__":{"polluted":"2"}}}}')) as Record<string, any>;
      const inner = Object.getOwnPropertyDescriptor(out.metadata.annotations, '__proto__')?.value;
      assert.deepEqual(inner, { a: '1', polluted: '2' });
    });
    it(`${name}: deleting constructor or toString that the object lacks is a no-op`, () => {
      assert.deepEqual(apply(sa, { metadata: { constructor: null, toString: null, hasOwnProperty: null } }), sa);
    });
  }

  it('strategic merge patch: __proto__ as a merge key value, in directives and retainKeys', () => {
    const out = smp(sa, json('{"$setElementOrder/secrets":[{"name":"__proto__"},{"name":"s-one"}],"secrets":[{"name":"__proto__","__proto__":{"polluted":1}}],"metadata":{"$retainKeys":["labels","__proto__"],"labels":{"a":"b"}}}')) as Record<string, any>;
    assert.deepEqual(out.secrets.map((s: { name: string }) => s.name), ['__proto__', 's-one']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(out.secrets[0], '__proto__')?.value, { polluted: 1 });
    assert.deepEqual(Object.keys(out.metadata), ['labels']);
  });
  it('strategic merge patch: a $setElementOrder/__proto__ directive is a schema error, not a lookup of Object.prototype', () => {
    assertPatchError(() => smp(sa, json('{"$setElementOrder/__proto__":[]}')), 500, 'unable to find api field in struct ServiceAccount for the json field "__proto__"');
    assertPatchError(() => smp(sa, json('{"$setElementOrder/constructor":[]}')), 500, /json field "constructor"/);
  });

  const jsonPatches: Array<[string, string]> = [
    ['add under __proto__', '[{"op":"add","path":"/metadata/__proto__/polluted","value":1}]'],
    ['add __proto__ itself', '[{"op":"add","path":"/__proto__","value":{"polluted":1}}]'],
    ['add under constructor/prototype', '[{"op":"add","path":"/metadata/constructor/prototype/polluted","value":1}]'],
    ['add under an inherited constructor', '[{"op":"add","path":"/metadata/constructor/polluted","value":1}]'],
    ['add under a copied object’s inherited constructor', '[{"op":"copy","from":"/metadata","path":"/m"},{"op":"add","path":"/m/constructor/x","value":1}]'],
    ['replace an inherited member', '[{"op":"replace","path":"/metadata/toString","value":1}]'],
    ['remove an inherited member', '[{"op":"remove","path":"/metadata/hasOwnProperty"}]'],
    ['move from an inherited member', '[{"op":"move","from":"/metadata/constructor","path":"/x"}]'],
  ];
  for (const [name, text] of jsonPatches) {
    it(`JSON patch: ${name} is refused (422)`, () => {
      assertPatchError(() => applyJsonPatch(sa, json(text)), 422);
    });
  }
  it('JSON patch: constructor is an ordinary member name; inherited members are invisible to test', () => {
    const out = applyJsonPatch(sa, json('[{"op":"test","path":"/metadata/toString","value":null},{"op":"add","path":"/metadata/constructor","value":{"polluted":1}}]')) as Record<string, any>;
    assert.deepEqual(Object.getOwnPropertyDescriptor(out.metadata, 'constructor')?.value, { polluted: 1 });
    assert.equal(Object.getPrototypeOf(out.metadata), Object.prototype);
  });
  it('JSON patch: a value carrying a __proto__ key is stored as data', () => {
    const out = applyJsonPatch(sa, json('[{"op":"add","path":"/metadata/annotations","value":{"__proto__":{"polluted":1}}}]')) as Record<string, any>;
    assert.deepEqual(Object.keys(out.metadata.annotations), ['__proto__']);
    assert.equal(Object.getPrototypeOf(out.metadata.annotations), Object.prototype);
  });
});

describe('hostile input: large lists stay fast', () => {
  const size = 20_000;
  const names = Array.from({ length: size }, (_, i) => `s-${i}`);
  it(`strategic merge patch: ${size} keyed elements, reordered, half updated, a quarter deleted`, () => {
    const live = { ...sa, secrets: names.map((name) => ({ name })) };
    const kept = names.filter((_, i) => i % 4 !== 0);
    const patch = {
      '$setElementOrder/secrets': [...kept].reverse().map((name) => ({ name })),
      secrets: [
        ...[...kept].reverse().filter((_, i) => i % 2 === 0).map((name) => ({ name, namespace: 'n' })),
        ...names.filter((_, i) => i % 4 === 0).map((name) => ({ $patch: 'delete', name })),
      ],
    };
    const started = Date.now();
    const out = smp(live, patch) as { secrets: Array<{ name: string }> };
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.deepEqual(out.secrets.map((s) => s.name), [...kept].reverse());
  });
  it(`strategic merge patch: ${size * 2} finalizers merged and deleted`, () => {
    const live = { ...sa, metadata: { ...sa.metadata, finalizers: names } };
    const added = names.map((n) => `${n}-new`);
    const patch = { metadata: { finalizers: [...added, ...names.slice(0, 10)], '$deleteFromPrimitiveList/finalizers': names.slice(10, 20) } };
    const started = Date.now();
    const out = smp(live, patch) as { metadata: { finalizers: string[] } };
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(out.metadata.finalizers.length, size * 2 - 10);
  });
  it('JSON patch: 10,000 operations', () => {
    const ops = Array.from({ length: 10_000 }, (_, i) => ({ op: 'add', path: `/metadata/labels/l${i}`, value: 'v' }));
    const started = Date.now();
    const out = applyJsonPatch(sa, ops) as { metadata: { labels: Record<string, string> } };
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.equal(Object.keys(out.metadata.labels).length, 10_001);
  });
});
