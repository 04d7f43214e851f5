/**
 * ServiceAccount tokens end to end, with the real kubectl: `create token` (default, duration and
 * audience, bound to a Pod, a Node), `auth whoami` with the token (kubectl 1.27, 1.32, 1.33),
 * TokenReview through `kubectl create -f`, static tokens (--token-auth-file), the maximum
 * expiration warning, immediate revocation when the bound pod is deleted, OIDC discovery read by
 * jose (createRemoteJWKSet + jwtVerify), --anonymous-auth=false, and a restart that keeps the
 * signing key so that old tokens still verify.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, customFetch, jwtVerify, type FetchImplementation } from 'jose';
import { parse as parseYaml } from 'yaml';
import { clientFromKubeconfig } from './client.js';
import { expectOk, kubectl, startServer, useServerAndKubectl, type ServerProcess } from './harness.js';
import { payloadOf, tokenKubeconfig } from './support.js';

const ok = expectOk;
const work = mkdtempSync(join(tmpdir(), 'insignia-tokens-'));
const tokenFile = join(work, 'tokens.csv');
writeFileSync(tokenFile, 'static-token-1234,alice,alice-uid,"devs,ops"\n');

function headerOf(token: string): any {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
}

/** GET with a CA and an optional bearer token; resolves status, headers, body. */
function get(server: ServerProcess, path: string, token?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const ca = readFileSync(join(server.dataDir, 'pki', 'ca.crt'));
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(path, server.url), { ca, headers: token ? { Authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ServiceAccount tokens with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--token-auth-file', tokenFile, '--service-account-max-token-expiration', '3h']);
  let whoKubeconfig = '';
  let podUid = '';
  before(async () => {
    whoKubeconfig = tokenKubeconfig(t.server);
    ok(await t.k(['create', 'serviceaccount', 'build-robot']), 'create sa');
  });
  const whoami = async (version: string, token: string) => kubectl(whoKubeconfig, version)(['--token', token, 'auth', 'whoami', '-o', 'yaml']);

  it('create token: a one-hour RS256 token with Kubernetes\' claims, for the server\'s own issuer', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot']), 'create token');
    assert.deepEqual(Object.keys(headerOf(token)), ['alg', 'kid']);
    assert.equal(headerOf(token).alg, 'RS256');
    assert.equal(headerOf(token).kid.length, 43);
    const p = payloadOf(token);
    assert.deepEqual(Object.keys(p), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.equal(p.iss, t.server.url);
    assert.deepEqual(p.aud, [t.server.url]);
    assert.equal(p.exp - p.iat, 3600);
    assert.equal(p.sub, 'system:serviceaccount:default:build-robot');
    const sa = JSON.parse(ok(await t.k(['get', 'sa', 'build-robot', '-o', 'json']), 'get sa'));
    assert.deepEqual(p['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'build-robot', uid: sa.metadata.uid } });
  });

  it('create token --duration 2h --audience vault', async () => {
    const p = payloadOf(ok(await t.k(['create', 'token', 'build-robot', '--duration', '2h', '--audience', 'vault']), 'create token'));
    assert.deepEqual(p.aud, ['vault']);
    assert.equal(p.exp - p.iat, 7200);
  });

  it('create token past the maximum: shortened, with a warning', async () => {
    const r = await t.k(['create', 'token', 'build-robot', '--duration', '4h']);
    const p = payloadOf(ok(r, 'create token 4h'));
    assert.equal(p.exp - p.iat, 3 * 3600);
    assert.match(r.stderr, /Warning: requested expiration of 14400 seconds shortened to 10800 seconds/);
  });

  it('create token bound to a Pod and to a Node', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { serviceAccountName: 'build-robot', nodeName: 'node-001', containers: [{ name: 'c', image: 'busybox' }] } };
    ok(await t.k(['create', '-f', '-'], { input: JSON.stringify(pod) }), 'create pod');
    ok(await t.k(['create', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-001' } }) }), 'create node');
    podUid = ok(await t.k(['get', 'pod', 'p', '-o', 'jsonpath={.metadata.uid}']), 'pod uid');
    const nodeUid = ok(await t.k(['get', 'node', 'node-001', '-o', 'jsonpath={.metadata.uid}']), 'node uid');

    const podToken = ok(await t.k(['create', 'token', 'build-robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'p', '--bound-object-uid', podUid]), 'pod token');
    const pk = payloadOf(podToken)['kubernetes.io'];
    assert.deepEqual(pk.pod, { name: 'p', uid: podUid });
    assert.deepEqual(pk.node, { name: 'node-001', uid: nodeUid });
    const who = parseYaml(ok(await whoami('1.32', podToken), 'whoami pod-bound'));
    assert.deepEqual(who.status.userInfo.extra['authentication.kubernetes.io/pod-name'], ['p']);
    assert.deepEqual(who.status.userInfo.extra['authentication.kubernetes.io/node-uid'], [nodeUid]);

    const nodeToken = ok(await t.k(['create', 'token', 'build-robot', '--bound-object-kind', 'Node', '--bound-object-name', 'node-001', '--bound-object-uid', nodeUid]), 'node token');
    assert.deepEqual(payloadOf(nodeToken)['kubernetes.io'].node, { name: 'node-001', uid: nodeUid });
    assert.equal(payloadOf(nodeToken)['kubernetes.io'].pod, undefined);

    const stale = await t.k(['create', 'token', 'build-robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'p', '--bound-object-uid', 'not-the-uid']);
    assert.notEqual(stale.code, 0);
    assert.match(stale.stderr, /Operation cannot be fulfilled on Pod "p": the UID in the bound object reference \(not-the-uid\) does not match the UID in record/);
    const missing = await t.k(['create', 'token', 'nope']);
    assert.match(missing.stderr, /error: failed to create token: serviceaccounts "nope" not found/);
  });

  for (const version of ['1.27', '1.32', '1.33']) {
    it(`kubectl ${version} --token auth whoami`, async () => {
      const token = ok(await t.k(['create', 'token', 'build-robot']), 'create token');
      const who = parseYaml(ok(await whoami(version, token), `whoami ${version}`));
      const sa = JSON.parse(ok(await t.k(['get', 'sa', 'build-robot', '-o', 'json']), 'get sa'));
      assert.equal(who.status.userInfo.username, 'system:serviceaccount:default:build-robot');
      assert.equal(who.status.userInfo.uid, sa.metadata.uid);
      assert.deepEqual(who.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
      assert.deepEqual(who.status.userInfo.extra['authentication.kubernetes.io/credential-id'], [`JTI=${payloadOf(token).jti}`]);
    });
  }

  it('a token for audience vault is refused on the API (401)', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot', '--audience', 'vault']), 'create token');
    const r = await kubectl(whoKubeconfig, '1.32')(['--token', token, 'auth', 'whoami']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /You must be logged in to the server/);
  });

  it('TokenReview through kubectl create -f -o yaml', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot', '--audience', 'vault']), 'create token');
    const review = (spec: object) => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
    const good = parseYaml(ok(await t.k(['create', '-f', '-', '-o', 'yaml'], { input: review({ token, audiences: ['vault'] }) }), 'tokenreview'));
    assert.equal(good.kind, 'TokenReview');
    assert.equal(good.status.authenticated, true);
    assert.deepEqual(good.status.audiences, ['vault']);
    assert.equal(good.status.user.username, 'system:serviceaccount:default:build-robot');
    assert.deepEqual(good.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    const bad = parseYaml(ok(await t.k(['create', '-f', '-', '-o', 'yaml'], { input: review({ token }) }), 'tokenreview default audiences'));
    assert.equal(bad.status.authenticated, undefined);
    assert.equal(bad.status.error, `[invalid bearer token, token audiences ["vault"] is invalid for the target audiences ["${t.server.url}"]]`);
    const garbage = parseYaml(ok(await t.k(['create', '-f', '-', '-o', 'yaml'], { input: review({ token: 'not-a-token' }) }), 'tokenreview garbage'));
    assert.equal(garbage.status.error, 'invalid bearer token');
    const empty = await t.k(['create', '-f', '-'], { input: review({ token: '' }) });
    assert.match(empty.stderr, /token is required for TokenReview in authentication/);
  });

  it('static tokens from --token-auth-file', async () => {
    const who = parseYaml(ok(await whoami('1.32', 'static-token-1234'), 'whoami static'));
    assert.deepEqual(who.status.userInfo, { username: 'alice', uid: 'alice-uid', groups: ['devs', 'ops', 'system:authenticated'] });
    const wrong = await whoami('1.32', 'static-token-12345');
    assert.equal(wrong.code, 1);
  });

  it('OIDC discovery: read by ServiceAccounts, verified by jose from the discovery document alone', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot']), 'create token');
    assert.equal((await get(t.server, '/.well-known/openid-configuration')).status, 403, 'anonymous until an admin binds it');
    const conf = await get(t.server, '/.well-known/openid-configuration', token);
    assert.equal(conf.status, 200);
    assert.equal(conf.headers['content-type'], 'application/json');
    assert.equal(conf.headers['cache-control'], 'public, max-age=3600');
    const doc = JSON.parse(conf.body);
    assert.deepEqual(doc, {
      issuer: t.server.url,
      jwks_uri: `${t.server.url}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await get(t.server, '/openid/v1/jwks', token);
    assert.equal(jwks.headers['content-type'], 'application/jwk-set+json');
    assert.equal(jwks.headers['cache-control'], 'public, max-age=3600');
    assert.equal(JSON.parse(jwks.body).keys[0].kid, headerOf(token).kid);

    const fetchWithToken: FetchImplementation = async (url) => {
      const r = await get(t.server, new URL(url).pathname, token);
      return new Response(r.body, { status: r.status, headers: { 'content-type': String(r.headers['content-type']) } });
    };
    const keySet = createRemoteJWKSet(new URL(doc.jwks_uri), { [customFetch]: fetchWithToken });
    const verified = await jwtVerify(token, keySet, { issuer: doc.issuer, audience: t.server.url, algorithms: ['RS256'] });
    assert.equal(verified.payload.sub, 'system:serviceaccount:default:build-robot');
    await assert.rejects(jwtVerify(token, keySet, { issuer: doc.issuer, audience: 'vault' }), /aud/);
  });

  it('deleting the bound pod revokes its token at once', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'p']), 'pod token');
    ok(await whoami('1.32', token), 'whoami before delete (and cached)');
    ok(await t.k(['delete', 'pod', 'p', '--grace-period=0', '--force']), 'delete pod');
    const r = await whoami('1.32', token);
    assert.equal(r.code, 1, r.stdout);
  });
});

describe('--anonymous-auth=false', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServer({ args: ['--anonymous-auth=false'] });
  });
  after(async () => {
    assert.equal(await server.stop(), 0);
  });
  it('refuses requests without credentials (401) but still takes tokens', async () => {
    assert.equal((await get(server, '/version')).status, 401);
    assert.equal((await get(server, '/healthz')).status, 200);
    const k = kubectl(server.kubeconfig, '1.32');
    ok(await k(['create', 'sa', 'robot']), 'create sa');
    const token = ok(await k(['create', 'token', 'robot']), 'create token');
    assert.equal((await get(server, '/version', token)).status, 200);
  });
});

describe('a restart keeps the signing key', () => {
  it('tokens issued before a restart still authenticate after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-restart-'));
    let server = await startServer({ dataDir });
    const k1 = kubectl(server.kubeconfig, '1.32');
    ok(await k1(['create', 'sa', 'robot']), 'create sa');
    const token = ok(await k1(['create', 'token', 'robot']), 'create token');
    const port = server.port;
    assert.equal(await server.stop(), 0);
    // Same port: the default issuer is the server's URL.
    server = await startServer({ dataDir, args: ['--secure-port', String(port)] });
    try {
      const c = clientFromKubeconfig(server.kubeconfig);
      const r = await c.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
      });
      assert.equal(r.status, 201, r.body);
      assert.equal(r.json().status.authenticated, true, r.body);
      c.agent.destroy();
      assert.equal((await get(server, '/version', token)).status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
