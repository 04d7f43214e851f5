/**
 * Namespace finalization (interim, in-process): when a namespace is marked for deletion, every
 * namespaced object in it is deleted and the `kubernetes` finalizer removed, after which the
 * namespace itself goes away. The controllers issue replaces this with a client-based controller.
 *
 * Contract: `start()` reacts to namespaces already Terminating at startup and to new ones; work is
 * retried until it succeeds, so a restart mid-way converges.
 */
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../admission/types.js';
import type { Store, WriteContext } from '../store.js';

export interface NamespaceFinalizerOptions {
  namespaces: Store;
  /** Every namespaced store whose content must go. */
  namespaced: Store[];
  user: UserInfo;
  log?: (message: string, err?: unknown) => void;
}

export function createNamespaceFinalizer(o: NamespaceFinalizerOptions): { start(): void; stop(): void } {
  const pending = new Set<string>();
  let stopWatch: (() => void) | null = null;
  let stopped = false;
  const ctx: WriteContext = { user: o.user, dryRun: false, fieldManager: 'namespace-controller' };

  async function finalize(name: string): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        const ns = o.namespaces.find('', name);
        if (!ns || !ns.metadata.deletionTimestamp) return;
        for (const store of o.namespaced) {
          const { items } = await store.list(name, {});
          for (const { object } of items) {
            try {
              await store.delete(name, object.metadata.name!, { gracePeriodSeconds: 0 }, ctx);
            } catch (e) {
              if ((e as { code?: number }).code !== 404) throw e;
            }
          }
        }
        let remaining = 0;
        for (const store of o.namespaced) remaining += (await store.list(name, {})).items.length;
        if (remaining) throw new Error(`${remaining} objects remain in namespace ${name}`);
        await o.namespaces.guaranteedUpdate('', name, ctx, (cur: KubeObject) => {
          const spec = (cur.spec ?? {}) as { finalizers?: string[] };
          cur.spec = { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') };
          return cur;
        }, { subresource: 'finalize' });
        return;
      } catch (e) {
        if ((e as { code?: number }).code === 404) return;
        o.log?.(`namespace ${name}: finalization failed, retrying`, e);
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      }
    }
  }

  function enqueue(ns: KubeObject): void {
    const name = ns.metadata.name!;
    if (!ns.metadata.deletionTimestamp || pending.has(name)) return;
    pending.add(name);
    void finalize(name).finally(() => pending.delete(name));
  }

  return {
    start() {
      stopWatch = o.namespaces.watch('', { resourceVersion: '0' }, {
        event: (type, obj) => {
          if (type !== 'DELETED') enqueue(obj);
        },
        error: (e) => o.log?.('namespace finalizer watch failed', e),
      });
    },
    stop() {
      stopped = true;
      stopWatch?.();
    },
  };
}
