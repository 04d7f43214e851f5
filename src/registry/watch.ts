/**
 * WATCH semantics of the Store: from resourceVersion unset or "0" (or sendInitialEvents) the
 * current objects first arrive as ADDED; from N only later events; a version older than the watch
 * cache window is 410 Expired; a future one waits up to 3 s, then 504. With selectors, an object
 * that starts or stops matching arrives as ADDED or DELETED, as upstream's cacher does.
 */
import type { KubeObject } from '../api/meta.js';
import { expired, internalError, type StatusError } from '../api/status.js';
import type { ReadView } from './list.js';
import { parseResourceVersion, tooLargeResourceVersion } from './versions.js';
import type { CacheEvent } from './watch-cache.js';

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  /** Send synthetic ADDED events for current objects first (RV unset or "0", or sendInitialEvents). */
  sendInitialEvents?: boolean;
}

export interface WatchSink {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject, raw: Buffer): void;
  /** Called once after initial events were sent (for bookmarks with sendInitialEvents). */
  initialEventsEnd?(resourceVersion: string): void;
  error(status: StatusError): void;
}

/** Starts a watch; returns a stop function. Errors (e.g. 410 Expired) are reported through the sink. */
export function watchObjects(view: ReadView, opts: WatchOptions, sink: WatchSink): () => void {
  const sel = view.compile(opts.labelSelector, opts.fieldSelector);
  const prefix = view.prefix;
  const rvText = opts.resourceVersion;
  const rv = parseResourceVersion(rvText);
  const initial = opts.sendInitialEvents ?? (rvText === undefined || rvText === '' || rvText === '0');
  let from = rv;
  let stopped = false;
  const deliver = (ev: CacheEvent) => {
    if (stopped || !ev.key.startsWith(prefix)) return;
    const now = sel.matches(ev.object);
    if (ev.type === 'ADDED') {
      if (now) sink.event('ADDED', ev.object, ev.raw);
    } else if (ev.type === 'DELETED') {
      if (sel.matches(ev.prevObject ?? ev.object)) sink.event('DELETED', ev.object, ev.raw);
    } else {
      const before = ev.prevObject ? sel.matches(ev.prevObject) : false;
      if (now && before) sink.event('MODIFIED', ev.object, ev.raw);
      else if (now) sink.event('ADDED', ev.object, ev.raw);
      else if (before) sink.event('DELETED', ev.object, ev.raw);
    }
  };
  if (initial) {
    from = view.cache.revision;
    for (const e of view.cache.list(prefix)) if (sel.matches(e.object)) sink.event('ADDED', e.object, e.raw);
    sink.initialEventsEnd?.(String(from));
  } else if (from > view.cache.revision) {
    // A resourceVersion from the future: wait briefly for it, as the watch cache does.
    let unsub: (() => void) | 'expired' | null = null;
    void view.cache.waitForRevision(from, 3000).then((ok) => {
      if (stopped) return;
      if (!ok) return sink.error(tooLargeResourceVersion(from, view.cache.revision));
      unsub = view.cache.watch(from, { onEvent: deliver, onError: (m) => sink.error(internalError(m)) });
      if (unsub === 'expired') sink.error(expired(`too old resource version: ${from} (${view.cache.oldestRevision})`));
    });
    return () => {
      stopped = true;
      if (typeof unsub === 'function') unsub();
    };
  }
  const unsub = view.cache.watch(from, { onEvent: deliver, onError: (m) => sink.error(internalError(m)) });
  if (unsub === 'expired') {
    queueMicrotask(() => sink.error(expired(`too old resource version: ${from} (${view.cache.oldestRevision})`)));
    return () => {
      stopped = true;
    };
  }
  return () => {
    stopped = true;
    unsub();
  };
}
