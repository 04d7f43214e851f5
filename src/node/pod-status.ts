/**
 * Pod status as the kubelet 1.32 reports it (kubelet_pods.go generateAPIPodStatus,
 * status/generate.go, status_manager.go), for containers that are not executed: a started pod
 * reports every container running and ready, a pod being deleted reports them terminated.
 * Pure functions of the pod (its current status supplies transition times, startedAt, restart
 * counts and the conditions the kubelet does not own, which are kept first as upstream does).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/meta.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** A v1.PodStatus with the fields the agent writes (field order as the Go struct). */
export interface PodStatus {
  phase: string;
  conditions: PodCondition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  hostIPs?: { ip: string }[];
  podIP?: string;
  podIPs?: { ip: string }[];
  startTime?: string;
  initContainerStatuses?: Json[];
  containerStatuses: Json[];
  qosClass?: string;
  [field: string]: unknown;
}

/** Condition types the kubelet owns (kubetypes.PodConditionByKubelet), in the order it writes them. */
export const kubeletPodConditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** metav1.Time's wire form: RFC3339 in UTC, whole seconds. */
export const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The image reference as containerd reports it: `nginx` → `docker.io/library/nginx:latest`. */
export function normalizeImage(image: string): string {
  const { repository, tag, digest } = parseImage(image);
  return `${repository}${tag ? `:${tag}` : digest ? '' : ':latest'}${digest ? `@${digest}` : ''}`;
}

function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  let domain = 'docker.io';
  let path = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  return { repository: `${domain}/${path}`, tag, digest };
}

/** `docker.io/library/nginx@sha256:<64 hex>`: the image's digest, or a fake one derived from its name. */
export function imageID(image: string): string {
  const { repository, digest } = parseImage(image);
  return `${repository}@${digest ?? `sha256:${sha256(normalizeImage(image))}`}`;
}

/** `containerd://<64 hex>`, stable for a pod uid and container name. */
export function containerID(podUid: string, containerName: string): string {
  return `containerd://${sha256(`${podUid}/${containerName}`)}`;
}

