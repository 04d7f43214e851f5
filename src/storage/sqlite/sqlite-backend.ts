/**
 * The embedded Backend: SQLite (better-sqlite3) in WAL mode, one MVCC table (see schema.ts).
 *
 * Group commit: better-sqlite3 is synchronous, so a durable commit blocks the event loop for a
 * whole fsync. Writes are therefore queued and committed together: the first write of a batch
 * schedules a flush with setImmediate, every write issued before that flush runs (the rest of
 * the tick, the I/O callbacks of the same loop iteration, and writes issued from watch
 * callbacks or promise continuations of the previous batch) joins it, and the flush executes up
 * to MAX_BATCH writes in ONE immediate transaction. Each write checks its own precondition
 * inside the transaction against the state left by the writes before it, so a failed
 * compare-and-swap is just that write's result. After COMMIT the batch's events are delivered
 * to watchers (synchronously, in revision order) and only then are the writes' promises
 * resolved. If the transaction fails it is rolled back and no revision is consumed; the writes
 * reject with StorageError 'Internal', except that a batch that failed because of one write
 * (a constraint, not the disk or a lock) is retried one write per transaction, so only the
 * offending write fails.
 *
 * This backend owns its database file: one process, one backend instance per file.
 */
import { StorageError } from '../backend.js';
import type { Backend, DeleteResult, KeyValue, ListOptions, ListResult, WatchEvent, WriteResult } from '../backend.js';
import { createCompactor } from './compaction.js';
import { prefixEnd } from './key-range.js';
import { prepareQueries, rowToEvent, rowToKeyValue, type Row } from './queries.js';
import { openDatabase, readStoredState, writeCompactedRevision, type Synchronous } from './schema.js';
import { createWatchHub } from './watch-hub.js';

export interface SqliteBackendOptions {
  /** Database file; created if missing. The -wal and -shm files live beside it. */
  path: string;
  /**
   * 'FULL' (default): every acknowledged write survives power loss. 'NORMAL': acknowledged
   * writes survive a process crash but the last ones may be lost on power loss.
   */
  synchronous?: Synchronous;
  /**
   * How long a commit waits for a lock held by another connection before failing (default
   * 5000 ms). The wait blocks the event loop; only an outside process can hold the lock.
   */
  busyTimeoutMs?: number;
}

/** Counters for tests and metrics. Not part of the Backend contract. */
export interface SqliteBackendStats {
  /** Writes executed (including those whose precondition failed). */
  writes: number;
  /** Group-commit transactions committed. */
  transactions: number;
  /** Largest number of writes committed in one transaction. */
  maxBatch: number;
  /** Rows deleted by compaction. */
  compactedRows: number;
  /** Active watchers. */
  watchers: number;
}

/** The SQLite Backend, plus introspection that is not part of the Backend contract. */
export interface SqliteBackend extends Backend {
  stats(): SqliteBackendStats;
}

/** Upper bound on writes per transaction, so one commit never blocks the loop for long. */
const MAX_BATCH = 1024;

type PendingWrite =
  | { kind: 'create'; key: string; value: Buffer; settle: Settle<WriteResult> }
  | { kind: 'update'; key: string; value: Buffer; expected: number; settle: Settle<WriteResult> }
  | { kind: 'delete'; key: string; expected: number | undefined; settle: Settle<DeleteResult> };

interface Settle<T> {
  resolve(result: T): void;
  reject(err: unknown): void;
}

/**
 * Failures of the database or its environment (lock held elsewhere, I/O error, disk full, ...)
 * would fail every write alike, so a failed batch is not retried write by write for them.
 */
function isEnvironmentFailure(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CORRUPT|NOMEM|CANTOPEN|NOTADB|PROTOCOL|PERM)/.test(code);
}

function closedError(): StorageError {
  return new StorageError('Closed', 'storage backend is closed');
}

/**
 * Opens (or creates) the database at `options.path`. Throws synchronously if the file cannot be
 * opened or holds an unknown schema version.
 */
