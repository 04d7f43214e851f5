/**
 * Hostile tokens against the real server process (performance-and-security.md D1/D5). Every input
 * is presented twice: as `Authorization: Bearer` on an API request (must be 401, never anonymous)
 * and in a TokenReview (must not be authenticated). Token-level inputs are also given to
 * jose.jwtVerify (the discovery document's issuer, the API audience, RS256, 60 s clock tolerance
 * like Kubernetes' leeway, maxTokenAge so that jose checks iat as go-jose does, and exp required
 * as for every bound token); the test fails on any disagreement about validity. State-based inputs
 * (objects deleted or recreated, a key rotated out) are checked after the change. Throughout, the
 * server stays up, makes no outbound connection (jku/x5u point at a listener that counts hits),
 * and no token text appears in its output.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { clientFromKubeconfig, type RawClient } from './client.js';
import { startServer, type ServerProcess } from './harness.js';
import { keyIdOf } from '../../src/tokens/keys.js';

const work = mkdtempSync(join(tmpdir(), 'insignia-hostile-'));
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const k1 = rsa();
const k2 = rsa();
const attacker = rsa();
const k1File = join(work, 'k1.key');
const k2File = join(work, 'k2.key');
const k1PubFile = join(work, 'k1.pub');
writeFileSync(k1File, k1.privateKey.export({ type: 'pkcs1', format: 'pem' }));
writeFileSync(k2File, k2.privateKey.export({ type: 'pkcs1', format: 'pem' }));
writeFileSync(k1PubFile, k1.publicKey.export({ type: 'spki', format: 'pem' }));

const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
const seg = (o: unknown) => b64(JSON.stringify(o));

/** A compact JWS with these exact header and payload texts, RS256-signed by `key`. */
function signRaw(headerText: string, payloadText: string, key: KeyObject = k1.privateKey): string {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${cryptoSign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
const sign = (header: object, payload: object, key?: KeyObject) => signRaw(JSON.stringify(header), JSON.stringify(payload), key);

/** Every token text the test presented, to be looked for in the server's output. */
const presented = new Set<string>();

describe('hostile tokens', () => {
  let server: ServerProcess;
  let admin: RawClient;
  let ca: Buffer;
  let jwks: JSONWebKeySet;
  let outbound = 0;
  let listener: net.Server;
  let listenerPort = 0;
  let valid = '';
  let P: any;
  const kid = keyIdOf(k1.publicKey);
  const H = { alg: 'RS256', kid };
  const ns = '/api/v1/namespaces/default';

  async function post(path: string, body: unknown): Promise<any> {
    const r = await admin.request('POST', path, { body: JSON.stringify(body) });
    assert.ok(r.status === 201 || r.status === 200, `${path}: ${r.status} ${r.body}`);
    return r.json();
  }
  async function del(path: string): Promise<void> {
    const r = await admin.request('DELETE', `${path}?gracePeriodSeconds=0`);
    assert.equal(r.status, 200, r.body);
  }
  async function tokenFor(sa: string, spec: object = {}): Promise<string> {
    const r = await post(`${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec });
    presented.add(r.status.token);
    return r.status.token;
  }

  /** A request carrying exactly these raw header lines and no client certificate; resolves the status code. */
  function rawRequest(headerLines: string[]): Promise<number> {
    return new Promise((resolve, reject) => {
      const sock = tls.connect({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost' }, () => {
        sock.write(['POST /apis/authentication.k8s.io/v1/selfsubjectreviews HTTP/1.1', `Host: 127.0.0.1:${server.port}`, 'Content-Type: application/json', 'Content-Length: 2', 'Connection: close', ...headerLines, '', '{}'].join('\r\n'));
      });
      let text = '';
      sock.on('data', (d) => (text += d.toString('latin1')));
      sock.on('end', () => resolve(Number(text.slice(9, 12))));
      sock.on('error', reject);
    });
  }
  /** Bearer status on an API request any authenticated user may make (201 when authenticated). */
  const bearerStatus = (token: string) => rawRequest([`Authorization: Bearer ${token}`]);

  async function review(token: string, audiences?: string[]): Promise<any> {
    const r = await admin.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: audiences ? { token, audiences } : { token } }),
    });
    assert.equal(r.status, 201, r.body);
    return r.json().status;
  }
  async function joseAccepts(token: string): Promise<boolean> {
    try {
      await jwtVerify(token, createLocalJWKSet(jwks), { issuer: server.url, audience: server.url, algorithms: ['RS256'], clockTolerance: 60, maxTokenAge: 2 * 365 * 24 * 3600, requiredClaims: ['exp'] });
      return true;
    } catch {
      return false;
    }
  }
  /** The token is refused by Bearer (401) and TokenReview; with `jose`, jose must agree. */
  async function expectRefused(token: string, what: string, opts: { jose?: boolean; bearer?: boolean } = {}): Promise<void> {
    presented.add(token);
    if (opts.bearer !== false) assert.equal(await bearerStatus(token), 401, `${what}: Bearer`);
    const s = await review(token);
    assert.notEqual(s.authenticated, true, `${what}: TokenReview ${JSON.stringify(s)}`);
    assert.ok(s.error, `${what}: TokenReview error`);
    if (opts.jose) assert.equal(await joseAccepts(token), false, `${what}: jose accepts what the server refused`);
  }
  async function expectAccepted(token: string, what: string): Promise<void> {
    presented.add(token);
    assert.equal(await bearerStatus(token), 201, `${what}: Bearer`);
    assert.equal((await review(token)).authenticated, true, `${what}: TokenReview`);
  }

  before(async () => {
    listener = net.createServer((s) => {
      outbound++;
      s.destroy();
    });
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', () => r()));
    listenerPort = (listener.address() as net.AddressInfo).port;
    // Verbose logging: whatever the server logs, no token text may appear in it.
    server = await startServer({ args: ['--v', '8', '--service-account-signing-key-file', k1File], keepDataDir: true });
    admin = clientFromKubeconfig(server.kubeconfig);
    ca = readFileSync(join(server.dataDir, 'pki', 'ca.crt'));
    await post(`${ns}/serviceaccounts`, { metadata: { name: 'robot' } });
    valid = await tokenFor('robot');
    P = JSON.parse(Buffer.from(valid.split('.')[1]!, 'base64url').toString());
    const j = await admin.request('GET', '/openid/v1/jwks');
    jwks = j.json();
  });
  after(async () => {
    admin.agent.destroy();
    listener.close();
    if (server.child.exitCode === null) assert.equal(await server.stop(), 0);
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('accepts the untampered token (the control), and jose agrees', async () => {
    await expectAccepted(valid, 'valid');
    assert.equal(await joseAccepts(valid), true);
  });

  it('refuses forged headers and signatures, as jose does', async () => {
    const [h, p, s] = valid.split('.') as [string, string, string];
    const other = await tokenFor('robot');
    const flipped = Buffer.from(s, 'base64url');
    flipped[10] ^= 1;
    const now = Math.floor(Date.now() / 1000);
    const pubPem = k1.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const pubDer = k1.publicKey.export({ type: 'spki', format: 'der' });
    const hs = (secret: string | Buffer) => {
      const input = `${seg({ alg: 'HS256', kid })}.${p}`;
      return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    };
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
    const cases: Array<[string, string]> = [
      ...['none', 'None', 'NONE', 'nOnE', ''].map((alg) => [`alg ${JSON.stringify(alg)}`, `${seg({ alg, kid })}.${p}.`] as [string, string]),
      ['alg none with the real signature', `${seg({ alg: 'none', kid })}.${p}.${s}`],
      ['alg missing', sign({ kid }, P)],
      ['HS256 keyed with the public key PEM', hs(pubPem)],
      ['HS256 keyed with the public key DER', hs(pubDer)],
      ['HS256 keyed with the JWK n', hs(String(k1.publicKey.export({ format: 'jwk' }).n))],
      ['signature stripped', `${h}.${p}.`],
      ['two segments', `${h}.${p}`],
      ['signature spliced from another token', `${h}.${p}.${other.split('.')[2]}`],
      ['one bit of the signature flipped', `${h}.${p}.${b64(flipped)}`],
      ['signature truncated by one byte', `${h}.${p}.${b64(Buffer.from(s, 'base64url').subarray(1))}`],
      ['unknown kid', sign({ alg: 'RS256', kid: 'x'.repeat(43) }, P)],
      ['path-like kid', sign({ alg: 'RS256', kid: '../../../../dev/null' }, P)],
      ['SQL kid', sign({ alg: 'RS256', kid: "' OR '1'='1" }, P)],
      ['64 KiB kid', sign({ alg: 'RS256', kid: 'k'.repeat(64 * 1024) }, P)],
      ['numeric kid', sign({ alg: 'RS256', kid: 7 }, P)],
      ['embedded jwk of the attacker', sign({ alg: 'RS256', jwk: attackerJwk }, P, attacker.privateKey)],
      ['embedded jwk with our kid', sign({ ...H, jwk: attackerJwk }, P, attacker.privateKey)],
      ['jku to a local listener', sign({ alg: 'RS256', jku: `http://127.0.0.1:${listenerPort}/jwks` }, P, attacker.privateKey)],
      ['x5u to a local listener', sign({ alg: 'RS256', x5u: `http://127.0.0.1:${listenerPort}/cert` }, P, attacker.privateKey)],
      ['x5c of the attacker', sign({ alg: 'RS256', x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'] }, P, attacker.privateKey)],
      ['crit exp', sign({ ...H, crit: ['exp'] }, P)],
      ['crit b64 with b64 false', sign({ ...H, crit: ['b64'], b64: false }, P)],
      ['crit empty', sign({ ...H, crit: [] }, P)],
      ['crit naming an absent header', sign({ ...H, crit: ['zzz'] }, P)],
      ['ES256 with r = s = 0', `${seg({ alg: 'ES256', kid })}.${p}.${b64(Buffer.alloc(64))}`],
      ['ES256 with a 65-byte signature', `${seg({ alg: 'ES256', kid })}.${p}.${b64(Buffer.alloc(65, 1))}`],
      ['expired 61 s past exp', sign(H, { ...P, exp: now - 61 - 60, iat: now - 4000, nbf: now - 4000 })],
      ['nbf 120 s ahead', sign(H, { ...P, nbf: now + 120 })],
      ['iat 120 s ahead', sign(H, { ...P, iat: now + 120 })],
      ['no exp', sign(H, { ...P, exp: undefined })],
      ['exp as a string', sign(H, { ...P, exp: String(now + 3600) })],
      ['exp negative', sign(H, { ...P, exp: -1 })],
      ['another issuer, same key', sign(H, { ...P, iss: 'https://other.example' })],
      ['issuer with a trailing slash', sign(H, { ...P, iss: `${P.iss}/` })],
      ['aud as vault', sign(H, { ...P, aud: ['vault'] })],
      ['duplicate alg in the header', signRaw(`{"alg":"RS256","kid":"${kid}","alg":"none"}`, JSON.stringify(P))],
      ['padding in the signature', `${valid}=`],
      ['whitespace inside', `${h}.${p} .${s}`],
      ['+ and / instead of - and _', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}${/[-_]/.test(s) ? '' : '+'}`],
      ['JWE, five segments, zip DEF', `${seg({ alg: 'dir', enc: 'A128GCM', zip: 'DEF' })}..${b64('iv')}.${b64('ct')}.${b64('tag')}`],
      ['JWE, PBES2 with p2c 1e9', `${seg({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 1e9, p2s: 'c2FsdA' })}.${b64('k')}.${b64('iv')}.${b64('ct')}.${b64('tag')}`],
      ['JSON serialization', JSON.stringify({ payload: p, protected: h, signature: s })],
    ];
    for (const [what, token] of cases) {
      const headerSafe = !/[\u0000-\u001f\u007f]/.test(token) && !token.startsWith('{') && token.length < 60_000;
      await expectRefused(token, what, { jose: true, bearer: headerSafe && !token.includes(' ') });
    }
    // Whitespace and JSON serializations still reach the server through TokenReview above.
    await expectRefused(`${h}.${p}.${s}\u0000`, 'NUL appended', { jose: true, bearer: false });
    assert.equal(outbound, 0, 'no outbound connection for jku/x5u');
  });

  it('refuses claims that disagree with each other', async () => {
    await expectRefused(sign(H, { ...P, sub: 'system:admin' }), 'sub system:admin');
    await expectRefused(sign(H, { ...P, sub: 'system:serviceaccount:kube-system:robot' }), 'sub names another namespace');
    await expectRefused(signRaw(JSON.stringify(H), JSON.stringify(P).replace(/}$/, ',"sub":"system:admin"}')), 'duplicate sub');
  });

  it('documents the leeway: 30 s past exp is still accepted (Kubernetes: 60 s), and jose agrees', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = sign(H, { ...P, exp: now - 30, iat: now - 4000, nbf: now - 4000 });
    await expectAccepted(token, 'exp 30 s ago');
    assert.equal(await joseAccepts(token), true);
  });

  it('a token for audience vault: 401 on the API; TokenReview true only for spec.audiences [vault]', async () => {
    const token = await tokenFor('robot', { audiences: ['vault'] });
    await expectRefused(token, 'aud vault');
    assert.deepEqual((await review(token, ['vault'])).audiences, ['vault']);
    assert.notEqual((await review(token, ['other'])).authenticated, true);
  });

  it('refuses tokens whose objects were deleted or recreated, at once', async () => {
    const pod = (name: string) => post(`${ns}/pods`, { metadata: { name }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] } });
    const bind = (kind: string, name: string) => tokenFor('robot', { boundObjectRef: { kind, apiVersion: 'v1', name } });

    await pod('gone');
    const podToken = await bind('Pod', 'gone');
    await expectAccepted(podToken, 'pod-bound, pod alive (now cached)');
    await del(`${ns}/pods/gone`);
    await expectRefused(podToken, 'pod deleted');

    await pod('again');
    const againToken = await bind('Pod', 'again');
    await expectAccepted(againToken, 'pod-bound');
    await del(`${ns}/pods/again`);
    await pod('again');
    await expectRefused(againToken, 'pod recreated with the same name');

    await post(`${ns}/secrets`, { metadata: { name: 's' } });
    const secretToken = await bind('Secret', 's');
    await expectAccepted(secretToken, 'secret-bound');
    await del(`${ns}/secrets/s`);
    await expectRefused(secretToken, 'secret deleted');

    await post('/api/v1/nodes', { metadata: { name: 'n1' } });
    const nodeToken = await bind('Node', 'n1');
    await expectAccepted(nodeToken, 'node-bound');
    await del('/api/v1/nodes/n1');
    await expectRefused(nodeToken, 'node deleted');

    await post(`${ns}/serviceaccounts`, { metadata: { name: 'phoenix' } });
    const saToken = await tokenFor('phoenix');
    await expectAccepted(saToken, 'plain');
    await del(`${ns}/serviceaccounts/phoenix`);
    await post(`${ns}/serviceaccounts`, { metadata: { name: 'phoenix' } });
    await expectRefused(saToken, 'ServiceAccount recreated');
  });

  it('legacy Secret-based tokens: valid while their Secret holds them (last-used label refreshed), refused once it is gone or changed', async () => {
    const sa = (await admin.request('GET', `${ns}/serviceaccounts/robot`)).json();
    const legacyClaims = (secretName: string) => ({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': secretName,
      'kubernetes.io/serviceaccount/service-account.name': 'robot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: 'system:serviceaccount:default:robot',
    });
    const token = sign(H, legacyClaims('legacy'));
    await post(`${ns}/secrets`, {
      metadata: { name: 'legacy', annotations: { 'kubernetes.io/service-account.name': 'robot' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from(token).toString('base64') },
    });
    await expectAccepted(token, 'legacy token');
    let labels: Record<string, string> = {};
    for (let i = 0; i < 50 && !labels['kubernetes.io/legacy-token-last-used']; i++) {
      await new Promise((r) => setTimeout(r, 50));
      labels = (await admin.request('GET', `${ns}/secrets/legacy`)).json().metadata.labels ?? {};
    }
    assert.equal(labels['kubernetes.io/legacy-token-last-used'], new Date().toISOString().slice(0, 10));
    await expectRefused(sign(H, legacyClaims('other')), 'legacy token whose Secret does not exist');
    await expectRefused(sign(H, { ...legacyClaims('legacy'), sub: 'system:serviceaccount:default:someone' }), 'legacy token with a disagreeing sub');
    await del(`${ns}/secrets/legacy`);
    await expectRefused(token, 'legacy token after its Secret was deleted');
  });

  it('refuses duplicate, empty and malformed Authorization headers, and a 1 MiB one', async () => {
    assert.equal(await rawRequest([]), 403, 'control: anonymous is forbidden, not unauthorized');
    assert.equal(await rawRequest([`Authorization: Bearer ${valid}`, `Authorization: Bearer ${valid}`]), 401, 'duplicate');
    assert.equal(await rawRequest([`Authorization: Bearer ${valid}`, 'Authorization: Bearer garbage']), 401, 'duplicate, second bad');
    assert.equal(await rawRequest(['Authorization:']), 401, 'empty');
    assert.equal(await rawRequest(['Authorization: Bearer']), 401, 'Bearer alone');
    assert.equal(await rawRequest([`Authorization: Bearer  ${valid}`]), 401, 'two spaces');
    assert.equal(await rawRequest([`Authorization: Basic ${b64('a:b')}`]), 401, 'another scheme');
    assert.equal(await rawRequest([`Authorization: bearer ${valid}`]), 201, 'lower-case scheme, as upstream');
    const status = await rawRequest([`Authorization: Bearer ${'A'.repeat(1024 * 1024)}`]).catch(() => 0);
    assert.ok(status === 431 || status === 0, `1 MiB header: ${status}`);
    const health = await new Promise<number>((resolve, reject) =>
      https.get(new URL('/healthz', server.url), { ca }, (r) => (r.resume(), resolve(r.statusCode ?? 0))).on('error', reject),
    );
    assert.equal(health, 200, 'the server is up');
  });

  it('refuses tokens signed by a key rotated out; a key still listed keeps verifying', async () => {
    const oldToken = valid;
    const port = server.port;
    const dataDir = server.dataDir;
    const output = server.output();
    assert.equal(await server.stop(), 0);
    // Rotation, step 1: sign with k2 and still trust k1.
    server = await startServer({ dataDir, keepDataDir: true, args: ['--v', '8', '--secure-port', String(port), '--service-account-signing-key-file', k2File, '--service-account-key-file', k1PubFile] });
    admin.agent.destroy();
    admin = clientFromKubeconfig(server.kubeconfig);
    await expectAccepted(oldToken, 'old key still listed');
    const newToken = await tokenFor('robot');
    await expectAccepted(newToken, 'new key');
    const out1 = server.output();
    assert.equal(await server.stop(), 0);
    // Step 2: k1 is gone.
    server = await startServer({ dataDir, keepDataDir: true, args: ['--v', '8', '--secure-port', String(port), '--service-account-signing-key-file', k2File] });
    admin.agent.destroy();
    admin = clientFromKubeconfig(server.kubeconfig);
    await expectRefused(oldToken, 'key rotated out');
    await expectAccepted(newToken, 'current key');
    const all = output + out1 + server.output();
    for (const token of presented) {
      const sig = token.split('.')[2] ?? '';
      if (sig.length >= 16) assert.ok(!all.includes(sig), 'a token signature appears in the server output');
      if (token.length >= 40) assert.ok(!all.includes(token.slice(0, 200)), 'token text appears in the server output');
    }
  });
});