/** A condition whose lastTransitionTime is kept from the old one when its status did not change. */
function condition(old: Json[], type: string, status: PodCondition['status'], now: string, reason?: string, message?: string): PodCondition {
  const prev = old.find((c) => str(obj(c).type) === type);
  const c: PodCondition = {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: prev && str(obj(prev).status) === status && str(obj(prev).lastTransitionTime) ? str(obj(prev).lastTransitionTime) : now,
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

/** status.volumeMounts as the kubelet 1.32 fills it (RecursiveReadOnlyMounts, beta, on). */
function volumeMountStatuses(container: Json): Json[] | undefined {
  const mounts = arr(container.volumeMounts).map((raw) => {
    const m = obj(raw);
    const s: Json = { name: str(m.name), mountPath: str(m.mountPath) };
    if (m.readOnly === true) {
      s.readOnly = true;
      s.recursiveReadOnly = 'Disabled';
    }
    return s;
  });
  return mounts.length ? mounts : undefined;
}

function baseStatus(pod: KubeObject, container: Json, prev: Json, state: Json, ready: boolean, started: boolean): Json {
  const name = str(container.name);
  const image = str(container.image);
  const s: Json = {
    name,
    state,
    lastState: prev.lastState ?? {},
    ready,
    restartCount: typeof prev.restartCount === 'number' ? prev.restartCount : 0,
    image: normalizeImage(image),
    imageID: imageID(image),
    containerID: str(prev.containerID) || containerID(pod.metadata.uid ?? '', name),
    started,
  };
  const mounts = volumeMountStatuses(container);
  if (mounts) s.volumeMounts = mounts;
  return s;
}

const byName = (statuses: unknown, name: string): Json => obj(arr(statuses).find((s) => str(obj(s).name) === name));
const sortByName = (s: Json[]) => s.sort((a, b) => (str(a.name) < str(b.name) ? -1 : str(a.name) > str(b.name) ? 1 : 0));
const isRestartable = (c: Json) => c.restartPolicy === 'Always';

/** Ready per GeneratePodReadyCondition: readiness gates must name True conditions. */
function readyCondition(pod: KubeObject, kept: Json[], old: Json[], now: string): PodCondition {
  const messages: string[] = [];
  for (const gate of arr(obj(pod.spec).readinessGates)) {
    const type = str(obj(gate).conditionType);
    const c = kept.find((k) => str(k.type) === type);
    if (!c) messages.push(`corresponding condition of pod readiness gate ${JSON.stringify(type)} does not exist.`);
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate ${JSON.stringify(type)} is not "True", but ${str(c.status)}`);
  }
  return messages.length ? condition(old, 'Ready', 'False', now, 'ReadinessGatesNotReady', messages.join(', ')) : condition(old, 'Ready', 'True', now);
}

const statusFieldOrder = ['phase', 'conditions', 'message', 'reason', 'hostIP', 'hostIPs', 'podIP', 'podIPs', 'startTime', 'initContainerStatuses', 'containerStatuses', 'qosClass'];

/** Keeps the phase's reason/message (as upstream) and qosClass, and orders fields as the Go struct. */
function finish(status: Partial<PodStatus>, old: Json): PodStatus {
  if (status.phase === str(old.phase)) {
    if (str(old.message)) status.message = str(old.message);
    if (str(old.reason)) status.reason = str(old.reason);
  }
  if (str(old.qosClass)) status.qosClass = str(old.qosClass);
  const out: Json = {};
  for (const k of statusFieldOrder) if ((status as Json)[k] !== undefined) out[k] = (status as Json)[k];
  return out as unknown as PodStatus;
}

/** Running status of a started pod: every container running, started and ready. */
export function runningPodStatus(pod: KubeObject, o: { now: number; podIP: string; hostIP: string; startTime?: string }): PodStatus {
  const now = rfc3339(o.now);
  const old = obj(pod.status);
  const oldConditions = arr(old.conditions).map(obj);
  const spec = obj(pod.spec);
  const uid = pod.metadata.uid ?? '';
  const initStatuses = arr(spec.initContainers).map((raw) => {
    const c = obj(raw);
    const prev = byName(old.initContainerStatuses, str(c.name));
    if (isRestartable(c)) {
      const startedAt = str(obj(obj(prev.state).running).startedAt) || now;
      return baseStatus(pod, c, prev, { running: { startedAt } }, true, true);
    }
    const terminated = obj(obj(prev.state).terminated);
    if (Object.keys(terminated).length) return baseStatus(pod, c, prev, { terminated }, terminated.exitCode === 0, false);
    const id = containerID(uid, str(c.name));
    return baseStatus(pod, c, prev, { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: id } }, true, false);
  });
  const statuses = arr(spec.containers).map((raw) => {
    const c = obj(raw);
    const prev = byName(old.containerStatuses, str(c.name));
    const startedAt = str(obj(obj(prev.state).running).startedAt) || now;
    return baseStatus(pod, c, prev, { running: { startedAt } }, true, true);
  });
  const kept = oldConditions.filter((c) => !kubeletPodConditions.includes(str(c.type)));
  const hostNetwork = spec.hostNetwork === true;
  const podIP = hostNetwork ? o.hostIP : o.podIP;
  const status: Partial<PodStatus> = {
    phase: 'Running',
    conditions: [
      ...(kept as unknown as PodCondition[]),
      condition(oldConditions, 'PodReadyToStartContainers', 'True', now),
      condition(oldConditions, 'Initialized', 'True', now),
      readyCondition(pod, kept, oldConditions, now),
      condition(oldConditions, 'ContainersReady', 'True', now),
      condition(oldConditions, 'PodScheduled', 'True', now),
    ],
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: o.startTime ?? (str(old.startTime) || now),
  };
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  status.containerStatuses = sortByName(statuses);
  return finish(status, old);
}

/** A running container's final state: terminated with reason Completed, exit code 0. */
function terminate(prev: Json, now: string): Json {
  const state = obj(prev.state);
  if (state.terminated) return { ...prev, ready: false, started: false };
  if (!state.running) return { ...prev, ready: false, started: false };
  const terminated = { exitCode: 0, reason: 'Completed', startedAt: str(obj(state.running).startedAt) || now, finishedAt: now, containerID: str(prev.containerID) };
  return { ...prev, state: { terminated }, ready: false, started: false };
}

/**
 * Status of a pod being deleted once its containers stopped (the kubelet's podIsTerminal path):
 * running containers terminated (Completed, exit 0); phase Succeeded when every regular container
 * exited 0, else Failed (a container that never ran leaves the pod Failed, as TerminatePod does);
 * Ready/ContainersReady False with PodCompleted/PodFailed; IPs, startTime and qosClass kept.
 */
export function terminatedPodStatus(pod: KubeObject, o: { now: number }): PodStatus {
  const now = rfc3339(o.now);
  const old = obj(pod.status);
  const oldConditions = arr(old.conditions).map(obj);
  const spec = obj(pod.spec);
  const hasInit = arr(spec.initContainers).length > 0;
  const fill = (containers: unknown[], statuses: unknown) =>
    containers.map((raw) => {
      const c = obj(raw);
      const prev = byName(statuses, str(c.name));
      if (Object.keys(prev).length) return terminate(prev, now);
      const waiting = { reason: hasInit ? 'PodInitializing' : 'ContainerCreating' };
      return { name: str(c.name), state: { waiting }, lastState: {}, ready: false, restartCount: 0, image: str(c.image), imageID: '', started: false };
    });
  const initStatuses = fill(arr(spec.initContainers), old.initContainerStatuses);
  const statuses = sortByName(fill(arr(spec.containers), old.containerStatuses));
  const terminal = str(old.phase) === 'Succeeded' || str(old.phase) === 'Failed';
  const exits = statuses.map((s) => obj(obj(s.state).terminated).exitCode);
  const phase = terminal ? str(old.phase) : exits.every((e) => e === 0) ? 'Succeeded' : 'Failed';
  const reason = phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed';
  const incomplete = arr(spec.initContainers)
    .map(obj)
    .filter((c) => !isRestartable(c) && !byName(initStatuses, str(c.name)).ready)
    .map((c) => str(c.name));
  const anyStarted = arr(old.containerStatuses).some((s) => obj(obj(s).state).running || obj(obj(s).state).terminated);
  const initialized =
    phase === 'Succeeded'
      ? condition(oldConditions, 'Initialized', 'True', now, 'PodCompleted')
      : anyStarted || incomplete.length === 0
        ? condition(oldConditions, 'Initialized', 'True', now)
        : condition(oldConditions, 'Initialized', 'False', now, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  const status: Partial<PodStatus> = {
    phase,
    conditions: [
      ...(oldConditions.filter((c) => !kubeletPodConditions.includes(str(c.type))) as unknown as PodCondition[]),
      condition(oldConditions, 'PodReadyToStartContainers', 'False', now),
      initialized,
      condition(oldConditions, 'Ready', 'False', now, reason),
      condition(oldConditions, 'ContainersReady', 'False', now, reason),
      condition(oldConditions, 'PodScheduled', 'True', now),
    ],
    containerStatuses: statuses,
  };
  for (const k of ['hostIP', 'hostIPs', 'podIP', 'podIPs', 'startTime'] as const) if (old[k] !== undefined) (status as Json)[k] = structuredClone(old[k]);
  if (initStatuses.length) status.initContainerStatuses = initStatuses;
  return finish(status, old);
}
