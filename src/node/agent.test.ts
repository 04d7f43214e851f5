import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock, type FakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from '../client/testing/fake-transport.js';
import { createNodeAgent, type NodeAgent } from './agent.js';

const podsPath = '/api/v1/namespaces/ns/pods';
const cmPath = '/api/v1/namespaces/ns/configmaps';
const eventsPath = '/api/v1/namespaces/ns/events';

/** An unsigned JWT with the claims a TokenRequest's token carries (the agent never verifies). */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${enc({ alg: 'RS256', kid: 'k' })}.${enc(claims)}.c2ln`;
}

/** Answers TokenRequests like the server: iat now, exp now + expirationSeconds. */
function serveTokens(transport: FakeTransport, clock: FakeClock): { issued: string[] } {
  const issued: string[] = [];
  transport.reactor = (req) => {
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/.exec(req.path);
    if (!m || req.method !== 'POST') return undefined;
    const body = JSON.parse(req.body!);
    const spec = { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, ...body.spec };
    const iat = Math.floor(clock.now() / 1000);
    const pod = spec.boundObjectRef;
    const token = fakeJwt({
      aud: spec.audiences,
      exp: iat + spec.expirationSeconds,
      iat,
      nbf: iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: `j${issued.length}`,
      sub: `system:serviceaccount:${m[1]}:${m[2]}`,
      'kubernetes.io': { namespace: m[1], serviceaccount: { name: m[2], uid: 'sa-uid' }, pod: { name: pod.name, uid: pod.uid } },
    });
    issued.push(token);
    const status = { token, expirationTimestamp: new Date((iat + spec.expirationSeconds) * 1000).toISOString().replace('.000Z', 'Z') };
    return { status: 201, body: JSON.stringify({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec, status }) };
  };
  return { issued };
}

function pod(name: string, volumes: unknown[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ns', ...((extra.metadata as object) ?? {}) },
    spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [{ name: 'app', image: 'nginx' }], volumes },
    status: { phase: 'Pending' },
  };
}

const tokenVolume = (expirationSeconds = 3607) => ({
  name: 'kube-api-access-x',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
});

/** Lets real file-system work finish (the agent writes real files): polls `check` on the event loop. */
async function until<T>(what: string, clock: FakeClock, check: () => T | undefined | false): Promise<T> {
  for (let i = 0; i < 1500; i++) {
    const v = check();
    if (v) return v;
    await clock.advance(0);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Advances the fake clock in steps, letting the real file-system work of each sync finish in between. */
async function step(clock: FakeClock, ms: number, stepMs = 1000): Promise<void> {
  for (let t = 0; t < ms; t += stepMs) {
    await clock.advance(Math.min(stepMs, ms - t));
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('node agent', () => {
  let transport: FakeTransport;
  let clock: FakeClock;
  let root: string;
  let tokens: { issued: string[] };
  const agents: NodeAgent[] = [];
  const newAgent = (o: { syncFrequencyMs?: number; maxPods?: number } = {}) => {
    const agent = createNodeAgent({
      client: createRestClient(transport),
      nodeName: 'n1',
      root,
      clock,
      random: () => 0,
      nodeIP: '192.0.2.10',
      syncFrequencyMs: o.syncFrequencyMs,
      maxPods: o.maxPods,
      workers: 2,
      log: process.env.AGENT_DEBUG ? (m: string, e?: unknown) => console.log(clock.now() - Date.UTC(2026, 0, 1, 12), m, e instanceof Error ? e.message : e ?? "") : undefined,
    });
    agents.push(agent);
    return agent;
  };
  const current = (name: string) => transport.get(podsPath, name) as KubeObject & { status: any; spec: any };
  const events = () => transport.list(eventsPath).map((e) => `${e.type} ${e.reason} ${e.message}`);

  beforeEach(() => {
    transport = createFakeTransport();
    clock = createFakeClock(Date.UTC(2026, 0, 1, 12));
    root = mkdtempSync(join(tmpdir(), 'insignia-agent-'));
    tokens = serveTokens(transport, clock);
    transport.seed(cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA PEM' } });
  });
  afterEach(async () => {
    for (const a of agents.splice(0)) await a.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('registers the Node and runs a bound pod: volumes written, events, status Running with an IP', async () => {
    const p = transport.seed(podsPath, pod('web', [tokenVolume()]));
    transport.seed(podsPath, { ...pod('elsewhere', []), spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'x' }] } });
    const agent = newAgent();
    await agent.start();
    await agent.ready();
    assert.ok(transport.get('/api/v1/nodes', 'n1'));
    const running = await until('Running', clock, () => current('web').status.phase === 'Running' && current('web'));
    assert.equal(running.status.podIP, '10.244.0.2');
    assert.equal(running.status.hostIP, '192.0.2.10');
    const dir = join(root, 'pods', p.metadata.uid!, 'volumes', 'kube-api-access-x');
    assert.match(readlinkSync(join(dir, '..data')), /^\.\.2026_01_01_12_00_00\.\d+$/);
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), 'CA PEM');
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'ns');
    assert.equal(readFileSync(join(dir, 'token'), 'utf8'), tokens.issued[0]);
    await until('events', clock, () => events().length >= 3);
    assert.deepEqual(events().sort(), [
      'Normal Created Created container app',
      'Normal Pulled Container image "nginx" already present on machine',
      'Normal Started Started container app',
    ]);
    const ev = transport.list(eventsPath)[0]!;
    assert.deepEqual(ev.source, { component: 'kubelet', host: 'n1' });
    assert.equal(current('elsewhere').status.phase, 'Pending', 'pods of other nodes are left alone');
    assert.equal(agent.tokens.requests, 1);
  });

  it('advertises --max-pods as the Node\'s pods capacity and allocatable (default 110)', async () => {
    const agent = newAgent({ maxPods: 250 });
    await agent.start();
    const node = transport.get('/api/v1/nodes', 'n1') as KubeObject & { status: any };
    assert.equal(node.status.capacity.pods, '250');
    assert.equal(node.status.allocatable.pods, '250');
  });

  it('a missing ConfigMap: FailedMount with the kubelet wording, then Running once it appears; updates reach the files', async () => {
    const volume = { name: 'settings', configMap: { name: 'app-config' } };
    const p = transport.seed(podsPath, pod('configured', [volume]));
    const agent = newAgent();
    await agent.start();
    await agent.ready();
    await until('FailedMount', clock, () => events().includes('Warning FailedMount MountVolume.SetUp failed for volume "settings" : configmap "app-config" not found'));
    const waiting = await until('ContainerCreating', clock, () => current('configured').status.containerStatuses && current('configured'));
    assert.equal(waiting.status.phase, 'Pending');
    assert.deepEqual(waiting.status.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(waiting.status.hostIP, '192.0.2.10');
    assert.equal(waiting.status.podIP, undefined);
    const cm = transport.seed(cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { greeting: 'hello' } });
    await until('Running', clock, () => current('configured').status.phase === 'Running');
    const file = join(root, 'pods', p.metadata.uid!, 'volumes', 'settings', 'greeting');
    assert.equal(readFileSync(file, 'utf8'), 'hello');
    await transport.request({ method: 'PUT', path: `${cmPath}/app-config`, body: JSON.stringify({ ...cm, metadata: { ...cm.metadata, resourceVersion: undefined }, data: { greeting: 'bye' } }) });
    await until('updated file', clock, () => readFileSync(file, 'utf8') === 'bye');
  });

  it('graceful deletion: status terminated, files and tokens removed, DELETE with grace 0 and the UID', async () => {
    const p = transport.seed(podsPath, pod('doomed', [tokenVolume()], { metadata: { finalizers: ['test/hold'] } }));
    const agent = newAgent();
    await agent.start();
    await agent.ready();
    await until('Running', clock, () => current('doomed').status.phase === 'Running');
    const dir = join(root, 'pods', p.metadata.uid!);
    assert.ok(existsSync(dir));
    await transport.request({ method: 'DELETE', path: `${podsPath}/doomed` });
    await until('folder removed', clock, () => !existsSync(dir));
    const terminal = current('doomed');
    assert.ok(['Succeeded', 'Failed'].includes(terminal.status.phase), terminal.status.phase);
    const deleted = await until('DELETE', clock, () => transport.requests.filter((r) => r.method === 'DELETE' && r.path === `${podsPath}/doomed` && r.body).at(-1));
    assert.deepEqual(JSON.parse(deleted.body!), { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid: p.metadata.uid } });
    assert.ok(events().includes('Normal Killing Stopping container app'));
    assert.equal(agent.tokens.nextRefresh('ns', 'sa', { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'doomed', uid: p.metadata.uid! } }), undefined);
  });

  it('a restart adopts the pods, their IPs and token files (no new TokenRequest) and removes stale folders', async () => {
    const p = transport.seed(podsPath, pod('kept', [tokenVolume()]));
    const first = newAgent();
    await first.start();
    await first.ready();
    await until('Running', clock, () => current('kept').status.phase === 'Running');
    await first.stop();
    const stale = join(root, 'pods', 'gone-uid');
    mkdirSync(join(stale, 'volumes', 'v'), { recursive: true });
    await clock.advance(5 * 60_000);
    const second = newAgent();
    await second.start();
    await second.ready();
    await until('stale folder removed', clock, () => !existsSync(stale));
    // A change of kube-root-ca.crt makes the agent sync the pod (and read its token) again.
    const cm = transport.get(cmPath, 'kube-root-ca.crt')!;
    await transport.request({ method: 'PUT', path: `${cmPath}/kube-root-ca.crt`, body: JSON.stringify({ ...cm, metadata: { ...cm.metadata, resourceVersion: undefined }, data: { 'ca.crt': 'NEW CA' } }) });
    const volume = join(root, 'pods', p.metadata.uid!, 'volumes', 'kube-api-access-x');
    await until('resynced', clock, () => readFileSync(join(volume, 'ca.crt'), 'utf8') === 'NEW CA');
    assert.equal(second.tokens.requests, 0, 'the token on disk was adopted');
    assert.equal(tokens.issued.length, 1);
    assert.equal(current('kept').status.podIP, '10.244.0.2');
    assert.equal(readFileSync(join(volume, 'token'), 'utf8'), tokens.issued[0]);
  });

  it('refreshes a token at 80% of its lifetime and rewrites the file', async () => {
    const p = transport.seed(podsPath, pod('short', [tokenVolume(600)]));
    const agent = newAgent({ syncFrequencyMs: 3_600_000 });
    await agent.start();
    await agent.ready();
    const file = join(root, 'pods', p.metadata.uid!, 'volumes', 'kube-api-access-x', 'token');
    await until('token written', clock, () => existsSync(file) && readFileSync(file, 'utf8') === tokens.issued[0]);
    await clock.advance(470_000);
    assert.equal(tokens.issued.length, 1, 'not refreshed before 80% of 600 s');
    await clock.advance(15_000);
    await until('refreshed file', clock, () => tokens.issued.length === 2 && readFileSync(file, 'utf8') === tokens.issued[1]);
  });

  it('a deleted Node is registered again and its pods get tokens bound to the new Node', async () => {
    const p = transport.seed(podsPath, pod('bound', [tokenVolume()]));
    const agent = newAgent();
    await agent.start();
    await agent.ready();
    await until('Running', clock, () => current('bound').status.phase === 'Running');
    const first = transport.get('/api/v1/nodes', 'n1')!;
    await transport.request({ method: 'DELETE', path: '/api/v1/nodes/n1' });
    await clock.advance(10_000);
    const file = join(root, 'pods', p.metadata.uid!, 'volumes', 'kube-api-access-x', 'token');
    await until('new token', clock, () => tokens.issued.length === 2 && readFileSync(file, 'utf8') === tokens.issued[1]);
    assert.notEqual(transport.get('/api/v1/nodes', 'n1')!.metadata.uid, first.metadata.uid);
  });

  it('a failing refresh keeps the old token in the file and is retried until the server answers', async () => {
    const p = transport.seed(podsPath, pod('patient', [tokenVolume(600)]));
    const agent = newAgent({ syncFrequencyMs: 3_600_000 });
    await agent.start();
    await agent.ready();
    const file = join(root, 'pods', p.metadata.uid!, 'volumes', 'kube-api-access-x', 'token');
    await until('token written', clock, () => existsSync(file) && readFileSync(file, 'utf8') === tokens.issued[0]);
    const serve = transport.reactor!;
    let refused = 0;
    transport.reactor = (req) => {
      if (/\/token$/.test(req.path)) {
        refused++;
        return { status: 503, body: '{"kind":"Status","apiVersion":"v1","status":"Failure","code":503,"reason":"ServiceUnavailable","message":"unavailable"}' };
      }
      return serve(req);
    };
    await clock.advance(490_000);
    await until('refresh attempted', clock, () => refused >= 1);
    assert.equal(readFileSync(file, 'utf8'), tokens.issued[0], 'the old token stays while it is valid');
    await step(clock, 30_000);
    assert.ok(refused >= 3 && refused <= 6, `retried with backoff (${refused} attempts in 30 s)`);
    assert.equal(readFileSync(file, 'utf8'), tokens.issued[0]);
    transport.reactor = serve;
    await step(clock, 130_000, 5000);
    await until('refreshed file', clock, () => tokens.issued.length === 2 && readFileSync(file, 'utf8') === tokens.issued[1]);
  });
});
