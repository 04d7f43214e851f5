/**
 * An informer (client-go's reflector + shared informer, reduced): LIST, then WATCH from the list's
 * resourceVersion, keeping a cache (the lister) and calling handlers for each change.
 *
 * Contract:
 * - Handlers run synchronously, in event order, after the cache is updated; they must only
 *   enqueue keys (never call the server). Handed-out objects must not be mutated.
 * - The watch resumes from the last resourceVersion seen (events and BOOKMARKs). A 410
 *   (Expired/Gone, as a response or an ERROR event) relists at once; a relist reports objects
 *   that vanished meanwhile as deletions, new ones as additions and the others as updates.
 * - Other failures (connection refused, 5xx, a watch that ends within a second with no event)
 *   retry with exponential backoff (800 ms doubling to 30 s, reset after a successful list),
 *   like the reflector. A watch the server ends normally later is resumed at once.
 * - `resyncMs` > 0 re-delivers every cached object as an update (old === new) on that period.
 */
import type { KubeObject } from '../api/meta.js';
import { realClock, sleep, type Clock, type TimerHandle } from './clock.js';
import { ApiError, isGone } from './errors.js';
import { createCache, type Lister } from './lister.js';
import type { ResourceClient } from './rest-client.js';

export interface EventHandlers {
  add?(obj: KubeObject): void;
  update?(oldObj: KubeObject, newObj: KubeObject): void;
  delete?(obj: KubeObject): void;
}

export interface InformerOptions {
  client: ResourceClient;
  /** Namespace to watch ('' or absent: all namespaces / cluster-scoped). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  resyncMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Server-side watch timeout (seconds); default 5-10 minutes like the reflector. */
  watchTimeoutSeconds?: () => number;
  log?: (message: string, err?: unknown) => void;
}

export interface Informer {
  readonly lister: Lister;
  addEventHandler(h: EventHandlers): void;
  /** Starts the list/watch loop (idempotent). */
  start(): void;
  stop(): void;
  hasSynced(): boolean;
  /** Resolves once the first list has been delivered (or never, if stopped first). */
  waitForSync(): Promise<void>;
  /** The resourceVersion the next watch would start from. */
  lastResourceVersion(): string;
}

