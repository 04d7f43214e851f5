/**
 * An in-memory Backend with full MVCC history: the reference implementation of the storage
 * contract, used by unit tests of the registry (a fake that implements the real interface) and run
 * through the same conformance suite as SQLite. Nothing is durable.
 */
import {
  StorageError,
  type Backend,
  type DeleteResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type WatchCallbacks,
  type WatchEvent,
  type WatchHandle,
  type WriteResult,
} from '../backend.js';

interface Row {
  revision: number;
  key: string;
  kv: KeyValue | null; // null = deleted at this revision
  prev: KeyValue | null;
}

export function createMemoryBackend(): Backend {
  const rows: Row[] = [];
  const live = new Map<string, KeyValue>();
  let revision = 0;
  let compacted = 0;
  let closed = false;
  interface Watcher {
    prefix: string;
    cb: WatchCallbacks;
    stopped: boolean;
    /** Events with revision <= last were delivered (or precede the watch). */
    last: number;
    /** History replayed; live events flow directly. */
    ready: boolean;
  }
  const watchers = new Set<Watcher>();
  /** Keys sort by their UTF-8 bytes, as in etcd. */
  const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const after = (k: string, start: string | undefined) => start === undefined || byteOrder(k, start) > 0;

  const check = () => {
    if (closed) throw new StorageError('Closed', 'backend is closed');
  };
  const checkRevision = (rev: number) => {
    if (rev && rev < compacted) throw new StorageError('Compacted', `required revision ${rev} has been compacted`, compacted);
    if (rev > revision) throw new StorageError('RevisionTooNew', `required revision ${rev} is a future revision`, revision);
  };
  const toEvent = (r: Row): WatchEvent =>
    r.kv ? { type: 'put', kv: r.kv, revision: r.revision, ...(r.prev ? { prevKv: r.prev } : {}) } : { type: 'delete', kv: r.prev!, revision: r.revision };
  const emit = (r: Row) => {
    const ev = toEvent(r);
    for (const w of watchers) {
      if (w.stopped || !w.ready || !r.key.startsWith(w.prefix) || r.revision <= w.last) continue;
      w.last = r.revision;
      try {
        w.cb.onEvents([ev]);
      } catch {
        // a failing watcher does not affect others
      }
    }
  };
  const commit = (key: string, kv: KeyValue | null, prev: KeyValue | null): Row => {
    const row: Row = { revision, key, kv, prev };
    rows.push(row);
    if (kv) live.set(key, kv);
    else live.delete(key);
    emit(row);
    return row;
  };
  const snapshot = (rev: number): Map<string, KeyValue> => {
    if (!rev || rev === revision) return live;
    const m = new Map<string, KeyValue>();
    for (const r of rows) {
      if (r.revision > rev) break;
      if (r.kv) m.set(r.key, r.kv);
      else m.delete(r.key);
    }
    return m;
  };

  return {
    async currentRevision() {
      check();
      return revision;
    },
    async get(key, rev) {
      check();
      if (rev) checkRevision(rev);
      return snapshot(rev ?? 0).get(key) ?? null;
    },
    async list(o: ListOptions): Promise<ListResult> {
      check();
      const rev = o.revision ?? 0;
      if (rev) checkRevision(rev);
      const keys = [...snapshot(rev).keys()].filter((k) => k.startsWith(o.prefix) && after(k, o.startAfter)).sort(byteOrder);
      const m = snapshot(rev);
      const page = o.limit ? keys.slice(0, o.limit) : keys;
      return { items: page.map((k) => m.get(k)!), revision: rev || revision, remaining: keys.length - page.length };
    },
    async create(key, value): Promise<WriteResult> {
      check();
      const cur = live.get(key);
      if (cur) return { ok: false, current: cur };
      revision++;
      const kv = { key, value: Buffer.from(value), createRevision: revision, modRevision: revision };
      commit(key, kv, null);
      return { ok: true, kv };
    },
    async update(key, value, expected): Promise<WriteResult> {
      check();
      const cur = live.get(key);
      if (!cur || cur.modRevision !== expected) return { ok: false, current: cur ?? null };
      revision++;
      const kv = { key, value: Buffer.from(value), createRevision: cur.createRevision, modRevision: revision };
      commit(key, kv, cur);
      return { ok: true, kv };
    },
    async delete(key, expected): Promise<DeleteResult> {
      check();
      const cur = live.get(key);
      if (!cur || (expected !== undefined && cur.modRevision !== expected)) return { ok: false, current: cur ?? null };
      revision++;
      commit(key, null, cur);
      return { ok: true, kv: cur, revision };
    },
    watch(prefix, fromRevision, cb): WatchHandle {
      const w: Watcher = { prefix, cb, stopped: false, last: fromRevision || revision, ready: false };
      if (closed) {
        queueMicrotask(() => cb.onError(new StorageError('Closed', 'backend is closed')));
        return { stop() {} };
      }
      if (fromRevision && fromRevision < compacted) {
        queueMicrotask(() => !w.stopped && cb.onError(new StorageError('Compacted', `required revision ${fromRevision} has been compacted`, compacted)));
        return { stop: () => void (w.stopped = true) };
      }
      watchers.add(w);
      // History (and anything committed meanwhile) is replayed asynchronously, then live events flow.
      queueMicrotask(() => {
        if (w.stopped) return;
        const history = rows.filter((r) => r.revision > w.last && r.key.startsWith(prefix)).map(toEvent);
        w.ready = true;
        if (history.length) {
          w.last = history[history.length - 1]!.revision;
          try {
            cb.onEvents(history);
          } catch {
            // a failing watcher does not affect others
          }
        }
      });
      return {
        stop() {
          w.stopped = true;
          watchers.delete(w);
        },
      };
    },
    async compact(rev) {
      check();
      if (rev > revision) throw new StorageError('RevisionTooNew', `compact revision ${rev} is a future revision`, revision);
      if (rev <= compacted) return compacted;
      const keep = snapshot(rev);
      const kept: Row[] = [];
      for (const r of rows) {
        if (r.revision > rev) kept.push(r);
        else if (r.kv && keep.get(r.key) === r.kv) kept.push(r);
      }
      rows.length = 0;
      rows.push(...kept);
      compacted = rev;
      return compacted;
    },
    async compactedRevision() {
      check();
      return compacted;
    },
    async close() {
      closed = true;
      for (const w of watchers) {
        w.stopped = true;
        try {
          w.cb.onError(new StorageError('Closed', 'backend is closed'));
        } catch {
          // ignore
        }
      }
      watchers.clear();
    },
  };
}
