/**
 * Conformance: watch. Events arrive in revision order without gaps or duplicates, history
 * first and then live, filtered by prefix; a committed write's events are delivered before its
 * promise resolves; stop() is final; a throwing watcher harms nobody.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Backend, WatchEvent } from '../backend.js';
import { bytes, historyStart, mustCreate, mustDelete, mustUpdate, plain, plainEvent, recordWatch, settle, waitFor, withBackend, type BackendFactory } from './conformance-helpers.js';

export function watchConformance(factory: BackendFactory): void {
  const test = (name: string, fn: (backend: Backend) => Promise<void>) => it(name, () => withBackend(factory, fn));

  test('delivers create, update and delete in order, with prevKv', async (b) => {
    const w = recordWatch(b, '/w/', 0);
    const v1 = await mustCreate(b, '/w/a', 'v1');
    const v2 = await mustUpdate(b, '/w/a', 'v2');
    const deleted = await mustDelete(b, '/w/a');
    await w.untilCount(3);
    w.assertClean({ from: v1.modRevision - 1, to: deleted });
    assert.deepEqual(
      w.events.map(plainEvent),
      [
        { type: 'put', revision: v1.modRevision, kv: plain(v1), prevKv: null },
        { type: 'put', revision: v2.modRevision, kv: plain(v2), prevKv: plain(v1) },
        { type: 'delete', revision: deleted, kv: plain(v2), prevKv: null },
      ],
    );
    w.stop();
  });

  test('a write resolves only after its events were delivered', async (b) => {
    const w = recordWatch(b, '/w/', 0);
    const first = await mustCreate(b, '/w/a', 'v1');
    assert.deepEqual(w.revisions(), [first.modRevision]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        b.create(`/w/k${i}`, bytes('x')).then((res) => {
          assert.ok(res.ok);
          assert.ok(w.revisions().includes(res.kv.modRevision), `event ${res.kv.modRevision} delivered before the write resolved`);
          return res.kv.modRevision;
        }),
      ),
    );
    const deleted = await b.delete('/w/a');
    assert.ok(deleted.ok);
    assert.equal(w.events.at(-1)!.revision, deleted.revision);
    w.assertClean({ from: first.modRevision - 1, to: Math.max(...results, deleted.revision) });
    w.stop();
  });

  test('watch from 0 starts now', async (b) => {
    await mustCreate(b, '/w/old', 'x');
    const w = recordWatch(b, '/w/', 0);
    const kv = await mustCreate(b, '/w/new', 'y');
    await w.untilCount(1);
    assert.deepEqual(w.events.map((e) => e.kv.key), ['/w/new']);
    w.assertClean({ from: kv.modRevision - 1, to: kv.modRevision });
    w.stop();
  });

  test('watch from an old revision replays history, then continues live', async (b) => {
    const revs: number[] = [];
    for (let i = 0; i < 10; i++) revs.push((await mustCreate(b, `/h/${i}`, `v${i}`)).modRevision);
    await mustUpdate(b, '/h/3', 'v3b');
    await mustDelete(b, '/h/4');
    const from = revs[2]!;
    const w = recordWatch(b, '/h/', from);
    const historyEnd = await b.currentRevision();
    await w.untilRevision(historyEnd);
    for (let i = 10; i < 15; i++) await mustCreate(b, `/h/${i}`, `v${i}`);
    const end = await b.currentRevision();
    await w.untilRevision(end);
    w.assertClean({ from, to: end });
    // The replayed events are exactly what a live watcher saw.
    w.stop();
    const live = recordWatch(b, '/h/', 0);
    await mustUpdate(b, '/h/5', 'v5b');
    const replay = recordWatch(b, '/h/', from);
    await replay.untilRevision(end + 1);
    await live.untilCount(1);
    assert.deepEqual(replay.events.map(plainEvent), [...w.events, ...live.events].map(plainEvent));
    for (const r of [live, replay]) r.stop();
  });

  test('no gap or duplicate when writes race with the start of watches', async (b) => {
    const base = await historyStart(b);
    const watchers: Array<{ from: number; rec: ReturnType<typeof recordWatch> }> = [];
    let writes = 0;
    const writer = async (id: number) => {
      for (let i = 0; i < 60; i++) {
        const res = await b.create(`/race/${id}/${i}`, bytes(String(i)));
        assert.ok(res.ok);
        writes++;
        // Start watches while writes are in flight: some from the past, some from "now".
        if (writes % 20 === 0) {
          const now = await b.currentRevision();
          watchers.push({ from: Math.max(base, now - 15), rec: recordWatch(b, '/race/', Math.max(base, now - 15)) });
          const rec = recordWatch(b, '/race/', 0);
          watchers.push({ from: -1, rec });
        }
      }
    };
    const early = recordWatch(b, '/race/', base);
    await Promise.all([writer(1), writer(2), writer(3), writer(4)]);
    const end = (await mustCreate(b, '/race/final', 'x')).modRevision;
    assert.equal(end, base + 241);
    await early.untilRevision(end);
    early.assertClean({ from: base, to: end });
    for (const { from, rec } of watchers) {
      await rec.untilRevision(end);
      if (from >= 0) rec.assertClean({ from, to: end });
      else {
        // "from now": whatever the start, the events are then contiguous up to the end.
        const first = rec.events[0]!.revision;
        rec.assertClean({ from: first - 1, to: end });
      }
      rec.stop();
    }
    early.stop();
  });

  test('a watch only sees keys under its prefix, in history and live', async (b) => {
    const base = await historyStart(b);
    const live = recordWatch(b, '/f/a/', 0);
    const keys = ['/f/a/1', '/f/ab', '/f/b/1', '/f/a', '/f/a/2', '/f/a/', '/f/a/b/c'];
    for (const key of keys) await mustCreate(b, key, key);
    await mustDelete(b, '/f/ab');
    await mustDelete(b, '/f/a/1');
    const history = recordWatch(b, '/f/a/', base);
    await history.untilCount(5);
    await live.untilCount(5);
    const expected = [
      ['put', '/f/a/1'],
      ['put', '/f/a/2'],
      ['put', '/f/a/'],
      ['put', '/f/a/b/c'],
      ['delete', '/f/a/1'],
    ];
    assert.deepEqual(live.events.map((e) => [e.type, e.kv.key]), expected);
    assert.deepEqual(history.events.map(plainEvent), live.events.map(plainEvent));
    live.assertClean();
    history.assertClean();
    live.stop();
    history.stop();
  });

  test('several watchers on one prefix see the same sequence', async (b) => {
    const recs = Array.from({ length: 5 }, () => recordWatch(b, '/m/', 0));
    await Promise.all(Array.from({ length: 50 }, (_, i) => b.create(`/m/${i}`, bytes('x'))));
    const end = await b.currentRevision();
    for (const r of recs) {
      await r.untilRevision(end);
      r.assertClean({ from: end - 50, to: end });
      assert.deepEqual(r.events.map(plainEvent), recs[0]!.events.map(plainEvent));
      r.stop();
    }
  });

  test('stop() ends delivery at once and is idempotent', async (b) => {
    const w = recordWatch(b, '/s/', 0);
    const control = recordWatch(b, '/s/', 0);
    await mustCreate(b, '/s/1', 'x');
    assert.equal(w.events.length, 1);
    w.stop();
    w.handle.stop();
    await mustCreate(b, '/s/2', 'x');
    await control.untilCount(2);
    assert.equal(w.events.length, 1);
    w.assertClean();
    assert.deepEqual(w.errors, []);
    control.stop();
  });

  test('stop() inside onEvents, and stop() before history replay, deliver nothing more', async (b) => {
    const base = await historyStart(b);
    for (let i = 0; i < 5; i++) await mustCreate(b, `/s/${i}`, 'x');
    const stopInside = recordWatch(b, '/s/', base, { onEvents: (_events, rec) => rec.stop() });
    const stopAtOnce = recordWatch(b, '/s/', base);
    stopAtOnce.stop();
    const control = recordWatch(b, '/s/', base);
    await control.untilCount(5);
    await mustCreate(b, '/s/live', 'x');
    await control.untilCount(6);
    await settle();
    assert.ok(stopInside.events.length >= 1 && stopInside.events.length <= 5, 'one batch, then nothing');
    assert.deepEqual(stopAtOnce.events, []);
    stopInside.assertClean();
    stopAtOnce.assertClean();
    control.stop();
  });

  test('a throwing watcher breaks neither the backend nor other watchers', async (b) => {
    const thrower = b.watch('/t/', 0, {
      onEvents() {
        throw new Error('watcher bug');
      },
      onError() {},
    });
    const seen: WatchEvent[] = [];
    const healthy = b.watch('/t/', 0, { onEvents: (events) => seen.push(...events), onError() {} });
    for (let i = 0; i < 5; i++) await mustCreate(b, `/t/${i}`, 'x');
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => b.create(`/t/b${i}`, bytes('x'))));
    assert.ok(burst.every((r) => r.ok));
    await waitFor(() => seen.length === 15, () => `15 events (have ${seen.length})`);
    assert.equal((await b.list({ prefix: '/t/' })).items.length, 15);
    thrower.stop();
    healthy.stop();
  });

  test('a watch from a future revision delivers only events after it', async (b) => {
    const now = await b.currentRevision();
    const w = recordWatch(b, '/fu/', now + 2);
    for (let i = 0; i < 4; i++) await mustCreate(b, `/fu/${i}`, 'x');
    await w.untilRevision(now + 4);
    w.assertClean({ from: now + 2, to: now + 4 });
    w.stop();
  });
}
