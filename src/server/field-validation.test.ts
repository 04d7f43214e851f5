import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaRegistry } from '../api/schema/registry.js';
import { conformToSchema } from './field-validation.js';

const lookup = (n: string) => schemaRegistry.definitions[n];
const sa = 'io.k8s.api.core.v1.ServiceAccount';
const pod = 'io.k8s.api.core.v1.Pod';

describe('conformToSchema', () => {
  it('reports unknown fields in document order and prunes them', () => {
    const obj = { metadata: { name: 'x', bogus: 1 }, zz: 1, secrets: [{ name: 's', extra: true }], aa: 2 };
    const r = conformToSchema(obj, sa, lookup, 'ServiceAccount');
    assert.deepEqual(r.unknown, ['metadata.bogus', 'zz', 'secrets[0].extra', 'aa']);
    assert.deepEqual(obj, { metadata: { name: 'x' }, secrets: [{ name: 's' }] });
    assert.equal(r.typeError, undefined);
  });
  it('reports the first type error like encoding/json', () => {
    const r = conformToSchema({ metadata: { name: 'x' }, secrets: 'nope' }, sa, lookup, 'ServiceAccount');
    assert.equal(r.typeError, 'json: cannot unmarshal string into Go struct field ServiceAccount.secrets of type []v1.ObjectReference');
  });
  it('names nested list items and map entries in paths (unknown fields and type errors)', () => {
    const p = {
      metadata: { name: 'p', labels: { app: 'x' }, annotations: { a: 'b' } },
      spec: { containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i', ports: [{ containerPort: 80, bogus: 1 }, { containerPort: 'eighty' }], zz: 2 }] },
    };
    const r = conformToSchema(p, pod, lookup, 'Pod');
    assert.deepEqual(r.unknown, ['spec.containers[1].ports[0].bogus', 'spec.containers[1].zz']);
    assert.equal(r.typeError, 'json: cannot unmarshal string into Go struct field Pod.spec.containers[1].ports[1].containerPort of type int32');
    const m = conformToSchema({ metadata: { name: 'x', labels: { app: { nested: true } } } }, sa, lookup, 'ServiceAccount');
    assert.equal(m.typeError, 'json: cannot unmarshal object into Go struct field ServiceAccount.metadata.labels.app of type string');
    const top = conformToSchema({ metadata: [] }, sa, lookup, 'ServiceAccount');
    assert.equal(top.typeError, 'json: cannot unmarshal array into Go struct field ServiceAccount.metadata of type v1.ObjectMeta');
  });
  it('accepts free-form and quantity fields', () => {
    const p = { metadata: { name: 'p', managedFields: [{ fieldsV1: { 'f:a': {} } }] }, spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { cpu: 1, memory: '1Gi' } } }] } };
    const r = conformToSchema(p, pod, lookup, 'Pod');
    assert.deepEqual(r, { unknown: [] });
  });
  it('survives hostile nesting without recursion', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100000; i++) deep = { metadata: deep };
    const r = conformToSchema({ metadata: { name: 'x' }, secrets: [{ name: 'a', x: deep }] }, sa, lookup, 'ServiceAccount');
    assert.deepEqual(r.unknown, ['secrets[0].x']);
  });
});

describe('omitempty normalization', () => {
  it('drops nulls and empty optional maps and lists, keeps empty structs', () => {
    const obj = { metadata: { name: 'x', annotations: {}, labels: { a: 'b' }, creationTimestamp: null, finalizers: [] }, secrets: [] };
    conformToSchema(obj, sa, lookup, 'ServiceAccount');
    assert.deepEqual(obj, { metadata: { name: 'x', labels: { a: 'b' } } });
    const p = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] }, status: {} };
    conformToSchema(p, pod, lookup, 'Pod');
    assert.deepEqual(p, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] }, status: {} });
  });
});
