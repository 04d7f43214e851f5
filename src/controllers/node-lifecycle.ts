/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle, reduced: no zones, no
 * disruption modes, no eviction rate limits, no taint-based eviction).
 *
 * Contract:
 * - Every monitor period (default 5 s, first pass once the node, pod and Lease caches have
 *   synced) each Node is checked (node-lifecycle-health.ts): its heartbeats are the Ready
 *   condition's lastHeartbeatTime and the renewTime of Lease kube-node-lease/NAME, each dated by
 *   when this controller first saw it change. When neither moved for the grace period (default
 *   50 s, upstream 1.32's --node-monitor-grace-period; 60 s for a node that never posted Ready),
 *   Ready, MemoryPressure, DiskPressure and PIDPressure become Unknown (`NodeStatusUnknown`,
 *   `Kubelet stopped posting node status.`) through a PUT of nodes/status (retried up to 5 times,
 *   re-reading the node).
 * - Taints: on every node change the NoSchedule taints mirror the conditions (Ready False:
 *   node.kubernetes.io/not-ready, Unknown: node.kubernetes.io/unreachable, pressure conditions,
 *   spec.unschedulable); on each pass the NoExecute taint mirrors the Ready condition found at the
 *   start of the pass (not-ready or unreachable, with timeAdded), and is removed once Ready is True.
 *   Taints are written as a merge patch of spec.taints carrying the node's resourceVersion.
 * - Pods: when a node's Ready leaves True (and for a pod newly bound to such a node), the Ready
 *   condition of each of its pods is set False through a PUT of pods/status, with a Warning
 *   `NodeNotReady` event `Node is not ready` on the pod (upstream MarkPodsNotReady), retried on
 *   the next pass when it fails.
 * - Events (recorder component `node-controller`): `RegisteredNode` / `RemovingNode` when a node
 *   is first seen / gone, `NodeNotReady` on the node when its Ready leaves True.
 */
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { objectKey, splitKey } from '../client/lister.js';
import { core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import {
  noExecuteTaintDiff,
  noScheduleTaintDiff,
  observeNodeHealth,
  rfc3339,
  swapTaints,
  taintsOf,
  type NodeCondition,
  type NodeHealth,
} from './node-lifecycle-health.js';
import { runWorkers, type Controller } from './runner.js';
import type { Taint } from './scheduler-predicates.js';

export const defaultNodeMonitorGracePeriodMs = 50_000;
export const defaultNodeStartupGracePeriodMs = 60_000;
export const defaultNodeMonitorPeriodMs = 5_000;
export const nodeLeaseNamespace = 'kube-node-lease';
const nodeHealthUpdateRetry = 5;

export interface NodeLifecycleControllerOptions {
  /** Shared informers (nodes, pods, coordination.k8s.io/v1 leases); the caller starts and stops them. */
  informers: InformerFactory;
  /** The controller's own client (system:serviceaccount:kube-system:node-controller). */
  client: RestClient;
  /** Records RegisteredNode / RemovingNode / NodeNotReady events (component node-controller). */
  recorder?: EventRecorder;
  clock?: Clock;
  monitorPeriodMs?: number;
  gracePeriodMs?: number;
  startupGracePeriodMs?: number;
  log?: (message: string, err?: unknown) => void;
}

const leasesGvr = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const nodeRef = (node: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name, uid: node.metadata.uid } });
/** Lists carry no apiVersion: events name the kind explicitly. */
const podRef = (pod: KubeObject): KubeObject => ({ ...pod, apiVersion: 'v1', kind: 'Pod' });
const nodeNameOf = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName;

