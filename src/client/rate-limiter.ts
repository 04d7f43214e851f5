/**
 * Rate limiters of client-go's workqueue: per-item exponential failure backoff, an overall token
 * bucket, and the max of several. DefaultControllerRateLimiter = max(exponential 5 ms..1000 s,
 * bucket 10 qps burst 100), exactly as client-go 1.32.
 */
import type { Clock } from './clock.js';

export interface RateLimiter {
  /** Milliseconds to wait before the item may be processed again (counts a failure). */
  when(item: string): number;
  /** Forgets the item's failures (call after a successful sync). */
  forget(item: string): void;
  numRequeues(item: string): number;
}

export function itemExponentialFailureRateLimiter(baseMs: number, maxMs: number): RateLimiter {
  const failures = new Map<string, number>();
  return {
    when(item) {
      const n = failures.get(item) ?? 0;
      failures.set(item, n + 1);
      const backoff = baseMs * 2 ** n;
      return Number.isFinite(backoff) ? Math.min(backoff, maxMs) : maxMs;
    },
    forget: (item) => void failures.delete(item),
    numRequeues: (item) => failures.get(item) ?? 0,
  };
}

/** golang.org/x/time/rate semantics: a reservation that returns how long until its token exists. */
export function bucketRateLimiter(qps: number, burst: number, clock: Clock): RateLimiter {
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / qps) * 1000);
    },
    forget: () => {},
    numRequeues: () => 0,
  };
}

export function maxOfRateLimiter(...limiters: RateLimiter[]): RateLimiter {
  return {
    when: (item) => Math.max(...limiters.map((l) => l.when(item))),
    forget: (item) => limiters.forEach((l) => l.forget(item)),
    numRequeues: (item) => Math.max(...limiters.map((l) => l.numRequeues(item))),
  };
}

export function defaultControllerRateLimiter(clock: Clock): RateLimiter {
  return maxOfRateLimiter(itemExponentialFailureRateLimiter(5, 1000_000), bucketRateLimiter(10, 100, clock));
}
