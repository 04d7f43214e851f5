/**
 * Conformance: compaction and close.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Backend, DeleteResult, WriteResult } from '../backend.js';
import { bytes, mustCreate, mustDelete, mustUpdate, plain, recordWatch, rejectsWith, settle, text, withBackend, type BackendFactory } from './conformance-helpers.js';

export function lifecycleConformance(factory: BackendFactory): void {
  const test = (name: string, fn: (backend: Backend) => Promise<void>) => it(name, () => withBackend(factory, fn));

  test('compaction discards old revisions and keeps live values', async (b) => {
    const a1 = await mustCreate(b, '/k/a', 'a1');
    const a2 = await mustUpdate(b, '/k/a', 'a2');
    const bKv = await mustCreate(b, '/k/b', 'b1');
    const bDeleted = await mustDelete(b, '/k/b');
    const c1 = await mustCreate(b, '/k/c', 'c1');
    const target = c1.modRevision;
    const c2 = await mustUpdate(b, '/k/c', 'c2');
    const d1 = await mustCreate(b, '/k/d', 'd1');
    const live = recordWatch(b, '/k/', 0);

    assert.equal(await b.compactedRevision(), 0);
    assert.equal(await b.compact(target), target);
    assert.equal(await b.compactedRevision(), target);

    for (const rev of [a1.modRevision, a2.modRevision, bKv.modRevision, bDeleted, target - 1]) {
      await rejectsWith(b.get('/k/a', rev), 'Compacted', target);
      await rejectsWith(b.list({ prefix: '/k/', revision: rev }), 'Compacted', target);
      await rejectsWith(b.list({ prefix: '/k/', revision: rev, limit: 1 }), 'Compacted', target);
    }
    // At and after the compacted revision everything is still readable.
    assert.deepEqual((await b.list({ prefix: '/k/', revision: target })).items.map(plain), [plain(a2), plain(c1)]);
    assert.deepEqual(plain(await b.get('/k/c', target)), plain(c1));
    assert.equal(await b.get('/k/b', target), null);
    assert.deepEqual((await b.list({ prefix: '/k/' })).items.map(plain), [plain(a2), plain(c2), plain(d1)]);
    assert.equal(await b.get('/k/b'), null);

    // A watch from below the compacted revision fails asynchronously; from it, replays the rest.
    const tooOld = recordWatch(b, '/k/', target - 1);
    assert.deepEqual(tooOld.errors, [], 'onError is not called synchronously from watch()');
    const err = await tooOld.untilError();
    assert.equal(err.code, 'Compacted');
    assert.equal(err.revision, target);
    assert.deepEqual(tooOld.events, []);
    const replay = recordWatch(b, '/k/', target);
    await replay.untilRevision(d1.modRevision);
    replay.assertClean({ from: target, to: d1.modRevision });
    assert.equal(replay.events[0]!.prevKv && text(replay.events[0]!.prevKv.value), 'c1');

    // Writes continue above every earlier revision; a live watcher keeps going.
    const e1 = await mustCreate(b, '/k/e', 'e1');
    assert.equal(e1.modRevision, d1.modRevision + 1);
    await live.untilCount(1);
    live.assertClean({ from: d1.modRevision, to: e1.modRevision });
    const a3 = await mustUpdate(b, '/k/a', 'a3');
    assert.equal(a3.createRevision, a1.createRevision);
    for (const w of [live, replay]) w.stop();
  });

  test('compaction at the current revision, after a delete, keeps revisions increasing', async (b) => {
    await mustCreate(b, '/k/x', 'x');
    const deleted = await mustDelete(b, '/k/x');
    assert.equal(await b.compact(deleted), deleted);
    assert.equal(await b.currentRevision(), deleted);
    assert.equal(await b.get('/k/x'), null);
    assert.deepEqual((await b.list({ prefix: '/k/' })).items, []);
    const again = await mustCreate(b, '/k/x', 'x2');
    assert.equal(again.modRevision, deleted + 1);
    assert.equal(again.createRevision, deleted + 1);
  });

  test('compaction is monotonic and refuses future revisions', async (b) => {
    for (let i = 0; i < 5; i++) await mustCreate(b, `/k/${i}`, 'x');
    const rev = await b.currentRevision();
    await b.compact(rev - 1);
    assert.equal(await b.compact(rev - 3), rev - 1, 'compacting below the compacted revision changes nothing');
    assert.equal(await b.compactedRevision(), rev - 1);
    await rejectsWith(b.compact(rev + 1), 'RevisionTooNew');
    assert.equal(await b.compactedRevision(), rev - 1);
    assert.equal((await b.list({ prefix: '/k/' })).items.length, 5);
  });

  test('compaction of many versions keeps exactly the latest state', async (b) => {
    for (let i = 0; i < 50; i++) await mustCreate(b, `/many/${i}`, '0');
    for (let round = 1; round <= 5; round++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => mustUpdate(b, `/many/${i}`, String(round))));
    }
    for (let i = 0; i < 50; i += 5) await mustDelete(b, `/many/${i}`);
    const before = await b.list({ prefix: '/many/' });
    await b.compact(before.revision);
    const after = await b.list({ prefix: '/many/' });
    assert.deepEqual(after.items.map(plain), before.items.map(plain));
    assert.equal(after.items.length, 40);
    assert.ok(after.items.every((kv) => text(kv.value) === '5'));
  });

  test('close settles pending writes; later calls fail with Closed', async (b) => {
    await mustCreate(b, '/z/a', 'a');
    const live = recordWatch(b, '/z/', 0);
    const pending: Array<Promise<WriteResult | DeleteResult>> = [b.create('/z/b', bytes('b')), b.update('/z/a', bytes('a2'), 1), b.delete('/z/a')];
    const closed = b.close();
    const settled = await Promise.allSettled(pending);
    for (const s of settled) {
      if (s.status === 'rejected') assert.equal((s.reason as { code?: string }).code, 'Closed', 'a pending write either commits or fails with Closed');
    }
    await closed;
    await b.close(); // idempotent

    await rejectsWith(b.get('/z/a'), 'Closed');
    await rejectsWith(b.list({ prefix: '/z/' }), 'Closed');
    await rejectsWith(b.create('/z/c', bytes('c')), 'Closed');
    await rejectsWith(b.update('/z/a', bytes('x'), 1), 'Closed');
    await rejectsWith(b.delete('/z/a'), 'Closed');
    await rejectsWith(b.currentRevision(), 'Closed');
    await rejectsWith(b.compactedRevision(), 'Closed');
    await rejectsWith(b.compact(1), 'Closed');

    const err = await live.untilError();
    assert.equal(err.code, 'Closed');
    const after = recordWatch(b, '/z/', 0);
    assert.deepEqual(after.errors, [], 'onError is not called synchronously from watch()');
    assert.equal((await after.untilError()).code, 'Closed');
    await settle();
    live.assertClean();
    after.assertClean();
  });
}
