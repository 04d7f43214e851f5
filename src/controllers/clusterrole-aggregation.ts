/**
 * The ClusterRole aggregation controller (upstream
 * pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go): keeps the rules of
 * every ClusterRole with an aggregationRule equal to the rules of the ClusterRoles its selectors
 * match (auth/authz/aggregation.ts computes them).
 *
 * Triggers: any ClusterRole added, updated or deleted enqueues EVERY ClusterRole with an
 * aggregationRule (as upstream: the set is small and the dependency graph unknown; chains such as
 * view -> edit -> admin converge through the events of each write). Handlers only enqueue names.
 *
 * Sync(name), from the informer's cache only: nothing if the role is gone, has no aggregationRule
 * or already has the aggregated rules. Otherwise one write of exactly those rules, as upstream
 * 1.32: a server-side apply (`{apiVersion, kind, metadata.name, rules}`, fieldManager
 * `clusterrole-aggregation-controller`, force) and, only when the server does not support apply
 * (415), an update of the cached object with the new rules (a conflict then fails the sync).
 * Insignia deviation: an empty result is applied as `rules: []` (upstream omits the field, which
 * leaves rules owned by another manager in place), so stale rules are always removed.
 * Every failure, a conflict included, requeues the name with rate limiting; conflicts are not logged.
 *
 * The identity it runs as needs get/list/watch (informer) and patch/update plus `escalate` on
 * clusterroles: the server's escalation check applies to its writes, and it writes rules it may
 * not hold (bootstrap role system:controller:clusterrole-aggregation-controller).
 */
import type { KubeObject } from '../api/meta.js';
import { aggregatedRules, aggregationFieldManager, hasAggregationRule } from '../auth/authz/aggregation.js';
import type { Clock } from '../client/clock.js';
import { ApiError, isConflict } from '../client/errors.js';
import type { InformerFactory } from '../client/informer-factory.js';
import type { GroupVersionResource, RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { runWorkers, type Controller } from './runner.js';

export const clusterRolesResource: GroupVersionResource = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' };

export interface ClusterRoleAggregationControllerOptions {
  /** Shared informers; the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The controller's own client (its identity) for writes. */
  client: RestClient;
  clock?: Clock;
  /** Concurrent syncs (default 5, as kube-controller-manager runs it). */
  workers?: number;
  log?: (message: string, err?: unknown) => void;
}

/** 415: the server cannot take the patch type (apply), as apierrors.IsUnsupportedMediaType. */
const isUnsupportedMediaType = (e: unknown): boolean => e instanceof ApiError && e.code === 415;

export function createClusterRoleAggregationController(o: ClusterRoleAggregationControllerOptions): Controller {
  const queue = createWorkQueue({ name: 'ClusterRoleAggregator', clock: o.clock });
  const clusterRoles = o.informers.informer(clusterRolesResource);
  const roleClient = o.client.resource(clusterRolesResource);
  let workers: Promise<void> | undefined;

  const enqueueAggregated = () => {
    for (const role of clusterRoles.lister.list()) if (hasAggregationRule(role)) queue.add(role.metadata.name!);
  };
  clusterRoles.addEventHandler({ add: enqueueAggregated, update: enqueueAggregated, delete: enqueueAggregated });

  async function sync(name: string): Promise<void> {
    const role = clusterRoles.lister.get('', name);
    if (!role) return;
    const rules = aggregatedRules(role, clusterRoles.lister.list());
    if (!rules) return;
    const apiVersion = `${clusterRolesResource.group}/${clusterRolesResource.version}`;
    try {
      const applied: KubeObject = { apiVersion, kind: 'ClusterRole', metadata: { name }, rules };
      await roleClient.patch('', name, 'apply', applied, { fieldManager: aggregationFieldManager, force: true });
    } catch (e) {
      if (!isUnsupportedMediaType(e)) throw e;
      const updated: KubeObject = { ...structuredClone(role), apiVersion, kind: 'ClusterRole', rules };
      await roleClient.update('', updated);
    }
  }

  return {
    name: 'clusterrole-aggregation-controller',
    async start() {
      await clusterRoles.waitForSync();
      workers = runWorkers({
        queue,
        workers: o.workers ?? 5,
        sync,
        onError: (key, e) => {
          if (!isConflict(e)) o.log?.(`aggregating ClusterRole ${key} failed`, e);
        },
      });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
