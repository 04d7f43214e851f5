/**
 * A rate-limited work queue with client-go's semantics (util/workqueue):
 * - a key is queued at most once (dedup), and never handed to two workers at the same time: a
 *   key added while it is being processed is queued again when `done` is called for it;
 * - `addAfter` delays a key (the earliest of several pending delays wins); `addRateLimited`
 *   delays it by the rate limiter's answer, `forget` resets its failure count;
 * - after `shutDown`, `get` resolves undefined and adds are ignored.
 * Event handlers only call add*; workers loop on get/done (see runWorkers).
 */
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueue {
  add(key: string): void;
  addAfter(key: string, ms: number): void;
  addRateLimited(key: string): void;
  forget(key: string): void;
  numRequeues(key: string): number;
  /** The next key (marked as processing), or undefined once shut down. */
  get(): Promise<string | undefined>;
  done(key: string): void;
  shutDown(): void;
  readonly length: number;
  isShuttingDown(): boolean;
}

export interface WorkQueueOptions {
  name?: string;
  clock?: Clock;
  rateLimiter?: RateLimiter;
}

export function createWorkQueue(o: WorkQueueOptions = {}): WorkQueue {
  const clock = o.clock ?? realClock;
  const limiter = o.rateLimiter ?? defaultControllerRateLimiter(clock);
  const queue: string[] = [];
  const dirty = new Set<string>();
  const processing = new Set<string>();
  const waiting = new Map<string, { due: number; timer: TimerHandle }>();
  const getters: ((key: string | undefined) => void)[] = [];
  let shuttingDown = false;

  function push(key: string): void {
    const getter = getters.shift();
    if (getter) {
      dirty.delete(key);
      processing.add(key);
      getter(key);
    } else {
      queue.push(key);
    }
  }

  const self: WorkQueue = {
    add(key) {
      if (shuttingDown || dirty.has(key)) return;
      dirty.add(key);
      if (processing.has(key)) return;
      push(key);
    },
    addAfter(key, ms) {
      if (shuttingDown) return;
      if (ms <= 0) return self.add(key);
      const due = clock.now() + ms;
      const existing = waiting.get(key);
      if (existing && existing.due <= due) return;
      existing?.timer.cancel();
      const timer = clock.setTimer(ms, () => {
        waiting.delete(key);
        self.add(key);
      });
      waiting.set(key, { due, timer });
    },
    addRateLimited(key) {
      self.addAfter(key, limiter.when(key));
    },
    forget: (key) => limiter.forget(key),
    numRequeues: (key) => limiter.numRequeues(key),
    get() {
      if (queue.length) {
        const key = queue.shift()!;
        dirty.delete(key);
        processing.add(key);
        return Promise.resolve(key);
      }
      if (shuttingDown) return Promise.resolve(undefined);
      return new Promise((resolve) => getters.push(resolve));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key) && !shuttingDown) push(key);
    },
    shutDown() {
      shuttingDown = true;
      for (const w of waiting.values()) w.timer.cancel();
      waiting.clear();
      for (const g of getters.splice(0)) g(undefined);
    },
    get length() {
      return queue.length;
    },
    isShuttingDown: () => shuttingDown,
  };
  return self;
}
