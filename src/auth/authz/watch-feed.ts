/**
 * Keeps a BindingIndex in step with a Store's watch cache: the current objects first, then every
 * event (the cache delivers a write's event before the write resolves, so a binding written
 * through the server governs the very next request).
 */
import type { Store } from '../../registry/store.js';
import type { BindingIndex } from './rule-resolver.js';

/** Fills `index` from `store` and follows it; returns a stop function. The store must be started. */
export function feedBindingIndex(store: Store, index: BindingIndex, onError: (message: string) => void): () => void {
  const cache = store.cache;
  for (const e of cache.list('')) index.upsert(e.object);
  const stop = cache.watch(cache.revision, {
    onEvent(ev) {
      if (ev.type === 'DELETED') index.remove(ev.prevObject ?? ev.object);
      else index.upsert(ev.object);
    },
    onError,
  });
  if (stop === 'expired') throw new Error('binding index: watch cache window expired at start');
  return stop;
}
