/**
 * Token benchmarks (performance-and-security.md E, H1-H3), each printed as a ratio to a ceiling
 * measured in the same run on this machine:
 *
 *   H1 TokenReview, 2,000 valid tokens rotating (hot cache), 64 connections, against a bare
 *      node:https server answering the same JSON POST (goal >= 0.70);
 *   H2 TokenReview with every token new (full RS256 verify + object checks), against a bare
 *      node:https server that parses the body and verifies the token's signature with node:crypto
 *      (goal >= 0.80);
 *   H3 TokenRequest bound to pods, 32 connections, against raw RS256 signing with node:crypto on
 *      the threadpool (both cores, 64 in flight) (goal >= 0.85); then p50/p99 at 800 requests/s
 *      offered (open loop: latency counted from the scheduled send time).
 *
 * The bare servers are separate processes with the same certificate and client-certificate
 * request as the real one, so TLS costs the same. For H1 and H2 the server under test (real or
 * bare) is pinned to CPU 0 and this process, the load generator, to CPU 1 (performance-and-
 * security.md E), so neither steals the other's core and both sides of each ratio run alike;
 * H3 runs unpinned, like its ceiling, which signs on both cores. BENCH_PIN=0 turns pinning off;
 * without taskset or with fewer than 2 CPUs nothing is pinned. Nothing here asserts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { randomUUID, sign as cryptoSign, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientFromKubeconfig } from '../test/e2e/client.js';
import type { ServerProcess } from '../test/e2e/harness.js';
import { connect, targetFromKubeconfig, type Connection, type LoadTarget } from './load.js';

const allCpus = `0-${availableParallelism() - 1}`;
const pinning = process.env.BENCH_PIN !== '0' && availableParallelism() >= 2;

/** Sets the CPU affinity of every thread of `pid` (taskset -a); false when it could not. */
function pin(pid: number, cpus: string): boolean {
  if (!pinning) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

interface Figure {
  rate: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Closed loop: every connection sends its next request as soon as the previous one is answered. */
async function closedLoop(conns: Connection[], seconds: number, next: () => [string, string, string?], okStatus: number): Promise<Figure> {
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    conns.map(async (c) => {
      while (performance.now() < end) {
        const [method, path, body] = next();
        const t0 = performance.now();
        const r = await c.send(method, path, body);
        if (r.status === okStatus) lat.push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return { rate: lat.length / seconds, p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

/** Open loop at `perSecond`: request i is due at start + i/perSecond; latency counts from then. */
async function openLoop(conns: Connection[], seconds: number, perSecond: number, next: () => [string, string, string?], okStatus: number): Promise<Figure> {
  const lat: number[] = [];
  let errors = 0;
  const total = Math.floor(seconds * perSecond);
  const start = performance.now();
  let issued = 0;
  await Promise.all(
    conns.map(async (c) => {
      for (;;) {
        const i = issued++;
        if (i >= total) return;
        const due = start + (i * 1000) / perSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const [method, path, body] = next();
        const r = await c.send(method, path, body);
        if (r.status === okStatus) lat.push(performance.now() - due);
        else errors++;
      }
    }),
  );
  return { rate: lat.length / ((performance.now() - start) / 1000), p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

/** A bare node:https server process: TLS like the API server's; `verify` adds an RS256 signature check of spec.token; pinned to `cpus` if given. */
async function startBareServer(dataDir: string, verify: boolean, cpus?: string): Promise<{ port: number; child: ChildProcess }> {
  const script = `
    import https from 'node:https';
    import { readFileSync, writeFileSync } from 'node:fs';
    import { verify, createPublicKey } from 'node:crypto';
    const pki = process.env.PKI;
    const pub = process.env.PUB ? createPublicKey(readFileSync(process.env.PUB)) : null;
    const server = https.createServer({ cert: readFileSync(pki + '/apiserver.crt'), key: readFileSync(pki + '/apiserver.key'), ca: readFileSync(pki + '/ca.crt'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        let ok = true;
        if (pub) {
          const t = body.spec.token;
          const dot = t.lastIndexOf('.');
          ok = verify('sha256', Buffer.from(t.slice(0, dot)), pub, Buffer.from(t.slice(dot + 1), 'base64url'));
          JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString());
        }
        const out = JSON.stringify({ kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec: body.spec, status: { authenticated: ok } });
        res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(out) });
        res.end(out);
      });
    });
    server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
  `;
  const env: Record<string, string> = { ...process.env, PKI: join(dataDir, 'pki') } as Record<string, string>;
  if (verify) {
    const key = createPrivateKey(readFileSync(join(dataDir, 'pki', 'service-account.key')));
    const pubPath = join(dataDir, 'pki', 'bench-sa.pub');
    writeFileSync(pubPath, createPublicKey(key).export({ type: 'spki', format: 'pem' }));
    env.PUB = pubPath;
  }
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  if (cpus) pin(child.pid!, cpus);
  return { port, child };
}

async function connections(target: LoadTarget, n: number): Promise<Connection[]> {
  return Promise.all(Array.from({ length: n }, () => connect(target)));
}

const reviewBody = (token: string, audience: string) => JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: [audience] } });
const reviews = '/apis/authentication.k8s.io/v1/tokenreviews';

/** RS256 signatures per second with node:crypto's async sign, `inFlight` at a time, for `seconds`. */
async function asyncSignRate(keyPem: string, seconds: number, inFlight = 64): Promise<number> {
  const key = createPrivateKey(keyPem);
  const data = Buffer.alloc(700, 'a');
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await new Promise<void>((resolve, reject) => cryptoSign('sha256', data, key, (e) => (e ? reject(e) : resolve())));
        n++;
      }
    }),
  );
  return n / seconds;
}

/** Mints `n` distinct valid tokens locally with the server's key, from a template token's claims (new jti each). */
async function mintTokens(template: string, keyPem: string, n: number): Promise<string[]> {
  const key = createPrivateKey(keyPem);
  const [h, p] = template.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  const out: string[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (i < n) {
        i++;
        const input = `${h}.${Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString('base64url')}`;
        const sig = await new Promise<Buffer>((resolve, reject) => cryptoSign('sha256', Buffer.from(input), key, (e, s) => (e ? reject(e) : resolve(s))));
        out.push(`${input}.${sig.toString('base64url')}`);
      }
    }),
  );
  return out;
}

