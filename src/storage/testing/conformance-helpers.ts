/**
 * Helpers shared by the Backend conformance suite: the factory contract, byte/string
 * conversion, assertions on results, and a watch recorder that checks the watch invariants on
 * every callback.
 */
import assert from 'node:assert/strict';
import { StorageError } from '../backend.js';
import type { Backend, KeyValue, StorageErrorCode, WatchEvent, WatchHandle } from '../backend.js';

/**
 * Makes a backend for one test. Each call must return a backend over an EMPTY key space whose
 * revisions nobody else advances during the test. `cleanup` must succeed whether or not the
 * test already closed the backend.
 */
export type BackendFactory = () => Promise<{ backend: Backend; cleanup(): Promise<void> }>;

/** Runs `fn` against a fresh backend and always cleans up. */
export async function withBackend(factory: BackendFactory, fn: (backend: Backend) => Promise<void>): Promise<void> {
  const { backend, cleanup } = await factory();
  try {
    await fn(backend);
  } finally {
    await cleanup();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

export function text(value: Uint8Array): string {
  return decoder.decode(value);
}

/** A KeyValue with its value as text, for deepEqual. */
export interface PlainKeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export function plain(kv: KeyValue): PlainKeyValue;
export function plain(kv: KeyValue | null | undefined): PlainKeyValue | null;
export function plain(kv: KeyValue | null | undefined): PlainKeyValue | null {
  if (!kv) return null;
  return { key: kv.key, value: text(kv.value), createRevision: kv.createRevision, modRevision: kv.modRevision };
}

/** A WatchEvent with text values, for deepEqual. */
export function plainEvent(ev: WatchEvent): { type: string; revision: number; kv: PlainKeyValue; prevKv: PlainKeyValue | null } {
  return { type: ev.type, revision: ev.revision, kv: plain(ev.kv), prevKv: ev.type === 'put' ? plain(ev.prevKv) : null };
}

/**
 * A revision to watch "from" that is at least 1 (fromRevision 0 means "from now", so a fresh
 * store needs one write before history can be replayed from its beginning). Writes a key
 * outside every prefix the suite watches.
 */
export async function historyStart(backend: Backend): Promise<number> {
  const res = await backend.create(`/~warmup/${Math.random()}`, bytes('warmup'));
  assert.ok(res.ok);
  return res.kv.modRevision;
}

/** Creates `key` and asserts it succeeded. */
export async function mustCreate(backend: Backend, key: string, value: string): Promise<KeyValue> {
  const res = await backend.create(key, bytes(value));
  assert.ok(res.ok, `create ${key} should succeed`);
  return res.kv;
}

/** Updates `key` from its current revision and asserts it succeeded. */
export async function mustUpdate(backend: Backend, key: string, value: string): Promise<KeyValue> {
  const current = await backend.get(key);
  assert.ok(current, `${key} should exist`);
  const res = await backend.update(key, bytes(value), current.modRevision);
  assert.ok(res.ok, `update ${key} should succeed`);
  return res.kv;
}

/** Deletes `key` and asserts it succeeded; returns the delete's revision. */
export async function mustDelete(backend: Backend, key: string): Promise<number> {
  const res = await backend.delete(key);
  assert.ok(res.ok, `delete ${key} should succeed`);
  return res.revision;
}

/** Asserts that `promise` rejects with a StorageError of `code` (and `revision`, if given). */
export async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode, revision?: number): Promise<StorageError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof StorageError, `expected StorageError ${code}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.code, code);
  if (revision !== undefined) assert.equal(caught.revision, revision, `StorageError ${code} should carry revision ${revision}`);
  return caught;
}

/**
 * Waits (polling once per macrotask turn, with a short timer) until `condition` holds. This
 * waits for an outcome; it never asserts on elapsed time.
 */
export async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Lets every pending macrotask of the backend run (a few event-loop turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface WatchRecorder {
  readonly events: WatchEvent[];
  readonly errors: StorageError[];
  /** Contract violations seen by the recorder (must stay empty). */
  readonly violations: string[];
  readonly handle: WatchHandle;
  /** Stops the watch (the recorder then reports any later callback as a violation). */
  stop(): void;
  revisions(): number[];
  untilCount(n: number): Promise<void>;
  untilRevision(revision: number): Promise<void>;
  untilError(): Promise<StorageError>;
  /** Asserts no violations and, with `from`/`to`, that revisions are exactly from+1..to. */
  assertClean(range?: { from: number; to: number }): void;
}

/**
 * Starts a watch that records everything and checks the callback contract: non-empty batches,
 * strictly increasing revisions, keys under the prefix, nothing after stop() or onError, at
 * most one onError.
 */
export function recordWatch(
  backend: Backend,
  prefix: string,
  fromRevision: number,
  hooks: { onEvents?(events: WatchEvent[], recorder: WatchRecorder): void } = {},
): WatchRecorder {
  const events: WatchEvent[] = [];
  const errors: StorageError[] = [];
  const violations: string[] = [];
  let stopped = false;
  let last = fromRevision;
  const recorder: WatchRecorder = {
    events,
    errors,
    violations,
    handle: undefined as unknown as WatchHandle,
    stop() {
      stopped = true;
      recorder.handle.stop();
    },
    revisions: () => events.map((e) => e.revision),
    untilCount: (n) => waitFor(() => events.length >= n || errors.length > 0, () => `${n} events on ${prefix} (have ${events.length})`).then(() => assertNoError()),
    untilRevision: (rev) =>
      waitFor(() => (events.at(-1)?.revision ?? 0) >= rev || errors.length > 0, () => `revision ${rev} on ${prefix} (at ${events.at(-1)?.revision})`).then(() => assertNoError()),
    untilError: () => waitFor(() => errors.length > 0, () => `an error on watch ${prefix}`).then(() => errors[0]!),
    assertClean(range) {
      assert.deepEqual(violations, []);
      if (range) {
        const expected = Array.from({ length: range.to - range.from }, (_, i) => range.from + 1 + i);
        assert.deepEqual(recorder.revisions(), expected, 'watch revisions must be contiguous, without gaps or duplicates');
      }
    },
  };
  function assertNoError(): void {
    if (errors.length > 0) throw new Error(`watch on ${prefix} failed: ${errors[0]!.code} ${errors[0]!.message}`);
  }
  const handle = backend.watch(prefix, fromRevision, {
    onEvents(batch) {
      if (stopped) violations.push(`onEvents after stop (${batch.length} events)`);
      if (errors.length > 0) violations.push('onEvents after onError');
      if (batch.length === 0) violations.push('empty onEvents batch');
      for (const ev of batch) {
        if (ev.revision <= last) violations.push(`event ${ev.revision} not after ${last} (fromRevision ${fromRevision})`);
        if (!ev.kv.key.startsWith(prefix)) violations.push(`event for ${ev.kv.key} outside prefix ${prefix}`);
        last = ev.revision;
        events.push(ev);
      }
      hooks.onEvents?.(batch, recorder);
    },
    onError(err) {
      if (stopped) violations.push('onError after stop');
      if (errors.length > 0) violations.push('second onError');
      errors.push(err);
    },
  });
  (recorder as { handle: WatchHandle }).handle = handle;
  return recorder;
}
