import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { noExecuteTaintDiff, noScheduleTaintDiff, observeNodeHealth, swapTaints, type NodeCondition, type NodeHealth } from './node-lifecycle-health.js';
import type { Taint } from './scheduler-predicates.js';

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const grace = { gracePeriodMs: 50_000, startupGracePeriodMs: 60_000 };

const ready = (status: string, heartbeat: number, transition = t0 - 3_600_000): NodeCondition => ({
  type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(transition),
});
const node = (conditions: NodeCondition[], o: { taints?: Taint[]; unschedulable?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', creationTimestamp: iso(t0 - 7_200_000), resourceVersion: '5' },
  spec: { taints: o.taints, unschedulable: o.unschedulable },
  status: { conditions },
});
const lease = (renew: number): KubeObject => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: new Date(renew).toISOString().replace('Z', '000Z') } });
const pressure = (type: string, status = 'False'): NodeCondition => ({ type, status, reason: `Kubelet${type}`, message: 'ok', lastHeartbeatTime: iso(t0), lastTransitionTime: iso(t0) });

describe('node health', () => {
  const cases: { name: string; prev?: NodeHealth; node: KubeObject; lease?: KubeObject; now: number; wantProbe: number; wantUpdate: boolean; wantConditions?: [string, string, string][] }[] = [
    { name: 'first sight dates the probe now', node: node([ready('True', t0 - 100_000)]), now: t0, wantProbe: t0, wantUpdate: false },
    {
      name: 'an unchanged heartbeat within the grace period does nothing',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: ready('True', t0) },
      node: node([ready('True', t0)]),
      now: t0 + 50_000,
      wantProbe: t0,
      wantUpdate: false,
    },
    {
      name: 'a silent node past the grace period goes Unknown (NetworkUnavailable untouched, missing ones added)',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: ready('True', t0) },
      node: node([ready('True', t0), pressure('MemoryPressure'), pressure('NetworkUnavailable')]),
      now: t0 + 50_001,
      wantProbe: t0,
      wantUpdate: true,
      wantConditions: [
        ['Ready', 'Unknown', 'NodeStatusUnknown'],
        ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
        ['NetworkUnavailable', 'False', 'KubeletNetworkUnavailable'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ],
    },
    {
      name: 'a new Ready heartbeat moves the probe',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: ready('True', t0) },
      node: node([ready('True', t0 + 10_000)]),
      now: t0 + 60_000,
      wantProbe: t0 + 60_000,
      wantUpdate: false,
    },
    {
      name: 'a renewed Lease moves the probe',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: ready('True', t0), leaseRenewTime: t0 },
      node: node([ready('True', t0)]),
      lease: lease(t0 + 40_000),
      now: t0 + 60_000,
      wantProbe: t0 + 60_000,
      wantUpdate: false,
    },
    {
      name: 'an unrenewed Lease does not',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: ready('True', t0), leaseRenewTime: t0 },
      node: node([ready('True', t0)]),
      lease: lease(t0),
      now: t0 + 60_000,
      wantProbe: t0,
      wantUpdate: true,
    },
    {
      name: 'an Unknown node is not rewritten',
      prev: { probeTimestamp: t0, readyTransitionTimestamp: t0, ready: { ...ready('Unknown', t0), reason: 'NodeStatusUnknown' } },
      node: node([{ ...ready('Unknown', t0), reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }, pressure('MemoryPressure', 'Unknown'), pressure('DiskPressure', 'Unknown'), pressure('PIDPressure', 'Unknown')]),
      now: t0 + 120_000,
      wantProbe: t0,
      wantUpdate: false,
    },
    {
      name: 'a node that never posted Ready gets the startup grace from its creation',
      node: node([]),
      now: t0 - 7_200_000 + 60_000,
      wantProbe: t0 - 7_200_000,
      wantUpdate: false,
    },
    {
      name: 'and past it, NodeStatusNeverUpdated conditions',
      node: node([]),
      now: t0,
      wantProbe: t0 - 7_200_000,
      wantUpdate: true,
      wantConditions: [
        ['Ready', 'Unknown', 'NodeStatusNeverUpdated'],
        ['MemoryPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['DiskPressure', 'Unknown', 'NodeStatusNeverUpdated'],
        ['PIDPressure', 'Unknown', 'NodeStatusNeverUpdated'],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = observeNodeHealth(c.prev, c.node, c.lease, { now: c.now, ...grace });
      assert.equal(r.health.probeTimestamp, c.wantProbe);
      assert.equal(!!r.statusUpdate, c.wantUpdate);
      if (c.wantConditions) {
        const got = ((r.statusUpdate!.status as { conditions: NodeCondition[] }).conditions).map((x) => [x.type, x.status, x.reason]);
        assert.deepEqual(got, c.wantConditions);
        const readyNow = (r.statusUpdate!.status as { conditions: NodeCondition[] }).conditions[0]!;
        assert.equal(readyNow.lastTransitionTime, iso(c.now));
        assert.equal(readyNow.lastHeartbeatTime, (c.node.status as { conditions: NodeCondition[] }).conditions[0]?.lastHeartbeatTime ?? c.node.metadata.creationTimestamp);
      }
      assert.equal(c.node.status && (c.node.status as { conditions: NodeCondition[] }).conditions.every((x) => x.status !== 'Unknown' || x.reason !== 'NodeStatusNeverUpdated'), true, 'the input is not mutated');
    });
  }
});

