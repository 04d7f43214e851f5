/**
 * The informer's cache and its read-only view (client-go's Indexer/Lister): objects by
 * `namespace/name` (cluster-scoped: `name`), indexed by namespace. Objects handed out are the
 * cached ones: callers must not mutate them (clone first, e.g. with structuredClone).
 */
import type { KubeObject } from '../api/meta.js';

/** client-go's MetaNamespaceKeyFunc: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(obj: KubeObject): string {
  const ns = obj.metadata.namespace;
  return ns ? `${ns}/${obj.metadata.name}` : (obj.metadata.name ?? '');
}

/** Inverse of objectKey: [namespace ('' when cluster-scoped), name]. */
export function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}

export interface Lister {
  /** The cached object, or undefined. `namespace` is '' for cluster-scoped objects. */
  get(namespace: string, name: string): KubeObject | undefined;
  /** Every cached object, or those of one namespace. */
  list(namespace?: string): KubeObject[];
  readonly size: number;
}

export interface Cache extends Lister {
  /** Inserts or replaces; returns the previous object. */
  upsert(obj: KubeObject): KubeObject | undefined;
  /** Removes by the object's key; returns the removed object. */
  remove(obj: KubeObject): KubeObject | undefined;
  keys(): string[];
  getByKey(key: string): KubeObject | undefined;
}

export function createCache(): Cache {
  const items = new Map<string, KubeObject>();
  const byNamespace = new Map<string, Map<string, KubeObject>>();
  return {
    get size() {
      return items.size;
    },
    get: (namespace, name) => items.get(namespace ? `${namespace}/${name}` : name),
    getByKey: (key) => items.get(key),
    list(namespace) {
      if (namespace === undefined) return [...items.values()];
      return [...(byNamespace.get(namespace)?.values() ?? [])];
    },
    keys: () => [...items.keys()],
    upsert(obj) {
      const key = objectKey(obj);
      const prev = items.get(key);
      items.set(key, obj);
      const ns = obj.metadata.namespace ?? '';
      let m = byNamespace.get(ns);
      if (!m) byNamespace.set(ns, (m = new Map()));
      m.set(key, obj);
      return prev;
    },
    remove(obj) {
      const key = objectKey(obj);
      const prev = items.get(key);
      if (!prev) return undefined;
      items.delete(key);
      const ns = obj.metadata.namespace ?? '';
      const m = byNamespace.get(ns);
      m?.delete(key);
      if (m && m.size === 0) byNamespace.delete(ns);
      return prev;
    },
  };
}
