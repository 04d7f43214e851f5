/**
 * The watch cache of one resource (upstream's Cacher): a full in-memory copy of the resource's
 * objects, fed by one backend watch, plus a bounded window of recent events. Lists and watches are
 * served from here, so N watchers cost one backend watch and a LIST never touches storage.
 *
 * Contract: after `start()` resolves, `revision` is at least the backend revision at start; every
 * write committed through the backend is reflected here before the write's promise resolves (a
 * property of in-process backends, see Backend.watch). Each entry holds the parsed object (never
 * mutated; callers must clone before changing it) and its JSON bytes (LIST bodies are concatenated
 * from them without re-serializing).
 */
import type { KubeObject } from '../api/meta.js';
import type { Backend, StorageError, WatchEvent, WatchHandle } from '../storage/backend.js';
import { decodeFromStorage, spliceResourceVersion } from './codec.js';

export interface CacheEntry {
  key: string;
  object: KubeObject;
  /** The object's JSON as UTF-8 bytes, serialized once per version. */
  raw: Buffer;
  revision: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CacheEvent {
  type: WatchEventType;
  key: string;
  /** The object after the event (for DELETED: the last state, with resourceVersion = the delete's revision). */
  object: KubeObject;
  raw: Buffer;
  /** The object before the event (MODIFIED, DELETED). */
  prevObject?: KubeObject;
  revision: number;
}

export interface CacheWatcher {
  /** Called for each event after the watcher's start revision, in order. */
  onEvent(ev: CacheEvent): void;
  /** Called when the cache can no longer serve this watcher (backend watch failed). */
  onError(message: string): void;
}

export interface WatchCacheOptions {
  backend: Backend;
  prefix: string;
  /** Number of recent events kept for watches that start in the past. */
  windowSize?: number;
}

export class WatchCache {
  private readonly entries = new Map<string, CacheEntry>();
  private sortedKeys: string[] | null = null;
  private readonly window: CacheEvent[] = [];
  private windowStart = 0;
  private readonly windowSize: number;
  private readonly watchers = new Set<CacheWatcher>();
  private handle: WatchHandle | null = null;
  private rev = 0;
  /** Revision the window is complete from (events with revision > this are all in the window). */
  private oldestRev = 0;
  private failed: string | null = null;
  private revisionWaiters: Array<{ rev: number; resolve: () => void }> = [];
  /** Objects being written through this process, by key: spares parsing bytes we just serialized. */
  private readonly hints = new Map<string, { value: Uint8Array; object: KubeObject }>();

  constructor(private readonly options: WatchCacheOptions) {
    this.windowSize = options.windowSize ?? 10000;
  }

  get revision(): number {
    return this.rev;
  }

  /** The oldest revision a watch may start from (exclusive lower bound of the event window). */
  get oldestRevision(): number {
    return this.oldestRev;
  }

  async start(): Promise<void> {
    const { backend, prefix } = this.options;
    const list = await backend.list({ prefix });
    for (const kv of list.items) {
      const object = decodeFromStorage(kv);
      Object.freeze(object);
      this.entries.set(kv.key, { key: kv.key, object, raw: Buffer.from(JSON.stringify(object)), revision: kv.modRevision });
    }
    this.rev = list.revision;
    this.oldestRev = list.revision;
    this.handle = backend.watch(prefix, list.revision, {
      onEvents: (events) => this.apply(events),
      onError: (err: StorageError) => this.fail(err.message),
    });
  }

  stop(): void {
    this.handle?.stop();
    this.handle = null;
    for (const w of [...this.watchers]) w.onError('watch cache stopped');
    this.watchers.clear();
  }

  private fail(message: string): void {
    this.failed = message;
    for (const w of [...this.watchers]) w.onError(message);
    this.watchers.clear();
  }

