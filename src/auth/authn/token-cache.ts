/**
 * The success cache of the ServiceAccount token authenticator (upstream's token cache, 10 s for
 * successes, failures never cached), with one difference: every entry names the objects it was
 * validated against (ServiceAccount, bound Pod/Secret/Node, legacy token Secret), and an event on
 * any of them (fed from the Stores' watch caches) drops the entry at once. Revocation by deleting
 * or recreating an object is therefore immediate, not up to 10 s late.
 *
 * Contracts:
 * - keys are SHA-256 digests of the token: the cache never holds token text;
 * - `get` never returns an entry past its `validUntilMs`, nor one invalidated since it was set;
 * - if the event feed fails, the cache empties itself and stops caching (every token is then
 *   verified afresh), so a missed event can never keep a revoked token alive.
 */
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { UserInfo } from './types.js';

export interface CachedAuthentication {
  user: UserInfo;
  /** The token's audiences (the API audiences for legacy tokens without `aud`). */
  tokenAudiences: string[];
  /** Epoch ms after which the entry is not used (token exp + leeway, deletion grace, cache TTL). */
  validUntilMs: number;
  /** Object keys (see objectKey) whose change or deletion invalidates the entry. */
  dependsOn: string[];
}

export interface TokenCache {
  get(token: string, nowMs: number): CachedAuthentication | undefined;
  /** Stores a success; the entry lives until min(entry.validUntilMs, nowMs + ttl). */
  set(token: string, entry: CachedAuthentication, nowMs: number): void;
  /** Drops every entry that depends on this object. */
  invalidate(objectKey: string): void;
  clear(): void;
  /** Stops caching for good (the event feed failed). */
  disable(): void;
  readonly size: number;
}

export interface TokenCacheOptions {
  /** Success TTL; upstream's TokenSuccessCacheTTL is 10 s. */
  ttlMs?: number;
  /** Entries kept (least recently used go first). Failures are never cached, so junk cannot evict. */
  max?: number;
}

/** `pods/ns/name`, `nodes//name`: the key of an object a cached authentication depends on. */
export function objectKey(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

function digest(token: string): string {
  return hash('sha256', token, 'base64');
}

export function createTokenCache(options: TokenCacheOptions = {}): TokenCache {
  const ttlMs = options.ttlMs ?? 10_000;
  const byObject = new Map<string, Set<string>>();
  let enabled = true;
  // A miss is usually followed by a set of the same token: digest it once.
  let lastToken: string | undefined;
  let lastKey = '';
  const keyOf = (token: string): string => {
    if (token !== lastToken) {
      lastKey = digest(token);
      lastToken = token;
    }
    return lastKey;
  };
  const unindex = (key: string, entry: CachedAuthentication) => {
    for (const dep of entry.dependsOn) {
      const keys = byObject.get(dep);
      if (!keys) continue;
      keys.delete(key);
      if (keys.size === 0) byObject.delete(dep);
    }
  };
  const lru = new LRUCache<string, CachedAuthentication>({
    max: options.max ?? 20_000,
    dispose: (entry, key) => unindex(key, entry),
  });
  return {
    get(token, nowMs) {
      if (!enabled || lru.size === 0) return undefined;
      const key = keyOf(token);
      const entry = lru.get(key);
      if (!entry) return undefined;
      if (entry.validUntilMs <= nowMs) {
        lru.delete(key);
        return undefined;
      }
      return entry;
    },
    set(token, entry, nowMs) {
      if (!enabled) return;
      const key = keyOf(token);
      const stored = { ...entry, validUntilMs: Math.min(entry.validUntilMs, nowMs + ttlMs) };
      if (stored.validUntilMs <= nowMs) return;
      lru.set(key, stored);
      for (const dep of stored.dependsOn) {
        let keys = byObject.get(dep);
        if (!keys) byObject.set(dep, (keys = new Set()));
        keys.add(key);
      }
    },
    invalidate(objectKey) {
      const keys = byObject.get(objectKey);
      if (!keys) return;
      for (const key of [...keys]) lru.delete(key);
      byObject.delete(objectKey);
    },
    clear() {
      lru.clear();
      byObject.clear();
    },
    disable() {
      enabled = false;
      lru.clear();
      byObject.clear();
    },
    get size() {
      return lru.size;
    },
  };
}

/** What the cache needs from a Store's watch cache (structurally registry's WatchCache). */
export interface ObjectEventSource {
  readonly revision: number;
  watch(
    fromRevision: number,
    watcher: {
      onEvent(ev: { type: string; object: { metadata: { namespace?: string; name?: string } } }): void;
      onError(message: string): void;
    },
  ): (() => void) | 'expired';
}

/**
 * Feeds the cache from watch caches: any event (added, modified, deleted) on an object of
 * `resource` invalidates the entries depending on it. Returns a function that stops the feed.
 * A failed feed disables the cache (see the module contract).
 */
export function feedTokenCache(cache: TokenCache, sources: Array<{ resource: string; events: ObjectEventSource }>): () => void {
  const stops: Array<() => void> = [];
  for (const { resource, events } of sources) {
    const stop = events.watch(events.revision, {
      onEvent(ev) {
        cache.invalidate(objectKey(resource, ev.object.metadata.namespace ?? '', ev.object.metadata.name ?? ''));
      },
      onError() {
        cache.disable();
      },
    });
    if (stop === 'expired') cache.disable();
    else stops.push(stop);
  }
  return () => {
    for (const s of stops) s();
    cache.disable();
  };
}
