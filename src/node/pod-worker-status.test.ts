import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pendingPodStatus } from './pod-worker-status.js';

const now = Date.UTC(2026, 0, 1, 12);
const pod = (spec: object, status: object = {}) => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec, status });

describe('pendingPodStatus', () => {
  it('a pod waiting for its volumes: Pending, ContainerCreating, the kubelet\u2019s conditions', () => {
    const s = pendingPodStatus(pod({ containers: [{ name: 'b', image: 'nginx' }, { name: 'a', image: 'busybox' }] }, { phase: 'Pending', qosClass: 'BestEffort' }), { now, hostIP: '192.0.2.1' });
    assert.equal(s.phase, 'Pending');
    assert.deepEqual(s.conditions.map((c) => [c.type, c.status, c.reason ?? '', c.message ?? '']), [
      ['PodReadyToStartContainers', 'False', '', ''],
      ['Initialized', 'True', '', ''],
      ['Ready', 'False', 'ContainersNotReady', 'containers with unready status: [a b]'],
      ['ContainersReady', 'False', 'ContainersNotReady', 'containers with unready status: [a b]'],
      ['PodScheduled', 'True', '', ''],
    ]);
    assert.deepEqual(s.containerStatuses.map((c) => [c.name, c.state]), [
      ['a', { waiting: { reason: 'ContainerCreating' } }],
      ['b', { waiting: { reason: 'ContainerCreating' } }],
    ]);
    assert.equal(s.hostIP, '192.0.2.1');
    assert.equal(s.podIP, undefined);
    assert.equal(s.startTime, '2026-01-01T12:00:00Z');
    assert.equal(s.qosClass, 'BestEffort');
  });

  it('with init containers: PodInitializing, Initialized False; transition times and foreign conditions kept', () => {
    const old = { conditions: [{ type: 'Custom', status: 'True' }, { type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z' }], startTime: '2025-01-01T00:00:00Z' };
    const s = pendingPodStatus(pod({ initContainers: [{ name: 'init', image: 'x' }], containers: [{ name: 'app', image: 'y' }] }, old), { now, hostIP: '192.0.2.1' });
    assert.deepEqual(s.conditions.map((c) => c.type), ['Custom', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
    const initialized = s.conditions.find((c) => c.type === 'Initialized')!;
    assert.deepEqual([initialized.status, initialized.reason, initialized.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [init]']);
    assert.equal(s.conditions.find((c) => c.type === 'Ready')!.lastTransitionTime, '2025-01-01T00:00:00Z');
    assert.deepEqual(s.initContainerStatuses!.map((c) => c.state), [{ waiting: { reason: 'PodInitializing' } }]);
    assert.deepEqual(s.containerStatuses.map((c) => c.state), [{ waiting: { reason: 'PodInitializing' } }]);
    assert.equal(s.startTime, '2025-01-01T00:00:00Z');
  });
});
