/**
 * Conformance: concurrent writers. Compare-and-swap must stay exact when many writes are in
 * flight at once (a batching backend checks each precondition against the writes before it).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Backend } from '../backend.js';
import { bytes, mustCreate, plain, text, withBackend, type BackendFactory } from './conformance-helpers.js';

export function concurrencyConformance(factory: BackendFactory): void {
  const test = (name: string, fn: (backend: Backend) => Promise<void>) => it(name, () => withBackend(factory, fn));

  test('50 concurrent updates from the same revision: exactly one wins', async (b) => {
    const kv = await mustCreate(b, '/c/k', 'v0');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => b.update('/c/k', bytes(`v${i + 1}`), kv.modRevision)));
    const winners = results.flatMap((r) => (r.ok ? [r.kv] : []));
    assert.equal(winners.length, 1);
    const winner = winners[0]!;
    assert.equal(winner.modRevision, kv.modRevision + 1);
    for (const r of results) if (!r.ok) assert.deepEqual(plain(r.current), plain(winner), 'losers see the winner as current');
    assert.deepEqual(plain(await b.get('/c/k')), plain(winner));
    assert.equal(await b.currentRevision(), kv.modRevision + 1);
  });

  test('200 concurrent increments with retry loops end with the exact count', async (b) => {
    const base = (await mustCreate(b, '/c/counter', '0')).modRevision;
    let conflicts = 0;
    const increment = async () => {
      for (;;) {
        const current = (await b.get('/c/counter'))!;
        const res = await b.update('/c/counter', bytes(String(Number(text(current.value)) + 1)), current.modRevision);
        if (res.ok) return;
        conflicts++;
        assert.ok(res.current, 'the counter never disappears');
      }
    };
    await Promise.all(Array.from({ length: 200 }, increment));
    const final = (await b.get('/c/counter'))!;
    assert.equal(text(final.value), '200');
    assert.equal(final.modRevision, base + 200, 'one revision per successful increment');
    assert.equal(await b.currentRevision(), base + 200);
    assert.ok(conflicts > 0, 'the increments really raced');
  });

  test('concurrent creates of one key: exactly one wins', async (b) => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => b.create('/c/once', bytes(`v${i}`))));
    const winners = results.flatMap((r) => (r.ok ? [r.kv] : []));
    assert.equal(winners.length, 1);
    for (const r of results) if (!r.ok) assert.deepEqual(plain(r.current), plain(winners[0]));
  });

  test('concurrent deletes with the same expected revision: exactly one wins', async (b) => {
    const kv = await mustCreate(b, '/c/del', 'v');
    const results = await Promise.all(Array.from({ length: 20 }, () => b.delete('/c/del', kv.modRevision)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results) if (!r.ok) assert.equal(r.current, null);
    assert.equal(await b.get('/c/del'), null);
  });

  test('concurrent creates of distinct keys each get their own revision', async (b) => {
    const base = await b.currentRevision();
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => b.create(`/c/many/${i}`, bytes(String(i)))));
    const revisions = results.map((r) => {
      assert.ok(r.ok);
      return r.kv.modRevision;
    });
    assert.deepEqual([...revisions].sort((x, y) => x - y), Array.from({ length: 300 }, (_, i) => base + 1 + i));
    const listed = await b.list({ prefix: '/c/many/' });
    assert.equal(listed.items.length, 300);
    assert.equal(listed.revision, base + 300);
  });

  test('a mixed concurrent burst behaves as if the writes ran one by one', async (b) => {
    const a = await mustCreate(b, '/c/mix/a', 'a');
    const d = await mustCreate(b, '/c/mix/d', 'd');
    const base = await b.currentRevision();
    const [up1, up2, del1, cre1, cre2, del2] = await Promise.all([
      b.update('/c/mix/a', bytes('a2'), a.modRevision),
      b.update('/c/mix/a', bytes('a3'), a.modRevision),
      b.delete('/c/mix/d', d.modRevision),
      b.create('/c/mix/d', bytes('d2')),
      b.create('/c/mix/e', bytes('e')),
      b.delete('/c/mix/missing'),
    ]);
    assert.equal(up1.ok && up2.ok, false, 'two updates from one revision cannot both succeed');
    assert.ok(up1.ok || up2.ok);
    assert.ok(cre2.ok);
    assert.equal(del2.ok, false);
    const succeeded = [up1, up2, del1, cre1, cre2].filter((r) => r.ok).length;
    assert.equal(await b.currentRevision(), base + succeeded);
    const created = cre1.ok ? text((await b.get('/c/mix/d'))!.value) : null;
    if (cre1.ok) assert.ok(del1.ok, 'd can only be re-created after its delete');
    if (created !== null) assert.equal(created, 'd2');
  });
}
