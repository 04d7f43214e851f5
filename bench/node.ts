/**
 * Node agent benchmarks (issue 6), against the real server with its embedded node turned off and
 * ONE agent (src/node/agent.ts) running in this process as node `bench-node`:
 *
 *   N1 pods started per second end to end: BENCH_NODE_PODS (default 1,000) pods, each with the
 *      default kube-api-access projected volume (added by the ServiceAccount admission plugin), are
 *      created over 32 connections; a pod counts when it is Running and its token file exists under
 *      the agent's root. Printed next to the create rate of the same pods (ratio = how much of the
 *      API's create throughput survives scheduling, mounting, TokenRequests and status updates).
 *   N2 the steady TokenRequest rate of those running pods at the kubelet's refresh rule: the agent's
 *      clock is sped up BENCH_NODE_SPEED times (default 60) for BENCH_NODE_HOURS simulated hours
 *      (default 1); the bench's transport moves each TokenRequest's expirationTimestamp into the
 *      agent's time frame (node-support.ts). Printed: the mean refresh interval per token and the
 *      implied rate against the expected pods / (0.8 × 3607 s), and the server's CPU per
 *      TokenRequest in that window against the same TokenRequests sent directly.
 *
 * Pods go through the scheduler (pods/binding) unless BENCH_NODE_BIND=direct, or the server has no
 * --no-embedded-node flag, or the Node's allocatable pods is below the pod count (the agent
 * advertises max-pods = the pod count; BENCH_NODE_BIND=scheduler forces the scheduler): then
 * spec.nodeName is set at create. The agent authenticates with
 * a minted node certificate (system:node:bench-node, group system:nodes) when the node authorizer
 * lets it update pods/status, else with the admin credentials (BENCH_NODE_IDENTITY=admin forces it).
 * Run alone: `node --import tsx bench/node.ts` (INSIGNIA_E2E_SOURCE=1 runs the server from sources;
 * BENCH_NODE_VERBOSE=1 prints the agent's log).
 * Nothing here asserts: it prints figures and ratios.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KubeObject } from '../src/api/meta.js';
import { createHttpsTransport, type ClientConfig } from '../src/client/https-transport.js';
import { loadKubeconfig } from '../src/client/kubeconfig.js';
import { core, createRestClient, type RestClient } from '../src/client/rest-client.js';
import { issueCertificate } from '../src/auth/pki.js';
import { createNodeAgent, kubeletUserAgent } from '../src/node/agent.js';
import { startServer, type ServerProcess } from '../test/e2e/harness.js';
import { countingTransport, cpuMs, createWarpClock, pct, type TokenRequestRecord } from './node-support.js';

const nodeName = 'bench-node';
const namespace = 'bench-node';
const defaultTokenSeconds = 3607;

const sleepReal = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleepReal(100);
  }
}

function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The server with its embedded node off; `embedded` tells whether the flag was refused (older server). */
async function startBenchServer(): Promise<{ server: ServerProcess; embedded: boolean }> {
  try {
    return { server: await startServer({ args: ['--no-embedded-node'] }), embedded: false };
  } catch (e) {
    if (!/unknown option/.test(String(e))) throw e;
    return { server: await startServer(), embedded: true };
  }
}