describe('node taints', () => {
  const ns = (key: string): Taint => ({ key, effect: 'NoSchedule' });
  const noScheduleCases: [string, KubeObject, string[], string[]][] = [
    ['Ready True: none', node([ready('True', t0)]), [], []],
    ['Ready False: not-ready', node([ready('False', t0)]), ['node.kubernetes.io/not-ready'], []],
    ['Ready Unknown: unreachable, replacing not-ready', node([ready('Unknown', t0)], { taints: [ns('node.kubernetes.io/not-ready'), ns('user')] }), ['node.kubernetes.io/unreachable'], ['node.kubernetes.io/not-ready']],
    ['pressure and unschedulable', node([ready('True', t0), pressure('DiskPressure', 'True')], { unschedulable: true }), ['node.kubernetes.io/disk-pressure', 'node.kubernetes.io/unschedulable'], []],
    ['back to Ready removes unreachable, keeps user taints', node([ready('True', t0)], { taints: [ns('node.kubernetes.io/unreachable'), ns('user')] }), [], ['node.kubernetes.io/unreachable']],
  ];
  for (const [name, n, add, remove] of noScheduleCases) {
    it(`NoSchedule: ${name}`, () => {
      const d = noScheduleTaintDiff(n);
      assert.deepEqual([d.add.map((t) => t.key), d.remove.map((t) => t.key)], [add, remove]);
    });
  }

  const ne = (key: string): Taint => ({ key, effect: 'NoExecute' });
  const noExecuteCases: [string, Taint[], string, string[], string[]][] = [
    ['Unknown adds unreachable', [], 'Unknown', ['node.kubernetes.io/unreachable'], []],
    ['False swaps unreachable for not-ready', [ne('node.kubernetes.io/unreachable')], 'False', ['node.kubernetes.io/not-ready'], ['node.kubernetes.io/unreachable']],
    ['True removes both', [ne('node.kubernetes.io/unreachable'), ne('node.kubernetes.io/not-ready'), ns('node.kubernetes.io/unreachable')], 'True', [], ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']],
    ['already there', [ne('node.kubernetes.io/unreachable')], 'Unknown', [], []],
  ];
  for (const [name, taints, status, add, remove] of noExecuteCases) {
    it(`NoExecute: ${name}`, () => {
      const d = noExecuteTaintDiff(node([], { taints }), status);
      assert.deepEqual([d.add.map((t) => t.key), d.remove.map((t) => t.key)], [add, remove]);
    });
  }

  it('swapTaints stamps timeAdded, replaces by key and effect, and reports no change as undefined', () => {
    const user: Taint = { key: 'user', value: 'v', effect: 'NoSchedule' };
    const out = swapTaints([user, ne('node.kubernetes.io/not-ready')], [ne('node.kubernetes.io/unreachable')], [ne('node.kubernetes.io/not-ready')], t0);
    assert.deepEqual(out, [user, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' }]);
    assert.equal(swapTaints([user], [], [ne('x')], t0), undefined);
    assert.equal(swapTaints([user], [], [], t0), undefined);
  });
});
