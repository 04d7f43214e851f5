/**
 * The garbage collector's view of the world (upstream garbagecollector's graph, reduced): every
 * object of every monitored resource by uid, and for each owner uid the objects that name it in
 * their ownerReferences. Built from the informers' events; handlers only update it and enqueue.
 */
import type { KubeObject, OwnerReference } from '../api/meta.js';
import type { GroupVersionResource } from '../client/rest-client.js';

/** An object's identity across resources: `group/version/resource|namespace|name`. */
export type ItemKey = string;

export function itemKey(gvr: GroupVersionResource, namespace: string, name: string): ItemKey {
  return `${gvr.group}/${gvr.version}/${gvr.resource}|${namespace}|${name}`;
}

export function parseItemKey(key: ItemKey): { gvr: GroupVersionResource; namespace: string; name: string } {
  const [gvrText, namespace, name] = key.split('|') as [string, string, string];
  const [group, version, resource] = gvrText.split('/') as [string, string, string];
  return { gvr: { group, version, resource }, namespace, name };
}

interface Node {
  key: ItemKey;
  uid: string;
  owners: OwnerReference[];
}

export interface GcGraph {
  /** Records the object's current state; returns the owner uids it no longer names. */
  upsert(gvr: GroupVersionResource, obj: KubeObject): void;
  remove(gvr: GroupVersionResource, obj: KubeObject): void;
  /** Keys of objects whose ownerReferences name `ownerUid`. */
  dependents(ownerUid: string): ItemKey[];
  /** The ownerReference `key` holds to `ownerUid`, if any. */
  referenceTo(key: ItemKey, ownerUid: string): OwnerReference | undefined;
  keyOf(uid: string): ItemKey | undefined;
}

export function createGcGraph(): GcGraph {
  const byUid = new Map<string, Node>();
  const byKey = new Map<ItemKey, Node>();
  const dependents = new Map<string, Set<ItemKey>>();

  function unlink(node: Node): void {
    for (const ref of node.owners) {
      const set = dependents.get(ref.uid);
      set?.delete(node.key);
      if (set && set.size === 0) dependents.delete(ref.uid);
    }
  }

  return {
    upsert(gvr, obj) {
      const key = itemKey(gvr, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      const old = byKey.get(key);
      if (old) {
        unlink(old);
        if (old.uid !== obj.metadata.uid) byUid.delete(old.uid);
      }
      const node: Node = { key, uid: obj.metadata.uid ?? '', owners: obj.metadata.ownerReferences ?? [] };
      byKey.set(key, node);
      byUid.set(node.uid, node);
      for (const ref of node.owners) {
        let set = dependents.get(ref.uid);
        if (!set) dependents.set(ref.uid, (set = new Set()));
        set.add(key);
      }
    },
    remove(gvr, obj) {
      const key = itemKey(gvr, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      const node = byKey.get(key);
      if (!node) return;
      unlink(node);
      byKey.delete(key);
      if (byUid.get(node.uid) === node) byUid.delete(node.uid);
    },
    dependents: (ownerUid) => [...(dependents.get(ownerUid) ?? [])],
    referenceTo: (key, ownerUid) => byKey.get(key)?.owners.find((r) => r.uid === ownerUid),
    keyOf: (uid) => byUid.get(uid)?.key,
  };
}
