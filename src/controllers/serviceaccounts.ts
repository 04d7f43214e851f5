/**
 * The ServiceAccounts controller (upstream pkg/controller/serviceaccount/serviceaccounts_controller.go):
 * ensures ServiceAccount `default` exists in every Active namespace.
 *
 * Triggers: namespace added or updated (including resyncs), ServiceAccount deleted (its
 * namespace). Sync(namespace): nothing if the namespace is gone or not Active; otherwise create
 * each missing account. AlreadyExists and NamespaceTerminating are success; anything else is
 * retried with rate limiting. Idempotent: it only ever creates what the cache says is missing.
 */
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { hasStatusCause, isAlreadyExists, namespaceTerminatingCause } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { RestClient } from '../client/rest-client.js';
import { core } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { runWorkers, type Controller } from './runner.js';

export interface ServiceAccountsControllerOptions {
  /** Shared informers (and the client they use); the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The controller's own client (its identity) for writes. */
  client: RestClient;
  clock?: Clock;
  workers?: number;
  /** Accounts to ensure (default: just `default`). */
  serviceAccounts?: string[];
  /** Records a Warning `FailedCreate` event on the namespace when an account cannot be created. */
  recorder?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
}

export function createServiceAccountsController(o: ServiceAccountsControllerOptions): Controller {
  const toEnsure = o.serviceAccounts ?? ['default'];
  const queue = createWorkQueue({ name: 'serviceaccount', clock: o.clock });
  const namespaces = o.informers.informer(core('namespaces'));
  const serviceAccounts = o.informers.informer(core('serviceaccounts'));
  const saClient = o.client.resource(core('serviceaccounts'));
  let workers: Promise<void> | undefined;

  namespaces.addEventHandler({
    add: (ns) => queue.add(ns.metadata.name!),
    update: (_, ns) => queue.add(ns.metadata.name!),
  });
  serviceAccounts.addEventHandler({
    delete: (sa) => queue.add(sa.metadata.namespace!),
  });

  async function sync(name: string): Promise<void> {
    const ns = namespaces.lister.get('', name);
    if (!ns) return;
    if ((ns.status as { phase?: string } | undefined)?.phase !== 'Active') return;
    const failures: unknown[] = [];
    for (const saName of toEnsure) {
      if (serviceAccounts.lister.get(name, saName)) continue;
      const sa: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: saName, namespace: name } };
      try {
        await saClient.create(name, sa);
      } catch (e) {
        if (isAlreadyExists(e) || hasStatusCause(e, namespaceTerminatingCause)) continue;
        o.recorder?.event(ns, 'Warning', 'FailedCreate', `Error creating ServiceAccount ${saName}: ${(e as Error).message ?? String(e)}`);
        failures.push(e);
      }
    }
    if (failures.length) throw failures[0];
  }

  return {
    name: 'serviceaccount-controller',
    async start() {
      await Promise.all([namespaces.waitForSync(), serviceAccounts.waitForSync()]);
      workers = runWorkers({ queue, workers: o.workers ?? 1, sync, onError: (key, e) => o.log?.(`syncing namespace ${key} failed`, e) });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
