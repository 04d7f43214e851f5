/**
 * `npm run bench`: starts the real server and prints each figure next to a baseline measured in
 * the same run on this machine.
 *
 *   1. ServiceAccount creates/s over HTTPS with 64 connections, and p50/p99 latency, against
 *      better-sqlite3's durable single-row commit rate (WAL, synchronous=FULL, one row per
 *      transaction). Goal: >= 1.5x (needs group commit).
 *   2. LIST of 5,000 ServiceAccounts, p50/p99, against concatenating the same items' JSON.
 *      Goal: p50 under 15 ms.
 *   3. Idle RSS of the server process. Goal: under 80 MB.
 *   4. Tokens (bench/tokens.ts): TokenReview hot and cold, TokenRequest bound to pods.
 *   5. Authorization (bench/authz.ts): RBAC decisions/s against 1,000 roles and 5,000 bindings,
 *      and the request and TokenReview paths through RBAC against system:masters.
 *   6. Node agent (bench/node.ts, its own server with --no-embedded-node): pods started per second
 *      end to end for 1,000 pods, and their steady TokenRequest rate at the refresh rule.
 *
 * Nothing here asserts: it prints figures and ratios.
 */
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from '../test/e2e/harness.js';
import { clientFromKubeconfig } from '../test/e2e/client.js';
import { connect, targetFromKubeconfig } from './load.js';
import { runTokenBenchmarks } from './tokens.js';
import { runAuthzBenchmarks } from './authz.js';
import { runNodeBenchmarks } from './node.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

function sqliteSingleRowCommitRate(): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sqlite-'));
  const db = new Database(join(dir, 'b.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE kv (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, value BLOB)');
  db.exec('CREATE INDEX kv_name ON kv (name)');
  const insert = db.prepare('INSERT INTO kv (name, value) VALUES (?, ?)');
  const value = Buffer.alloc(958, 'x');
  const end = Date.now() + seconds * 1000;
  let n = 0;
  while (Date.now() < end) {
    insert.run(`/registry/serviceaccounts/default/sa-${n}`, value);
    n++;
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return n / seconds;
}

async function main(): Promise<void> {
  console.log(`# insignia bench (${seconds} s per measurement)`);
  const baseline = sqliteSingleRowCommitRate();
  console.log(`baseline: better-sqlite3 durable single-row commits: ${baseline.toFixed(0)}/s`);

  const server = await startServer();
  await new Promise((r) => setTimeout(r, 2000));
  const idle = rssMb(server.child.pid!);
  console.log(`idle RSS: ${idle.toFixed(1)} MB (goal < 80 MB; ratio to goal ${(idle / 80).toFixed(2)})`);

  const c = clientFromKubeconfig(server.kubeconfig, { maxSockets: 64 });
  await c.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name: 'bench' } }) });
  const target = targetFromKubeconfig(server.kubeconfig);
  const conns = await Promise.all(Array.from({ length: 64 }, () => connect(target)));
  const latencies: number[] = [];
  let created = 0;
  let seq = 0;
  const body = (name: string) =>
    JSON.stringify({ metadata: { name, labels: { app: 'bench', tier: 'backend' }, annotations: { note: 'x'.repeat(600) } }, automountServiceAccountToken: false });
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    conns.map(async (conn) => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const r = await conn.send('POST', '/api/v1/namespaces/bench/serviceaccounts', body(`sa-${seq++}`));
        if (r.status === 201) {
          created++;
          latencies.push(performance.now() - t0);
        }
      }
    }),
  );
  const rate = created / seconds;
  console.log(
    `creates over HTTPS, 64 connections: ${rate.toFixed(0)}/s, p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms; ratio to single-row commits ${(rate / baseline).toFixed(2)}x (goal >= 1.5x)`,
  );

  // LIST of exactly 5,000 ServiceAccounts in one namespace.
  await c.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ metadata: { name: 'list5k' } }) });
  let made = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      for (;;) {
        const i = made++;
        if (i >= 5000) return;
        await c.request('POST', '/api/v1/namespaces/list5k/serviceaccounts', { body: body(`sa-${i}`) });
      }
    }),
  );
  const listTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await conns[0]!.send('GET', '/api/v1/namespaces/list5k/serviceaccounts');
    listTimes.push(performance.now() - t0);
  }
  for (const conn of conns) conn.close();
  const last = (await c.request('GET', '/api/v1/namespaces/list5k/serviceaccounts')).body;
  const items = JSON.parse(last).items as unknown[];
  const itemJson = items.map((i) => JSON.stringify(i));
  const concatTimes: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    const s = '{"kind":"ServiceAccountList","apiVersion":"v1","metadata":{},"items":[' + itemJson.join(',') + ']}';
    if (s.length === 0) throw new Error('unreachable');
    concatTimes.push(performance.now() - t0);
  }
  const p50 = pct(listTimes.slice(10), 50);
  console.log(
    `LIST of ${items.length} ServiceAccounts (${(last.length / 1048576).toFixed(1)} MiB): p50 ${p50.toFixed(1)} ms, p99 ${pct(listTimes.slice(10), 99).toFixed(1)} ms (goal p50 < 15 ms); JSON concatenation of the same items: p50 ${pct(concatTimes, 50).toFixed(2)} ms; ratio ${(p50 / pct(concatTimes, 50)).toFixed(1)}x`,
  );
  console.log(`RSS after load: ${rssMb(server.child.pid!).toFixed(1)} MB`);
  await runTokenBenchmarks(server, seconds);
  await runAuthzBenchmarks(server, seconds);
  c.agent.destroy();
  await server.stop();
  await runNodeBenchmarks();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
