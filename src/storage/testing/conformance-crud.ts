/**
 * Conformance: single-client reads and writes (create, get, update, delete, list, paging,
 * snapshots, revision bookkeeping).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Backend, KeyValue } from '../backend.js';
import { bytes, mustCreate, mustDelete, mustUpdate, plain, rejectsWith, text, withBackend, type BackendFactory } from './conformance-helpers.js';

export function crudConformance(factory: BackendFactory): void {
  const test = (name: string, fn: (backend: Backend) => Promise<void>) => it(name, () => withBackend(factory, fn));

  test('create then get returns the value at one new revision', async (b) => {
    const base = await b.currentRevision();
    assert.ok(base >= 0);
    const res = await b.create('/t/a', bytes('v1'));
    assert.ok(res.ok);
    assert.deepEqual(plain(res.kv), { key: '/t/a', value: 'v1', createRevision: base + 1, modRevision: base + 1 });
    assert.equal(await b.currentRevision(), base + 1);
    assert.deepEqual(plain(await b.get('/t/a')), plain(res.kv));
  });

  test('get of a missing key is null', async (b) => {
    await mustCreate(b, '/t/a', 'v');
    assert.equal(await b.get('/t/b'), null);
    assert.equal(await b.get('/t/'), null);
    assert.equal(await b.get('/t/a/'), null);
  });

  test('values are opaque bytes (binary, empty, large)', async (b) => {
    const cases: Array<[string, Uint8Array]> = [
      ['/bin/zeros', new Uint8Array([0, 0, 0])],
      ['/bin/all', Uint8Array.from({ length: 256 }, (_, i) => i)],
      ['/bin/invalid-utf8', new Uint8Array([0xc3, 0x28, 0xff, 0xfe])],
      ['/bin/empty', new Uint8Array(0)],
      ['/bin/large', Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7) & 0xff)],
    ];
    for (const [key, value] of cases) {
      const res = await b.create(key, value);
      assert.ok(res.ok, key);
      assert.deepEqual(Uint8Array.from((await b.get(key))!.value), value, key);
    }
    const listed = await b.list({ prefix: '/bin/' });
    assert.equal(listed.items.length, cases.length);
    for (const kv of listed.items) assert.deepEqual(Uint8Array.from(kv.value), cases.find(([k]) => k === kv.key)![1], kv.key);
  });

  test('the stored value does not change when the caller reuses its array', async (b) => {
    const buf = bytes('original');
    const created = b.create('/t/a', buf);
    buf.fill(0x41);
    assert.ok((await created).ok);
    assert.equal(text((await b.get('/t/a'))!.value), 'original');
  });

  test('create of an existing key fails with the current version and consumes no revision', async (b) => {
    const first = await mustCreate(b, '/t/a', 'v1');
    const rev = await b.currentRevision();
    const res = await b.create('/t/a', bytes('v2'));
    assert.equal(res.ok, false);
    assert.deepEqual(plain(res.ok ? null : res.current), plain(first));
    assert.equal(await b.currentRevision(), rev);
    assert.equal(text((await b.get('/t/a'))!.value), 'v1');
  });

  const updateCases: Array<{ name: string; prepare(b: Backend): Promise<{ expected: number; current: KeyValue | null }>; ok: boolean }> = [
    {
      name: 'update with the current revision succeeds',
      ok: true,
      async prepare(b) {
        const kv = await mustCreate(b, '/u/k', 'v1');
        return { expected: kv.modRevision, current: kv };
      },
    },
    {
      name: 'update with a stale revision fails with the current version',
      ok: false,
      async prepare(b) {
        const kv = await mustCreate(b, '/u/k', 'v1');
        const now = await mustUpdate(b, '/u/k', 'v1b');
        return { expected: kv.modRevision, current: now };
      },
    },
    {
      name: 'update with a future revision fails with the current version',
      ok: false,
      async prepare(b) {
        const kv = await mustCreate(b, '/u/k', 'v1');
        return { expected: kv.modRevision + 100, current: kv };
      },
    },
    {
      name: 'update of a missing key fails with current null',
      ok: false,
      async prepare(b) {
        const other = await mustCreate(b, '/u/other', 'x');
        return { expected: other.modRevision, current: null };
      },
    },
    {
      name: 'update of a deleted key fails with current null',
      ok: false,
      async prepare(b) {
        const kv = await mustCreate(b, '/u/k', 'v1');
        await mustDelete(b, '/u/k');
        return { expected: kv.modRevision, current: null };
      },
    },
  ];
  for (const tc of updateCases) {
    test(tc.name, async (b) => {
      const { expected, current } = await tc.prepare(b);
      const before = await b.currentRevision();
      const res = await b.update('/u/k', bytes('v2'), expected);
      if (tc.ok) {
        assert.ok(res.ok);
        assert.deepEqual(plain(res.kv), { key: '/u/k', value: 'v2', createRevision: current!.createRevision, modRevision: before + 1 });
        assert.deepEqual(plain(await b.get('/u/k')), plain(res.kv));
        assert.equal(await b.currentRevision(), before + 1);
      } else {
        assert.equal(res.ok, false);
        assert.deepEqual(plain(res.ok ? null : res.current), plain(current));
        assert.deepEqual(plain(await b.get('/u/k')), plain(current));
        assert.equal(await b.currentRevision(), before, 'a failed update consumes no revision');
      }
    });
  }

  const deleteCases: Array<{ name: string; key: string; expected(kv: KeyValue): number | undefined; ok: boolean; stale?: boolean }> = [
    { name: 'delete without an expected revision succeeds', key: '/d/k', expected: () => undefined, ok: true },
    { name: 'delete with the current revision succeeds', key: '/d/k', expected: (kv) => kv.modRevision, ok: true },
    { name: 'delete with a stale revision fails with the current version', key: '/d/k', expected: (kv) => kv.modRevision - 1, ok: false, stale: true },
    { name: 'delete of a missing key fails with current null', key: '/d/missing', expected: () => undefined, ok: false },
    { name: 'delete of a missing key with a revision fails with current null', key: '/d/missing', expected: (kv) => kv.modRevision, ok: false },
  ];
  for (const tc of deleteCases) {
    test(tc.name, async (b) => {
      await mustCreate(b, '/d/k', 'v1');
      const kv = await mustUpdate(b, '/d/k', 'v2');
      const before = await b.currentRevision();
      const res = await b.delete(tc.key, tc.expected(kv));
      if (tc.ok) {
        assert.ok(res.ok);
        assert.equal(res.revision, before + 1);
        assert.deepEqual(plain(res.kv), plain(kv), 'a delete returns the deleted version');
        assert.equal(await b.get(tc.key), null);
        assert.deepEqual((await b.list({ prefix: '/d/' })).items, []);
        assert.equal(await b.currentRevision(), before + 1);
        const again = await b.delete(tc.key);
        assert.deepEqual(again, { ok: false, current: null });
      } else {
        assert.equal(res.ok, false);
        assert.deepEqual(plain(res.ok ? null : res.current), tc.stale ? plain(kv) : null);
        assert.equal(await b.currentRevision(), before, 'a failed delete consumes no revision');
        assert.deepEqual(plain(await b.get('/d/k')), plain(kv));
      }
    });
  }

  test('a key re-created after delete gets a new createRevision', async (b) => {
    await mustCreate(b, '/t/a', 'v1');
    await mustDelete(b, '/t/a');
    const again = await mustCreate(b, '/t/a', 'v2');
    assert.equal(again.createRevision, await b.currentRevision());
    assert.equal(again.modRevision, again.createRevision);
    const updated = await mustUpdate(b, '/t/a', 'v3');
    assert.equal(updated.createRevision, again.createRevision);
  });

  test('every successful write is exactly one revision, strictly increasing', async (b) => {
    const base = await b.currentRevision();
    const revisions: number[] = [];
    revisions.push((await mustCreate(b, '/r/a', '1')).modRevision);
    revisions.push((await mustCreate(b, '/r/b', '1')).modRevision);
    revisions.push((await mustUpdate(b, '/r/a', '2')).modRevision);
    assert.equal((await b.update('/r/a', bytes('x'), 1 + base)).ok, false);
    revisions.push(await mustDelete(b, '/r/b'));
    assert.equal((await b.delete('/r/b')).ok, false);
    assert.equal((await b.create('/r/a', bytes('x'))).ok, false);
    revisions.push((await mustCreate(b, '/r/b', '2')).modRevision);
    revisions.push((await mustUpdate(b, '/r/b', '3')).modRevision);
    assert.deepEqual(revisions, [1, 2, 3, 4, 5, 6].map((n) => base + n));
    assert.equal(await b.currentRevision(), base + 6);
  });

  test('list selects keys by literal prefix, sorted, without siblings', async (b) => {
    const keys = ['/a/b', '/a/b/', '/a/b/c', '/a/b/d/e', '/a/bc/', '/a/bc/d', '/a/c', '/b', '/a/b0'];
    for (const key of keys) await mustCreate(b, key, `value of ${key}`);
    const cases: Array<[string, string[]]> = [
      ['/a/b/', ['/a/b/', '/a/b/c', '/a/b/d/e']],
      ['/a/bc/', ['/a/bc/', '/a/bc/d']],
      ['/a/b', ['/a/b', '/a/b/', '/a/b/c', '/a/b/d/e', '/a/b0', '/a/bc/', '/a/bc/d']],
      ['/a/', ['/a/b', '/a/b/', '/a/b/c', '/a/b/d/e', '/a/b0', '/a/bc/', '/a/bc/d', '/a/c']],
      ['', [...keys].sort()],
      ['/z/', []],
      ['/a/b/c', ['/a/b/c']],
    ];
    const rev = await b.currentRevision();
    for (const [prefix, expected] of cases) {
      const res = await b.list({ prefix });
      assert.deepEqual(res.items.map((kv) => kv.key), expected, `prefix ${JSON.stringify(prefix)}`);
      assert.equal(res.revision, rev);
      assert.equal(res.remaining, 0);
      for (const kv of res.items) assert.equal(text(kv.value), `value of ${kv.key}`);
    }
  });

  test('keys are ordered by their bytes (code points) and prefixes match non-ASCII keys', async (b) => {
    const keys = ['/u/z', '/u/é', '/u/éa', '/u/ê', '/u/\uFFFD', '/u/😀', '/u/😀/x', '/u/😁'];
    for (const key of [...keys].reverse()) await mustCreate(b, key, key);
    // UTF-8 byte order, as etcd: z (7a) < é (c3 a9) < ê (c3 aa) < U+FFFD (ef bf bd) < 😀 (f0 9f 98 80).
    assert.deepEqual((await b.list({ prefix: '/u/' })).items.map((kv) => kv.key), keys);
    const cases: Array<[string, string[]]> = [
      ['/u/é', ['/u/é', '/u/éa']],
      ['/u/😀', ['/u/😀', '/u/😀/x']],
      ['/u/\uFFFD', ['/u/\uFFFD']],
    ];
    for (const [prefix, expected] of cases) assert.deepEqual((await b.list({ prefix })).items.map((kv) => kv.key), expected, prefix);
    const page = await b.list({ prefix: '/u/', startAfter: '/u/ê', limit: 2 });
    assert.deepEqual([page.items.map((kv) => kv.key), page.remaining], [['/u/\uFFFD', '/u/😀'], 2]);
  });

  test('list reflects updates and deletes', async (b) => {
    const a = await mustCreate(b, '/l/a', 'a1');
    await mustCreate(b, '/l/b', 'b1');
    await mustCreate(b, '/l/c', 'c1');
    const a2 = await mustUpdate(b, '/l/a', 'a2');
    await mustDelete(b, '/l/b');
    const res = await b.list({ prefix: '/l/' });
    assert.deepEqual(res.items.map(plain), [
      { key: '/l/a', value: 'a2', createRevision: a.createRevision, modRevision: a2.modRevision },
      plain(await b.get('/l/c')),
    ]);
  });

  test('limit and startAfter page through a list with remaining counts, at a pinned revision', async (b) => {
    const keys = Array.from({ length: 25 }, (_, i) => `/p/k${String(i).padStart(2, '0')}`);
    for (const key of keys) await mustCreate(b, key, key);
    await mustCreate(b, '/pz', 'sibling outside the prefix');
    const pinned = await b.currentRevision();
    const seen: string[] = [];
    const remainings: number[] = [];
    let startAfter: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await b.list({ prefix: '/p/', limit: 10, startAfter, revision: page === 0 ? undefined : pinned });
      assert.equal(res.revision, pinned);
      seen.push(...res.items.map((kv) => kv.key));
      remainings.push(res.remaining);
      if (res.remaining === 0) break;
      startAfter = res.items.at(-1)!.key;
      // Writes between pages must not change what the pinned pages show.
      await mustCreate(b, `/p/k${page}x`, 'new');
      await mustDelete(b, keys[24 - page]!);
      await mustUpdate(b, keys[10 * (page + 1)]!, 'changed');
    }
    assert.deepEqual(seen, keys);
    assert.deepEqual(remainings, [15, 5, 0]);

    const cases: Array<{ limit?: number; startAfter?: string; expectKeys: number; remaining: number }> = [
      { limit: 0, expectKeys: 25, remaining: 0 },
      { limit: 25, expectKeys: 25, remaining: 0 },
      { limit: 100, expectKeys: 25, remaining: 0 },
      { limit: 24, expectKeys: 24, remaining: 1 },
      { startAfter: keys[19], expectKeys: 5, remaining: 0 },
      { startAfter: keys[19], limit: 2, expectKeys: 2, remaining: 3 },
      { startAfter: '/p/k05a', limit: 1, expectKeys: 1, remaining: 18 },
      { startAfter: '/p/', limit: 1, expectKeys: 1, remaining: 24 },
      { startAfter: '/p/zzz', expectKeys: 0, remaining: 0 },
      { startAfter: '/a', limit: 3, expectKeys: 3, remaining: 22 },
    ];
    for (const tc of cases) {
      const res = await b.list({ prefix: '/p/', limit: tc.limit, startAfter: tc.startAfter, revision: pinned });
      assert.equal(res.items.length, tc.expectKeys, JSON.stringify(tc));
      assert.equal(res.remaining, tc.remaining, JSON.stringify(tc));
      const expected = keys.filter((k) => tc.startAfter === undefined || k > tc.startAfter).slice(0, tc.expectKeys);
      assert.deepEqual(res.items.map((kv) => kv.key), expected, JSON.stringify(tc));
    }
  });

  test('get and list at an old revision read a consistent snapshot', async (b) => {
    const r1 = (await mustCreate(b, '/s/a', 'a1')).modRevision;
    const r2 = (await mustCreate(b, '/s/b', 'b1')).modRevision;
    const r3 = (await mustUpdate(b, '/s/a', 'a2')).modRevision;
    const r4 = await mustDelete(b, '/s/b');
    const r5 = (await mustCreate(b, '/s/c', 'c1')).modRevision;
    const r6 = (await mustCreate(b, '/s/b', 'b2')).modRevision;
    const snapshots: Array<[number, Record<string, [string, number, number]>]> = [
      [r1 - 1, {}],
      [r1, { '/s/a': ['a1', r1, r1] }],
      [r2, { '/s/a': ['a1', r1, r1], '/s/b': ['b1', r2, r2] }],
      [r3, { '/s/a': ['a2', r1, r3], '/s/b': ['b1', r2, r2] }],
      [r4, { '/s/a': ['a2', r1, r3] }],
      [r5, { '/s/a': ['a2', r1, r3], '/s/c': ['c1', r5, r5] }],
      [r6, { '/s/a': ['a2', r1, r3], '/s/b': ['b2', r6, r6], '/s/c': ['c1', r5, r5] }],
    ];
    for (const [rev, state] of snapshots) {
      if (rev <= 0) continue;
      const expected = Object.entries(state).map(([key, [value, createRevision, modRevision]]) => ({ key, value, createRevision, modRevision }));
      const listed = await b.list({ prefix: '/s/', revision: rev });
      assert.equal(listed.revision, rev);
      assert.deepEqual(listed.items.map(plain), expected, `list at ${rev}`);
      for (const key of ['/s/a', '/s/b', '/s/c']) {
        assert.deepEqual(plain(await b.get(key, rev)), expected.find((kv) => kv.key === key) ?? null, `get ${key} at ${rev}`);
      }
      const paged = await b.list({ prefix: '/s/', revision: rev, limit: 1 });
      assert.deepEqual(paged.items.map(plain), expected.slice(0, 1), `first page at ${rev}`);
      assert.equal(paged.remaining, Math.max(0, expected.length - 1));
    }
  });

  test('reading at a revision newer than the current one fails with RevisionTooNew', async (b) => {
    await mustCreate(b, '/n/a', 'v');
    const rev = await b.currentRevision();
    await rejectsWith(b.get('/n/a', rev + 1), 'RevisionTooNew', rev);
    await rejectsWith(b.list({ prefix: '/n/', revision: rev + 1 }), 'RevisionTooNew', rev);
    await rejectsWith(b.list({ prefix: '/n/', revision: rev + 1000, limit: 1 }), 'RevisionTooNew', rev);
    assert.equal(text((await b.get('/n/a', rev))!.value), 'v');
  });
}
