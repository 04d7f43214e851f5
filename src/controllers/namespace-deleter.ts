/**
 * Deletion of a namespace's content (upstream pkg/controller/namespace/deletion), through the
 * client only: discover every namespaced resource that supports list and delete, delete its
 * content (DeleteCollection when supported, else one by one; propagation Background), count what
 * remains, keep the five NamespaceDeletion* / *Remaining status conditions, and, once nothing
 * remains, remove the `kubernetes` finalizer through the finalize subresource.
 *
 * Contract of `deleteNamespace(name)`: resolves with 0 when the namespace is gone or finalized;
 * with an estimate (seconds > 0) when content remains (the caller looks again after half of it);
 * throws on errors (the caller retries with rate limiting). Idempotent; safe after a restart.
 */
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { isConflict, isMethodNotSupported, isNotFound } from '../client/errors.js';
import { core, type ApiResource, type RestClient } from '../client/rest-client.js';

export const finalizerKubernetes = 'kubernetes';
/** Seconds to wait before looking again when content remains (upstream finalizerEstimateSeconds). */
export const finalizerEstimateSeconds = 15;

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

const conditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;
const ok: Record<(typeof conditionTypes)[number], [string, string]> = {
  NamespaceDeletionDiscoveryFailure: ['ResourcesDiscovered', 'All resources successfully discovered'],
  NamespaceDeletionGroupVersionParsingFailure: ['ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  NamespaceDeletionContentFailure: ['ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  NamespaceContentRemaining: ['ContentRemoved', 'All content successfully removed'],
  NamespaceFinalizersRemaining: ['ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
};

export interface NamespaceDeleterOptions {
  client: RestClient;
  clock: Clock;
}

export interface NamespaceDeleter {
  deleteNamespace(name: string): Promise<number>;
}

const timeOf = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const specFinalizers = (ns: KubeObject): string[] => ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []);

/**
 * Merges fresh conditions into a status the way upstream's updateConditions does: failures
 * given, the success variant for the other four types; lastTransitionTime changes only with
 * status. Returns whether anything changed.
 */
export function updateConditions(status: { conditions?: Condition[] }, failures: Condition[], now: number): boolean {
  let changed = false;
  const conditions = (status.conditions ??= []);
  for (const type of conditionTypes) {
    const fresh = failures.find((c) => c.type === type) ?? { type, status: 'False' as const, reason: ok[type][0], message: ok[type][1] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push({ type, status: fresh.status, lastTransitionTime: timeOf(now), reason: fresh.reason, message: fresh.message });
      changed = true;
    } else if (old.status !== fresh.status || old.reason !== fresh.reason || old.message !== fresh.message) {
      if (old.status !== fresh.status) old.lastTransitionTime = timeOf(now);
      old.status = fresh.status;
      old.reason = fresh.reason;
      old.message = fresh.message;
      changed = true;
    }
  }
  return changed;
}

export function createNamespaceDeleter(o: NamespaceDeleterOptions): NamespaceDeleter {
  const namespaces = o.client.resource(core('namespaces'));

  /** GET-modify-PUT with retries on conflict (upstream retryOnConflictError). */
  async function retryOnConflict(ns: KubeObject, fn: (ns: KubeObject) => Promise<KubeObject>): Promise<KubeObject> {
    let latest = ns;
    for (;;) {
      try {
        return await fn(latest);
      } catch (e) {
        if (!isConflict(e)) throw e;
        latest = await namespaces.get('', ns.metadata.name!);
      }
    }
  }

  async function deleteAllContent(ns: KubeObject): Promise<{ estimate: number; ns: KubeObject | undefined }> {
    const name = ns.metadata.name!;
    const failures: Condition[] = [];
    let resources: ApiResource[] = [];
    try {
      resources = (await o.client.discover()).filter((r) => r.namespaced && r.verbs.includes('list') && r.verbs.includes('delete'));
    } catch (e) {
      failures.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed', message: `Discovery failed for some groups: ${String((e as Error).message ?? e)}` });
    }
    let estimate = 0;
    const errors: string[] = [];
    const remaining = new Map<string, number>();
    const finalizersRemaining = new Map<string, number>();
    for (const r of resources) {
      const client = o.client.resource(r);
      try {
        let deletedOneByOne = false;
        if (r.verbs.includes('deletecollection')) {
          try {
            await client.deleteCollection(name, { propagationPolicy: 'Background' });
          } catch (e) {
            if (!isMethodNotSupported(e)) throw e;
            deletedOneByOne = true;
          }
        } else {
          deletedOneByOne = true;
        }
        let items = (await client.list(name)).items;
        if (deletedOneByOne) {
          for (const item of items) {
            try {
              await client.delete(name, item.metadata.name!, { propagationPolicy: 'Background' });
            } catch (e) {
              if (!isNotFound(e)) throw e;
            }
          }
          items = (await client.list(name)).items;
        }
        if (items.length) {
          remaining.set(`${r.resource}.${r.group}`, items.length);
          for (const item of items) for (const f of item.metadata.finalizers ?? []) finalizersRemaining.set(f, (finalizersRemaining.get(f) ?? 0) + 1);
          estimate = Math.max(estimate, finalizerEstimateSeconds);
        }
      } catch (e) {
        errors.push(`${r.group}/${r.version}, Resource=${r.resource}: ${(e as Error).message ?? String(e)}`);
      }
    }
    if (errors.length) {
      errors.sort();
      failures.push({ type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}` });
    }
    if (remaining.size) {
      const parts = [...remaining].sort(([a], [b]) => (a < b ? -1 : 1)).map(([gr, n]) => `${gr} has ${n} resource instances`);
      failures.push({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` });
    }
    if (finalizersRemaining.size) {
      const parts = [...finalizersRemaining].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, n]) => `${f} in ${n} resource instances`);
      failures.push({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` });
    }
    // Conditions are informative: a failed status write is not a deletion failure.
    let latest: KubeObject | undefined = ns;
    try {
      latest = await retryOnConflict(ns, async (cur) => {
        const updated = structuredClone(cur);
        const status = (updated.status ??= {}) as { conditions?: Condition[] };
        if (!updateConditions(status, failures, o.clock.now())) return cur;
        return namespaces.update('', updated, { subresource: 'status' });
      });
    } catch (e) {
      if (isNotFound(e)) return { estimate: 0, ns: undefined };
    }
    if (errors.length || failures.some((f) => f.type === 'NamespaceDeletionDiscoveryFailure')) {
      throw new Error(failures.map((f) => f.message).join('; '));
    }
    return { estimate, ns: latest };
  }

  return {
    async deleteNamespace(name) {
      let ns: KubeObject;
      try {
        ns = await namespaces.get('', name);
      } catch (e) {
        if (isNotFound(e)) return 0;
        throw e;
      }
      if (!ns.metadata.deletionTimestamp) return 0;
      try {
        ns = await retryOnConflict(ns, async (cur) => {
          if ((cur.status as { phase?: string } | undefined)?.phase === 'Terminating') return cur;
          const updated = structuredClone(cur);
          updated.status = { ...((updated.status as object) ?? {}), phase: 'Terminating' };
          return namespaces.update('', updated, { subresource: 'status' });
        });
      } catch (e) {
        if (isNotFound(e)) return 0;
        throw e;
      }
      if (!specFinalizers(ns).includes(finalizerKubernetes)) return 0;
      const content = await deleteAllContent(ns);
      if (!content.ns) return 0;
      if (content.estimate > 0) return content.estimate;
      try {
        await retryOnConflict(content.ns, async (cur) => {
          const updated = structuredClone(cur);
          updated.spec = { ...((updated.spec as object) ?? {}), finalizers: specFinalizers(cur).filter((f) => f !== finalizerKubernetes) };
          return namespaces.update('', updated, { subresource: 'finalize' });
        });
      } catch (e) {
        if (isNotFound(e)) return 0;
        throw e;
      }
      return 0;
    },
  };
}
