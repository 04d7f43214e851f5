/**
 * The node agent: the part of the kubelet that gives pods their identity, talking to the server
 * only through the client (so it runs the same embedded in `insignia serve` and standalone).
 *
 * `createNodeAgent(options).start()`:
 * 1. registers the Node (heartbeat.ts) and starts its Lease renewal and status reports;
 * 2. lists and watches the pods bound to it (fieldSelector spec.nodeName=<node>);
 * 3. after the first list, adopts what an earlier run left under ROOT/pods (IPs of running pods,
 *    token files seeding the token manager, so fresh tokens are not requested again) and removes
 *    the directories of pods that no longer exist;
 * 4. syncs each pod through a work queue (pod-worker.ts): on every change of the pod, of a
 *    ConfigMap or Secret its volumes reference, at its earliest token refresh and every
 *    syncFrequency (default 60 s, the kubelet's); failed syncs retry with backoff (500 ms
 *    doubling to 2 min 2 s, the kubelet's volume retry bounds);
 * 5. purges expired tokens from the token manager every minute;
 * 6. when its Node was deleted and registered again (new UID), drops its pods' cached tokens
 *    (they are bound to the old Node and refused) and syncs every pod for new ones.
 * `start()` resolves once the Node is registered (it keeps retrying until then, or until
 * `stop()`); `ready()` resolves once step 3 is done. After a server restart the informers
 * relist and the heartbeats retry: nothing is lost. `stop()` ends every loop and waits for the
 * syncs in flight; the files stay for the next run to adopt.
 * Time and randomness come from the injected Clock and random source.
 */
import { mkdir } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import { ApiError, statusFromResponse } from '../client/errors.js';
import { createEventRecorder } from '../client/events.js';
import { createInformer, type Informer } from '../client/informer.js';
import { objectKey } from '../client/lister.js';
import { itemExponentialFailureRateLimiter } from '../client/rate-limiter.js';
import { collectionPath, core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue, type WorkQueue } from '../client/workqueue.js';
import { createReferencedObjects } from './agent-objects.js';
import { createPodIpAllocator } from './agent-pod-ips.js';
import { createHeartbeat, type Heartbeat, type HeartbeatOptions } from './heartbeat.js';
import { nodeObject, nodeStatus } from './node-status.js';
import { createPodWorker, type PodWorker } from './pod-worker.js';
import { createTokenManager, type IssuedToken, type TokenManager, type TokenRequestSpec } from './token-manager.js';

export interface NodeAgentOptions {
  client: RestClient;
  nodeName: string;
  /** Directory of the pods' files (ROOT/pods/<uid>/volumes/<volume>). */
  root: string;
  clock?: Clock;
  /** Random source in [0, 1) for jitter. */
  random?: () => number;
  /** The node's InternalIP and the pods' hostIP (default: the first non-loopback IPv4 address). */
  nodeIP?: string;
  /** IPv4 range of pod IPs (default 10.244.0.0/24). */
  podCIDR?: string;
  /** Period of each pod's resync (default 60 s). */
  syncFrequencyMs?: number;
  /** Pods this node advertises it can run (capacity and allocatable `pods`; kubelet --max-pods, default 110). */
  maxPods?: number;
  /** Pods synced concurrently (default 16). */
  workers?: number;
  /** Heartbeat periods (tests). */
  heartbeat?: Pick<HeartbeatOptions, 'leaseDurationSeconds' | 'nodeStatusUpdateFrequencyMs' | 'nodeStatusReportFrequencyMs'>;
  /** A token manager to use instead of a new one (tests). */
  tokens?: TokenManager;
  log?: (message: string, err?: unknown) => void;
}

