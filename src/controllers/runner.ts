/**
 * The worker loop every controller shares (client-go's processNextWorkItem): take a key, sync
 * it, forget its failures on success, requeue it with rate limiting on error. A sync may ask for
 * a delayed requeue (e.g. "content remains, look again in N seconds") by returning a delay.
 */
import type { WorkQueue } from '../client/workqueue.js';

/** What a sync returns: nothing, or milliseconds after which to look at the key again. */
export type SyncResult = void | { requeueAfterMs: number };

export interface RunWorkersOptions {
  queue: WorkQueue;
  workers: number;
  sync(key: string): Promise<SyncResult>;
  /** Called with each failed sync's error before the key is requeued with rate limiting. */
  onError?(key: string, err: unknown): void;
}

/** Starts `workers` loops; resolves when the queue is shut down and the loops have ended. */
export function runWorkers(o: RunWorkersOptions): Promise<void> {
  async function loop(): Promise<void> {
    for (;;) {
      const key = await o.queue.get();
      if (key === undefined) return;
      try {
        const result = await o.sync(key);
        o.queue.forget(key);
        if (result && result.requeueAfterMs >= 0) o.queue.addAfter(key, result.requeueAfterMs);
      } catch (e) {
        o.onError?.(key, e);
        o.queue.addRateLimited(key);
      } finally {
        o.queue.done(key);
      }
    }
  }
  return Promise.all(Array.from({ length: Math.max(1, o.workers) }, loop)).then(() => undefined);
}

/** The lifecycle every controller exposes to the wiring. */
export interface Controller {
  readonly name: string;
  /** Starts informers and workers; resolves once the caches have synced. */
  start(): Promise<void>;
  /** Stops workers and informers (idempotent). */
  stop(): Promise<void>;
}
