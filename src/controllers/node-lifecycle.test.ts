import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createEventRecorder } from '../client/events.js';
import { createNodeLifecycleController } from './node-lifecycle.js';
import type { NodeCondition } from './node-lifecycle-health.js';
import type { Taint } from './scheduler-predicates.js';
import { controllerTest, nsPath } from './testing/setup.js';

const nodesPath = '/api/v1/nodes';
const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const podsPath = nsPath('a', 'pods');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

const readyNode = (name: string, heartbeat: number, status = 'True'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  spec: {},
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(heartbeat) },
      { type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(heartbeat) },
    ],
  },
});
const runningPod = (name: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'a' },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }] },
});
const lease = (name: string, renew: number): KubeObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-node-lease' },
  spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(renew).toISOString().replace('Z', '000Z') },
});

function setup(gracePeriodMs?: number) {
  const t = controllerTest();
  const recorder = createEventRecorder({ client: t.client, component: 'node-controller', clock: t.clock });
  const controller = createNodeLifecycleController({ informers: t.informers, client: t.client, recorder, clock: t.clock, gracePeriodMs });
  const node = (name: string) => t.fake.get(nodesPath, name)!;
  const conditions = (name: string) => ((node(name).status as { conditions: NodeCondition[] }).conditions).map((c) => `${c.type}=${c.status}/${c.reason}`);
  const taints = (name: string) => (((node(name).spec as { taints?: Taint[] }).taints) ?? []).map((x) => `${x.key}:${x.effect}${x.timeAdded ? '@' + x.timeAdded : ''}`);
  const podReady = (name: string) => ((t.fake.get(podsPath, name)!.status as { conditions: NodeCondition[] }).conditions).find((c) => c.type === 'Ready')!;
  const events = async () => {
    await recorder.flush();
    return t.fake.list('/api/v1/events').map((e) => `${e.type} ${e.reason} ${(e.involvedObject as { kind: string }).kind}/${(e.involvedObject as { name: string }).name}: ${e.message}`);
  };
  /** What a kubelet does on a heartbeat: a new Ready lastHeartbeatTime (and Ready True again). */
  const heartbeat = async (name: string) => {
    const now = t.clock.now();
    const n = structuredClone(node(name));
    for (const c of (n.status as { conditions: NodeCondition[] }).conditions) {
      if (c.status !== 'True' && c.type === 'Ready') c.lastTransitionTime = iso(now);
      if (c.type === 'Ready') Object.assign(c, { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
      if (c.type !== 'Ready') Object.assign(c, { status: 'False', reason: 'KubeletHasSufficientMemory' });
      c.lastHeartbeatTime = iso(now);
    }
    delete n.metadata.resourceVersion;
    await t.fake.request({ method: 'PUT', path: `${nodesPath}/${name}/status`, body: JSON.stringify(n) });
  };
  return { t, controller, node, conditions, taints, podReady, events, heartbeat };
}

describe('node lifecycle controller', () => {
  it('marks a silent node Unknown after the grace period, taints it and its pods NotReady; heals when Ready returns', async () => {
    const s = setup();
    const t0 = s.t.clock.now();
    s.t.fake.seed(nodesPath, readyNode('n1', t0 - 1000));
    s.t.fake.seed(podsPath, runningPod('p', 'n1'));
    s.t.fake.seed(podsPath, runningPod('elsewhere', 'n2'));
    await s.t.start(s.controller);
    await s.t.settle(45_000);
    assert.deepEqual(s.conditions('n1'), ['MemoryPressure=False/KubeletHasSufficientMemory', 'Ready=True/KubeletReady'], 'healthy within the grace period');

    await s.t.settle(10_000); // the pass at 55 s finds the probe (0 s) older than 50 s
    assert.deepEqual(s.conditions('n1'), ['MemoryPressure=Unknown/NodeStatusUnknown', 'Ready=Unknown/NodeStatusUnknown', 'DiskPressure=Unknown/NodeStatusNeverUpdated', 'PIDPressure=Unknown/NodeStatusNeverUpdated']);
    const readyCondition = (s.node('n1').status as { conditions: NodeCondition[] }).conditions[1]!;
    assert.equal(readyCondition.message, 'Kubelet stopped posting node status.');
    assert.equal(readyCondition.lastHeartbeatTime, iso(t0 - 1000), 'the last heartbeat is kept');
    assert.deepEqual(s.taints('n1'), [`node.kubernetes.io/unreachable:NoSchedule@${iso(t0 + 55_000)}`]);
    assert.equal(s.podReady('p').status, 'False');
    assert.equal(s.podReady('p').lastTransitionTime, iso(t0 + 55_000));
    assert.equal(s.podReady('elsewhere').status, 'True');

    await s.t.settle(5_000); // the next pass adds the NoExecute taint
    assert.deepEqual(s.taints('n1'), [`node.kubernetes.io/unreachable:NoSchedule@${iso(t0 + 55_000)}`, `node.kubernetes.io/unreachable:NoExecute@${iso(t0 + 60_000)}`]);
    const objectWrites = () => s.t.writes().filter((w) => !w.includes('/events')).length;
    const writes = objectWrites();
    await s.t.settle(30_000);
    assert.equal(objectWrites(), writes, 'steady while Unknown');

    await s.heartbeat('n1');
    await s.t.settle(10);
    assert.deepEqual(s.taints('n1'), [`node.kubernetes.io/unreachable:NoExecute@${iso(t0 + 60_000)}`], 'NoSchedule follows the condition at once');
    await s.t.settle(5_000);
    assert.deepEqual(s.taints('n1'), [], 'NoExecute goes on the next pass');
    assert.deepEqual(s.node('n1').spec, {}, 'no empty taints list is left behind');

    assert.deepEqual(await s.events(), [
      'Normal RegisteredNode Node/n1: Node n1 event: Registered Node n1 in Controller',
      'Normal NodeNotReady Node/n1: Node n1 status is now: NodeNotReady',
      'Warning NodeNotReady Pod/p: Node is not ready',
    ]);
    await s.t.stop();
  });

  it('a renewed Lease keeps a node healthy without status heartbeats', async () => {
    const s = setup();
    const t0 = s.t.clock.now();
    s.t.fake.seed(nodesPath, readyNode('n1', t0));
    s.t.fake.seed(leasesPath, lease('n1', t0));
    await s.t.start(s.controller);
    for (let i = 1; i <= 12; i++) {
      await s.t.settle(10_000);
      const current = s.t.fake.get(leasesPath, 'n1')!;
      await s.t.fake.request({ method: 'PUT', path: `${leasesPath}/n1`, body: JSON.stringify({ ...lease('n1', s.t.clock.now()), metadata: current.metadata }) });
    }
    assert.deepEqual(s.conditions('n1'), ['MemoryPressure=False/KubeletHasSufficientMemory', 'Ready=True/KubeletReady']);
    // The Lease stops (last renewed at 120 s, seen at 125 s): Unknown once older than the grace period.
    await s.t.settle(55_000);
    assert.equal(s.conditions('n1')[1], 'Ready=True/KubeletReady');
    await s.t.settle(5_000);
    assert.equal(s.conditions('n1')[1], 'Ready=Unknown/NodeStatusUnknown');
    await s.t.stop();
  });

  it('honours a shorter grace period and marks pods bound later to a NotReady node', async () => {
    const s = setup(10_000);
    const t0 = s.t.clock.now();
    s.t.fake.seed(nodesPath, readyNode('n1', t0));
    await s.t.start(s.controller);
    await s.t.settle(15_000);
    assert.equal(s.conditions('n1')[1], 'Ready=Unknown/NodeStatusUnknown');
    s.t.fake.seed(podsPath, runningPod('late', 'n1'));
    await s.t.settle(10);
    assert.equal(s.podReady('late').status, 'False');
    await s.t.stop();
  });

  it('clears stale NoExecute taints of a healthy node at first sight and reports a NotReady node', async () => {
    const s = setup();
    const t0 = s.t.clock.now();
    const n = readyNode('n1', t0);
    n.spec = { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }, { key: 'user', value: 'x', effect: 'NoSchedule' }] };
    s.t.fake.seed(nodesPath, n);
    s.t.fake.seed(nodesPath, readyNode('n2', t0, 'False'));
    await s.t.start(s.controller);
    await s.t.settle(10);
    assert.deepEqual(s.taints('n1'), ['user:NoSchedule']);
    assert.deepEqual(s.taints('n2'), [`node.kubernetes.io/not-ready:NoSchedule@${iso(t0)}`, `node.kubernetes.io/not-ready:NoExecute@${iso(t0)}`], 'Ready already False at the first pass');
    await s.t.stop();
  });
});