export function createSqliteBackend(options: SqliteBackendOptions): SqliteBackend {
  const db = openDatabase(options.path, options.synchronous ?? 'FULL', options.busyTimeoutMs ?? 5000);
  const queries = prepareQueries(db);
  const stored = readStoredState(db);
  /** The newest committed revision (while a transaction runs: the newest revision assigned in it). */
  let revision = stored.revision;
  let compacted = stored.compactedRevision;
  let closing = false;
  let closePromise: Promise<void> | undefined;
  let compactChain: Promise<unknown> = Promise.resolve();
  let queue: PendingWrite[] = [];
  let flushScheduled = false;
  const counters = { writes: 0, transactions: 0, maxBatch: 0, compactedRows: 0 };

  const hub = createWatchHub({
    currentRevision: () => revision,
    compactedRevision: () => compacted,
    closed: () => closing,
    history: queries.history,
  });
  const compactor = createCompactor({ db, currentRevision: () => revision, closing: () => closing });

  /** Applies one write inside the open transaction; returns its result. */
  function apply(op: PendingWrite, events: WatchEvent[]): WriteResult | DeleteResult {
    const previous = queries.latest(op.key);
    const current = rowToKeyValue(previous);
    const id = revision + 1;
    let row: Row;
    switch (op.kind) {
      case 'create':
        if (current) return { ok: false, current };
        row = [id, op.key, 1, 0, id, previous ? previous[0] : 0, op.value, null];
        break;
      case 'update':
        if (!current || current.modRevision !== op.expected) return { ok: false, current };
        row = [id, op.key, 0, 0, current.createRevision, current.modRevision, op.value, previous![6]];
        break;
      case 'delete':
        if (!current || (op.expected !== undefined && current.modRevision !== op.expected)) return { ok: false, current };
        row = [id, op.key, 0, 1, current.createRevision, current.modRevision, previous![6], null];
        break;
    }
    queries.insert(row);
    revision = id;
    const event = rowToEvent(row);
    events.push(event);
    if (op.kind === 'delete') return { ok: true, kv: event.kv, revision: id };
    return { ok: true, kv: event.kv };
  }

  const applyBatch = db.transaction((batch: PendingWrite[], results: Array<WriteResult | DeleteResult>, events: WatchEvent[]) => {
    for (const op of batch) results.push(apply(op, events));
  });

  /** Commits up to MAX_BATCH queued writes in one transaction, then notifies and resolves. */
  function commitBatch(): void {
    if (queue.length === 0) return;
    let batch: PendingWrite[];
    if (queue.length <= MAX_BATCH) {
      batch = queue;
      queue = [];
    } else {
      batch = queue.splice(0, MAX_BATCH);
    }
    commit(batch);
  }

  /**
   * Runs `batch` in one transaction. If the transaction fails, nothing of it is kept. Unless the
   * database itself failed, a batch of several writes is then retried one write per
   * transaction, so a write that cannot be stored fails alone (with 'Internal') instead of
   * taking unrelated writes with it.
   */
  function commit(batch: PendingWrite[]): void {
    const base = revision;
    const results: Array<WriteResult | DeleteResult> = [];
    const events: WatchEvent[] = [];
    try {
      applyBatch.immediate(batch, results, events);
    } catch (err) {
      revision = base;
      if (batch.length > 1 && !isEnvironmentFailure(err)) {
        for (const op of batch) commit([op]);
      } else {
        const failure = new StorageError('Internal', `storage transaction failed: ${(err as Error).message}`);
        for (const op of batch) op.settle.reject(failure);
      }
      return;
    }
    counters.writes += batch.length;
    counters.transactions++;
    if (batch.length > counters.maxBatch) counters.maxBatch = batch.length;
    hub.deliver(events);
    for (let i = 0; i < batch.length; i++) (batch[i]!.settle as Settle<WriteResult | DeleteResult>).resolve(results[i]!);
  }

  function flush(): void {
    flushScheduled = false;
    if (closing) return; // close() drains the queue itself
    commitBatch();
    if (queue.length > 0) schedule();
  }

  function schedule(): void {
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  }

  function enqueue<T extends WriteResult | DeleteResult>(make: (settle: Settle<T>) => PendingWrite): Promise<T> {
    if (closing) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      queue.push(make({ resolve, reject }));
      schedule();
    });
  }

  function ensureOpen(): void {
    if (closing) throw closedError();
  }

  /** Validates a requested read revision; returns the revision to read at. */
  function readRevision(requested: number | undefined): number {
    if (!requested || requested <= 0) return revision;
    if (requested < compacted) {
      throw new StorageError('Compacted', `required revision ${requested} has been compacted (compacted revision ${compacted})`, compacted);
    }
    if (requested > revision) {
      throw new StorageError('RevisionTooNew', `required revision ${requested} is a future revision (current revision ${revision})`, revision);
    }
    return requested;
  }

  function toBuffer(value: Uint8Array): Buffer {
    if (!(value instanceof Uint8Array)) throw new TypeError('storage values must be Uint8Array');
    return Buffer.from(value); // a private copy: the caller may reuse its array
  }

  async function compactTo(target: number): Promise<number> {
    ensureOpen();
    if (target > revision) {
      throw new StorageError('RevisionTooNew', `cannot compact to future revision ${target} (current revision ${revision})`, revision);
    }
    if (target <= compacted) return compacted;
    try {
      writeCompactedRevision(db, target);
      compacted = target;
      counters.compactedRows += await compactor.deleteCompactedRows(target);
    } catch (err) {
      if (err instanceof StorageError) throw err;
      // The compacted revision may already be recorded; a later compaction deletes the rest.
      throw new StorageError('Internal', `compaction to ${target} failed: ${(err as Error).message}`);
    }
    return target;
  }

  return {
    async currentRevision() {
      ensureOpen();
      return revision;
    },

    async get(key: string, atRevision?: number): Promise<KeyValue | null> {
      ensureOpen();
      const at = readRevision(atRevision);
      return rowToKeyValue(at === revision ? queries.latest(key) : queries.latest(key, at));
    },

    async list(options: ListOptions): Promise<ListResult> {
      ensureOpen();
      const at = readRevision(options.revision);
      const range = { prefix: options.prefix, end: prefixEnd(options.prefix), after: options.startAfter };
      const limit = options.limit && options.limit > 0 ? Math.floor(options.limit) : 0;
      if (limit === 0) return { items: queries.list(range, at, -1), revision: at, remaining: 0 };
      const items = queries.list(range, at, limit + 1);
      let remaining = 0;
      if (items.length > limit) {
        items.length = limit;
        remaining = queries.count({ ...range, after: items[limit - 1]!.key }, at);
      }
      return { items, revision: at, remaining };
    },

    create(key, value) {
      return enqueue<WriteResult>((settle) => ({ kind: 'create', key, value: toBuffer(value), settle }));
    },

    update(key, value, expectedRevision) {
      return enqueue<WriteResult>((settle) => ({ kind: 'update', key, value: toBuffer(value), expected: expectedRevision, settle }));
    },

    delete(key, expectedRevision) {
      return enqueue<DeleteResult>((settle) => ({ kind: 'delete', key, expected: expectedRevision, settle }));
    },

    watch(prefix, fromRevision, callbacks) {
      return hub.watch(prefix, fromRevision, callbacks);
    },

    compact(target) {
      const run = compactChain.then(() => compactTo(target));
      compactChain = run.catch(() => undefined);
      return run;
    },

    async compactedRevision() {
      ensureOpen();
      return compacted;
    },

    close() {
      if (closePromise) return closePromise;
      closing = true;
      // Drain on a fresh macrotask so a close() called from a watch callback (inside a flush)
      // does not re-enter the transaction machinery.
      closePromise = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          try {
            while (queue.length > 0) commitBatch();
            hub.failAll(closedError());
            db.close();
            resolve();
          } catch (err) {
            reject(err);
          }
        });
      });
      return closePromise;
    },

    stats() {
      return { ...counters, watchers: hub.size() };
    },
  };
}
