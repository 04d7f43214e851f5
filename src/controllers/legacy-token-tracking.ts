/**
 * Legacy token tracking (upstream pkg/controlplane/controller/legacytokentracking/controller.go, a
 * kube-apiserver controller): keeps ConfigMap
 * `kube-system/kube-apiserver-legacy-service-account-token-tracking` with `data.since` = the UTC
 * date (YYYY-MM-DD) from which legacy token use is recorded (see legacy-token-usage.ts).
 *
 * Triggers: that ConfigMap added, updated or deleted, and once at start. Sync:
 * - missing -> create it with today's date; creations are rate limited to one per 30 minutes
 *   (in memory, per process, like upstream's rate.Limiter: the first one is immediate), a key
 *   that must wait is requeued for the remaining time; AlreadyExists is success;
 * - present with a `since` that does not parse as a date -> UPDATE it to today's date
 *   (NotFound/Conflict are success: the next event brings the newer object);
 * - otherwise nothing (a valid date is never moved).
 */
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from '../client/clock.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { runWorkers, type Controller, type SyncResult } from './runner.js';
import { formatDate, parseDate, trackingConfigMapDataKey, trackingConfigMapName } from './tokens-shared.js';

export interface LegacyTokenTrackingOptions {
  /** Shared informers (ConfigMaps); the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The API server's own client (loopback identity). */
  client: RestClient;
  clock?: Clock;
  /** Minimum time between two creations of the ConfigMap (default 30 minutes). */
  creationIntervalMs?: number;
  log?: (message: string, err?: unknown) => void;
}

const namespace = 'kube-system';
const queueKey = `${namespace}/${trackingConfigMapName}`;

export function createLegacyTokenTrackingController(o: LegacyTokenTrackingOptions): Controller {
  const clock = o.clock ?? realClock;
  const interval = o.creationIntervalMs ?? 30 * 60 * 1000;
  const queue = createWorkQueue({ name: 'legacy_token_tracking_controller', clock });
  const configMaps = o.informers.informer(core('configmaps'));
  const cmClient = o.client.resource(core('configmaps'));
  let lastCreation: number | undefined;
  let workers: Promise<void> | undefined;

  const onConfigMap = (cm: KubeObject) => {
    if (cm.metadata.namespace === namespace && cm.metadata.name === trackingConfigMapName) queue.add(queueKey);
  };
  configMaps.addEventHandler({ add: onConfigMap, update: (_, cm) => onConfigMap(cm), delete: onConfigMap });

  async function sync(): Promise<SyncResult> {
    const now = clock.now();
    const cm = configMaps.lister.get(namespace, trackingConfigMapName);
    if (!cm) {
      if (lastCreation !== undefined && now - lastCreation < interval) return { requeueAfterMs: lastCreation + interval - now };
      try {
        await cmClient.create(namespace, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: trackingConfigMapName, namespace },
          data: { [trackingConfigMapDataKey]: formatDate(now) },
        });
        lastCreation = now;
      } catch (e) {
        if (isAlreadyExists(e)) {
          lastCreation = now;
          return;
        }
        throw e; // an unsuccessful attempt does not consume the rate limit
      }
      return;
    }
    const data = (cm.data ?? {}) as Record<string, string>;
    if (parseDate(data[trackingConfigMapDataKey]) !== undefined) return;
    const updated = structuredClone(cm);
    updated.data = { ...data, [trackingConfigMapDataKey]: formatDate(now) };
    try {
      await cmClient.update(namespace, updated);
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }

  return {
    name: 'legacy-token-tracking-controller',
    async start() {
      await configMaps.waitForSync();
      // The one exception to "only events fill the queue": create the ConfigMap if it is missing.
      queue.add(queueKey);
      workers = runWorkers({ queue, workers: 1, sync, onError: (_, e) => o.log?.(`syncing ConfigMap ${queueKey} failed`, e) });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
