/**
 * The status the kubelet (1.32, generateAPIPodStatus) reports for a pod it has admitted but not
 * started, e.g. while a volume cannot be mounted: phase Pending, hostIP and startTime set, no
 * pod IP yet (no sandbox), every container waiting with reason ContainerCreating
 * (PodInitializing when the pod has init containers), conditions PodReadyToStartContainers False,
 * Initialized (False with ContainersNotInitialized while init containers remain), Ready and
 * ContainersReady False with ContainersNotReady, PodScheduled True. `kubectl get po` then shows
 * `0/1 ContainerCreating`. Transition times are kept from the current status while unchanged;
 * conditions the kubelet does not own come first, as pod-status.ts keeps them.
 */
import type { KubeObject } from '../api/meta.js';
import { kubeletPodConditions, rfc3339, type PodCondition, type PodStatus } from './pod-status.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function condition(old: Json[], type: string, status: PodCondition['status'], now: string, reason?: string, message?: string): PodCondition {
  const prev = old.find((c) => c.type === type);
  const c: PodCondition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev && prev.status === status && str(prev.lastTransitionTime) ? str(prev.lastTransitionTime) : now,
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

export function pendingPodStatus(pod: KubeObject, o: { now: number; hostIP: string; startTime?: string }): PodStatus {
  const now = rfc3339(o.now);
  const old = obj(pod.status);
  const oldConditions = arr(old.conditions);
  const spec = obj(pod.spec);
  const inits = arr(spec.initContainers);
  const waiting = (c: Json, reason: string): Json => ({
    name: str(c.name),
    state: { waiting: { reason } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: str(c.image),
    imageID: '',
    started: false,
  });
  const containerReason = inits.length ? 'PodInitializing' : 'ContainerCreating';
  const containers = arr(spec.containers).map((c) => waiting(c, containerReason));
  containers.sort((a, b) => (str(a.name) < str(b.name) ? -1 : str(a.name) > str(b.name) ? 1 : 0));
  const unready = containers.map((c) => str(c.name)).join(' ');
  const status: Json = {
    phase: 'Pending',
    conditions: [
      ...oldConditions.filter((c) => !kubeletPodConditions.includes(str(c.type))),
      condition(oldConditions, 'PodReadyToStartContainers', 'False', now),
      inits.length
        ? condition(oldConditions, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${inits.map((c) => str(c.name)).join(' ')}]`)
        : condition(oldConditions, 'Initialized', 'True', now),
      condition(oldConditions, 'Ready', 'False', now, 'ContainersNotReady', `containers with unready status: [${unready}]`),
      condition(oldConditions, 'ContainersReady', 'False', now, 'ContainersNotReady', `containers with unready status: [${unready}]`),
      condition(oldConditions, 'PodScheduled', 'True', now),
    ],
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
    startTime: o.startTime ?? (str(old.startTime) || now),
  };
  if (inits.length) status.initContainerStatuses = inits.map((c) => waiting(c, 'PodInitializing'));
  status.containerStatuses = containers;
  if (str(old.qosClass)) status.qosClass = str(old.qosClass);
  return status as unknown as PodStatus;
}
