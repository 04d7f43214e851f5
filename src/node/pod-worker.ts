/**
 * One sync of one pod bound to the node (the kubelet's SyncPod / SyncTerminatingPod, with no
 * containers to run: like kwok, containers are reported as running once their volumes are in
 * place).
 *
 * Contract of `sync(key)` (key `namespace/name`, read from the pods informer's cache):
 * - A pod that is gone, or replaced by one with another UID, is torn down: ROOT/pods/<uid>
 *   removed, its tokens dropped from the token manager, its IP released, its ConfigMap/Secret
 *   watches released.
 * - A running pod: an IP from the pod CIDR; every volume written under
 *   ROOT/pods/<uid>/volumes/<volume> (atomic writer; emptyDir as a plain directory). A volume that
 *   cannot be written gives a Warning FailedMount event (`MountVolume.SetUp failed for volume "v" :
 *   <reason>`) and the result `{ retry: true }` (the caller backs off and tries again; a change of a
 *   referenced ConfigMap or Secret also brings the pod back). Once all are written: the Normal
 *   events Pulled, Created and Started per container (once per pod), then pods/status with phase
 *   Running when it differs from the server's; the result asks for the next sync at the pod's
 *   earliest token refresh or after syncFrequency (jittered by up to 50%, as the kubelet's pod
 *   workers resync).
 * - A pod being deleted (deletionTimestamp): Killing events, status terminated, volumes and
 *   tokens removed, then DELETE with gracePeriodSeconds 0 and a UID precondition (the kubelet's
 *   status manager), so the pod disappears.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Lister } from '../client/lister.js';
import { splitKey } from '../client/lister.js';
import { core, type RestClient } from '../client/rest-client.js';
import { volumeReferences, type ReferencedObjects } from './agent-objects.js';
import type { PodIpAllocator } from './agent-pod-ips.js';
import { adoptTokens, nextTokenRefresh } from './agent-tokens.js';
import { writeAtomic } from './atomic-writer.js';
import { rfc3339, runningPodStatus, terminatedPodStatus } from './pod-status.js';
import { podStartEvents, podStopEvents } from './pod-worker-events.js';
import { pendingPodStatus } from './pod-worker-status.js';
import type { TokenManager } from './token-manager.js';
import { volumePayload, type VolumeSources } from './volumes.js';

export interface PodWorkerOptions {
  client: RestClient;
  nodeName: string;
  root: string;
  clock: Clock;
  random: () => number;
  /** The pods informer's cache (pods bound to this node). */
  pods: Lister;
  tokens: TokenManager;
  objects: ReferencedObjects;
  ips: PodIpAllocator;
  hostIP: string;
  /** The node's allocatable resources (defaults of downward API resourceFieldRefs). */
  nodeAllocatable?(): Record<string, string> | undefined;
  recorder: EventRecorder;
  syncFrequencyMs: number;
  log: (message: string, err?: unknown) => void;
}

export interface PodSyncResult {
  /** Sync the pod again after this many ms. */
  requeueAfterMs?: number;
  /** The sync failed (mount or IP): retry with backoff. */
  retry?: boolean;
}

export interface PodWorker {
  sync(key: string): Promise<PodSyncResult>;
  /**
   * At start, after the first list: takes over the pods already running here (their IPs, their
   * start, their token files) and removes the directories of pods that no longer exist.
   * Resolves with the number of tokens adopted and the UIDs whose directories were removed.
   */
  adopt(pods: KubeObject[]): Promise<{ tokens: number; removed: string[] }>;
  /** Drops the cached tokens of every pod (they name a Node that is gone); returns their keys to sync. */
  forgetTokens(): string[];
}

interface PodRecord {
  uid: string;
  /** Pulled/Created/Started were recorded (or the pod was already running at adoption). */
  started: boolean;
  startTime?: string;
  killing: boolean;
  /** Consecutive syncs that found a token refresh already due. */
  staleRefreshes: number;
}

const safeSegment = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

interface PodShape {
  spec?: { nodeName?: string; volumes?: { name: string }[] };
  status?: { phase?: string; podIP?: string; startTime?: string };
}

