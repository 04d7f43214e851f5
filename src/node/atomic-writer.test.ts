import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readCurrent, validatePayloadPath, writeAtomic, type FileProjection } from './atomic-writer.js';

const file = (data: string, mode = 0o644): FileProjection => ({ data: Buffer.from(data), mode });
const payloadOf = (entries: Record<string, FileProjection>) => new Map(Object.entries(entries));

let tmp: string;
let seq = 0;
const freshDir = () => path.join(tmp, `vol-${++seq}`);
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'atomic-writer-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

async function visible(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    const st = await fs.lstat(path.join(dir, name));
    out[name] = st.isSymbolicLink() ? `-> ${await fs.readlink(path.join(dir, name))}` : st.isDirectory() ? 'dir' : 'file';
  }
  return out;
}

describe('writeAtomic layout', () => {
  it('writes a timestamped dir, ..data and one link per top-level entry', async () => {
    const dir = freshDir();
    const now = Date.UTC(2026, 0, 2, 15, 4, 5);
    const changed = await writeAtomic(dir, payloadOf({ token: file('t1', 0o600), 'ca.crt': file('ca'), 'a/b/c': file('nested') }), { now });
    assert.equal(changed, true);
    const v = await visible(dir);
    const ts = v['..data'].slice(3);
    assert.match(ts, /^\.\.2026_01_02_15_04_05\.\d+$/);
    assert.deepEqual(v, { [ts]: 'dir', '..data': `-> ${ts}`, a: '-> ..data/a', 'ca.crt': '-> ..data/ca.crt', token: '-> ..data/token' });
    assert.equal(await fs.readFile(path.join(dir, 'token'), 'utf8'), 't1');
    assert.equal(await fs.readFile(path.join(dir, 'a/b/c'), 'utf8'), 'nested');
    assert.equal((await fs.stat(path.join(dir, 'token'))).mode & 0o777, 0o600);
    assert.equal((await fs.stat(path.join(dir, 'ca.crt'))).mode & 0o777, 0o644);
    assert.equal((await fs.stat(path.join(dir, ts))).mode & 0o777, 0o755);
  });

  it('applies modes whatever the umask (0400, 0777)', async () => {
    const dir = freshDir();
    const old = process.umask(0o077);
    try {
      await writeAtomic(dir, payloadOf({ ro: file('x', 0o400), all: file('y', 0o777) }));
    } finally {
      process.umask(old);
    }
    assert.equal((await fs.stat(path.join(dir, 'ro'))).mode & 0o777, 0o400);
    assert.equal((await fs.stat(path.join(dir, 'all'))).mode & 0o777, 0o777);
  });

  const cases: { name: string; first: Record<string, string>; second: Record<string, string>; changed: boolean; visible: string[] }[] = [
    { name: 'unchanged payload is not rewritten', first: { a: '1', b: '2' }, second: { a: '1', b: '2' }, changed: false, visible: ['a', 'b'] },
    { name: 'changed content swaps ..data', first: { a: '1' }, second: { a: '2' }, changed: true, visible: ['a'] },
    { name: 'removed file loses its link', first: { a: '1', b: '2' }, second: { a: '1' }, changed: true, visible: ['a'] },
    { name: 'added file gets a link', first: { a: '1' }, second: { a: '1', c: '3' }, changed: true, visible: ['a', 'c'] },
    { name: 'nested file moved to another dir', first: { 'x/y': '1' }, second: { 'z/y': '1' }, changed: true, visible: ['z'] },
    { name: 'nested file removed inside a kept dir', first: { 'x/y': '1', 'x/z': '2' }, second: { 'x/y': '1' }, changed: true, visible: ['x'] },
    { name: 'empty payload', first: { a: '1' }, second: {}, changed: true, visible: [] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = freshDir();
      const toPayload = (r: Record<string, string>) => payloadOf(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, file(v)])));
      await writeAtomic(dir, toPayload(c.first));
      const before = await fs.readlink(path.join(dir, '..data'));
      assert.equal(await writeAtomic(dir, toPayload(c.second)), c.changed);
      const after = await fs.readlink(path.join(dir, '..data'));
      assert.equal(before !== after, c.changed, 'a new timestamped dir only when changed');
      const names = (await fs.readdir(dir)).filter((n) => !n.startsWith('..')).sort();
      assert.deepEqual(names, c.visible);
      const dotted = (await fs.readdir(dir)).filter((n) => n.startsWith('..')).sort();
      assert.deepEqual(dotted, [...new Set(['..data', before, after])].sort(), 'the replaced timestamped dir is kept one write');
      await writeAtomic(dir, toPayload({ ...c.second, 'third-file': 'third' }));
      const third = await fs.readlink(path.join(dir, '..data'));
      const dottedAfter = (await fs.readdir(dir)).filter((n) => n.startsWith('..')).sort();
      assert.deepEqual(dottedAfter, ['..data', after, third].sort(), 'older timestamped dirs removed');
      await writeAtomic(dir, toPayload(c.second));
      const current = await readCurrent(dir);
      assert.deepEqual(Object.fromEntries([...current!].map(([k, v]) => [k, v.toString()])), c.second);
    });
  }

  it('recreates a missing visible link without rewriting the payload', async () => {
    const dir = freshDir();
    await writeAtomic(dir, payloadOf({ a: file('1') }));
    await fs.rm(path.join(dir, 'a'));
    assert.equal(await writeAtomic(dir, payloadOf({ a: file('1') })), true);
    assert.equal(await fs.readFile(path.join(dir, 'a'), 'utf8'), '1');
  });

  it('removes timestamped dirs left by an interrupted write and a stale ..data_tmp', async () => {
    const dir = freshDir();
    await writeAtomic(dir, payloadOf({ a: file('1') }));
    await fs.mkdir(path.join(dir, '..2020_01_01_00_00_00.123'));
    await fs.symlink('..2020_01_01_00_00_00.123', path.join(dir, '..data_tmp'));
    await writeAtomic(dir, payloadOf({ a: file('2') }));
    const dotted = (await fs.readdir(dir)).filter((n) => n.startsWith('..'));
    assert.equal(dotted.length, 3, '..data, the current and the replaced dir');
    assert.ok(!dotted.includes('..2020_01_01_00_00_00.123'));
    assert.ok(!dotted.includes('..data_tmp'));
    assert.equal(await fs.readFile(path.join(dir, 'a'), 'utf8'), '2');
  });

  it('sets fsUser/fsGroup ownership when running as root', { skip: process.getuid?.() !== 0 }, async () => {
    const dir = freshDir();
    await writeAtomic(dir, payloadOf({ token: { data: Buffer.from('t'), mode: 0o640, fsUser: 1000, fsGroup: 2000 }, ns: { data: Buffer.from('n'), mode: 0o644, fsGroup: 2000 } }));
    const token = await fs.stat(path.join(dir, 'token'));
    assert.deepEqual([token.uid, token.gid, token.mode & 0o777], [1000, 2000, 0o640]);
    const ns = await fs.stat(path.join(dir, 'ns'));
    assert.deepEqual([ns.uid, ns.gid], [0, 2000]);
  });

  it('readCurrent is undefined for an empty or missing dir', async () => {
    assert.equal(await readCurrent(freshDir()), undefined);
  });

  const badPaths: [string, string][] = [
    ['', 'invalid path: must not be empty: ""'],
    ['/abs', 'invalid path: must be relative path: /abs'],
    ['a/../b', "invalid path: must not contain '..': a/../b"],
    ['..data', "invalid path: must not start with '..': ..data"],
    ['x'.repeat(256), 'invalid path: filenames must be less than or equal to 255 characters'],
  ];
  for (const [p, msg] of badPaths) {
    it(`rejects path ${JSON.stringify(p.slice(0, 20))}`, async () => {
      assert.equal(validatePayloadPath(p), msg);
      await assert.rejects(writeAtomic(freshDir(), payloadOf({ [p]: file('x') })), { message: msg });
    });
  }
});

