/**
 * The scheduler and the node lifecycle controller against the real server process, with the real
 * kubectl and a Node created by hand (no node agent: --no-embedded-node), as kwok users do:
 * pending pods are bound through pods/binding with upstream's events and conditions, an
 * unschedulable pod waits with FailedScheduling and is bound once a node fits; a node whose
 * heartbeats stop turns Unknown, is tainted unreachable and its pods NotReady, and is untainted
 * when it reports Ready again.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOk, useServerAndKubectl, type Kubectl } from './harness.js';
import { eventually, getJson } from './support.js';

const ok = expectOk;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const refused = /User \\?"(system:kube-scheduler|system:serviceaccount:kube-system:node-controller)\\?" cannot /;

const nodeManifest = (name: string, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() }],
      allocatable: { pods: '110', cpu: '4', memory: '8Gi' },
      capacity: { pods: '110', cpu: '4', memory: '8Gi' },
    },
  });

/** Posts a kubelet-like heartbeat: Ready True with a fresh lastHeartbeatTime. */
async function heartbeat(k: Kubectl, name: string): Promise<void> {
  const node = await getJson(k, ['node', name]);
  const conditions = node.status.conditions.map((c: any) =>
    c.type === 'Ready'
      ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), ...(c.status === 'True' ? {} : { lastTransitionTime: now() }) }
      : { ...c, status: 'False', lastHeartbeatTime: now() },
  );
  ok(await k(['patch', 'node', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions } })]), 'heartbeat');
}

const events = async (k: Kubectl, name: string) =>
  ((await getJson(k, ['events', '-n', 'default', '--field-selector', `involvedObject.name=${name}`]))?.items ?? []) as any[];

describe('scheduler with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--no-embedded-node']);
  const file = (name: string, text: string) => {
    const p = join(t.dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('binds a pending pod to the hand-made Ready node, as default-scheduler', async () => {
    ok(await t.k(['create', '-f', file('node.json', nodeManifest('hand-node'))]), 'create node');
    ok(await t.k(['run', 'p1', '--image=nginx']), 'run p1');
    const pod = await eventually('p1 bound', async () => {
      const p = await getJson(t.k, ['po', 'p1']);
      return p?.spec.nodeName ? p : undefined;
    });
    assert.equal(pod.spec.nodeName, 'hand-node');
    const scheduled = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(scheduled.status, 'True');
    const ev = await eventually('Scheduled event', async () => (await events(t.k, 'p1')).find((e) => e.reason === 'Scheduled'));
    assert.equal(ev.message, 'Successfully assigned default/p1 to hand-node');
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.source.component, 'default-scheduler');
    assert.deepEqual([ev.involvedObject.kind, ev.involvedObject.name, ev.involvedObject.uid], ['Pod', 'p1', pod.metadata.uid]);
    const described = ok(await t.k(['describe', 'po', 'p1']), 'describe');
    assert.match(described, /^Node:\s+hand-node\/?/m);
    assert.match(described, /Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/p1 to hand-node/);
  });

  it('an unschedulable pod waits with FailedScheduling and is bound once a node matches', async () => {
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ssd' }, spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] } };
    ok(await t.k(['create', '-f', file('ssd.json', JSON.stringify(manifest))]), 'create ssd pod');
    const message = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
    const pod = await eventually('Unschedulable condition', async () => {
      const p = await getJson(t.k, ['po', 'ssd']);
      return p?.status.conditions?.some((c: any) => c.type === 'PodScheduled' && c.reason === 'Unschedulable') ? p : undefined;
    });
    const condition = pod.status.conditions.find((c: any) => c.type === 'PodScheduled');
    assert.deepEqual([condition.status, condition.message], ['False', message]);
    assert.equal(pod.status.phase, 'Pending');
    const failed = await eventually('FailedScheduling event', async () => (await events(t.k, 'ssd')).find((e) => e.reason === 'FailedScheduling'));
    assert.deepEqual([failed.type, failed.message, failed.source.component], ['Warning', message, 'default-scheduler']);
    assert.match(ok(await t.k(['get', 'po', 'ssd']), 'get'), /^ssd\s+0\/1\s+Pending\s+0\s+/m);

    ok(await t.k(['label', 'node', 'hand-node', 'disk=ssd']), 'label node');
    const bound = await eventually('ssd bound', async () => {
      const p = await getJson(t.k, ['po', 'ssd']);
      return p?.spec.nodeName ? p : undefined;
    }, 15_000);
    assert.equal(bound.spec.nodeName, 'hand-node');
    assert.equal(bound.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
  });

  it('pods for another scheduler are left alone', async () => {
    const manifest = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mine' }, spec: { schedulerName: 'my-scheduler', containers: [{ name: 'c', image: 'nginx' }] } };
    ok(await t.k(['create', '-f', file('mine.json', JSON.stringify(manifest))]), 'create');
    await new Promise((r) => setTimeout(r, 1500));
    const pod = await getJson(t.k, ['po', 'mine']);
    assert.equal(pod.spec.nodeName, undefined);
    assert.deepEqual(await events(t.k, 'mine'), []);
  });

  it('no RBAC denials for the scheduler and node controller', () => {
    assert.deepEqual(t.server.output().split('\n').filter((l) => refused.test(l)), []);
  });
});

