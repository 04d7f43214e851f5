import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createEventRecorder } from '../client/events.js';
import type { FakeTransport } from '../client/testing/fake-transport.js';
import type { TransportRequest, TransportResponse } from '../client/transport.js';
import { createScheduler } from './scheduler.js';
import { controllerTest, nsPath, statusResponse } from './testing/setup.js';

const nodesPath = '/api/v1/nodes';
const podsPath = nsPath('a', 'pods');

const node = (name: string, o: { ready?: string; labels?: Record<string, string>; taints?: object[] } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.labels },
  spec: o.taints ? { taints: o.taints } : {},
  status: { conditions: [{ type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady' }] },
});
const pod = (name: string, spec: Record<string, unknown> = {}, meta: Partial<KubeObject['metadata']> = {}, status: object = { phase: 'Pending' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'a', ...meta },
  spec: { containers: [{ name: 'c', image: 'nginx' }], schedulerName: 'default-scheduler', ...spec },
  status,
});

/** Emulates the server's pods/binding (upstream BindingREST) on the fake, unless `answers` has a canned response. */
function bindings(fake: FakeTransport, answers: TransportResponse[] = []): void {
  fake.reactor = (req: TransportRequest) => {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/binding$/.exec(req.path);
    if (req.method !== 'POST' || !m) return undefined;
    if (answers.length) return answers.shift();
    const current = fake.get(nsPath(m[1]!, 'pods'), m[2]!);
    if (!current) return statusResponse(404, 'NotFound', `pods "${m[2]}" not found`);
    const nodeName = (current.spec as { nodeName?: string }).nodeName;
    if (nodeName) return statusResponse(409, 'Conflict', `pod ${m[2]} is already assigned to node "${nodeName}"`);
    const target = (JSON.parse(req.body!) as { target: { name: string } }).target.name;
    void fake.request({ method: 'PATCH', path: `${nsPath(m[1]!, 'pods')}/${m[2]}`, body: JSON.stringify({ spec: { nodeName: target } }) });
    return { status: 201, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 }) };
  };
}

function setup(o: { nodes?: KubeObject[]; pods?: KubeObject[]; answers?: TransportResponse[] } = {}) {
  const t = controllerTest();
  for (const n of o.nodes ?? []) t.fake.seed(nodesPath, n);
  for (const p of o.pods ?? []) t.fake.seed(podsPath, p);
  bindings(t.fake, o.answers);
  const recorder = createEventRecorder({ client: t.client, component: 'default-scheduler', clock: t.clock });
  const scheduler = createScheduler({ informers: t.informers, client: t.client, recorder, clock: t.clock });
  const nodeOf = (name: string) => (t.fake.get(podsPath, name)?.spec as { nodeName?: string } | undefined)?.nodeName;
  const events = async () => {
    await recorder.flush();
    return t.fake.list('/api/v1/events').map((e) => `${e.type} ${e.reason} ${(e.involvedObject as { name: string }).name}: ${e.message}`);
  };
  const scheduled = (name: string) => ((t.fake.get(podsPath, name)?.status as { conditions?: { type: string; reason?: string; message?: string }[] }).conditions ?? []).find((c) => c.type === 'PodScheduled');
  const bindPosts = () => t.writes().filter((w) => w.endsWith('/binding'));
  return { t, scheduler, nodeOf, events, scheduled, bindPosts };
}

