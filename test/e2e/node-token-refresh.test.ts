/**
 * The kubelet's token refresh rule, end to end: the real server process (no embedded node), a
 * node agent in this process with an injected clock, credentials minted by `insignia kubeconfig`
 * for system:node:clock-node, and the real kubectl. A pod's projected token with the shortest
 * lifetime the API allows (600 s) is not refreshed at 470 s, is refreshed past 80 % (480 s, jitter
 * 0) with exactly one TokenRequest, and the new token lands in the file atomically; resyncs in
 * between do not write the unchanged pod status again. Then the server
 * is killed: a refresh that fails keeps the old token in the file and is retried, and once the
 * server is back (same port) the next retry writes a new token.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../src/client/kubeconfig.js';
import { createHttpsTransport } from '../../src/client/https-transport.js';
import { createRestClient } from '../../src/client/rest-client.js';
import { createFakeClock, type FakeClock } from '../../src/client/testing/fake-clock.js';
import { createNodeAgent, type NodeAgent } from '../../src/node/agent.js';
import { expectOk, kubectl, startServer, type Kubectl, type ServerProcess } from './harness.js';
import { eventually, getJson, payloadOf, runInsignia } from './support.js';

const ok = expectOk;
const nodeName = 'clock-node';

describe('node agent token refresh with an injected clock', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let agent: NodeAgent;
  let clock: FakeClock;
  const dataDir = mkdtempSync(join(tmpdir(), 'insignia-e2e-refresh-'));
  const root = mkdtempSync(join(tmpdir(), 'insignia-e2e-refresh-root-'));
  let tokenFile = '';
  let first = '';

  before(async () => {
    server = await startServer({ dataDir, args: ['--no-embedded-node'] });
    k = kubectl(server.kubeconfig, '1.32');
    const kubeconfig = join(dataDir, 'clock-node.kubeconfig');
    const minted = await runInsignia(['kubeconfig', '--data-dir', dataDir, '--user', `system:node:${nodeName}`, '--group', 'system:nodes', '--out', kubeconfig]);
    assert.equal(minted.code, 0, minted.out);
    clock = createFakeClock(Date.now());
    const client = createRestClient(createHttpsTransport({ ...loadKubeconfig(kubeconfig), timeoutMs: 5_000 }));
    agent = createNodeAgent({ client, nodeName, root, clock, random: () => 0, nodeIP: '127.0.0.1' });
    await agent.start();
  });
  after(async () => {
    await agent?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  /** PATCH requests to pods/status the server has answered so far (its apiserver_request_total). */
  const statusPatches = async () => {
    const metrics = ok(await k(['get', '--raw', '/metrics']), 'metrics');
    let n = 0;
    for (const line of metrics.split('\n')) {
      if (line.startsWith('apiserver_request_total{') && line.includes('verb="PATCH"') && line.includes('resource="pods"') && line.includes('subresource="status"')) n += Number(line.split(' ').pop());
    }
    return n;
  };

  /** Advances the agent's clock to `seconds` after the token's iat (server time). */
  const advanceTo = async (iat: number, seconds: number) => {
    const target = (iat + seconds) * 1000;
    if (target > clock.now()) await clock.advance(target - clock.now());
  };

  it('writes the pod\'s 600 s token, keeps it at 470 s and refreshes it past 80 % with one TokenRequest', async () => {
    ok(await k(['create', 'sa', 'robot']), 'sa');
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: short\nspec:\n  nodeName: ${nodeName}\n  serviceAccountName: robot\n  containers:\n  - name: app\n    image: nginx\n  volumes:\n  - name: vault-token\n    projected:\n      sources:\n      - serviceAccountToken:\n          audience: vault\n          expirationSeconds: 600\n          path: token\n`;
    ok(await k(['create', '-f', '-'], { input: pod }), 'create pod');
    const created = await eventually('the pod Running', async () => {
      const p = await getJson(k, ['pod', 'short']);
      return p?.status?.phase === 'Running' ? p : undefined;
    });
    tokenFile = join(root, 'pods', created.metadata.uid, 'volumes', 'vault-token', 'token');
    first = readFileSync(tokenFile, 'utf8');
    const claims = payloadOf(first);
    assert.deepEqual(claims.aud, ['vault']);
    assert.equal(claims.exp - claims.iat, 600);
    assert.equal(claims['kubernetes.io'].pod.uid, created.metadata.uid);
    assert.equal(claims['kubernetes.io'].node.name, nodeName);
    const requests = agent.tokens.requests;
    const patches = await statusPatches();
    const dataLink = readlinkSync(join(root, 'pods', created.metadata.uid, 'volumes', 'vault-token', '..data'));

    await advanceTo(claims.iat, 470);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(readFileSync(tokenFile, 'utf8'), first, 'not refreshed before 80 % of the lifetime');
    assert.equal(agent.tokens.requests, requests);
    // Seven resyncs (every 60 s) later, the unchanged pod status was not sent again.
    assert.equal(await statusPatches(), patches);

    await advanceTo(claims.iat, 485);
    const second = await eventually('a refreshed token in the file', async () => {
      await clock.advance(100);
      const t = readFileSync(tokenFile, 'utf8');
      return t !== first ? t : undefined;
    });
    assert.equal(agent.tokens.requests, requests + 1, 'exactly one TokenRequest');
    const next = payloadOf(second);
    assert.deepEqual(next.aud, ['vault']);
    assert.equal(next.exp - next.iat, 600);
    assert.notEqual(next.jti, claims.jti);
    assert.notEqual(readlinkSync(join(root, 'pods', created.metadata.uid, 'volumes', 'vault-token', '..data')), dataLink, 'swapped in through ..data');
    first = second;
  });

  it('a refresh that fails keeps the old token and is retried until the server is back', async () => {
    const claims = payloadOf(first);
    const requests = agent.tokens.requests;
    const port = server.port;
    await server.kill();
    await advanceTo(claims.iat, 490);
    for (let i = 0; i < 10; i++) {
      await clock.advance(3_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(readFileSync(tokenFile, 'utf8'), first, 'the old token stays while refreshes fail');
    // Retried with backoff (1 s doubling): a handful of attempts in 30 s, not one per sync.
    const attempts = agent.tokens.requests - requests;
    assert.ok(attempts >= 2 && attempts <= 6, `${attempts} attempts in 30 s`);

    server = await startServer({ dataDir, args: ['--no-embedded-node', '--secure-port', String(port)] });
    const renewed = await eventually('a new token after the server is back', async () => {
      await clock.advance(5_000);
      const t = readFileSync(tokenFile, 'utf8');
      return t !== first ? t : undefined;
    }, 60_000);
    assert.equal(payloadOf(renewed).exp - payloadOf(renewed).iat, 600);
    // The new token works against the server.
    const review = join(dataDir, 'review.json');
    writeFileSync(review, JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: renewed, audiences: ['vault'] } }));
    const status = JSON.parse(ok(await kubectl(server.kubeconfig, '1.32')(['create', '-f', review, '-o', 'json']), 'review')).status;
    assert.equal(status.authenticated, true);
    assert.equal(status.user.username, 'system:serviceaccount:default:robot');
  });
});
