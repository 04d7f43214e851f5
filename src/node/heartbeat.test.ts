import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport } from '../client/testing/fake-transport.js';
import { createHeartbeat, microTime } from './heartbeat.js';

const nodesPath = '/api/v1/nodes';
const leasesPath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

function setup(opts: { existing?: boolean } = {}) {
  const transport = createFakeTransport();
  const clock = createFakeClock(Date.UTC(2026, 0, 1, 12));
  const logs: string[] = [];
  if (opts.existing) transport.seed(nodesPath, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { phase: 'old' } });
  let statusSeq = 0;
  let changed = false;
  const status = (now: number) => ({
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: new Date(now).toISOString(), reason: 'KubeletReady' }],
    nodeInfo: { kubeletVersion: changed ? 'v1.32.1' : 'v1.32.0' },
  });
  const hb = createHeartbeat({
    client: createRestClient(transport),
    nodeName: 'n1',
    clock,
    random: () => 0,
    node: (now) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: status(now) }),
    status: (_previous, now) => {
      statusSeq++;
      return status(now);
    },
    log: (m) => logs.push(m),
  });
  const statusPatches = () => transport.requests.filter((r) => r.method === 'PATCH' && r.path === `${nodesPath}/n1/status`).length;
  return { transport, clock, hb, logs, statusPatches, setChanged: () => (changed = true), statusCalls: () => statusSeq };
}

describe('heartbeat', () => {
  it('registers the Node, then renews its Lease every 10 s with an ownerReference to the Node', async () => {
    const t = setup();
    await t.hb.register();
    const node = t.transport.get(nodesPath, 'n1')!;
    assert.equal((node.status as any).conditions[0].type, 'Ready');
    t.hb.start();
    await t.clock.advance(1);
    const lease = t.transport.get(leasesPath, 'n1')!;
    assert.deepEqual(lease.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: microTime(t.clock.now() - 1) });
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: node.metadata.uid }]);
    assert.match((lease.spec as any).renewTime, /^2026-01-01T12:00:00\.000000Z$/);
    const rv = lease.metadata.resourceVersion;
    await t.clock.advance(10_000);
    const renewed = t.transport.get(leasesPath, 'n1')!;
    assert.notEqual(renewed.metadata.resourceVersion, rv);
    assert.equal((renewed.spec as any).renewTime, '2026-01-01T12:00:10.000000Z');
    // Renewal writes from the last Lease: no GET per renewal.
    const leaseGets = t.transport.requests.filter((r) => r.method === 'GET' && r.path.startsWith(leasesPath)).length;
    await t.clock.advance(30_000);
    assert.equal(t.transport.requests.filter((r) => r.method === 'GET' && r.path.startsWith(leasesPath)).length, leaseGets);
    t.hb.stop();
  });

  it('reports the status of an existing Node at registration', async () => {
    const t = setup({ existing: true });
    await t.hb.register();
    assert.equal(t.statusPatches(), 1);
    assert.equal((t.transport.get(nodesPath, 'n1')!.status as any).conditions[0].reason, 'KubeletReady');
    t.hb.stop();
  });

  it('sends the status only when it changed or every 5 minutes', async () => {
    const t = setup();
    await t.hb.register();
    t.hb.start();
    await t.clock.advance(60_000);
    assert.ok(t.statusCalls() >= 5, 'status computed every 10 s');
    assert.equal(t.statusPatches(), 0, 'unchanged status (heartbeat times aside) is not sent');
    t.setChanged();
    await t.clock.advance(10_000);
    assert.equal(t.statusPatches(), 1);
    await t.clock.advance(4 * 60_000);
    assert.equal(t.statusPatches(), 1);
    await t.clock.advance(70_000);
    assert.equal(t.statusPatches(), 2, 'reported again 5 minutes after the last report');
    t.hb.stop();
  });

  it('registers again a Node deleted while it runs, and retries a failing server with backoff', async () => {
    const t = setup();
    await t.hb.register();
    t.hb.start();
    await t.clock.advance(1);
    const first = t.transport.get(nodesPath, 'n1')!;
    await t.transport.request({ method: 'DELETE', path: `${nodesPath}/n1` });
    await t.clock.advance(10_000);
    const again = t.transport.get(nodesPath, 'n1')!;
    assert.ok(again);
    assert.notEqual(again.metadata.uid, first.metadata.uid);

    let down = true;
    t.transport.reactor = () => (down ? { status: 503, body: '{"kind":"Status","apiVersion":"v1","status":"Failure","code":503,"reason":"ServiceUnavailable"}' } : undefined);
    const before = t.transport.requests.length;
    await t.clock.advance(20_000);
    assert.ok(t.transport.requests.length - before > 4, 'lease retried with a short backoff');
    down = false;
    await t.clock.advance(10_000);
    const lease = t.transport.get(leasesPath, 'n1')! as KubeObject;
    assert.equal((lease.spec as any).renewTime, microTime(Date.parse((lease.spec as any).renewTime)));
    assert.ok(Date.parse((lease.spec as any).renewTime) > t.clock.now() - 10_000, 'renewed after the server came back');
    assert.ok(t.logs.some((l) => /not found; registering it again/.test(l)));
    t.hb.stop();
  });

  it('keeps retrying registration with backoff until stopped', async () => {
    const t = setup();
    t.transport.reactor = () => ({ status: 403, body: '{"kind":"Status","apiVersion":"v1","status":"Failure","code":403,"reason":"Forbidden","message":"no"}' });
    let done = false;
    const registering = t.hb.register().then(() => (done = true));
    await t.clock.advance(1000);
    const attempts = t.transport.requests.filter((r) => r.method === 'POST').length;
    assert.ok(attempts >= 4 && attempts <= 5, `100, 200, 400 ms backoff (${attempts} attempts in 1 s)`);
    assert.equal(done, false);
    t.hb.stop();
    await registering;
    assert.equal(done, true);
    assert.ok(t.logs.some((l) => l === 'Unable to register node n1 with API server'));
  });
});
