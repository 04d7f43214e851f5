/**
 * The namespace controller (upstream pkg/controller/namespace/namespace_controller.go): when a
 * namespace is being deleted, delete everything in it, then remove the `kubernetes` finalizer so
 * the server removes the namespace.
 *
 * Triggers: namespace added or updated with a deletionTimestamp, enqueued after
 * `deletionGracePeriodMs` (upstream waits 5 s so every admission cache sees the Terminating
 * phase). Namespaces already Terminating when the controller starts are picked up by the initial
 * list, so a restart mid-deletion converges. Content remaining -> look again after half the
 * estimate; errors -> rate-limited retry (5 ms doubling to 60 s, upstream's limiter).
 */
import type { Clock } from '../client/clock.js';
import { realClock } from '../client/clock.js';
import { isConflict } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { bucketRateLimiter, itemExponentialFailureRateLimiter, maxOfRateLimiter } from '../client/rate-limiter.js';
import { core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { createNamespaceDeleter } from './namespace-deleter.js';
import { runWorkers, type Controller } from './runner.js';

export interface NamespaceControllerOptions {
  informers: InformerFactory;
  /** The controller's own client (its identity) for discovery, deletes and finalize. */
  client: RestClient;
  clock?: Clock;
  workers?: number;
  /** Delay before a deleted namespace is processed (upstream 5 s). */
  deletionGracePeriodMs?: number;
  /** Records a Warning `NamespaceDeletionFailed` event on the namespace when a deletion attempt fails. */
  recorder?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
}

export function createNamespaceController(o: NamespaceControllerOptions): Controller {
  const clock = o.clock ?? realClock;
  const queue = createWorkQueue({
    name: 'namespace',
    clock,
    rateLimiter: maxOfRateLimiter(itemExponentialFailureRateLimiter(5, 60_000), bucketRateLimiter(10, 100, clock)),
  });
  const namespaces = o.informers.informer(core('namespaces'));
  const deleter = createNamespaceDeleter({ client: o.client, clock });
  const grace = o.deletionGracePeriodMs ?? 5000;
  let workers: Promise<void> | undefined;

  const enqueue = (ns: { metadata: { name?: string; deletionTimestamp?: string | null } }) => {
    if (ns.metadata.deletionTimestamp) queue.addAfter(ns.metadata.name!, grace);
  };
  namespaces.addEventHandler({ add: enqueue, update: (_, ns) => enqueue(ns) });

  return {
    name: 'namespace-controller',
    async start() {
      await namespaces.waitForSync();
      workers = runWorkers({
        queue,
        workers: o.workers ?? 5,
        sync: async (name) => {
          const estimate = await deleter.deleteNamespace(name);
          if (estimate > 0) return { requeueAfterMs: (estimate * 1000) / 2 };
        },
        onError: (key, e) => {
          o.log?.(`deletion of namespace ${key} failed; retrying`, e);
          const ns = namespaces.lister.get('', key);
          if (ns && !isConflict(e)) o.recorder?.event(ns, 'Warning', 'NamespaceDeletionFailed', (e as Error).message ?? String(e));
        },
      });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