  private apply(events: WatchEvent[]): void {
    for (const ev of events) {
      const prev = this.entries.get(ev.kv.key);
      let cev: CacheEvent;
      if (ev.type === 'put') {
        const object = this.takeHint(ev.kv.key, ev.kv.value) ?? decodeFromStorage(ev.kv);
        object.metadata.resourceVersion = String(ev.kv.modRevision);
        Object.freeze(object);
        const raw = spliceResourceVersion(ev.kv.value, ev.kv.modRevision) ?? Buffer.from(JSON.stringify(object));
        this.entries.set(ev.kv.key, { key: ev.kv.key, object, raw, revision: ev.revision });
        if (!prev) this.sortedKeys = null;
        cev = { type: prev ? 'MODIFIED' : 'ADDED', key: ev.kv.key, object, raw, prevObject: prev?.object, revision: ev.revision };
      } else {
        const last = prev?.object ?? decodeFromStorage(ev.kv);
        const object = { ...last, metadata: { ...last.metadata, resourceVersion: String(ev.revision) } } as KubeObject;
        Object.freeze(object);
        this.entries.delete(ev.kv.key);
        this.sortedKeys = null;
        cev = { type: 'DELETED', key: ev.kv.key, object, raw: Buffer.from(JSON.stringify(object)), prevObject: last, revision: ev.revision };
      }
      this.rev = ev.revision;
      this.window.push(cev);
      if (this.window.length - this.windowStart > this.windowSize) {
        const dropped = this.window[this.windowStart]!;
        this.oldestRev = dropped.revision;
        this.windowStart++;
        if (this.windowStart > 4096) {
          this.window.splice(0, this.windowStart);
          this.windowStart = 0;
        }
      }
      for (const w of this.watchers) {
        try {
          w.onEvent(cev);
        } catch {
          // A broken watcher must not affect the others; its owner cleans it up.
        }
      }
    }
    if (this.revisionWaiters.length) {
      const ready = this.revisionWaiters.filter((w) => w.rev <= this.rev);
      this.revisionWaiters = this.revisionWaiters.filter((w) => w.rev > this.rev);
      for (const w of ready) w.resolve();
    }
  }

  /**
   * Announces that `object`, serialized as `value`, is about to be written at `key`. If the write
   * commits, the cache adopts `object` (it must not be used by the caller afterwards) instead of
   * parsing the stored bytes. Call `dropHint` once the write settled.
   */
  hint(key: string, value: Uint8Array, object: KubeObject): void {
    this.hints.set(key, { value, object });
  }

  dropHint(key: string, value: Uint8Array): void {
    if (this.hints.get(key)?.value === value) this.hints.delete(key);
  }

  private takeHint(key: string, stored: Uint8Array): KubeObject | undefined {
    const h = this.hints.get(key);
    if (!h) return undefined;
    this.hints.delete(key);
    if (h.value.length !== stored.length || !Buffer.from(h.value.buffer, h.value.byteOffset, h.value.byteLength).equals(stored)) return undefined;
    return h.object;
  }

  get(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }

  /** Entries whose key starts with `prefix`, sorted by key. */
  list(prefix: string): CacheEntry[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.entries.keys()].sort();
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: CacheEntry[] = [];
    for (let i = lo; i < keys.length && keys[i]!.startsWith(prefix); i++) out.push(this.entries.get(keys[i]!)!);
    return out;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Resolves once the cache has seen `rev` (or after `timeoutMs`, with false). */
  waitForRevision(rev: number, timeoutMs: number): Promise<boolean> {
    if (rev <= this.rev) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { rev, resolve: () => { clearTimeout(t); resolve(true); } };
      const t = setTimeout(() => {
        this.revisionWaiters = this.revisionWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.revisionWaiters.push(waiter);
    });
  }

  /**
   * Starts delivering events with revision > `fromRevision` to `watcher`, first the buffered ones.
   * Returns 'expired' when `fromRevision` is older than the window, or an unsubscribe function.
   */
  watch(fromRevision: number, watcher: CacheWatcher): (() => void) | 'expired' {
    if (this.failed) {
      queueMicrotask(() => watcher.onError(this.failed!));
      return () => {};
    }
    if (fromRevision < this.oldestRev) return 'expired';
    for (let i = this.windowStart; i < this.window.length; i++) {
      const ev = this.window[i]!;
      if (ev.revision > fromRevision) watcher.onEvent(ev);
    }
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  get watcherCount(): number {
    return this.watchers.size;
  }
}
