/**
 * The garbage collector (upstream pkg/controller/garbagecollector, reduced to what a single
 * server needs), through the client only. It watches every resource that supports list, watch and
 * delete (events excepted) and acts on ownerReferences:
 *
 * - attemptToDelete(item): GET the item; classify its owners by GET (absent or another uid:
 *   dangling; being deleted with `foregroundDeletion`: waiting; else solid). Some solid: remove
 *   references to dangling/waiting owners (merge patch with resourceVersion). None solid and an
 *   owner waiting while the item has dependents: DELETE the item with Foreground. Otherwise
 *   DELETE it (UID precondition) with the policy its own finalizers ask for (orphan, foreground,
 *   else Background).
 * - An item being deleted with `foregroundDeletion`: once no dependent holds a reference with
 *   blockOwnerDeletion, remove the finalizer (the server then removes the item); until then,
 *   attemptToDelete each blocking dependent.
 * - attemptToOrphan(owner) for an owner being deleted with `orphan`: remove the references to it
 *   from every dependent, then remove the finalizer.
 * Conflicts and NotFound mid-sync requeue with rate limiting; every step is idempotent.
 */
import type { KubeObject, OwnerReference } from '../api/meta.js';
import { realClock, sleep, type Clock } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { ApiResource, GroupVersionResource, RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { createGcGraph, itemKey, parseItemKey, type ItemKey } from './gc-graph.js';
import { runWorkers, type Controller } from './runner.js';

export const finalizerOrphan = 'orphan';
export const finalizerForeground = 'foregroundDeletion';

/** Resources the collector never watches (upstream DefaultIgnoredResources). */
const ignored = new Set(['/events', 'events.k8s.io/events']);

export interface GarbageCollectorOptions {
  informers: InformerFactory;
  client: RestClient;
  clock?: Clock;
  workers?: number;
  /** Records upstream's Warning `OwnerRefInvalidNamespace` on a cluster-scoped dependent naming a namespaced owner. */
  recorder?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
}

const hasFinalizer = (obj: KubeObject, f: string) => (obj.metadata.finalizers ?? []).includes(f);
const deletingDependents = (obj: KubeObject) => !!obj.metadata.deletionTimestamp && hasFinalizer(obj, finalizerForeground);

export function createGarbageCollector(o: GarbageCollectorOptions): Controller {
  const deleteQueue = createWorkQueue({ name: 'garbage_collector_attempt_to_delete', clock: o.clock });
  const orphanQueue = createWorkQueue({ name: 'garbage_collector_attempt_to_orphan', clock: o.clock });
  const graph = createGcGraph();
  let resources: ApiResource[] = [];
  const workers: Promise<void>[] = [];
  const stopping = new AbortController();

  const resourceOfKind = (apiVersion: string, kind: string): ApiResource | undefined => {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return resources.find((r) => r.group === group && r.kind === kind);
  };

  function onChange(gvr: GroupVersionResource, obj: KubeObject, old?: KubeObject): void {
    graph.upsert(gvr, obj);
    const key = itemKey(gvr, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    const refsChanged = JSON.stringify(old?.metadata.ownerReferences ?? []) !== JSON.stringify(obj.metadata.ownerReferences ?? []);
    if ((obj.metadata.ownerReferences?.length && (!old || refsChanged)) || deletingDependents(obj)) deleteQueue.add(key);
    if (obj.metadata.deletionTimestamp && hasFinalizer(obj, finalizerOrphan)) orphanQueue.add(key);
    if (deletingDependents(obj) && (!old || !deletingDependents(old))) {
      for (const dep of graph.dependents(obj.metadata.uid ?? '')) deleteQueue.add(dep);
    }
  }

  function onDelete(gvr: GroupVersionResource, obj: KubeObject): void {
    graph.remove(gvr, obj);
    for (const dep of graph.dependents(obj.metadata.uid ?? '')) deleteQueue.add(dep);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      const owner = graph.keyOf(ref.uid);
      if (owner) deleteQueue.add(owner);
    }
  }

  /** The live object, or undefined when it is gone. */
  async function getLive(gvr: GroupVersionResource, namespace: string, name: string): Promise<KubeObject | undefined> {
    try {
      return await o.client.resource(gvr).get(namespace, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async function classify(item: KubeObject, refs: OwnerReference[]) {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const r = resourceOfKind(ref.apiVersion, ref.kind);
      if (!r) {
        // Upstream cannot map it either and retries; an unknown kind can never be found.
        throw new Error(`cannot map ownerReference kind ${ref.kind} of apiVersion ${ref.apiVersion}`);
      }
      if (r.namespaced && !item.metadata.namespace) {
        // A cluster-scoped object cannot be owned by a namespaced one: the reference is dangling.
        o.recorder?.event(item, 'Warning', 'OwnerRefInvalidNamespace', `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: , name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace ""`);
        dangling.push(ref);
        continue;
      }
      const owner = await getLive(r, r.namespaced ? (item.metadata.namespace ?? '') : '', ref.name);
      if (!owner || owner.metadata.uid !== ref.uid) dangling.push(ref);
      else if (deletingDependents(owner)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  async function removeFinalizer(gvr: GroupVersionResource, obj: KubeObject, finalizer: string): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await o.client.resource(gvr).patch(obj.metadata.namespace ?? '', obj.metadata.name!, 'merge', {
      metadata: { finalizers: finalizers.length ? finalizers : null, resourceVersion: obj.metadata.resourceVersion },
    });
  }

  async function removeReferences(gvr: GroupVersionResource, obj: KubeObject, uids: Set<string>): Promise<void> {
    const kept = (obj.metadata.ownerReferences ?? []).filter((r) => !uids.has(r.uid));
    await o.client.resource(gvr).patch(obj.metadata.namespace ?? '', obj.metadata.name!, 'merge', {
      metadata: { ownerReferences: kept.length ? kept : null, resourceVersion: obj.metadata.resourceVersion, uid: obj.metadata.uid },
    });
  }

  async function deleteItem(gvr: GroupVersionResource, obj: KubeObject, policy: 'Orphan' | 'Foreground' | 'Background'): Promise<void> {
    try {
      await o.client.resource(gvr).delete(obj.metadata.namespace ?? '', obj.metadata.name!, { preconditions: { uid: obj.metadata.uid }, propagationPolicy: policy });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function attemptToDelete(key: ItemKey): Promise<void> {
    const { gvr, namespace, name } = parseItemKey(key);
    const item = await getLive(gvr, namespace, name);
    if (!item) return;
    if (item.metadata.deletionTimestamp && !deletingDependents(item)) return;
    if (deletingDependents(item)) {
      const blocking = graph.dependents(item.metadata.uid ?? '').filter((dep) => graph.referenceTo(dep, item.metadata.uid ?? '')?.blockOwnerDeletion);
      if (blocking.length === 0) return removeFinalizer(gvr, item, finalizerForeground);
      for (const dep of blocking) deleteQueue.add(dep);
      return;
    }
    const refs = item.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const { solid, dangling, waiting } = await classify(item, refs);
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      return removeReferences(gvr, item, new Set([...dangling, ...waiting].map((r) => r.uid)));
    }
    if (waiting.length && graph.dependents(item.metadata.uid ?? '').length) return deleteItem(gvr, item, 'Foreground');
    const policy = hasFinalizer(item, finalizerOrphan) ? 'Orphan' : hasFinalizer(item, finalizerForeground) ? 'Foreground' : 'Background';
    return deleteItem(gvr, item, policy);
  }

  async function attemptToOrphan(key: ItemKey): Promise<void> {
    const { gvr, namespace, name } = parseItemKey(key);
    const owner = await getLive(gvr, namespace, name);
    if (!owner || !owner.metadata.deletionTimestamp || !hasFinalizer(owner, finalizerOrphan)) return;
    const uid = owner.metadata.uid ?? '';
    for (const depKey of graph.dependents(uid)) {
      const d = parseItemKey(depKey);
      const dep = await getLive(d.gvr, d.namespace, d.name);
      if (!dep || !(dep.metadata.ownerReferences ?? []).some((r) => r.uid === uid)) continue;
      await removeReferences(d.gvr, dep, new Set([uid]));
    }
    await removeFinalizer(gvr, owner, finalizerOrphan);
  }

  const onError = (what: string) => (key: string, e: unknown) => {
    if (!isConflict(e) && !isNotFound(e)) o.log?.(`${what} ${key} failed; retrying`, e);
  };

  return {
    name: 'garbage-collector-controller',
    async start() {
      // Discovery is retried (800 ms doubling to 30 s) until it answers or the collector stops.
      for (let backoff = 800; ; backoff = Math.min(30_000, backoff * 2)) {
        try {
          resources = await o.client.discover();
          break;
        } catch (e) {
          if (stopping.signal.aborted) return;
          o.log?.(`discovery failed; retrying in ${backoff} ms`, e);
          await sleep(o.clock ?? realClock, backoff, stopping.signal);
          if (stopping.signal.aborted) return;
        }
      }
      resources = resources.filter(
        (r) => r.verbs.includes('list') && r.verbs.includes('watch') && r.verbs.includes('delete') && !ignored.has(`${r.group}/${r.resource}`),
      );
      const informers = resources.map((r) => {
        const gvr = { group: r.group, version: r.version, resource: r.resource };
        const inf = o.informers.informer(gvr);
        inf.addEventHandler({
          add: (obj) => onChange(gvr, obj),
          update: (old, obj) => onChange(gvr, obj, old),
          delete: (obj) => onDelete(gvr, obj),
        });
        return inf;
      });
      await Promise.all(informers.map((i) => i.waitForSync()));
      workers.push(runWorkers({ queue: deleteQueue, workers: o.workers ?? 5, sync: attemptToDelete, onError: onError('attemptToDelete') }));
      workers.push(runWorkers({ queue: orphanQueue, workers: 1, sync: attemptToOrphan, onError: onError('attemptToOrphan') }));
    },
    async stop() {
      stopping.abort();
      deleteQueue.shutDown();
      orphanQueue.shutDown();
      await Promise.all(workers);
    },
  };
}