/** A client as node `bench-node`, or the admin's when the node authorizer is not there (or BENCH_NODE_IDENTITY=admin). */
async function agentConfig(server: ServerProcess, admin: ClientConfig): Promise<{ config: ClientConfig; identity: string }> {
  const base = { ...admin, userAgent: kubeletUserAgent, maxSockets: 32 };
  if (process.env.BENCH_NODE_IDENTITY === 'admin') return { config: base, identity: 'admin (BENCH_NODE_IDENTITY=admin)' };
  const pki = join(server.dataDir, 'pki');
  const ca = { certPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
  const cert = await issueCertificate(ca, { commonName: `system:node:${nodeName}`, organizations: ['system:nodes'], usage: 'client' });
  const config: ClientConfig = { ...base, bearerToken: undefined, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem };
  const probe = createHttpsTransport(config);
  try {
    const review = await createRestClient(probe)
      .resource({ group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews' })
      .create('', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { resourceAttributes: { verb: 'update', resource: 'pods', subresource: 'status', namespace } } });
    if ((review as { status?: { allowed?: boolean } }).status?.allowed) return { config, identity: `system:node:${nodeName} (client certificate)` };
  } catch {
    // fall through to the admin identity
  } finally {
    probe.close?.();
  }
  return { config: base, identity: 'admin (the node authorizer does not allow system:node:bench-node to update pods/status yet)' };
}

/** ROOT/pods/<uid>/volumes/<volume>/<path> of the pod's first projected ServiceAccount token. */
function tokenFileOf(root: string, pod: KubeObject): string | undefined {
  const volumes = ((pod.spec as { volumes?: { name: string; projected?: { sources?: { serviceAccountToken?: { path: string } }[] } }[] }).volumes ?? []);
  for (const v of volumes) {
    const source = v.projected?.sources?.find((s) => s.serviceAccountToken);
    if (source) return join(root, 'pods', pod.metadata.uid ?? '', 'volumes', v.name, source.serviceAccountToken!.path);
  }
  return undefined;
}

const written = (file: string) => {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
};

export async function runNodeBenchmarks(): Promise<void> {
  const podCount = Number(process.env.BENCH_NODE_PODS ?? 1000);
  const speed = Number(process.env.BENCH_NODE_SPEED ?? 60);
  const hours = Number(process.env.BENCH_NODE_HOURS ?? 1);
  const timeoutMs = Number(process.env.BENCH_NODE_TIMEOUT_S ?? 300) * 1000;
  const { server, embedded } = await startBenchServer();
  let direct = embedded || process.env.BENCH_NODE_BIND === 'direct';
  const root = mkdtempSync(join(tmpdir(), 'bench-node-root-'));
  const adminConfig = { ...loadKubeconfig(server.kubeconfig), maxSockets: 32 };
  const adminTransport = createHttpsTransport(adminConfig);
  const admin = createRestClient(adminTransport);
  const pods = admin.resource(core('pods'));
  const clock = createWarpClock(1);
  const { config, identity } = await agentConfig(server, adminConfig);
  const transport = countingTransport(createHttpsTransport(config), clock);
  const agentErrors: string[] = [];
  const agent = createNodeAgent({
    client: createRestClient(transport),
    nodeName,
    root,
    clock,
    podCIDR: '10.244.0.0/16',
    // The kubelet's --max-pods (default 110) raised so that the scheduler places every pod here.
    maxPods: Math.max(110, podCount),
    log: (message, err) => {
      if (process.env.BENCH_NODE_VERBOSE === '1') console.log(`  [agent] ${message}${err === undefined ? '' : `: ${String(err)}`}`);
      if (err !== undefined) agentErrors.push(`${message}: ${err instanceof Error ? err.message : String(err)}`);
    },
  });
  const watches: { close(): void }[] = [];
  try {
    await admin.resource(core('namespaces')).create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await until('the default ServiceAccount', 30_000, () => admin.resource(core('serviceaccounts')).get(namespace, 'default'));
    await withTimeout('the agent to register its Node and list its pods', 60_000, (async () => (await agent.start(), await agent.ready()))());
    if (process.env.BENCH_NODE_VERBOSE === '1') console.log('  agent registered and ready');
    const node = await admin.resource(core('nodes')).get('', nodeName);
    const allocatable = Number((node.status as { allocatable?: { pods?: string } } | undefined)?.allocatable?.pods ?? NaN);
    let binding = direct ? 'spec.nodeName at create' : 'by the scheduler';
    if (!direct && allocatable < podCount && process.env.BENCH_NODE_BIND !== 'scheduler') {
      direct = true;
      binding = `spec.nodeName at create (the node's allocatable pods is ${allocatable}: the scheduler would stop there; BENCH_NODE_BIND=scheduler forces it)`;
    }
    console.log(`node agent bench: ${podCount} pods, agent identity ${identity}; binding ${binding}${embedded ? '; the server has no --no-embedded-node, its embedded node still runs' : ''}`);

    // N1: create → Running with the token file written.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const waiting = new Map<string, string>(); // name → token file, Running but file not seen yet
    const running = new Set<string>();
    const finish = (name: string) => {
      if (running.has(name)) return;
      running.add(name);
      waiting.delete(name);
      latencies.push(performance.now() - (sentAt.get(name) ?? performance.now()));
    };
    const watch = await pods.watch(namespace, {});
    watches.push(watch);
    void (async () => {
      for await (const ev of watch.events) {
        const pod = ev.object;
        const name = pod.metadata.name ?? '';
        if (ev.type === 'DELETED' || running.has(name) || (pod.status as { phase?: string } | undefined)?.phase !== 'Running') continue;
        const file = tokenFileOf(root, pod);
        if (!file || written(file)) finish(name);
        else waiting.set(name, file);
      }
    })();
    const poll = setInterval(() => {
      for (const [name, file] of waiting) if (written(file)) finish(name);
    }, 20);
    const t0 = performance.now();
    let next = 0;
    let createErrors = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (;;) {
          const i = next++;
          if (i >= podCount) return;
          const name = `pod-${i}`;
          sentAt.set(name, performance.now());
          const spec: Record<string, unknown> = { containers: [{ name: 'app', image: 'nginx' }] };
          if (direct) spec.nodeName = nodeName;
          await pods.create(namespace, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec }).catch(() => createErrors++);
        }
      }),
    );
    const createdS = (performance.now() - t0) / 1000;
    await until(`${podCount} pods Running with token files`, timeoutMs, async () => (running.size >= podCount - createErrors ? true : undefined)).catch((e) =>
      console.log(`  ${String(e)}: ${running.size} of ${podCount} made it`),
    );
    clearInterval(poll);
    const startedS = (performance.now() - t0) / 1000;
    const createRate = (podCount - createErrors) / createdS;
    const e2eRate = running.size / startedS;
    console.log(
      `pods started end to end (create → Running with token file): ${running.size} in ${startedS.toFixed(1)} s = ${e2eRate.toFixed(0)} pods/s, per pod p50 ${pct(latencies, 50).toFixed(0)} ms, p99 ${pct(latencies, 99).toFixed(0)} ms; creates alone ${createRate.toFixed(0)}/s (${createErrors} failed); ratio ${(e2eRate / createRate).toFixed(2)}`,
    );
    console.log(`  agent requests while starting: ${summary(transport.counts)}`);

    // N2: the steady TokenRequest rate on an accelerated clock.
    const last = new Map<string, number>();
    for (const r of transport.tokenRequests) if (r.status < 300) last.set(r.key, r.at);
    transport.reset();
    const sim0 = clock.now();
    const windowMs = hours * 3600_000;
    const cpu0 = cpuMs(server.child.pid!);
    const real0 = performance.now();
    clock.setSpeed(speed);
    while (clock.now() < sim0 + windowMs) await sleepReal(100);
    clock.setSpeed(1);
    const serverCpu = cpuMs(server.child.pid!) - cpu0;
    const realS = (performance.now() - real0) / 1000;
    const window = transport.tokenRequests.filter((r) => r.at <= sim0 + windowMs);
    const ok = window.filter((r) => r.status < 300);
    const intervals = refreshIntervals(last, ok);
    const meanS = intervals.length ? intervals.reduce((a, b) => a + b, 0) / intervals.length / 1000 : NaN;
    const expected = running.size / (0.8 * defaultTokenSeconds);
    const implied = running.size / meanS;
    console.log(
      `steady TokenRequests of ${running.size} running pods (clock ×${speed}, ${hours} simulated h in ${realS.toFixed(0)} s): mean refresh interval ${meanS.toFixed(0)} s (p50 ${(pct(intervals, 50) / 1000).toFixed(0)} s, p99 ${(pct(intervals, 99) / 1000).toFixed(0)} s) over ${intervals.length} refreshes (rule: 0.8 × ${defaultTokenSeconds} s minus 0-10 s jitter); implied ${implied.toFixed(3)}/s vs expected ${expected.toFixed(3)}/s = ${running.size}/(0.8×${defaultTokenSeconds} s); ratio ${(implied / expected).toFixed(3)}`,
    );
    console.log(
      `  in the window: ${ok.length} TokenRequests (${(ok.length / (windowMs / 1000)).toFixed(3)} per simulated s; the pods started together, so refreshes come in waves), ${window.length - ok.length} failed; other agent requests: ${summary(transport.counts, 'token')}`,
    );
    const perRefresh = serverCpu / Math.max(1, ok.length);
    const baseline = await directTokenRequestCost(server, admin, [...running].slice(0, 1000));
    console.log(
      `  server CPU in the window: ${serverCpu.toFixed(0)} ms (${(serverCpu / (windowMs / 1000)).toFixed(2)} ms per simulated s, everything the agent caused) = ${perRefresh.toFixed(2)} ms per TokenRequest; the same TokenRequests sent directly: ${baseline.toFixed(2)} ms each; ratio ${(perRefresh / baseline).toFixed(2)}`,
    );
    if (agentErrors.length) console.log(`  agent logged ${agentErrors.length} errors, first: ${agentErrors.slice(0, 3).join(' | ')}`);
  } finally {
    for (const w of watches) w.close();
    await agent.stop();
    transport.close?.();
    adminTransport.close?.();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** Time from each token's previous TokenRequest to its next one (ms), for every refresh in `records`. */
function refreshIntervals(last: Map<string, number>, records: TokenRequestRecord[]): number[] {
  const out: number[] = [];
  for (const r of records) {
    const before = last.get(r.key);
    if (before !== undefined) out.push(r.at - before);
    last.set(r.key, r.at);
  }
  return out;
}

/** Server CPU ms per TokenRequest bound to the named pods (16 in flight, admin identity). */
async function directTokenRequestCost(server: ServerProcess, admin: RestClient, names: string[]): Promise<number> {
  const targets: { name: string; uid: string }[] = [];
  for (const name of names.slice(0, 200)) {
    const pod = await admin.resource(core('pods')).get(namespace, name);
    targets.push({ name, uid: pod.metadata.uid ?? '' });
  }
  if (!targets.length) return NaN;
  const total = Math.max(1000, names.length);
  const path = `/api/v1/namespaces/${namespace}/serviceaccounts/default/token`;
  const send = async (i: number) => {
    const t = targets[i % targets.length]!;
    const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: defaultTokenSeconds, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: t.name, uid: t.uid } } };
    const res = await admin.transport.request({ method: 'POST', path, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`TokenRequest answered ${res.status}`);
  };
  await Promise.all(Array.from({ length: 16 }, (_, i) => send(i)));
  const cpu0 = cpuMs(server.child.pid!);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < total) await send(next++).catch(() => undefined);
    }),
  );
  return (cpuMs(server.child.pid!) - cpu0) / total;
}

function summary(counts: Map<string, number>, without?: string): string {
  const parts = [...counts].filter(([k]) => !without || !k.endsWith(` ${without}`)).sort((a, b) => b[1] - a[1]);
  return parts.length ? parts.map(([k, n]) => `${k} ${n}`).join(', ') : 'none';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runNodeBenchmarks().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
