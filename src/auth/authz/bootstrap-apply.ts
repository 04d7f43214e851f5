/**
 * Applies the bootstrap RBAC policy to the Stores at start (kube-apiserver's rbac/bootstrap-roles
 * post-start hook): missing objects are created, existing ones reconciled (union: missing rules,
 * subjects, labels and annotations added; user additions kept; autoupdate=false respected).
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../admission/types.js';
import { isStatusError } from '../../api/status.js';
import type { Store } from '../../registry/store.js';
import {
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  bootstrapRoleBindings,
  bootstrapRoles,
} from './bootstrap-policy.js';
import { reconcileBinding, reconcileRole, type ReconcileResult } from './reconcile.js';

export interface BootstrapStores {
  roles: Store;
  clusterRoles: Store;
  roleBindings: Store;
  clusterRoleBindings: Store;
  user: UserInfo;
  log: Logger;
}

const fieldManager = 'kube-apiserver';

async function ensure(store: Store, expected: KubeObject, user: UserInfo, reconcile: (e: KubeObject, x: KubeObject) => ReconcileResult): Promise<string> {
  const ns = expected.metadata.namespace ?? '';
  const name = expected.metadata.name!;
  const ctx = { user, dryRun: false, fieldManager };
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = store.find(ns, name);
    try {
      if (!existing) {
        await store.create(ns, structuredClone(expected), ctx);
        return 'created';
      }
      const r = reconcile(existing, expected);
      if (r.op === 'none') return 'unchanged';
      if (r.op === 'recreate') {
        await store.delete(ns, name, { preconditions: { uid: existing.metadata.uid } }, ctx);
        const obj = structuredClone(r.object);
        delete obj.metadata.resourceVersion;
        delete obj.metadata.uid;
        await store.create(ns, obj, ctx);
        return 'recreated';
      }
      await store.guaranteedUpdate(ns, name, ctx, () => structuredClone(r.object), { resourceVersion: Number(existing.metadata.resourceVersion) });
      return 'reconciled';
    } catch (e) {
      if (isStatusError(e) && (e.code === 409 || e.code === 404)) continue;
      throw e;
    }
  }
  return 'conflicted';
}

export async function reconcileBootstrapPolicy(s: BootstrapStores): Promise<void> {
  const counts: Record<string, number> = {};
  const note = (r: string) => (counts[r] = (counts[r] ?? 0) + 1);
  for (const r of bootstrapClusterRoles()) note(await ensure(s.clusterRoles, r, s.user, reconcileRole));
  for (const r of bootstrapRoles()) note(await ensure(s.roles, r, s.user, reconcileRole));
  for (const b of bootstrapClusterRoleBindings()) note(await ensure(s.clusterRoleBindings, b, s.user, reconcileBinding));
  for (const b of bootstrapRoleBindings()) note(await ensure(s.roleBindings, b, s.user, reconcileBinding));
  s.log.info(counts, 'bootstrap RBAC policy reconciled');
}