export interface NodeAgent {
  readonly nodeName: string;
  readonly tokens: TokenManager;
  start(): Promise<void>;
  /** Resolves once the pods are listed and adopted and the workers run (or never, if stopped first). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export const defaultPodCIDR = '10.244.0.0/24';
export const kubeletUserAgent = `kubelet/v1.32.0 (${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}) kubernetes/0000000`;

/** The first non-internal IPv4 address of this host, else 127.0.0.1. */
export function defaultNodeIP(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** POST serviceaccounts/<name>/token as the kubelet does (spec only), for the token manager. */
export function tokenRequester(client: RestClient) {
  return async (namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken> => {
    const res = await client.transport.request({
      method: 'POST',
      path: `${collectionPath(core('serviceaccounts'), namespace)}/${encodeURIComponent(serviceAccount)}/token`,
      body: JSON.stringify({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec }),
    });
    if (res.status < 200 || res.status > 299) throw new ApiError(statusFromResponse(res.status, res.body));
    const tr = JSON.parse(res.body) as { spec: TokenRequestSpec; status: { token: string; expirationTimestamp: string } };
    return { token: tr.status.token, expirationTimestamp: tr.status.expirationTimestamp, spec: tr.spec };
  };
}

export function createNodeAgent(o: NodeAgentOptions): NodeAgent {
  const clock = o.clock ?? realClock;
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => {});
  const nodeIP = o.nodeIP ?? defaultNodeIP();
  const podCIDR = o.podCIDR ?? defaultPodCIDR;
  const ips = createPodIpAllocator(podCIDR);
  const tokens = o.tokens ?? createTokenManager({ requestToken: tokenRequester(o.client), clock, random, log });
  const recorder = createEventRecorder({ client: o.client, component: 'kubelet', host: o.nodeName, clock, log });
  const queue: WorkQueue = createWorkQueue({ name: 'pods', clock, rateLimiter: itemExponentialFailureRateLimiter(500, 122_000) });
  /** Pod UID → `namespace/name`, for the ConfigMap/Secret watches, which know pods by UID. */
  const keysByUid = new Map<string, string>();
  const objects = createReferencedObjects({
    client: o.client,
    clock,
    log,
    onChange: (owners) => {
      for (const uid of owners) {
        const key = keysByUid.get(uid);
        if (key) queue.add(key);
      }
    },
  });
  const podInformer: Informer = createInformer({
    client: o.client.resource(core('pods')),
    fieldSelector: `spec.nodeName=${o.nodeName}`,
    clock,
    log,
  });
  const onNode = (pod: KubeObject) => (pod.spec as { nodeName?: string } | undefined)?.nodeName === o.nodeName;
  podInformer.addEventHandler({
    add: (pod) => {
      if (!onNode(pod)) return;
      keysByUid.set(pod.metadata.uid!, objectKey(pod));
      queue.add(objectKey(pod));
    },
    update: (old, pod) => {
      if (!onNode(pod) && !onNode(old)) return;
      if (old.metadata.uid !== pod.metadata.uid) keysByUid.delete(old.metadata.uid!);
      keysByUid.set(pod.metadata.uid!, objectKey(pod));
      queue.add(objectKey(pod));
    },
    delete: (pod) => {
      keysByUid.delete(pod.metadata.uid!);
      queue.add(objectKey(pod));
    },
  });
  const worker: PodWorker = createPodWorker({
    client: o.client,
    nodeName: o.nodeName,
    root: o.root,
    clock,
    random,
    pods: podInformer.lister,
    tokens,
    objects,
    ips,
    hostIP: nodeIP,
    nodeAllocatable: () => allocatable,
    recorder,
    syncFrequencyMs: o.syncFrequencyMs ?? 60_000,
    log,
  });
  let nodeUid: string | undefined;
  let allocatable: Record<string, string> | undefined;
  const heartbeat: Heartbeat = createHeartbeat({
    client: o.client,
    nodeName: o.nodeName,
    clock,
    random,
    node: (now) => nodeObject({ name: o.nodeName, ip: nodeIP, hostname: o.nodeName, podCIDR: ips.cidr, status: nodeStatus({ now, ip: nodeIP, hostname: o.nodeName, root: o.root, maxPods: o.maxPods }) }),
    status: (previous, now) => nodeStatus({ now, ip: nodeIP, hostname: o.nodeName, root: o.root, previous, maxPods: o.maxPods }),
    onRegistered: (node) => {
      // A Node registered again (it was deleted) has a new UID: tokens bound to the old one are
      // refused now, so every pod gets new ones at once.
      const uid = node.metadata.uid;
      if (nodeUid && uid && uid !== nodeUid) {
        log(`node ${o.nodeName} registered again with a new UID; requesting new tokens for its pods`);
        for (const key of worker.forgetTokens()) queue.add(key);
      }
      nodeUid = uid;
    },
    log,
    ...o.heartbeat,
  });

  let stopped = false;
  let started: Promise<void> | undefined;
  let workers: Promise<void>[] = [];
  let purgeTimer: TimerHandle | undefined;
  let readyResolve: () => void = () => {};
  const readyPromise = new Promise<void>((r) => (readyResolve = r));

  async function runWorker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const result = await worker.sync(key);
        if (result.retry) queue.addRateLimited(key);
        else {
          queue.forget(key);
          if (result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
        }
      } catch (e) {
        log(`Error syncing pod ${key}, skipping`, e);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  }

  function schedulePurge(): void {
    if (stopped) return;
    purgeTimer = clock.setTimer(60_000, () => {
      tokens.purgeExpired();
      schedulePurge();
    });
  }

  async function runPods(): Promise<void> {
    podInformer.start();
    await podInformer.waitForSync();
    if (stopped) return;
    const adopted = await worker.adopt(podInformer.lister.list());
    if (adopted.tokens || adopted.removed.length) {
      log(`adopted ${adopted.tokens} token(s) from disk; removed the directories of ${adopted.removed.length} pod(s) that no longer exist`);
    }
    if (stopped) return;
    workers = Array.from({ length: Math.max(1, o.workers ?? 16) }, runWorker);
    schedulePurge();
    readyResolve();
  }

  return {
    nodeName: o.nodeName,
    tokens,
    start() {
      started ??= (async () => {
        await mkdir(join(o.root, 'pods'), { recursive: true, mode: 0o750 });
        // After the mkdir: the root's filesystem is the node's ephemeral storage.
        allocatable = nodeStatus({ now: clock.now(), ip: nodeIP, hostname: o.nodeName, root: o.root, maxPods: o.maxPods }).allocatable;
        void runPods().catch((e) => log('pod sync loop failed', e));
        await heartbeat.register();
        if (!stopped) heartbeat.start();
      })();
      return started;
    },
    ready: () => readyPromise,
    async stop() {
      stopped = true;
      heartbeat.stop();
      podInformer.stop();
      objects.stop();
      purgeTimer?.cancel();
      queue.shutDown();
      await Promise.all(workers);
      await recorder.flush();
    },
  };
}
