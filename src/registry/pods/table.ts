/**
 * `kubectl get pods` columns and cells (upstream printers.go printPod, 1.32), including the
 * STATUS reason logic (init containers, sidecars, waiting/terminated reasons, Completed vs
 * Running, SchedulingGated, Terminating, Unknown for NodeLost) and RESTARTS with "(5m ago)".
 * Cells are always the wide set, as kube-apiserver generates tables with Wide: true.
 */
import type { KubeObject } from '../../api/meta.js';
import { translateTimestampSince } from '../../api/validation/duration.js';
import type { TableConvertor } from '../types.js';
import { asArray, asObject, str, type Json } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

const podIPDoc = 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.';
const nodeNameDoc =
  'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename';
const nominatedNodeNameDoc =
  'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.';
const readinessGatesDoc =
  'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates';

const goZero = Number.NEGATIVE_INFINITY;
const timeOf = (t: unknown): number => {
  const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? goZero : ms;
};

const isRestartableInit = (c: Json | undefined): boolean => c?.restartPolicy === 'Always';
const conditionTrue = (status: Json, type: string): boolean =>
  asArray(status.conditions).some((c) => asObject(c).type === type && asObject(c).status === 'True');

/** printPod's READY, STATUS and RESTARTS cells. */
export function podStatusCells(pod: KubeObject, now: number): { ready: string; reason: string; restarts: string } {
  const spec = asObject(pod.spec);
  const status = asObject(pod.status);
  let restarts = 0;
  let restartableRestarts = 0;
  let total = asArray(spec.containers).length;
  let ready = 0;
  let lastRestart = goZero;
  let lastRestartableRestart = goZero;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of asArray(status.conditions)) {
    if (asObject(c).type === 'PodScheduled' && asObject(c).reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const initSpecs = new Map<string, Json>();
  for (const c of asArray(spec.initContainers)) {
    const ctr = asObject(c);
    initSpecs.set(str(ctr.name), ctr);
    if (isRestartableInit(ctr)) total++;
  }
  let initializing = false;
  const initStatuses = asArray(status.initContainerStatuses).map(asObject);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const state = asObject(cs.state);
    const terminated = state.terminated ? asObject(state.terminated) : undefined;
    const waiting = state.waiting ? asObject(state.waiting) : undefined;
    const count = typeof cs.restartCount === 'number' ? cs.restartCount : 0;
    const lastTerm = asObject(cs.lastState).terminated;
    restarts += count;
    if (lastTerm) lastRestart = Math.max(lastRestart, timeOf(asObject(lastTerm).finishedAt));
    const restartable = isRestartableInit(initSpecs.get(str(cs.name)));
    if (restartable) {
      restartableRestarts += count;
      if (lastTerm) lastRestartableRestart = Math.max(lastRestartableRestart, timeOf(asObject(lastTerm).finishedAt));
    }
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (restartable && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      if (!str(terminated.reason)) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      } else {
        reason = `Init:${str(terminated.reason)}`;
      }
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${asArray(spec.initContainers).length}`;
    }
    initializing = true;
    break;
  }
  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = restartableRestarts;
    lastRestart = lastRestartableRestart;
    let hasRunning = false;
    const statuses = asArray(status.containerStatuses).map(asObject);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const state = asObject(cs.state);
      restarts += typeof cs.restartCount === 'number' ? cs.restartCount : 0;
      const lastTerm = asObject(cs.lastState).terminated;
      if (lastTerm) lastRestart = Math.max(lastRestart, timeOf(asObject(lastTerm).finishedAt));
      const waiting = state.waiting ? asObject(state.waiting) : undefined;
      const terminated = state.terminated ? asObject(state.terminated) : undefined;
      if (waiting && str(waiting.reason)) reason = str(waiting.reason);
      else if (terminated && str(terminated.reason)) reason = str(terminated.reason);
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (cs.ready === true && state.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== goZero) {
    restartsText = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;
  }
  return { ready: `${ready}/${total}`, reason, restarts: restartsText };
}

/** Name, Ready, Status, Restarts, Age; wide: IP, Node, Nominated Node, Readiness Gates. */
export const podTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    column('IP', 'string', podIPDoc, { priority: 1 }),
    column('Node', 'string', nodeNameDoc, { priority: 1 }),
    column('Nominated Node', 'string', nominatedNodeNameDoc, { priority: 1 }),
    column('Readiness Gates', 'string', readinessGatesDoc, { priority: 1 }),
  ],
  cells(pod, now) {
    const spec = asObject(pod.spec);
    const status = asObject(pod.status);
    const { ready, reason, restarts } = podStatusCells(pod, now);
    const podIPs = asArray(status.podIPs);
    const podIP = (podIPs.length ? str(asObject(podIPs[0]).ip) : str(status.podIP)) || '<none>';
    const gates = asArray(spec.readinessGates);
    let readinessGates = '<none>';
    if (gates.length) {
      let trueCount = 0;
      for (const g of gates) {
        const cond = asArray(status.conditions).find((c) => asObject(c).type === asObject(g).conditionType);
        if (cond && asObject(cond).status === 'True') trueCount++;
      }
      readinessGates = `${trueCount}/${gates.length}`;
    }
    return [
      pod.metadata.name ?? '',
      ready,
      reason,
      restarts,
      ageCell(pod, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates,
    ];
  },
};
