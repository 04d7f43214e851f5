import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { after, describe, it } from 'node:test';
import { runBackendConformance } from '../testing/conformance.js';
import { bytes, mustCreate, mustDelete, mustUpdate, plain, recordWatch, rejectsWith, text } from '../testing/conformance-helpers.js';
import { createSqliteBackend, type SqliteBackend } from './sqlite-backend.js';

const root = mkdtempSync(join(tmpdir(), 'insignia-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let seq = 0;

function freshPath(): string {
  return join(root, `db${++seq}.sqlite`);
}

/** Opens the file with a plain connection (the backend must be closed). */
function inspect<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function integrity(path: string): string {
  return inspect(path, (db) => db.pragma('integrity_check', { simple: true }) as string);
}

runBackendConformance('sqlite', async () => {
  const path = freshPath();
  const backend = createSqliteBackend({ path });
  return {
    backend,
    async cleanup() {
      await backend.close();
      assert.equal(integrity(path), 'ok');
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    },
  };
});

describe('sqlite backend specifics', () => {
  it('a new store starts at revision 0, with the WAL journal and the MVCC indexes', async () => {
    const path = freshPath();
    const b = createSqliteBackend({ path });
    assert.equal(await b.currentRevision(), 0);
    assert.equal(await b.compactedRevision(), 0);
    await b.close();
    const normal = createSqliteBackend({ path, synchronous: 'NORMAL' });
    await normal.close();
    inspect(path, (db) => {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const indexes = db.prepare<[], { name: string; unique: number }>(`SELECT name, "unique" FROM pragma_index_list('kv')`).all();
      assert.deepEqual(indexes.map((i) => [i.name, i.unique]).sort(), [
        ['kv_name_id', 0],
        ['kv_name_prev_revision', 1],
      ]);
    });
  });

  it('data, revisions and the compacted revision survive close and reopen', async () => {
    const path = freshPath();
    let b = createSqliteBackend({ path });
    const a = await mustCreate(b, '/p/a', 'a1');
    const a2 = await mustUpdate(b, '/p/a', 'a2');
    await mustCreate(b, '/p/b', 'b');
    const deleted = await mustDelete(b, '/p/b');
    await b.compact(a2.modRevision);
    const pending = Array.from({ length: 50 }, (_, i) => b.create(`/p/pending/${i}`, bytes(String(i))));
    await b.close();
    assert.ok((await Promise.all(pending)).every((r) => r.ok), 'writes pending at close are committed');
    assert.equal(integrity(path), 'ok');

    b = createSqliteBackend({ path });
    assert.equal(await b.currentRevision(), deleted + 50);
    assert.equal(await b.compactedRevision(), a2.modRevision);
    assert.deepEqual(plain(await b.get('/p/a')), { key: '/p/a', value: 'a2', createRevision: a.createRevision, modRevision: a2.modRevision });
    assert.equal(await b.get('/p/b'), null);
    assert.equal((await b.list({ prefix: '/p/pending/' })).items.length, 50);
    await rejectsWith(b.get('/p/a', a.modRevision), 'Compacted', a2.modRevision);
    const next = await mustCreate(b, '/p/c', 'c');
    assert.equal(next.modRevision, deleted + 51);
    await b.close();
  });

  it('revisions continue above every revision handed out, even if the newest rows are gone', async () => {
    const path = freshPath();
    let b = createSqliteBackend({ path });
    await mustCreate(b, '/x', 'x');
    const deleted = await mustDelete(b, '/x');
    await b.compact(deleted);
    await b.close();
    // Even if every row disappeared, AUTOINCREMENT remembers the highest revision.
    inspect(path, (db) => db.exec('DELETE FROM kv'));
    b = createSqliteBackend({ path });
    assert.equal(await b.currentRevision(), deleted);
    assert.equal((await mustCreate(b, '/x', 'again')).modRevision, deleted + 1);
    await b.close();
  });

  it('the unique (name, prev_revision) index refuses two writes based on the same row', async () => {
    const path = freshPath();
    const b = createSqliteBackend({ path });
    const kv = await mustCreate(b, '/u', 'v1');
    await b.close();
    inspect(path, (db) => {
      const insert = db.prepare('INSERT INTO kv (name, created, deleted, create_revision, prev_revision, value) VALUES (?, 0, 0, ?, ?, ?)');
      insert.run('/u', kv.createRevision, kv.modRevision, Buffer.from('v2'));
      assert.throws(() => insert.run('/u', kv.createRevision, kv.modRevision, Buffer.from('v2 again')), /UNIQUE constraint failed/);
    });
  });

  it('group commit: 200 concurrent creates take far fewer transactions than writes', async () => {
    const b = createSqliteBackend({ path: freshPath() });
    const before = b.stats();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => b.create(`/g/${i}`, bytes('x'))));
    assert.ok(results.every((r) => r.ok));
    const stats = b.stats();
    assert.equal(stats.writes - before.writes, 200);
    assert.ok(stats.transactions - before.transactions <= 4, `200 writes took ${stats.transactions - before.transactions} transactions`);
    await b.close();
  });

  it('a burst larger than one batch is split across transactions and keeps issue order', async () => {
    const b = createSqliteBackend({ path: freshPath() });
    const base = await b.currentRevision();
    const results = await Promise.all(Array.from({ length: 3000 }, (_, i) => b.create(`/g/${i}`, bytes('x'))));
    results.forEach((r, i) => assert.ok(r.ok && r.kv.modRevision === base + 1 + i, `write ${i} got revision ${r.ok && r.kv.modRevision}`));
    const stats = b.stats();
    assert.ok(stats.transactions >= 3 && stats.transactions <= 10, `${stats.transactions} transactions`);
    assert.ok(stats.maxBatch <= 1024);
    await b.close();
  });

  it('a write that cannot be stored fails alone, without consuming a revision', async () => {
    const path = freshPath();
    // A trigger created through a second connection poisons one key.
    const setup = createSqliteBackend({ path });
    await setup.close();
    inspect(path, (db) => db.exec(`CREATE TRIGGER poison BEFORE INSERT ON kv WHEN NEW.name = '/poison' BEGIN SELECT RAISE(ABORT, 'injected failure'); END;`));
    const b = createSqliteBackend({ path });
    const w = recordWatch(b, '/', 0);
    const base = await b.currentRevision();
    const [good1, bad, good2] = await Promise.allSettled([b.create('/ok1', bytes('x')), b.create('/poison', bytes('x')), b.create('/ok2', bytes('x'))]);
    assert.equal(good1.status, 'fulfilled');
    assert.equal(good2.status, 'fulfilled');
    assert.equal(bad.status, 'rejected');
    assert.equal((bad as PromiseRejectedResult).reason.code, 'Internal');
    assert.equal(await b.currentRevision(), base + 2);
    assert.equal((await mustCreate(b, '/ok3', 'x')).modRevision, base + 3);
    w.assertClean({ from: base, to: base + 3 });
    w.stop();
    await b.close();
    assert.equal(integrity(path), 'ok');
  });

  it('when the database cannot commit, the whole batch fails and no revision is consumed', async () => {
    const path = freshPath();
    const b = createSqliteBackend({ path, busyTimeoutMs: 20 });
    const base = (await mustCreate(b, '/before', 'x')).modRevision;
    const w = recordWatch(b, '/', 0);
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE'); // another writer holds the lock
      const settled = await Promise.allSettled([b.create('/a', bytes('x')), b.create('/b', bytes('x')), b.delete('/before')]);
      for (const s of settled) {
        assert.equal(s.status, 'rejected');
        assert.equal((s as PromiseRejectedResult).reason.code, 'Internal');
      }
      assert.equal(await b.currentRevision(), base);
      assert.deepEqual(w.events, []);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    assert.equal((await mustCreate(b, '/a', 'x')).modRevision, base + 1);
    w.assertClean({ from: base, to: base + 1 });
    w.stop();
    await b.close();
  });

  it('replays history larger than one chunk while writes continue', async () => {
    const b = createSqliteBackend({ path: freshPath() });
    const base = (await mustCreate(b, '/start', 'x')).modRevision;
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 500 }, (_, i) => b.create(`/h/${round}/${i}`, bytes('x'))));
    }
    const w = recordWatch(b, '/h/', base);
    const more = Promise.all(Array.from({ length: 300 }, (_, i) => b.create(`/h/more/${i}`, bytes('x'))));
    await more;
    const end = await b.currentRevision();
    await w.untilRevision(end);
    w.assertClean({ from: base, to: end });
    assert.equal(w.events.length, 2800);
    w.stop();
    await b.close();
  });

  it('compaction deletes superseded rows and tombstones, in chunks, while writes continue', async () => {
    const path = freshPath();
    const b: SqliteBackend = createSqliteBackend({ path });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => b.create(`/c/${i}`, bytes('0'))));
    for (let round = 1; round <= 3; round++) {
      await Promise.all(Array.from({ length: 1000 }, (_, i) => mustUpdate(b, `/c/${i}`, String(round))));
    }
    await Promise.all(Array.from({ length: 100 }, (_, i) => mustDelete(b, `/c/${i * 10}`)));
    await mustUpdate(b, '/c/1', 'last'); // the newest row is live, so it is not the kept tombstone
    const snapshot = await b.list({ prefix: '/c/' });
    const target = snapshot.revision;
    const compacting = b.compact(target);
    const during = await Promise.all(Array.from({ length: 100 }, (_, i) => mustUpdate(b, `/c/${i * 10 + 1}`, 'during')));
    assert.equal(await compacting, target);
    assert.deepEqual((await b.list({ prefix: '/c/', revision: target })).items.map(plain), snapshot.items.map(plain));
    const now = await b.list({ prefix: '/c/' });
    assert.equal(now.items.length, 900);
    assert.equal(now.items.filter((kv) => text(kv.value) === 'during').length, 100);
    assert.ok(during.every((kv) => kv.modRevision > target));
    assert.ok(b.stats().compactedRows >= 3100, `${b.stats().compactedRows} rows compacted`);
    await b.close();
    inspect(path, (db) => {
      const atOrBelow = db.prepare<[number], number>('SELECT COUNT(*) FROM kv WHERE id <= ?').pluck().get(target);
      assert.equal(atOrBelow, 900, 'one row per live key at the compacted revision');
      assert.equal(db.prepare<[], number>('SELECT COUNT(*) FROM kv').pluck().get(), 1000);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    });
  });

  it('every acknowledged write survives SIGKILL of the writing process', async () => {
    const path = freshPath();
    const script = fileURLToPath(new URL('../testing/sqlite-crash-writer.ts', import.meta.url));
    const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, '32'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        // Kill mid-stream, once plenty of writes (and some compactions) have been acknowledged.
        if (out.split('\n').length > 3000) resolve();
      });
      child.on('exit', () => reject(new Error(`crash writer exited early: ${err}`)));
    });
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const lines = out.split('\n').slice(0, -1); // the last piece may be a partial line
    assert.equal(lines[0], 'READY');
    const created = new Set<string>();
    const updated = new Set<string>();
    for (const line of lines.slice(1)) {
      const [op, key] = line.split(' ');
      (op === 'C' ? created : updated).add(key!);
    }
    assert.ok(created.size > 1000, `${created.size} acknowledged creates`);

    assert.equal(integrity(path), 'ok');
    const b = createSqliteBackend({ path });
    const listed = await b.list({ prefix: '/crash/' });
    const byKey = new Map(listed.items.map((kv) => [kv.key, kv]));
    assert.equal(byKey.size, listed.items.length, 'every key appears once');
    for (const key of created) assert.ok(byKey.has(key), `acknowledged create of ${key} was lost`);
    for (const key of updated) assert.equal(text(byKey.get(key)!.value), 'v2', `acknowledged update of ${key} was lost`);
    const maxRevision = Math.max(...listed.items.map((kv) => kv.modRevision));
    assert.ok((await b.currentRevision()) >= maxRevision);
    assert.ok((await mustCreate(b, '/after-crash', 'x')).modRevision > maxRevision);
    await b.close();
    inspect(path, (db) => {
      const dupes = db.prepare('SELECT name FROM kv WHERE created = 1 GROUP BY name HAVING COUNT(*) > 1').all();
      assert.deepEqual(dupes, [], 'no key was created twice');
    });
    assert.equal(integrity(path), 'ok');
  });
});
