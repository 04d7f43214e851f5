/**
 * The ConfigMaps and Secrets the node's pods reference from their volumes, watched one by one
 * (the kubelet's watch-based configmap/secret managers, the default
 * configMapAndSecretChangeDetectionStrategy): each referenced object gets a LIST+WATCH in its
 * namespace with fieldSelector `metadata.name=<name>`, the only kind of list the node authorizer
 * lets a node make, shared by every pod that references it and stopped when the last one lets go.
 *
 * Contract:
 * - `setReferences(owner, refs)` replaces what one owner (a pod UID) references; `release(owner)`
 *   drops all of it. Watches start and stop by reference count.
 * - `get` answers from the watch's cache once it has listed (undefined: the object does not
 *   exist), else by a direct GET (undefined on 404; other errors reject), so a pod's first sync
 *   never waits for a watch.
 * - `onChange(owners)` is called (synchronously, from the watch) with the owners of an object that
 *   was added, modified or deleted, so the agent can rewrite their volumes at once.
 */
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { isNotFound } from '../client/errors.js';
import { createInformer, type Informer } from '../client/informer.js';
import { core, type RestClient } from '../client/rest-client.js';

export type ReferencedResource = 'configmaps' | 'secrets';

export interface ObjectReference {
  resource: ReferencedResource;
  namespace: string;
  name: string;
}

export interface ReferencedObjects {
  setReferences(owner: string, refs: ObjectReference[]): void;
  release(owner: string): void;
  get(resource: ReferencedResource, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** Number of objects watched (for tests). */
  readonly watched: number;
  stop(): void;
}

export interface ReferencedObjectsOptions {
  client: RestClient;
  clock?: Clock;
  onChange(owners: string[]): void;
  log?: (message: string, err?: unknown) => void;
}

interface Watched {
  informer: Informer;
  owners: Set<string>;
}

const keyOf = (r: ObjectReference) => `${r.resource}/${r.namespace}/${r.name}`;

export function createReferencedObjects(o: ReferencedObjectsOptions): ReferencedObjects {
  const watched = new Map<string, Watched>();
  const byOwner = new Map<string, Set<string>>();
  let stopped = false;

  function watch(ref: ObjectReference): Watched {
    const informer = createInformer({
      client: o.client.resource(core(ref.resource)),
      namespace: ref.namespace,
      fieldSelector: `metadata.name=${ref.name}`,
      clock: o.clock,
      log: o.log,
    });
    const entry: Watched = { informer, owners: new Set() };
    const notify = (obj: KubeObject) => {
      if (obj.metadata.name === ref.name && entry.owners.size) o.onChange([...entry.owners]);
    };
    informer.addEventHandler({ add: notify, update: (_, obj) => notify(obj), delete: notify });
    informer.start();
    return entry;
  }

  function unref(owner: string, key: string): void {
    const entry = watched.get(key);
    if (!entry) return;
    entry.owners.delete(owner);
    if (entry.owners.size === 0) {
      entry.informer.stop();
      watched.delete(key);
    }
  }

  return {
    setReferences(owner, refs) {
      if (stopped) return;
      const next = new Map(refs.map((r) => [keyOf(r), r]));
      const previous = byOwner.get(owner) ?? new Set<string>();
      for (const key of previous) if (!next.has(key)) unref(owner, key);
      for (const [key, ref] of next) {
        let entry = watched.get(key);
        if (!entry) watched.set(key, (entry = watch(ref)));
        entry.owners.add(owner);
      }
      if (next.size) byOwner.set(owner, new Set(next.keys()));
      else byOwner.delete(owner);
    },
    release(owner) {
      for (const key of byOwner.get(owner) ?? []) unref(owner, key);
      byOwner.delete(owner);
    },
    async get(resource, namespace, name) {
      const entry = watched.get(keyOf({ resource, namespace, name }));
      if (entry?.informer.hasSynced()) return entry.informer.lister.get(namespace, name);
      try {
        return await o.client.resource(core(resource)).get(namespace, name);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    get watched() {
      return watched.size;
    },
    stop() {
      stopped = true;
      for (const entry of watched.values()) entry.informer.stop();
      watched.clear();
      byOwner.clear();
    },
  };
}

/** The ConfigMaps and Secrets a pod's volumes reference (secret, configMap and projected sources). */
export function volumeReferences(pod: KubeObject): ObjectReference[] {
  const namespace = pod.metadata.namespace ?? '';
  const out: ObjectReference[] = [];
  const add = (resource: ReferencedResource, name: unknown) => {
    if (typeof name === 'string' && name && !out.some((r) => r.resource === resource && r.name === name)) out.push({ resource, namespace, name });
  };
  const spec = (pod.spec ?? {}) as { volumes?: Record<string, unknown>[] };
  for (const v of spec.volumes ?? []) {
    const secret = v.secret as { secretName?: string } | undefined;
    const configMap = v.configMap as { name?: string } | undefined;
    if (secret) add('secrets', secret.secretName);
    if (configMap) add('configmaps', configMap.name);
    const projected = v.projected as { sources?: Record<string, { name?: string } | undefined>[] } | undefined;
    for (const s of projected?.sources ?? []) {
      if (s.secret) add('secrets', s.secret.name);
      if (s.configMap) add('configmaps', s.configMap.name);
    }
  }
  return out;
}
