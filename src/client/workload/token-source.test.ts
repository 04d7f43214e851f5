import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, unlinkSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock, type FakeClock } from '../testing/fake-clock.js';
import { createFileTokenSource, unverifiedTimes, type FileTokenSourceOptions } from './token-source.js';
import { unsignedJwt, writeAtomicLayout } from './testing.js';

const start = Date.UTC(2026, 0, 1);
const sec = (ms: number) => Math.floor(ms / 1000);
/** A token issued at `startMs` living `lifetimeS` seconds (payload names it `name` so tests can tell tokens apart). */
const jwt = (name: string, startMs: number, lifetimeS: number) => unsignedJwt({ sub: name, iat: sec(startMs), exp: sec(startMs) + lifetimeS });

type Step =
  | { advance: number }
  | { rotate: string }
  | { expect: string; reads?: number }
  | { invalidate: true }
  | { breakFile: true }
  | { expectLogs: number };

interface Case {
  name: string;
  /** The first token in the file. */
  initial: string;
  options?: Partial<FileTokenSourceOptions>;
  steps: Step[];
}

const t1h = (n: string) => jwt(n, start, 3600);
const t10m = (n: string) => jwt(n, start, 600);

const cases: Case[] = [
  {
    name: 'reads the token once and serves it from the cache while fresh',
    initial: t1h('a'),
    steps: [{ expect: t1h('a'), reads: 1 }, { advance: 30_000 }, { expect: t1h('a'), reads: 1 }],
  },
  {
    name: 'a rotation is not seen before the reload period',
    initial: t1h('a'),
    steps: [{ expect: t1h('a') }, { rotate: t1h('b') }, { advance: 59_000 }, { expect: t1h('a'), reads: 1 }],
  },
  {
    name: 'a rotation is seen after the reload period (default one minute)',
    initial: t1h('a'),
    steps: [{ expect: t1h('a') }, { rotate: t1h('b') }, { advance: 60_000 }, { expect: t1h('b'), reads: 2 }],
  },
  {
    name: 'an unchanged file is not read again after the reload period',
    initial: t1h('a'),
    steps: [{ expect: t1h('a') }, { advance: 61_000 }, { expect: t1h('a'), reads: 1 }, { advance: 61_000 }, { expect: t1h('a'), reads: 1 }],
  },
  {
    name: 'a custom reload period',
    initial: t1h('a'),
    options: { reloadAfterMs: 5_000 },
    steps: [{ expect: t1h('a') }, { rotate: t1h('b') }, { advance: 5_000 }, { expect: t1h('b'), reads: 2 }],
  },
  {
    name: 'past half its lifetime the file is looked at on every call',
    initial: t10m('a'),
    options: { reloadAfterMs: 600_000 },
    steps: [
      { expect: t10m('a') },
      { advance: 299_000 },
      { rotate: t10m('b') },
      { expect: t10m('a'), reads: 1 },
      { advance: 1_000 },
      { expect: t10m('b'), reads: 2 },
    ],
  },
  {
    name: 'a configured fraction (0.8, the kubelet refresh point)',
    initial: t10m('a'),
    options: { reloadAfterMs: 600_000, refreshFraction: 0.8 },
    steps: [{ expect: t10m('a') }, { rotate: t10m('b') }, { advance: 479_000 }, { expect: t10m('a') }, { advance: 1_000 }, { expect: t10m('b'), reads: 2 }],
  },
  {
    name: 'within the leeway of exp the file is looked at on every call',
    initial: t10m('a'),
    options: { reloadAfterMs: 3_600_000, refreshFraction: 1 },
    steps: [{ expect: t10m('a') }, { rotate: t10m('b') }, { advance: 589_000 }, { expect: t10m('a') }, { advance: 1_000 }, { expect: t10m('b') }],
  },
  {
    name: 'a stale token whose file did not change is not read again (identity compared first)',
    initial: t10m('a'),
    steps: [{ expect: t10m('a') }, { advance: 400_000 }, { expect: t10m('a'), reads: 1 }, { expect: t10m('a'), reads: 1 }],
  },
  {
    name: 'a token that is not a JWT follows the reload period only',
    initial: 'opaque-token',
    steps: [{ expect: 'opaque-token' }, { rotate: 'opaque-2' }, { advance: 59_999 }, { expect: 'opaque-token' }, { advance: 1 }, { expect: 'opaque-2' }],
  },
  {
    name: 'an unreadable file keeps the last good token and logs',
    initial: t1h('a'),
    steps: [{ expect: t1h('a') }, { breakFile: true }, { advance: 60_000 }, { expect: t1h('a') }, { expectLogs: 1 }, { expect: t1h('a') }, { expectLogs: 1 }],
  },
  {
    name: 'after a failure the file is tried again after errorRetryMs and a rotation is then seen',
    initial: t10m('a'),
    steps: [
      { expect: t10m('a') },
      { advance: 400_000 },
      { breakFile: true },
      { expect: t10m('a') },
      { expect: t10m('a') },
      { expectLogs: 1 },
      { rotate: t10m('b') },
      { advance: 999 },
      { expect: t10m('a') },
      { advance: 1 },
      { expect: t10m('b') },
    ],
  },
  {
    name: 'invalidate makes the next call read the file',
    initial: t1h('a'),
    steps: [{ expect: t1h('a') }, { rotate: t1h('b') }, { invalidate: true }, { expect: t1h('b'), reads: 2 }],
  },
];

