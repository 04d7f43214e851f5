/**
 * The root CA publisher (upstream pkg/controller/certificates/rootcacertpublisher/publisher.go):
 * ConfigMap `kube-root-ca.crt` in every namespace, with exactly `data: {ca.crt: <root CA>}` and
 * the description annotation.
 *
 * Triggers: namespace added; namespace updated while Active; that ConfigMap updated or deleted.
 * Sync(namespace): missing -> create (NotFound or NamespaceTerminating -> give up silently);
 * present with other data (extra keys count) or without the description -> overwrite `data`, set
 * the annotation (other annotations and labels kept), UPDATE. Errors requeue with rate limiting;
 * a Conflict simply means the next event brings the newer object.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { hasStatusCause, isConflict, isNotFound, namespaceTerminatingCause } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { RestClient } from '../client/rest-client.js';
import { core } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { runWorkers, type Controller } from './runner.js';

export const rootCaConfigMapName = 'kube-root-ca.crt';
export const descriptionAnnotation = 'kubernetes.io/description';
export const rootCaDescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export interface RootCaPublisherOptions {
  informers: InformerFactory;
  /** The controller's own client (its identity) for writes. */
  client: RestClient;
  /** The root CA bundle (PEM) to publish. */
  rootCa: string;
  clock?: Clock;
  workers?: number;
  /** Records Warning `FailedCreate`/`FailedUpdate` events on the namespace when a write fails. */
  recorder?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
}

export function createRootCaPublisher(o: RootCaPublisherOptions): Controller {
  const queue = createWorkQueue({ name: 'root_ca_cert_publisher', clock: o.clock });
  const namespaces = o.informers.informer(core('namespaces'));
  const configMaps = o.informers.informer(core('configmaps'));
  const cmClient = o.client.resource(core('configmaps'));
  let workers: Promise<void> | undefined;

  const isActive = (ns: KubeObject) => (ns.status as { phase?: string } | undefined)?.phase === 'Active';
  namespaces.addEventHandler({
    add: (ns) => queue.add(ns.metadata.name!),
    update: (_, ns) => {
      if (isActive(ns)) queue.add(ns.metadata.name!);
    },
  });
  const onConfigMap = (cm: KubeObject) => {
    if (cm.metadata.name === rootCaConfigMapName) queue.add(cm.metadata.namespace!);
  };
  configMaps.addEventHandler({ update: (_, cm) => onConfigMap(cm), delete: onConfigMap });

  async function sync(ns: string): Promise<void> {
    const data = { 'ca.crt': o.rootCa };
    const cm = configMaps.lister.get(ns, rootCaConfigMapName);
    if (!cm) {
      try {
        await cmClient.create(ns, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: rootCaConfigMapName, namespace: ns, annotations: { [descriptionAnnotation]: rootCaDescription } },
          data,
        });
      } catch (e) {
        // AlreadyExists is retried like upstream: by then the informer has brought the object.
        if (isNotFound(e) || hasStatusCause(e, namespaceTerminatingCause)) return;
        failed(ns, 'FailedCreate', e);
        throw e;
      }
      return;
    }
    if (isDeepStrictEqual(cm.data ?? {}, data) && cm.metadata.annotations?.[descriptionAnnotation]) return;
    const updated = structuredClone(cm);
    updated.data = data;
    updated.metadata.annotations = { ...(updated.metadata.annotations ?? {}), [descriptionAnnotation]: rootCaDescription };
    try {
      await cmClient.update(ns, updated);
    } catch (e) {
      // A Conflict only means the next event brings the newer object.
      if (!isConflict(e)) failed(ns, 'FailedUpdate', e);
      throw e;
    }
  }

  function failed(ns: string, reason: 'FailedCreate' | 'FailedUpdate', e: unknown): void {
    const namespace = namespaces.lister.get('', ns);
    if (!namespace) return;
    const verb = reason === 'FailedCreate' ? 'creating' : 'updating';
    o.recorder?.event(namespace, 'Warning', reason, `Error ${verb} ConfigMap ${rootCaConfigMapName}: ${(e as Error).message ?? String(e)}`);
  }

  return {
    name: 'root-ca-certificate-publisher-controller',
    async start() {
      await Promise.all([namespaces.waitForSync(), configMaps.waitForSync()]);
      workers = runWorkers({ queue, workers: o.workers ?? 1, sync, onError: (key, e) => o.log?.(`syncing ${rootCaConfigMapName} in ${key} failed`, e) });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