export function createInformer(o: InformerOptions): Informer {
  const clock = o.clock ?? realClock;
  const cache = createCache();
  const handlers: EventHandlers[] = [];
  const abort = new AbortController();
  const initialBackoff = o.backoffInitialMs ?? 800;
  const maxBackoff = o.backoffMaxMs ?? 30_000;
  let started = false;
  let synced = false;
  let rv = '';
  let listedInAttempt = false;
  let eventsSinceList = 0;
  let expiredRightAfterList = false;
  let currentWatch: { close(): void } | undefined;
  let resyncTimer: TimerHandle | undefined;
  let syncWaiters: (() => void)[] = [];

  const emit = (f: (h: EventHandlers) => void) => {
    for (const h of handlers) {
      try {
        f(h);
      } catch (e) {
        o.log?.('informer event handler failed', e);
      }
    }
  };

  function apply(type: string, obj: KubeObject): void {
    if (type === 'DELETED') {
      const prev = cache.remove(obj);
      emit((h) => h.delete?.(prev ?? obj));
      return;
    }
    const prev = cache.upsert(obj);
    if (prev) emit((h) => h.update?.(prev, obj));
    else emit((h) => h.add?.(obj));
  }

  function replace(items: KubeObject[]): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const prev = cache.upsert(obj);
      seen.add(prev ? keyOf(prev) : keyOf(obj));
      if (prev) emit((h) => h.update?.(prev, obj));
      else emit((h) => h.add?.(obj));
    }
    for (const key of cache.keys()) {
      if (seen.has(key)) continue;
      const gone = cache.getByKey(key)!;
      cache.remove(gone);
      emit((h) => h.delete?.(gone));
    }
  }

  async function listAndWatch(): Promise<void> {
    const list = await o.client.list(o.namespace ?? '', { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector });
    for (const item of list.items) {
      // Items of a list carry no kind; restore it for handlers that read it.
      if (!item.kind && list.kind?.endsWith('List')) item.kind = list.kind.slice(0, -4);
      if (!item.apiVersion && list.apiVersion) item.apiVersion = list.apiVersion;
    }
    replace(list.items);
    listedInAttempt = true;
    eventsSinceList = 0;
    rv = list.metadata.resourceVersion ?? '';
    if (!synced) {
      synced = true;
      const waiters = syncWaiters;
      syncWaiters = [];
      for (const w of waiters) w();
    }
    while (!abort.signal.aborted) {
      const timeoutSeconds = o.watchTimeoutSeconds?.() ?? Math.floor(300 * (1 + Math.random()));
      const w = await o.client.watch(o.namespace ?? '', {
        labelSelector: o.labelSelector,
        fieldSelector: o.fieldSelector,
        resourceVersion: rv,
        allowWatchBookmarks: true,
        timeoutSeconds,
      });
      currentWatch = w;
      if (abort.signal.aborted) w.close();
      const watchStart = clock.now();
      const eventsBefore = eventsSinceList;
      try {
        for await (const ev of w.events) {
          if (abort.signal.aborted) break;
          if (ev.type === 'ERROR') {
            const status = ev.object as unknown as ApiError['status'];
            throw new ApiError({ ...status, kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: status.code ?? 500 });
          }
          const objRv = ev.object.metadata?.resourceVersion;
          if (ev.type !== 'BOOKMARK') apply(ev.type, ev.object);
          if (objRv) rv = objRv;
          eventsSinceList++;
          expiredRightAfterList = false;
        }
      } finally {
        currentWatch = undefined;
        w.close();
      }
      // Like the reflector: a watch that ends within a second with nothing in it is an error
      // (backoff, then relist), not a reason to reconnect at once.
      if (!abort.signal.aborted && eventsSinceList === eventsBefore && clock.now() - watchStart < 1000) {
        throw new Error(`very short watch of ${o.client.gvr.resource}: unexpected watch close - watch lasted less than a second and no items received`);
      }
    }
  }

  async function run(): Promise<void> {
    let backoff = initialBackoff;
    while (!abort.signal.aborted) {
      listedInAttempt = false;
      try {
        await listAndWatch();
      } catch (e) {
        if (abort.signal.aborted) return;
        if (isGone(e) && !expiredRightAfterList) {
          // Relist at once; a second expiry with no event in between backs off like any failure.
          expiredRightAfterList = listedInAttempt && eventsSinceList === 0;
          o.log?.(`watch of ${o.client.gvr.resource} expired; relisting`);
          continue;
        }
        expiredRightAfterList = false;
        if (listedInAttempt) backoff = initialBackoff;
        o.log?.(`list/watch of ${o.client.gvr.resource} failed; retrying in ${backoff} ms`, e);
        await sleep(clock, backoff, abort.signal);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  function scheduleResync(): void {
    if (!o.resyncMs || abort.signal.aborted) return;
    resyncTimer = clock.setTimer(o.resyncMs, () => {
      for (const obj of cache.list()) emit((h) => h.update?.(obj, obj));
      scheduleResync();
    });
  }

  return {
    lister: cache,
    addEventHandler(h) {
      handlers.push(h);
      // Like AddEventHandler on a running shared informer: replay the cache as additions.
      if (synced) for (const obj of cache.list()) h.add?.(obj);
    },
    start() {
      if (started) return;
      started = true;
      void run();
      scheduleResync();
    },
    stop() {
      abort.abort();
      currentWatch?.close();
      resyncTimer?.cancel();
    },
    hasSynced: () => synced,
    waitForSync: () => (synced ? Promise.resolve() : new Promise<void>((r) => syncWaiters.push(r))),
    lastResourceVersion: () => rv,
  };
}

function keyOf(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name ?? '');
}