describe('createFileTokenSource', () => {
  let dir: string;
  let clock: FakeClock;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'token-source-'));
    clock = createFakeClock(start);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of cases) {
    it(c.name, async () => {
      writeAtomicLayout(dir, { token: c.initial });
      const logs: string[] = [];
      const source = createFileTokenSource({ path: join(dir, 'token'), clock, log: (m) => logs.push(m), ...c.options });
      for (const [i, step] of c.steps.entries()) {
        const at = `step ${i} ${JSON.stringify(step)}`;
        if ('advance' in step) await clock.advance(step.advance);
        else if ('rotate' in step) writeAtomicLayout(dir, { token: step.rotate });
        else if ('invalidate' in step) source.invalidate();
        else if ('breakFile' in step) unlinkSync(join(dir, 'token'));
        else if ('expectLogs' in step) assert.equal(logs.filter((l) => l.startsWith('unable to rotate')).length, step.expectLogs, at);
        else {
          assert.equal(source.token(), step.expect, at);
          if (step.reads !== undefined) assert.equal(source.reads, step.reads, at);
        }
      }
    });
  }

  it('reports a rotation through the log callback', async () => {
    writeAtomicLayout(dir, { token: 'one' });
    const logs: string[] = [];
    const source = createFileTokenSource({ path: join(dir, 'token'), clock, log: (m) => logs.push(m) });
    source.token();
    writeAtomicLayout(dir, { token: 'two' });
    await clock.advance(60_000);
    assert.equal(source.token(), 'two');
    assert.deepEqual(logs, [`token file "${join(dir, 'token')}" rotated`]);
  });

  it('sees a plain file rewritten in place (mtime changes) after the reload period', async () => {
    const path = join(dir, 'plain-token');
    writeFileSync(path, 'first\n');
    const source = createFileTokenSource({ path, clock });
    assert.equal(source.token(), 'first', 'trimmed');
    writeFileSync(path, 'second-token\n');
    utimesSync(path, new Date(start + 5_000), new Date(start + 5_000));
    await clock.advance(60_000);
    assert.equal(source.token(), 'second-token');
  });

  const firstReadFailures: { name: string; setup: (path: string) => void; message: RegExp; skip?: string }[] = [
    { name: 'missing file', setup: () => {}, message: /failed to read token file ".*\/token": ENOENT/ },
    { name: 'dangling ..data link', setup: (p) => (symlinkSync('..data/token', p), symlinkSync('..gone', join(dir, '..data'))), message: /failed to read token file/ },
    { name: 'empty file', setup: (p) => writeFileSync(p, '\n \n'), message: /read empty token from file ".*\/token"$/ },
    { name: 'unreadable file', setup: (p) => (writeFileSync(p, 'x'), chmodSync(p, 0)), message: /failed to read token file .*EACCES/, skip: process.getuid?.() === 0 ? 'root reads any file' : undefined },
  ];
  for (const f of firstReadFailures) {
    it(`throws when the first read fails: ${f.name}`, { skip: f.skip }, () => {
      const path = join(dir, 'token');
      f.setup(path);
      const source = createFileTokenSource({ path, clock });
      assert.throws(() => source.token(), f.message);
    });
  }

  it('does not return an empty token when the file is emptied after a good read', async () => {
    const path = join(dir, 'token');
    writeAtomicLayout(dir, { token: 'good' });
    const source = createFileTokenSource({ path, clock });
    assert.equal(source.token(), 'good');
    writeAtomicLayout(dir, { token: '' });
    await clock.advance(60_000);
    assert.equal(source.token(), 'good');
  });
});

describe('unverifiedTimes', () => {
  const table: [string, string, ReturnType<typeof unverifiedTimes>][] = [
    ['claims', unsignedJwt({ iat: 10, exp: 20, nbf: 10 }), { iat: 10, exp: 20, nbf: 10 }],
    ['no exp', unsignedJwt({ sub: 'x' }), { exp: undefined, iat: undefined, nbf: undefined }],
    ['non-numeric exp', unsignedJwt({ exp: '20' }), { exp: undefined, iat: undefined, nbf: undefined }],
    ['not a JWT', 'opaque', {}],
    ['garbage payload', 'a.!!!.c', {}],
  ];
  for (const [name, token, want] of table) it(name, () => assert.deepEqual(unverifiedTimes(token), want));
});
