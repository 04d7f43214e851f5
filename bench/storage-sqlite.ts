/**
 * SQLite backend throughput: durable (WAL + synchronous=FULL) writes per second with 64
 * concurrent writers (group commit) versus the baseline of one write per transaction (a single
 * writer awaiting each write), plus the time to list 5,000 keys.
 *
 *   node --import tsx bench/storage-sqlite.ts [seconds-per-phase]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteBackend, type SqliteBackend } from '../src/storage/sqlite/sqlite-backend.js';

const seconds = Number(process.argv[2] ?? '3');
const dir = mkdtempSync(join(tmpdir(), 'insignia-bench-'));
const value = new TextEncoder().encode(JSON.stringify({ kind: 'ServiceAccount', metadata: { name: 'x'.repeat(40), namespace: 'default' }, pad: 'y'.repeat(300) }));

async function writers(backend: SqliteBackend, count: number, label: string): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let writes = 0;
  const before = backend.stats();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const res = await backend.create(`/registry/bench/${label}/${w}/${i}`, value);
        if (!res.ok) throw new Error('create failed');
        writes++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const stats = backend.stats();
  const tx = stats.transactions - before.transactions;
  const rate = writes / elapsed;
  console.log(`${label}: ${count} writer(s), ${writes} durable creates in ${elapsed.toFixed(2)}s = ${Math.round(rate)} writes/s (${tx} transactions, ${(writes / tx).toFixed(1)} writes/transaction)`);
  return rate;
}

async function casUpdates(backend: SqliteBackend, count: number): Promise<void> {
  await Promise.all(Array.from({ length: count }, (_, w) => backend.create(`/registry/cas/${w}`, value)));
  const deadline = performance.now() + seconds * 1000;
  let writes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, w) => {
      let kv = (await backend.get(`/registry/cas/${w}`))!;
      while (performance.now() < deadline) {
        const res = await backend.update(kv.key, value, kv.modRevision);
        if (!res.ok) throw new Error('update failed');
        kv = res.kv;
        writes++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  console.log(`cas: ${count} writers, ${writes} durable compare-and-swap updates = ${Math.round(writes / elapsed)} writes/s`);
}

async function listing(backend: SqliteBackend): Promise<void> {
  await Promise.all(Array.from({ length: 5000 }, (_, i) => backend.create(`/registry/serviceaccounts/ns${i % 50}/sa-${i}`, value)));
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const res = await backend.list({ prefix: '/registry/serviceaccounts/' });
    times.push(performance.now() - start);
    if (res.items.length !== 5000) throw new Error(`listed ${res.items.length}`);
  }
  times.sort((a, b) => a - b);
  const page = performance.now();
  await backend.list({ prefix: '/registry/serviceaccounts/', limit: 500 });
  console.log(
    `list 5000 keys: median ${times[10]!.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms; first page of 500 with remaining count: ${(performance.now() - page).toFixed(1)} ms`,
  );
}

try {
  const backend = createSqliteBackend({ path: join(dir, 'bench.db') });
  const baseline = await writers(backend, 1, 'baseline (one write per transaction)');
  const grouped = await writers(backend, 64, 'group commit');
  console.log(`64 concurrent writers: ${Math.round(grouped)} durable writes/s, ${(grouped / baseline).toFixed(1)}x the one-row-per-transaction baseline (${Math.round(baseline)} writes/s)`);
  await casUpdates(backend, 64);
  await listing(backend);
  await backend.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
