import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateDiscovery, negotiateOutput } from './negotiation.js';

describe('negotiation', () => {
  it('Table for kubectl get', () => {
    assert.deepEqual(
      negotiateOutput('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'),
      { kind: 'table', version: 'v1' },
    );
  });
  it('JSON for protobuf-preferring clients and defaults', () => {
    assert.deepEqual(negotiateOutput('application/vnd.kubernetes.protobuf,application/json'), { kind: 'json' });
    assert.deepEqual(negotiateOutput(undefined), { kind: 'json' });
    assert.deepEqual(negotiateOutput('*/*'), { kind: 'json' });
    assert.deepEqual(negotiateOutput('application/yaml'), { kind: 'yaml' });
  });
  it('406 when nothing acceptable', () => {
    assert.equal(negotiateOutput('text/html'), undefined);
  });
  it('aggregated discovery honours the version asked for', () => {
    const v2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    assert.equal(negotiateDiscovery(v2), 'v2');
    assert.equal(negotiateDiscovery(v2beta1), 'v2beta1');
    assert.equal(negotiateDiscovery('application/json, */*'), undefined);
  });
});