describe('scheduler', () => {
  const cases: { name: string; nodes: KubeObject[]; pods: KubeObject[]; want: Record<string, string | undefined>; wantEvents?: string[] }[] = [
    {
      name: 'binds a pending pod to the Ready node',
      nodes: [node('n1')],
      pods: [pod('p')],
      want: { p: 'n1' },
      wantEvents: ['Normal Scheduled p: Successfully assigned a/p to n1'],
    },
    {
      name: 'prefers the node with the fewest pods',
      nodes: [node('n1'), node('n2')],
      pods: [pod('old', { nodeName: 'n1' }, {}, { phase: 'Running' }), pod('p')],
      want: { p: 'n2' },
    },
    {
      name: 'terminal pods do not count',
      nodes: [node('n1'), node('n2')],
      pods: [pod('done', { nodeName: 'n1' }, {}, { phase: 'Succeeded' }), pod('old', { nodeName: 'n2' }, {}, { phase: 'Running' }), pod('p')],
      want: { p: 'n1' },
    },
    {
      name: 'spreads pods scheduled together (assumed pods count)',
      nodes: [node('n1'), node('n2')],
      pods: [pod('p1'), pod('p2'), pod('p3'), pod('p4')],
      want: { p1: 'n1', p2: 'n2', p3: 'n1', p4: 'n2' },
    },
    {
      name: 'honours nodeSelector, affinity and taints',
      nodes: [node('plain'), node('ssd', { labels: { disk: 'ssd' } }), node('gpu', { labels: { disk: 'ssd' }, taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })],
      pods: [
        pod('sel', { nodeSelector: { disk: 'ssd' } }),
        pod('tol', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }], affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } } }),
      ],
      want: { sel: 'ssd', tol: 'gpu' },
    },
    {
      name: 'leaves alone pods it does not own',
      nodes: [node('n1')],
      pods: [
        pod('other', { schedulerName: 'my-scheduler' }),
        pod('deleting', {}, { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['x'] }),
        pod('failed', {}, {}, { phase: 'Failed' }),
      ],
      want: { other: undefined, deleting: undefined, failed: undefined },
      wantEvents: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const s = setup({ nodes: c.nodes, pods: c.pods });
      await s.t.start(s.scheduler);
      await s.t.settle(100);
      for (const [p, n] of Object.entries(c.want)) assert.equal(s.nodeOf(p), n, `pod ${p}`);
      if (c.wantEvents) assert.deepEqual(await s.events(), c.wantEvents);
      await s.t.stop();
    });
  }

  it('reports an unschedulable pod and binds it once a node fits', async () => {
    const s = setup({ nodes: [node('n1', { ready: 'False' })], pods: [pod('p')] });
    await s.t.start(s.scheduler);
    await s.t.settle(100);
    const message = '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    assert.equal(s.nodeOf('p'), undefined);
    assert.deepEqual(s.scheduled('p'), { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' });
    assert.deepEqual(await s.events(), [`Warning FailedScheduling p: ${message}`]);

    // A heartbeat-only update does not retry; the Ready transition does, after the backoff.
    const n1 = s.t.fake.get(nodesPath, 'n1')!;
    await s.t.fake.request({ method: 'PATCH', path: `${nodesPath}/n1`, body: JSON.stringify({ metadata: { annotations: { beat: '1' } } }) });
    await s.t.settle(2000);
    assert.equal(s.bindPosts().length, 0);
    await s.t.fake.request({ method: 'PUT', path: `${nodesPath}/n1/status`, body: JSON.stringify({ ...n1, metadata: { name: 'n1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }) });
    await s.t.settle(100);
    assert.equal(s.nodeOf('p'), 'n1');
    await s.t.stop();
  });

  it('reports no nodes, then schedules on a new node', async () => {
    const s = setup({ pods: [pod('p')] });
    await s.t.start(s.scheduler);
    await s.t.settle(100);
    assert.equal(s.scheduled('p')?.message, 'no nodes available to schedule pods');
    s.t.fake.seed(nodesPath, node('late'));
    await s.t.settle(1100);
    assert.equal(s.nodeOf('p'), 'late');
    await s.t.stop();
  });

  it('retries an unschedulable pod after 5 minutes without events', async () => {
    const s = setup({ nodes: [node('n1', { taints: [{ key: 'k', effect: 'NoExecute' }] })], pods: [pod('p')] });
    await s.t.start(s.scheduler);
    await s.t.settle(100);
    const conditionWrites = () => s.t.writes().filter((w) => w.endsWith('/status')).length;
    assert.equal(conditionWrites(), 1);
    await s.t.settle(5 * 60_000);
    assert.equal(conditionWrites(), 1, 'an unchanged condition is not rewritten');
    const events = s.t.fake.list('/api/v1/events');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.count, 2, 'the repeated FailedScheduling event is counted');
    await s.t.stop();
  });

  it('patches pods/status (strategic merge), keeping the other conditions', async () => {
    const s = setup({ pods: [pod('p', {}, {}, { phase: 'Pending', conditions: [{ type: 'Custom', status: 'True' }] })] });
    await s.t.start(s.scheduler);
    await s.t.settle(100);
    const patch = s.t.fake.requests.find((r) => r.path.endsWith('/status'))!;
    assert.deepEqual([patch.method, patch.contentType], ['PATCH', 'application/strategic-merge-patch+json']);
    const conditions = (s.t.fake.get(podsPath, 'p')!.status as { conditions: { type: string; reason?: string }[] }).conditions;
    assert.deepEqual(conditions.map((c) => [c.type, c.reason]), [['Custom', undefined], ['PodScheduled', 'Unschedulable']]);
    await s.t.stop();
  });

  it('sets SchedulingGated for a gated pod and schedules it once the gates are removed', async () => {
    const s = setup({ nodes: [node('n1')], pods: [pod('p', { schedulingGates: [{ name: 'wait' }] })] });
    await s.t.start(s.scheduler);
    await s.t.settle(100);
    assert.equal(s.scheduled('p')?.reason, 'SchedulingGated');
    assert.equal(s.nodeOf('p'), undefined);
    await s.t.fake.request({ method: 'PATCH', path: `${podsPath}/p`, body: JSON.stringify({ spec: { schedulingGates: null } }) });
    await s.t.settle(100);
    assert.equal(s.nodeOf('p'), 'n1');
    await s.t.stop();
  });

  it('drops a binding that conflicts and retries one that fails', async () => {
    const s = setup({
      nodes: [node('n1')],
      pods: [pod('p')],
      answers: [statusResponse(409, 'Conflict', 'pod p is already assigned to node "x"')],
    });
    await s.t.start(s.scheduler);
    await s.t.settle(1000);
    assert.equal(s.bindPosts().length, 1, 'a Conflict is not retried');
    assert.deepEqual(await s.events(), []);

    const f = setup({ nodes: [node('n1')], pods: [pod('p')], answers: [statusResponse(500, 'InternalError', 'boom')] });
    await f.t.start(f.scheduler);
    await f.t.settle(100);
    assert.equal(f.bindPosts().length, 2);
    assert.equal(f.nodeOf('p'), 'n1');
    assert.deepEqual(await f.events(), ['Warning FailedScheduling p: running Bind plugin "DefaultBinder": boom', 'Normal Scheduled p: Successfully assigned a/p to n1']);
    await s.t.stop();
    await f.t.stop();
  });

  it('sends upstream DefaultBinder Binding', async () => {
    const s = setup({ nodes: [node('n1')], pods: [pod('p')] });
    await s.t.start(s.scheduler);
    await s.t.settle(10);
    const post = s.t.fake.requests.find((r) => r.path.endsWith('/binding'))!;
    const uid = s.t.fake.get(podsPath, 'p')!.metadata.uid;
    assert.deepEqual(JSON.parse(post.body!), { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'a', uid }, target: { kind: 'Node', name: 'n1' } });
    await s.t.stop();
  });
});