describe('writeAtomic readers', () => {
  // A read resolves `token -> ..data/token -> ..<ts>/token` step by step, so it can only fail if the
  // dir it resolved is removed meanwhile. The replaced dir is kept for one more write, so a reader
  // that is not stalled across two whole writes always finds its file; the writer below therefore
  // waits (no sleep: a shared counter) until the reader finished one read begun after each swap.
  it('a reader in another thread never sees a partial, mixed or missing token', async () => {
    const dir = freshDir();
    const token = (i: number) => `tok-${i}-${String(i % 7).repeat(4096 + (i % 13) * 512)}`;
    await writeAtomic(dir, payloadOf({ token: file(token(0), 0o600), namespace: file('ns-0') }));
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const fs = require('node:fs');
       let bad = [];
       let stop = false;
       parentPort.on('message', () => { stop = true; });
       const loop = () => {
         for (let k = 0; k < 50; k++) {
           try {
             const t = fs.readFileSync(workerData.dir + '/token', 'utf8');
             const m = /^tok-(\\d+)-(\\d)+$/.exec(t);
             if (!m) bad.push('malformed ' + t.length);
             else { const i = Number(m[1]); if (t !== 'tok-' + i + '-' + String(i % 7).repeat(4096 + (i % 13) * 512)) bad.push('partial ' + i); }
             const ns = fs.readFileSync(workerData.dir + '/..data/namespace', 'utf8');
             if (!/^ns-\\d+$/.test(ns)) bad.push('namespace ' + ns);
           } catch (e) { bad.push(String(e.code || e)); }
           Atomics.add(workerData.counter, 0, 1);
         }
         if (stop) parentPort.postMessage({ reads: Atomics.load(workerData.counter, 0), bad: bad.slice(0, 10), badCount: bad.length });
         else setImmediate(loop);
       };
       loop();`,
      { eval: true, workerData: { dir, counter } },
    );
    const result = new Promise<{ reads: number; bad: string[]; badCount: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    for (let i = 1; i <= 300; i++) {
      assert.equal(await writeAtomic(dir, payloadOf({ token: file(token(i), 0o600), namespace: file(`ns-${i}`) })), true);
      const seen = Atomics.load(counter, 0);
      while (Atomics.load(counter, 0) < seen + 2) await new Promise((r) => setImmediate(r));
    }
    worker.postMessage('stop');
    const r = await result;
    await worker.terminate();
    assert.equal(r.badCount, 0, `reader saw: ${r.bad.join(', ')}`);
    assert.ok(r.reads >= 600);
    assert.equal(await fs.readFile(path.join(dir, 'token'), 'utf8'), token(300));
  });
});
