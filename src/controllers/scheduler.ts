/**
 * The scheduler (kube-scheduler reduced to what a cluster without resource accounting needs):
 * binds each pending pod to a node through the `pods/binding` subresource.
 *
 * Contract:
 * - Pending: no spec.nodeName, spec.schedulerName `default-scheduler` (or absent), no
 *   deletionTimestamp, phase neither Succeeded nor Failed. A pod with scheduling gates is not
 *   scheduled; its PodScheduled condition says SchedulingGated, as upstream.
 * - Filters (scheduler-predicates.ts): unschedulable nodes, untolerated NoSchedule/NoExecute
 *   taints (a node that is not Ready counts as tainted not-ready/unreachable), nodeSelector and
 *   required node affinity, allocatable.pods. Score: the node with the fewest pods (assigned,
 *   not terminal, plus the ones this scheduler has just bound); ties go to the first name.
 * - Success: POST pods/NAME/binding (target Node), then a Normal `Scheduled` event
 *   `Successfully assigned NS/NAME to NODE`. A pod is bound at most once per observation: until the
 *   informer shows it assigned it is "assumed" and not looked at again; a 409/404 from the
 *   binding drops the assumption silently (the pod changed or is gone); other errors are retried
 *   with the workqueue's rate limiting after a Warning `FailedScheduling` event and condition
 *   PodScheduled=False reason SchedulerError (`running Bind plugin "DefaultBinder": ...`).
 *   The Binding is upstream DefaultBinder's: metadata {name, namespace, uid}, target {kind Node, name}.
 * - No fit: PodScheduled=False reason Unschedulable with upstream's FitError message (or `no
 *   nodes available to schedule pods`) via a strategic merge patch of pods/status (only when it
 *   changes), and a Warning `FailedScheduling` event with the same message. The pod is retried
 *   when a node is added, when a node's labels, taints, unschedulable flag, allocatable or
 *   condition statuses change, when an assigned pod goes away, or when the pod itself changes
 *   (other than its status); never before its backoff
 *   (1 s doubling per attempt up to 10 s, upstream's podInitialBackoff/podMaxBackoff) expires,
 *   and at the latest after 5 minutes (podMaxInUnschedulablePodsDuration).
 * Events are recorded by the caller's recorder, whose component should be `default-scheduler`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { objectKey, splitKey } from '../client/lister.js';
import { core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue } from '../client/workqueue.js';
import { runWorkers, type Controller, type SyncResult } from './runner.js';
import { filterNode, fitErrorMessage, noNodesAvailable, type NodeFailure } from './scheduler-predicates.js';

export const defaultSchedulerName = 'default-scheduler';
const initialBackoffMs = 1000;
const maxBackoffMs = 10_000;
const maxUnschedulableMs = 5 * 60_000;

export interface SchedulerOptions {
  /** Shared informers (nodes, pods); the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The scheduler's own client (system:kube-scheduler) for bindings and pod status. */
  client: RestClient;
  /** Records Scheduled / FailedScheduling events (component default-scheduler). */
  recorder?: EventRecorder;
  clock?: Clock;
  /** spec.schedulerName this scheduler serves (default `default-scheduler`). */
  schedulerName?: string;
  workers?: number;
  log?: (message: string, err?: unknown) => void;
}