export async function runTokenBenchmarks(server: ServerProcess, seconds: number): Promise<void> {
  console.log('# tokens');
  const c = clientFromKubeconfig(server.kubeconfig, { maxSockets: 64 });
  const target = targetFromKubeconfig(server.kubeconfig);
  const keyPem = readFileSync(join(server.dataDir, 'pki', 'service-account.key'), 'utf8');
  const post = async (path: string, body: unknown) => {
    const r = await c.request('POST', path, { body: JSON.stringify(body) });
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.body}`);
    return r.json();
  };
  await post('/api/v1/namespaces', { metadata: { name: 'bench-tokens' } });
  await post('/api/v1/namespaces/bench-tokens/serviceaccounts', { metadata: { name: 'robot' } });
  const mint = async (spec: object = {}) => (await post('/api/v1/namespaces/bench-tokens/serviceaccounts/robot/token', { spec })).status.token as string;

  // H1: 2,000 valid tokens rotating, hot cache.
  const hot: string[] = [];
  for (let i = 0; i < 2000; i += 64) hot.push(...(await Promise.all(Array.from({ length: Math.min(64, 2000 - i) }, () => mint()))));
  const pinned = pin(server.child.pid!, '0') && pin(process.pid, '1');
  if (pinned) console.log('H1, H2: servers pinned to CPU 0, load generator to CPU 1');
  else pin(server.child.pid!, allCpus);
  const audience = JSON.parse(Buffer.from(hot[0]!.split('.')[1]!, 'base64url').toString()).aud[0] as string;
  const hotBodies = hot.map((t) => reviewBody(t, audience));
  let k = 0;
  let conns = await connections(target, 64);
  await closedLoop(conns, 1, () => ['POST', reviews, hotBodies[k++ % hotBodies.length]], 201); // warm-up: every token cached
  const h1 = await closedLoop(conns, seconds, () => ['POST', reviews, hotBodies[k++ % hotBodies.length]], 201);
  conns.forEach((x) => x.close());

  const bare = await startBareServer(server.dataDir, false, pinned ? '0' : undefined);
  conns = await connections({ ...target, port: bare.port }, 64);
  await closedLoop(conns, 1, () => ['POST', reviews, hotBodies[k++ % hotBodies.length]], 201);
  const ceiling1 = await closedLoop(conns, seconds, () => ['POST', reviews, hotBodies[k++ % hotBodies.length]], 201);
  conns.forEach((x) => x.close());
  bare.child.kill();
  console.log(
    `H1 TokenReview, 2,000 tokens rotating (cached): ${h1.rate.toFixed(0)}/s, p50 ${h1.p50.toFixed(1)} ms, p99 ${h1.p99.toFixed(1)} ms${h1.errors ? `, ${h1.errors} errors` : ''}; bare node:https JSON POST: ${ceiling1.rate.toFixed(0)}/s; ratio ${(h1.rate / ceiling1.rate).toFixed(2)} (goal >= 0.70)`,
  );

  // H2: every token new.
  const expected = Math.ceil(seconds * 4000) + 2000;
  if (pinned) pin(process.pid, allCpus); // minting is setup: both cores
  const cold = await mintTokens(hot[0]!, keyPem, expected);
  if (pinned) pin(process.pid, '1');
  const coldBodies = cold.map((t) => reviewBody(t, audience));
  let j = 0;
  conns = await connections(target, 64);
  const h2 = await closedLoop(conns, seconds, () => ['POST', reviews, coldBodies[j++ % coldBodies.length]], 201);
  conns.forEach((x) => x.close());
  const reused = j > coldBodies.length ? ` (${j - coldBodies.length} reused: the figure is optimistic)` : '';
  const bareVerify = await startBareServer(server.dataDir, true, pinned ? '0' : undefined);
  conns = await connections({ ...target, port: bareVerify.port }, 64);
  let m = 0;
  const ceiling2 = await closedLoop(conns, seconds, () => ['POST', reviews, coldBodies[m++ % coldBodies.length]], 201);
  conns.forEach((x) => x.close());
  bareVerify.child.kill();
  console.log(
    `H2 TokenReview, every token new: ${h2.rate.toFixed(0)}/s, p50 ${h2.p50.toFixed(1)} ms, p99 ${h2.p99.toFixed(1)} ms${h2.errors ? `, ${h2.errors} errors` : ''}${reused}; bare node:https + node:crypto RS256 verify: ${ceiling2.rate.toFixed(0)}/s; ratio ${(h2.rate / ceiling2.rate).toFixed(2)} (goal >= 0.80)`,
  );

  if (pinned) {
    pin(server.child.pid!, allCpus);
    pin(process.pid, allCpus);
  }

  // H3: TokenRequest bound to pods.
  const pods = 200;
  for (let i = 0; i < pods; i += 32) {
    await Promise.all(
      Array.from({ length: Math.min(32, pods - i) }, (_, x) =>
        post('/api/v1/namespaces/bench-tokens/pods', { metadata: { name: `p${i + x}` }, spec: { serviceAccountName: 'robot', containers: [{ name: 'c', image: 'busybox' }] } }),
      ),
    );
  }
  // The embedded node agent runs these pods (a TokenRequest, events and a status write each):
  // measure once it is done, so that its start-up work is not counted against H3.
  const nodes = (await c.request('GET', '/api/v1/nodes')).json() as { items: unknown[] };
  for (let waited = 0; nodes.items.length > 0 && waited < 30_000; waited += 200) {
    const list = (await c.request('GET', '/api/v1/namespaces/bench-tokens/pods')).json() as { items: { status?: { phase?: string } }[] };
    if (list.items.every((p) => p.status?.phase === 'Running')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  let q = 0;
  const tokenRequest = (): [string, string, string] => [
    'POST',
    '/api/v1/namespaces/bench-tokens/serviceaccounts/robot/token',
    JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: `p${q++ % pods}` } } }),
  ];
  conns = await connections(target, 32);
  await closedLoop(conns, 1, tokenRequest, 201);
  const h3 = await closedLoop(conns, seconds, tokenRequest, 201);
  conns.forEach((x) => x.close());
  const signRate = await asyncSignRate(keyPem, seconds);
  console.log(
    `H3 TokenRequest bound to pods, 32 connections: ${h3.rate.toFixed(0)}/s, p50 ${h3.p50.toFixed(1)} ms, p99 ${h3.p99.toFixed(1)} ms${h3.errors ? `, ${h3.errors} errors` : ''}; raw RS256 signing (threadpool, both cores): ${signRate.toFixed(0)}/s; ratio ${(h3.rate / signRate).toFixed(2)} (goal >= 0.85)`,
  );
  conns = await connections(target, 64);
  const at800 = await openLoop(conns, seconds, 800, tokenRequest, 201);
  conns.forEach((x) => x.close());
  console.log(
    `H3 TokenRequest at 800/s offered: served ${at800.rate.toFixed(0)}/s, p50 ${at800.p50.toFixed(1)} ms, p99 ${at800.p99.toFixed(1)} ms${at800.errors ? `, ${at800.errors} errors` : ''} (goal p99 <= 100 ms)`,
  );
  c.agent.destroy();
}
