/**
 * Watch fan-out for the SQLite backend. A watcher first catches up from the table (history, in
 * chunks, one chunk per macrotask so a long replay never blocks the event loop), then switches
 * to live delivery of committed batches. Because reads and commits are synchronous on the one
 * connection, a catch-up chunk always reads up to the current revision atomically; batches
 * committed while a watcher is still catching up are skipped live and read from the table by
 * its next chunk. Each watcher tracks the last revision it has covered, so history and live
 * events never overlap or leave a gap.
 */
import { StorageError, type WatchCallbacks, type WatchEvent, type WatchHandle } from '../backend.js';
import { prefixEnd } from './key-range.js';
import { rowToEvent, type KeyRange, type Row } from './queries.js';

/** What the hub needs from the backend. */
export interface WatchSource {
  currentRevision(): number;
  compactedRevision(): number;
  /** True once the backend is closing; watchers then fail with 'Closed'. */
  closed(): boolean;
  history(range: KeyRange, fromExclusive: number, toInclusive: number, limit: number): Row[];
}

export interface WatchHub {
  watch(prefix: string, fromRevision: number, callbacks: WatchCallbacks): WatchHandle;
  /**
   * Delivers a committed batch (events in increasing revision order) to every live watcher,
   * synchronously. Callback exceptions are swallowed: a broken watcher never affects others.
   */
  deliver(events: WatchEvent[]): void;
  /** Fails every watcher with `err` (used on close). */
  failAll(err: StorageError): void;
  /** Number of active watchers. */
  size(): number;
}

interface Watcher {
  prefix: string;
  range: KeyRange;
  /** Every matching event with revision <= last has been delivered. */
  last: number;
  live: boolean;
  stopped: boolean;
  callbacks: WatchCallbacks;
}

/** Rows read per catch-up step. */
const HISTORY_CHUNK = 1000;

export function createWatchHub(source: WatchSource): WatchHub {
  const watchers = new Set<Watcher>();

  function remove(w: Watcher): void {
    w.stopped = true;
    watchers.delete(w);
  }

  function emit(w: Watcher, events: WatchEvent[]): void {
    try {
      w.callbacks.onEvents(events);
    } catch {
      // A throwing callback is the watcher's own bug; the backend and other watchers carry on.
    }
  }

  function fail(w: Watcher, err: StorageError): void {
    if (w.stopped) return;
    remove(w);
    try {
      w.callbacks.onError(err);
    } catch {
      // see emit
    }
  }

  function catchUp(w: Watcher): void {
    if (w.stopped) return;
    if (source.closed()) return fail(w, new StorageError('Closed', 'storage backend is closed'));
    const compacted = source.compactedRevision();
    if (w.last < compacted) {
      return fail(w, new StorageError('Compacted', `required revision ${w.last + 1} has been compacted (compacted revision ${compacted})`, compacted));
    }
    const upper = source.currentRevision();
    let rows: Row[];
    try {
      rows = source.history(w.range, w.last, upper, HISTORY_CHUNK);
    } catch (err) {
      return fail(w, new StorageError('Internal', `reading watch history: ${(err as Error).message}`));
    }
    if (rows.length > 0) {
      w.last = rows[rows.length - 1]![0];
      emit(w, rows.map(rowToEvent));
    }
    if (rows.length < HISTORY_CHUNK) {
      w.last = Math.max(w.last, upper);
      w.live = true;
    } else {
      setImmediate(catchUp, w);
    }
  }

  return {
    watch(prefix, fromRevision, callbacks) {
      const w: Watcher = { prefix, range: { prefix, end: prefixEnd(prefix) }, last: 0, live: false, stopped: false, callbacks };
      watchers.add(w);
      if (source.closed()) {
        setImmediate(() => fail(w, new StorageError('Closed', 'storage backend is closed')));
      } else if (fromRevision > 0) {
        w.last = fromRevision;
        setImmediate(catchUp, w);
      } else {
        w.last = source.currentRevision();
        w.live = true;
      }
      return { stop: () => remove(w) };
    },
    deliver(events) {
      if (events.length === 0) return;
      const top = events[events.length - 1]!.revision;
      for (const w of watchers) {
        if (!w.live || w.stopped || w.last >= top) continue;
        let matched: WatchEvent[] | undefined;
        for (const ev of events) {
          if (ev.revision > w.last && ev.kv.key.startsWith(w.prefix)) (matched ??= []).push(ev);
        }
        w.last = top;
        if (matched) emit(w, matched);
      }
    },
    failAll(err) {
      for (const w of [...watchers]) fail(w, err);
    },
    size() {
      return watchers.size;
    },
  };
}