export function createNodeLifecycleController(o: NodeLifecycleControllerOptions): Controller {
  const clock = o.clock ?? realClock;
  const period = o.monitorPeriodMs ?? defaultNodeMonitorPeriodMs;
  const timings = { gracePeriodMs: o.gracePeriodMs ?? defaultNodeMonitorGracePeriodMs, startupGracePeriodMs: o.startupGracePeriodMs ?? defaultNodeStartupGracePeriodMs };
  const nodes = o.informers.informer(core('nodes'));
  const pods = o.informers.informer(core('pods'));
  const leases = o.informers.informer(leasesGvr);
  const nodeClient = o.client.resource(core('nodes'));
  const podClient = o.client.resource(core('pods'));
  const nodeQueue = createWorkQueue({ name: 'node_lifecycle_controller', clock });
  const podQueue = createWorkQueue({ name: 'node_lifecycle_controller_pods', clock });
  const health = new Map<string, NodeHealth>();
  const known = new Map<string, KubeObject>();
  const nodesToRetry = new Set<string>();
  let workers: Promise<void>[] = [];
  let timer: TimerHandle | undefined;
  let stopped = false;
  let pass: Promise<void> | undefined;

  nodes.addEventHandler({
    add: (n) => nodeQueue.add(n.metadata.name!),
    update: (_, n) => nodeQueue.add(n.metadata.name!),
    delete: (n) => nodesToRetry.delete(n.metadata.name!),
  });
  pods.addEventHandler({
    add: (p) => {
      if (nodeNameOf(p)) podQueue.add(objectKey(p));
    },
    update: (old, p) => {
      if (nodeNameOf(p) && nodeNameOf(p) !== nodeNameOf(old)) podQueue.add(objectKey(p));
    },
  });

  /** Applies a taint swap to the node (merge patch with its resourceVersion), re-reading it on a Conflict. */
  async function swapNodeTaints(node: KubeObject, diff: { add: Taint[]; remove: Taint[] }): Promise<void> {
    let current = node;
    for (let attempt = 0; ; attempt++) {
      const taints = swapTaints(taintsOf(current), diff.add, diff.remove, clock.now());
      if (!taints) return;
      try {
        await nodeClient.patch('', current.metadata.name!, 'merge', { metadata: { resourceVersion: current.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null } });
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= nodeHealthUpdateRetry) throw e;
        current = await nodeClient.get('', current.metadata.name!);
      }
    }
  }

  /** upstream MarkPodsNotReady: Ready=False on each pod of the node whose Ready is not False yet. */
  async function markPodsNotReady(nodeName: string, list: KubeObject[]): Promise<void> {
    const errors: unknown[] = [];
    for (const p of list) {
      if (nodeNameOf(p) !== nodeName) continue;
      const conditions = (p.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? [];
      const i = conditions.findIndex((c) => c.type === 'Ready');
      if (i < 0 || conditions[i]!.status === 'False') continue;
      const updated = structuredClone(p);
      const cs = (updated.status as { conditions: NodeCondition[] }).conditions;
      cs[i] = { ...cs[i]!, status: 'False', lastTransitionTime: rfc3339(clock.now()) };
      try {
        await podClient.update(p.metadata.namespace!, updated, { subresource: 'status' });
      } catch (e) {
        if (isNotFound(e)) continue;
        o.log?.(`failed to update status for pod ${objectKey(p)}`, e);
        errors.push(e);
      }
      o.recorder?.event(podRef(p), 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (errors.length) throw errors[0];
  }

  /** tryUpdateNodeHealth with upstream's retries: a failed status write re-reads the node. */
  async function updateNodeHealth(node: KubeObject): Promise<{ node: KubeObject; observed: NodeCondition; current?: NodeCondition }> {
    let n = node;
    for (let attempt = 0; ; attempt++) {
      const lease = leases.lister.get(nodeLeaseNamespace, n.metadata.name!);
      const r = observeNodeHealth(health.get(n.metadata.name!), n, lease, { now: clock.now(), ...timings });
      try {
        if (r.statusUpdate) {
          await nodeClient.update('', r.statusUpdate, { subresource: 'status' });
          r.health = { ...r.health, ready: r.current, readyTransitionTimestamp: clock.now() };
        }
        health.set(n.metadata.name!, r.health);
        return { node: n, observed: r.observed, current: r.current };
      } catch (e) {
        if (attempt + 1 >= nodeHealthUpdateRetry) throw e;
        n = await nodeClient.get('', n.metadata.name!);
      }
    }
  }

  async function monitorNode(node: KubeObject): Promise<void> {
    const name = node.metadata.name!;
    const { node: n, observed, current } = await updateNodeHealth(node);
    if (!current) return;
    await swapNodeTaints(n, noExecuteTaintDiff(n, observed.status)).catch((e) => o.log?.(`failed to update NoExecute taints of node ${name}; retrying on the next pass`, e));
    const nodePods = pods.lister.list().filter((p) => nodeNameOf(p) === name);
    const transition = current.status !== 'True' && observed.status === 'True';
    if (transition) o.recorder?.event(nodeRef(n), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    if (transition || (nodesToRetry.has(name) && observed.status !== 'True')) {
      try {
        await markPodsNotReady(name, nodePods);
      } catch (e) {
        o.log?.(`unable to mark all pods NotReady on node ${name}; queuing for retry`, e);
        nodesToRetry.add(name);
        return;
      }
    }
    nodesToRetry.delete(name);
  }

  /** upstream monitorNodeHealth: one pass over every node in the cache. */
  async function monitorNodeHealth(): Promise<void> {
    const all = nodes.lister.list();
    const names = new Set(all.map((n) => n.metadata.name!));
    for (const n of all) {
      if (known.has(n.metadata.name!)) continue;
      known.set(n.metadata.name!, n);
      o.recorder?.event(nodeRef(n), 'Normal', 'RegisteredNode', `Node ${n.metadata.name} event: Registered Node ${n.metadata.name} in Controller`);
      await swapNodeTaints(n, noExecuteTaintDiff(n, 'True')).catch((e) => o.log?.(`failed to remove NoExecute taints of node ${n.metadata.name}`, e));
    }
    for (const [name, n] of known) {
      if (names.has(name)) continue;
      known.delete(name);
      health.delete(name);
      o.recorder?.event(nodeRef(n), 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
    }
    await Promise.all(
      all.map((n) => monitorNode(nodes.lister.get('', n.metadata.name!) ?? n).catch((e) => o.log?.(`update health of node ${n.metadata.name} failed`, e))),
    );
  }

  function schedulePass(delay: number): void {
    if (stopped) return;
    timer = clock.setTimer(delay, () => {
      pass = monitorNodeHealth()
        .catch((e) => o.log?.('error monitoring node health', e))
        .finally(() => schedulePass(period));
    });
  }

  /** upstream doNoScheduleTaintingPass for one node. */
  async function syncNoScheduleTaints(name: string): Promise<void> {
    const node = nodes.lister.get('', name);
    if (!node) return;
    await swapNodeTaints(node, noScheduleTaintDiff(node));
  }

  /** upstream processPod: a pod bound to a node that is not Ready is marked NotReady. */
  async function syncPod(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pod = pods.lister.get(namespace, name);
    const nodeName = pod && nodeNameOf(pod);
    if (!pod || !nodeName) return;
    const h = health.get(nodeName);
    const node = nodes.lister.get('', nodeName);
    if (!h?.ready || !node) return;
    if (h.ready.status !== 'True') await markPodsNotReady(nodeName, [pod]);
  }

  return {
    name: 'node-lifecycle-controller',
    async start() {
      await Promise.all([nodes.waitForSync(), pods.waitForSync(), leases.waitForSync()]);
      workers = [
        runWorkers({ queue: nodeQueue, workers: 2, sync: syncNoScheduleTaints, onError: (key, e) => o.log?.(`failed to taint NoSchedule on node ${key}`, e) }),
        runWorkers({ queue: podQueue, workers: 2, sync: syncPod, onError: (key, e) => o.log?.(`unable to mark pod ${key} NotReady`, e) }),
      ];
      schedulePass(0);
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      nodeQueue.shutDown();
      podQueue.shutDown();
      await Promise.all([...workers, pass]);
    },
  };
}
