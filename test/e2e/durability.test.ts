/**
 * Durability: concurrent creates, SIGKILL mid-stream, restart on the same data directory; every
 * create that got a 201 is there exactly once, the database passes PRAGMA integrity_check, and
 * CA and keys survive the restart.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import https from 'node:https';
import { startServer } from './harness.js';
import { clientFromKubeconfig } from './client.js';

describe('durability', () => {
  it('keeps every acknowledged create across SIGKILL and restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-durable-'));
    const first = await startServer({ dataDir });
    const ca = readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    const c = clientFromKubeconfig(first.kubeconfig, { maxSockets: 32 });
    const acknowledged: string[] = [];
    let stop = false;
    let n = 0;
    const worker = async () => {
      while (!stop) {
        const name = `d-${n++}`;
        try {
          const r = await c.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: JSON.stringify({ metadata: { name } }) });
          if (r.status === 201) acknowledged.push(name);
        } catch {
          // connection cut by the kill
        }
      }
    };
    const workers = Array.from({ length: 32 }, worker);
    while (acknowledged.length < 300) await new Promise((r) => setTimeout(r, 10));
    await first.kill();
    stop = true;
    await Promise.all(workers);
    c.agent.destroy();
    assert.ok(acknowledged.length >= 300);

    const db = new Database(join(dataDir, 'insignia.db'), { readonly: true });
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    db.close();

    const second = await startServer({ dataDir });
    assert.equal(readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), ca, 'the CA is kept');
    const c2 = clientFromKubeconfig(second.kubeconfig);
    const list = (await c2.request('GET', '/api/v1/namespaces/default/serviceaccounts')).json();
    const names = list.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    const counts = new Map<string, number>();
    for (const nm of names) counts.set(nm, (counts.get(nm) ?? 0) + 1);
    for (const name of acknowledged) assert.equal(counts.get(name), 1, `${name} present exactly once`);
    // A watch from before the restart is too old for the fresh cache.
    const w = await c2.request('GET', '/api/v1/namespaces/default/serviceaccounts?watch=1&resourceVersion=2');
    assert.equal(JSON.parse(w.body.trim().split('\n')[0]!).object.code, 410);
    c2.agent.destroy();
    assert.equal(await second.stop(), 0);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('SIGTERM with open watches and in-flight requests exits 0 within 10 s', async () => {
    const server = await startServer();
    const c = clientFromKubeconfig(server.kubeconfig, { maxSockets: 16 });
    const url = new URL(c.url);
    const watchEnded = new Promise<void>((resolve) => {
      const req = https.request({ host: url.hostname, port: url.port, path: '/api/v1/serviceaccounts?watch=1', agent: c.agent }, (res) => {
        res.on('data', () => {});
        res.on('end', resolve);
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      req.end();
    });
    const inflight = Array.from({ length: 20 }, (_, i) =>
      c.request('POST', '/api/v1/namespaces/default/serviceaccounts', { body: JSON.stringify({ metadata: { name: `t-${i}` } }) }).catch(() => null),
    );
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    const code = await server.stop();
    assert.equal(code, 0);
    assert.ok(Date.now() - t0 < 10_000, `exited after ${Date.now() - t0} ms`);
    await watchEnded;
    const results = await Promise.all(inflight);
    for (const r of results) if (r) assert.ok([201, 503].includes(r.status), `in-flight request answered ${r.status}`);
    c.agent.destroy();
  });
});
