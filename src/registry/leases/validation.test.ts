import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { leaseStrategy } from './strategy.js';
import { validateLease, validateLeaseUpdate } from './validation.js';

const lease = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec });

describe('validateLease', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['node heartbeat', lease({ holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-12-03T08:00:00.000000Z' }), []],
    ['empty spec', lease({}), []],
    ['zero duration', lease({ leaseDurationSeconds: 0 }), ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    ['negative duration', lease({ leaseDurationSeconds: -5 }), ['spec.leaseDurationSeconds: Invalid value: -5: must be greater than 0']],
    ['negative transitions', lease({ leaseTransitions: -1 }), ['spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0']],
    ['known strategy', lease({ strategy: 'OldestEmulationVersion' }), []],
    ['unknown strategy', lease({ strategy: 'Newest' }), ['spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"']],
    ['custom qualified strategy', lease({ strategy: 'example.com/mine' }), []],
    [
      'preferredHolder without strategy',
      lease({ preferredHolder: 'a' }),
      ['spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined'],
    ],
  ];
  for (const [title, obj, want] of cases) {
    it(title, () => {
      assert.deepEqual(validateLease(obj).map(fieldErrorMessage), want);
      assert.deepEqual(validateLeaseUpdate(obj, lease({})).map(fieldErrorMessage), want);
    });
  }
});

describe('leaseStrategy', () => {
  it('drops the CoordinatedLeaderElection fields (feature off) unless already stored', () => {
    const created = lease({ holderIdentity: 'a', strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    leaseStrategy.prepareForCreate!(created);
    assert.deepEqual(created.spec, { holderIdentity: 'a' });
    const updated = lease({ strategy: 'OldestEmulationVersion', preferredHolder: 'b' });
    leaseStrategy.prepareForUpdate!(updated, lease({ strategy: 'OldestEmulationVersion' }));
    assert.deepEqual(updated.spec, { strategy: 'OldestEmulationVersion' });
  });
  it('is the namespaced coordination.k8s.io/v1 leases resource', () => {
    assert.deepEqual([leaseStrategy.info.group, leaseStrategy.info.version, leaseStrategy.info.resource, leaseStrategy.info.namespaced], [
      'coordination.k8s.io', 'v1', 'leases', true,
    ]);
  });
});