export function createPodWorker(o: PodWorkerOptions): PodWorker {
  const records = new Map<string, PodRecord>();
  const pods = o.client.resource(core('pods'));
  const podDir = (uid: string) => {
    if (!safeSegment.test(uid)) throw new Error(`unsafe pod UID ${JSON.stringify(uid)}`);
    return join(o.root, 'pods', uid);
  };

  async function teardown(key: string, rec: PodRecord): Promise<void> {
    o.objects.release(rec.uid);
    o.tokens.deleteServiceAccountTokens(rec.uid);
    o.ips.release(rec.uid);
    await rm(podDir(rec.uid), { recursive: true, force: true });
    records.delete(key);
  }

  /** Writes every volume; resolves with the failures as `[volume, message]`. */
  async function mountVolumes(pod: KubeObject): Promise<[string, string][]> {
    const uid = pod.metadata.uid!;
    const sources: VolumeSources = {
      getSecret: (ns, name) => o.objects.get('secrets', ns, name),
      getConfigMap: (ns, name) => o.objects.get('configmaps', ns, name),
      tokens: o.tokens,
      nodeAllocatable: o.nodeAllocatable?.(),
    };
    const failures: [string, string][] = [];
    for (const volume of (pod as PodShape).spec?.volumes ?? []) {
      try {
        if (!safeSegment.test(volume.name)) throw new Error(`invalid volume name ${JSON.stringify(volume.name)}`);
        const payload = await volumePayload(pod, volume, sources);
        if (!payload) continue;
        const dir = join(podDir(uid), 'volumes', volume.name);
        if (payload instanceof Map) await writeAtomic(dir, payload, { now: o.clock.now() });
        else await mkdir(dir, { recursive: true, mode: 0o777 });
      } catch (e) {
        failures.push([volume.name, e instanceof Error ? e.message : String(e)]);
      }
    }
    return failures;
  }

  function nextSync(pod: KubeObject, rec: PodRecord): number {
    const resync = Math.round(o.syncFrequencyMs * (1 + o.random() * 0.5));
    const refresh = nextTokenRefresh(o.tokens, pod);
    if (refresh === undefined) return resync;
    const untilRefresh = refresh - o.clock.now();
    if (untilRefresh > 0) {
      rec.staleRefreshes = 0;
      return Math.min(resync, untilRefresh);
    }
    // A refresh is due but the token manager kept the old token (the request failed): back off.
    rec.staleRefreshes++;
    return Math.min(resync, 1000 * 2 ** Math.min(rec.staleRefreshes - 1, 6));
  }

  async function patchStatus(pod: KubeObject, status: object): Promise<void> {
    const current = (pod.status ?? {}) as Record<string, unknown>;
    const desired = status as Record<string, unknown>;
    // Null members (a condition's lastProbeTime) are not stored: compare without them, or every
    // resync would send the same status again.
    if (Object.keys(desired).every((k) => isDeepStrictEqual(withoutNulls(current[k]), withoutNulls(desired[k])))) return;
    await pods.patch(pod.metadata.namespace ?? '', pod.metadata.name!, 'merge', { metadata: { uid: pod.metadata.uid }, status }, { subresource: 'status' });
  }

  async function terminate(key: string, pod: KubeObject, rec: PodRecord): Promise<PodSyncResult> {
    const ns = pod.metadata.namespace ?? '';
    if (!rec.killing) {
      rec.killing = true;
      if (rec.started) for (const e of podStopEvents(pod)) o.recorder.event(pod, 'Normal', e.reason, e.message);
    }
    const phase = (pod as PodShape).status?.phase;
    if (phase !== 'Succeeded' && phase !== 'Failed') {
      try {
        await patchStatus(pod, terminatedPodStatus(pod, { now: o.clock.now() }));
      } catch (e) {
        if (isNotFound(e)) return {};
        throw e;
      }
    }
    await teardown(key, rec);
    try {
      await pods.delete(ns, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
    return {};
  }

  async function sync(key: string): Promise<PodSyncResult> {
    const [namespace, name] = splitKey(key);
    const pod = o.pods.get(namespace, name);
    const known = records.get(key);
    if (known && (!pod || pod.metadata.uid !== known.uid)) await teardown(key, known);
    if (!pod || (pod as PodShape).spec?.nodeName !== o.nodeName || !pod.metadata.uid) return {};
    const uid = pod.metadata.uid;
    let rec = records.get(key);
    if (!rec) records.set(key, (rec = { uid, started: false, killing: false, staleRefreshes: 0 }));
    if (pod.metadata.deletionTimestamp) return terminate(key, pod, rec);
    const phase = (pod as PodShape).status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return {};

    o.objects.setReferences(uid, volumeReferences(pod));
    // A hostNetwork pod has the node's IP (pod-status.ts reports it so) and takes none from the range.
    const hostNetwork = (pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork === true;
    const podIP = hostNetwork ? o.hostIP : o.ips.allocate(uid);
    if (!podIP) {
      o.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: failed to allocate for range 0: no IP addresses available in range set: ${o.ips.cidr}`);
      return { retry: true };
    }
    const failures = await mountVolumes(pod);
    const now = o.clock.now();
    rec.startTime ??= (pod as PodShape).status?.startTime ?? rfc3339(now);
    if (failures.length) {
      for (const [volume, message] of failures) {
        o.recorder.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${volume}" : ${message}`);
      }
      // A pod that never started waits as ContainerCreating; a running one keeps running.
      if (!rec.started) await patchStatus(pod, pendingPodStatus(pod, { now, hostIP: o.hostIP, startTime: rec.startTime }));
      return { retry: true };
    }
    if (!rec.started) {
      for (const e of podStartEvents(pod)) o.recorder.event(pod, 'Normal', e.reason, e.message);
      rec.started = true;
    }
    await patchStatus(pod, runningPodStatus(pod, { now, podIP, hostIP: o.hostIP, startTime: rec.startTime }));
    return { requeueAfterMs: nextSync(pod, rec) };
  }

  async function adopt(list: KubeObject[]): Promise<{ tokens: number; removed: string[] }> {
    const keep = new Set<string>();
    let tokens = 0;
    for (const pod of list) {
      const uid = pod.metadata.uid;
      if (!uid || !safeSegment.test(uid) || (pod as PodShape).spec?.nodeName !== o.nodeName) continue;
      keep.add(uid);
      const status = (pod as PodShape).status;
      if (status?.podIP) o.ips.reserve(uid, status.podIP);
      const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
      if (status?.phase === 'Running' && !records.has(key)) {
        records.set(key, { uid, started: true, startTime: status.startTime, killing: false, staleRefreshes: 0 });
      }
      tokens += await adoptTokens(o.tokens, pod, podDir(uid));
    }
    const removed: string[] = [];
    let entries: string[] = [];
    try {
      entries = await readdir(join(o.root, 'pods'));
    } catch {
      entries = [];
    }
    for (const uid of entries) {
      if (keep.has(uid)) continue;
      await rm(join(o.root, 'pods', uid), { recursive: true, force: true });
      removed.push(uid);
    }
    return { tokens, removed };
  }

  function forgetTokens(): string[] {
    for (const rec of records.values()) o.tokens.deleteServiceAccountTokens(rec.uid);
    return [...records.keys()];
  }

  return { sync, adopt, forgetTokens };
}

/** `v` with every null-valued object member removed, recursively (arrays keep their length). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}