interface PodSpecView {
  nodeName?: string;
  schedulerName?: string;
  schedulingGates?: unknown[];
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

const specOf = (pod: KubeObject) => (pod.spec ?? {}) as PodSpecView;
const phaseOf = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase;
const isTerminal = (pod: KubeObject) => phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';
/** Lists carry no apiVersion: events name the kind explicitly. */
const podRef = (pod: KubeObject): KubeObject => ({ ...pod, apiVersion: 'v1', kind: 'Pod' });
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The node-facing facts whose change may make an unschedulable pod fit (upstream's node update events). */
function schedulingView(node: KubeObject): unknown {
  const status = (node.status ?? {}) as { allocatable?: unknown; conditions?: { type: string; status: string }[] };
  const spec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: unknown };
  return [node.metadata.labels ?? {}, spec.taints ?? [], !!spec.unschedulable, status.allocatable ?? {}, (status.conditions ?? []).map((c) => [c.type, c.status])];
}

/** A pod without what its own status writes change (upstream isPodUpdated's strip). */
function podView(pod: KubeObject): unknown {
  const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = pod.metadata as Record<string, unknown>;
  return [meta, pod.spec];
}

export function createScheduler(o: SchedulerOptions): Controller {
  const clock = o.clock ?? realClock;
  const schedulerName = o.schedulerName ?? defaultSchedulerName;
  const queue = createWorkQueue({ name: 'scheduler', clock });
  const pods = o.informers.informer(core('pods'));
  const nodes = o.informers.informer(core('nodes'));
  const podClient = o.client.resource(core('pods'));
  /** Pod key -> node, for assigned non-terminal pods and the ones bound but not yet seen assigned. */
  const podNode = new Map<string, string>();
  const nodePods = new Map<string, Set<string>>();
  /** Pods bound by us that the informer has not shown assigned yet. */
  const assumed = new Set<string>();
  /** Pods that found no node: attempts so far and when their backoff ends. */
  const unschedulable = new Map<string, { attempts: number; backoffUntil: number }>();
  let workers: Promise<void> | undefined;

  const isPending = (pod: KubeObject) =>
    !specOf(pod).nodeName && (specOf(pod).schedulerName || defaultSchedulerName) === schedulerName && !pod.metadata.deletionTimestamp && !isTerminal(pod);

  function place(key: string, node: string | undefined): void {
    const prev = podNode.get(key);
    if (prev === node) return;
    if (prev !== undefined) nodePods.get(prev)?.delete(key);
    if (node === undefined) {
      podNode.delete(key);
      return;
    }
    podNode.set(key, node);
    let set = nodePods.get(node);
    if (!set) nodePods.set(node, (set = new Set()));
    set.add(key);
  }

  function observe(pod: KubeObject): void {
    const key = objectKey(pod);
    const node = specOf(pod).nodeName;
    if (node) assumed.delete(key);
    if (assumed.has(key)) return;
    place(key, node && !isTerminal(pod) ? node : undefined);
  }

  function retryUnschedulable(): void {
    const now = clock.now();
    for (const [key, u] of unschedulable) queue.addAfter(key, Math.max(0, u.backoffUntil - now));
  }

  pods.addEventHandler({
    add: (pod) => {
      observe(pod);
      if (isPending(pod)) queue.add(objectKey(pod));
    },
    update: (old, pod) => {
      observe(pod);
      const key = objectKey(pod);
      if (!isPending(pod)) {
        unschedulable.delete(key);
        return;
      }
      // Upstream isPodUpdated: status-only writes (our own condition patches) do not retry.
      const u = unschedulable.get(key);
      if (!u) queue.add(key);
      else if (!isDeepStrictEqual(podView(old), podView(pod))) queue.addAfter(key, Math.max(0, u.backoffUntil - clock.now()));
    },
    delete: (pod) => {
      const key = objectKey(pod);
      const wasAssigned = podNode.has(key);
      assumed.delete(key);
      place(key, undefined);
      unschedulable.delete(key);
      if (wasAssigned) retryUnschedulable();
    },
  });
  nodes.addEventHandler({
    add: () => retryUnschedulable(),
    update: (old, node) => {
      if (!isDeepStrictEqual(schedulingView(old), schedulingView(node))) retryUnschedulable();
    },
  });

  /**
   * Sets the pod's PodScheduled=False condition unless it already says so (upstream updatePod:
   * UpdatePodCondition, then a strategic merge patch of pods/status). The patch carries the whole
   * conditions list, so a JSON merge patch reading of it means the same.
   */
  async function setScheduledCondition(pod: KubeObject, reason: string, message: string): Promise<void> {
    const conditions = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []) as PodCondition[];
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old && old.status === 'False' && old.reason === reason && (old.message ?? '') === message) return;
    const condition: PodCondition = {
      type: 'PodScheduled',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(clock.now()),
      reason,
      message,
    };
    const next = old ? conditions.map((c) => (c.type === 'PodScheduled' ? condition : c)) : [...conditions, condition];
    try {
      await podClient.patch(pod.metadata.namespace!, pod.metadata.name!, 'strategic', { status: { conditions: next } }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  async function unschedulableResult(key: string, pod: KubeObject, message: string): Promise<SyncResult> {
    const prior = unschedulable.get(key);
    const attempts = (prior?.attempts ?? 0) + 1;
    const backoff = Math.min(initialBackoffMs * 2 ** (attempts - 1), maxBackoffMs);
    unschedulable.set(key, { attempts, backoffUntil: clock.now() + backoff });
    o.recorder?.event(podRef(pod), 'Warning', 'FailedScheduling', message);
    await setScheduledCondition(pod, 'Unschedulable', message);
    return { requeueAfterMs: maxUnschedulableMs };
  }

  async function sync(key: string): Promise<SyncResult> {
    const [namespace, name] = splitKey(key);
    const pod = pods.lister.get(namespace, name);
    if (!pod || !isPending(pod)) {
      unschedulable.delete(key);
      return;
    }
    if (assumed.has(key)) return;
    if (specOf(pod).schedulingGates?.length) {
      await setScheduledCondition(pod, 'SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates');
      return;
    }
    const all = nodes.lister.list();
    if (!all.length) return unschedulableResult(key, pod, noNodesAvailable);
    const failures: NodeFailure[] = [];
    let best: { name: string; count: number } | undefined;
    for (const node of all) {
      const nodeName = node.metadata.name!;
      const count = nodePods.get(nodeName)?.size ?? 0;
      const failure = filterNode(pod, node, count);
      if (failure) {
        failures.push(failure);
        continue;
      }
      if (!best || count < best.count || (count === best.count && nodeName < best.name)) best = { name: nodeName, count };
    }
    if (!best) return unschedulableResult(key, pod, fitErrorMessage(pod, failures));

    // Assume before the first await: other workers see the pod on its node at once.
    assumed.add(key);
    place(key, best.name);
    try {
      await podClient.create(
        namespace,
        { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { kind: 'Node', name: best.name } },
        { subresource: 'binding' },
      );
    } catch (e) {
      forgetAssumed(key);
      if (isConflict(e) || isNotFound(e)) return;
      const message = `running Bind plugin "DefaultBinder": ${(e as Error).message ?? String(e)}`;
      o.recorder?.event(podRef(pod), 'Warning', 'FailedScheduling', message);
      await setScheduledCondition(pod, 'SchedulerError', message).catch(() => undefined);
      throw e;
    }
    unschedulable.delete(key);
    o.recorder?.event(podRef(pod), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${best.name}`);
  }

  /** Undoes an assumption unless the informer has meanwhile shown the pod assigned. */
  function forgetAssumed(key: string): void {
    if (!assumed.delete(key)) return;
    const [namespace, name] = splitKey(key);
    const current = pods.lister.get(namespace, name);
    place(key, current && specOf(current).nodeName && !isTerminal(current) ? specOf(current).nodeName : undefined);
  }

  return {
    name: 'scheduler',
    async start() {
      await Promise.all([pods.waitForSync(), nodes.waitForSync()]);
      workers = runWorkers({ queue, workers: o.workers ?? 4, sync, onError: (key, e) => o.log?.(`scheduling ${key} failed`, e) });
    },
    async stop() {
      queue.shutDown();
      await workers;
    },
  };
}