describe('node lifecycle with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--no-embedded-node', '--node-monitor-grace-period=3s', '--node-monitor-period=1s']);

  it('a silent node turns Unknown and tainted, its pods NotReady; a heartbeat heals it', async () => {
    const path = join(t.dir, 'node.json');
    writeFileSync(path, nodeManifest('quiet'));
    ok(await t.k(['create', '-f', path]), 'create node');
    // A pod bound to it, reported Ready as a kubelet would.
    ok(await t.k(['run', 'q', '--image=nginx', '--overrides', JSON.stringify({ spec: { nodeName: 'quiet' } })]), 'run q');
    const readyPatch = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now() }] } };
    ok(await t.k(['patch', 'po', 'q', '--subresource=status', '--type=merge', '-p', JSON.stringify(readyPatch)]), 'pod ready');

    const node = await eventually('node Unknown', async () => {
      const n = await getJson(t.k, ['node', 'quiet']);
      return n?.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'Unknown' ? n : undefined;
    }, 20_000);
    const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
    assert.deepEqual([ready.reason, ready.message], ['NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.deepEqual(node.status.conditions.map((c: any) => [c.type, c.status]).sort(), [['DiskPressure', 'Unknown'], ['MemoryPressure', 'Unknown'], ['PIDPressure', 'Unknown'], ['Ready', 'Unknown']]);
    assert.match(ok(await t.k(['get', 'nodes']), 'get nodes'), /^quiet\s+NotReady\s+/m);

    const tainted = await eventually('unreachable taints', async () => {
      const n = await getJson(t.k, ['node', 'quiet']);
      const keys = (n?.spec.taints ?? []).map((x: any) => `${x.key}:${x.effect}`).sort();
      return keys.length === 2 ? n : undefined;
    }, 10_000);
    assert.deepEqual(tainted.spec.taints.map((x: any) => `${x.key}:${x.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.ok(tainted.spec.taints.every((x: any) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(x.timeAdded)));
    const pod = await eventually('pod NotReady', async () => {
      const p = await getJson(t.k, ['po', 'q']);
      return p?.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'False' ? p : undefined;
    }, 10_000);
    assert.equal(pod.spec.nodeName, 'quiet');
    const podEvent = await eventually('NodeNotReady pod event', async () => (await events(t.k, 'q')).find((e) => e.reason === 'NodeNotReady'));
    assert.deepEqual([podEvent.type, podEvent.message, podEvent.source.component], ['Warning', 'Node is not ready', 'node-controller']);
    const nodeEvents = (await events(t.k, 'quiet')).map((e) => `${e.reason}: ${e.message}`);
    assert.ok(nodeEvents.includes('RegisteredNode: Node quiet event: Registered Node quiet in Controller'), nodeEvents.join('\n'));
    assert.ok(nodeEvents.includes('NodeNotReady: Node quiet status is now: NodeNotReady'), nodeEvents.join('\n'));

    await heartbeat(t.k, 'quiet');
    await eventually('taints removed', async () => {
      const n = await getJson(t.k, ['node', 'quiet']);
      return n && !(n.spec.taints ?? []).length && n.status.conditions.find((c: any) => c.type === 'Ready').status === 'True' ? n : undefined;
    }, 10_000);
    assert.match(ok(await t.k(['get', 'nodes']), 'get nodes'), /^quiet\s+Ready\s+/m);
  });

  it('no RBAC denials for the node controller', () => {
    assert.deepEqual(t.server.output().split('\n').filter((l) => refused.test(l)), []);
  });
});
