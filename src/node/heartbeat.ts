/**
 * The node's registration and heartbeats, as the kubelet does them:
 * - Registration (kubelet registerWithAPIServer): create the Node with its status; on
 *   AlreadyExists read it and report the status; retried with backoff (100 ms doubling to 7 s)
 *   until it succeeds. Unlike the kubelet, a Node deleted while the agent runs is registered
 *   again at the next status update (the kubelet only registers at start); `onRegistered` tells
 *   the agent each time.
 * - The Lease kube-node-lease/<node> (component-helpers' lease controller as the kubelet runs
 *   it): holderIdentity <node>, leaseDurationSeconds 40, renewTime now, an ownerReference to the
 *   Node; renewed every leaseDuration/4 = 10 s with 4% jitter, from the last written Lease; on
 *   failure the Lease is read (created when missing) again with backoff (100 ms doubling to 7 s).
 * - Node status (kubelet nodeStatusUpdateFrequency 10 s, nodeStatusReportFrequency 5 min): every
 *   10 s the status is computed from the server's Node; it is sent (merge patch of nodes/status)
 *   only when it differs from the server's in anything but heartbeat times, or 5 min after the
 *   last report.
 * Every wait goes through the injected Clock; failures are logged, never thrown.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.js';
import type { Clock, TimerHandle } from '../client/clock.js';
import { isAlreadyExists, isNotFound } from '../client/errors.js';
import { core, type RestClient } from '../client/rest-client.js';

export const nodeLeaseNamespace = 'kube-node-lease';
const leases = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export interface HeartbeatOptions {
  client: RestClient;
  nodeName: string;
  clock: Clock;
  random: () => number;
  /** The Node to register, with its initial status. */
  node(now: number): KubeObject;
  /** The status to report, given the server's current status of the Node. */
  status(previous: Record<string, unknown> | undefined, now: number): Record<string, unknown>;
  leaseDurationSeconds?: number;
  nodeStatusUpdateFrequencyMs?: number;
  nodeStatusReportFrequencyMs?: number;
  /** Called after each registration (the first, and again after the Node was deleted). */
  onRegistered?(node: KubeObject): void;
  log?: (message: string, err?: unknown) => void;
}

export interface Heartbeat {
  /** Registers the Node, retrying with backoff; resolves once registered, or when stopped. */
  register(): Promise<void>;
  /** Starts the lease and status loops (after register). */
  start(): void;
  stop(): void;
  /** The Node as last read or written, if any. */
  readonly node: KubeObject | undefined;
}

/** metav1.MicroTime as it travels: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** A status without the conditions' heartbeat times (what the kubelet compares). */
function withoutHeartbeats(status: Record<string, unknown> | undefined): unknown {
  if (!status) return undefined;
  const conditions = Array.isArray(status.conditions)
    ? (status.conditions as Record<string, unknown>[]).map(({ lastHeartbeatTime: _, ...rest }) => rest)
    : status.conditions;
  return { ...status, conditions };
}

export function createHeartbeat(o: HeartbeatOptions): Heartbeat {
  const nodes = o.client.resource(core('nodes'));
  const leaseClient = o.client.resource(leases);
  const leaseDuration = o.leaseDurationSeconds ?? 40;
  const renewIntervalMs = (leaseDuration * 1000) / 4;
  const statusFrequency = o.nodeStatusUpdateFrequencyMs ?? 10_000;
  const reportFrequency = o.nodeStatusReportFrequencyMs ?? 5 * 60_000;
  const log = o.log ?? (() => {});
  const timers = new Set<TimerHandle>();
  const waiters = new Set<() => void>();
  let stopped = false;
  let node: KubeObject | undefined;
  let registered = false;
  let lastReport = -Infinity;
  let latestLease: KubeObject | undefined;

  const backoff = (failures: number) => Math.min(100 * 2 ** Math.max(0, failures - 1), 7000);

  /** Resolves after `ms`, or at once when stopped. */
  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return resolve();
      const t = o.clock.setTimer(ms, () => {
        timers.delete(t);
        waiters.delete(resolve);
        resolve();
      });
      timers.add(t);
      waiters.add(resolve);
    });
  }

  /** Runs `body` again after the delay it returns, until stopped. */
  function loop(body: () => Promise<number>, firstDelay: number): void {
    const schedule = (ms: number) => {
      if (stopped) return;
      const t = o.clock.setTimer(ms, () => {
        timers.delete(t);
        void body().then(schedule, (e) => {
          log('heartbeat step failed', e);
          schedule(statusFrequency);
        });
      });
      timers.add(t);
    };
    schedule(firstDelay);
  }

  async function tryRegister(): Promise<void> {
    const now = o.clock.now();
    try {
      node = await nodes.create('', o.node(now));
      lastReport = now;
      registered = true;
      log(`Successfully registered node ${o.nodeName}`);
      o.onRegistered?.(node);
      return;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    const existing = await nodes.get('', o.nodeName);
    node = existing;
    await reportStatus(existing, true);
    registered = true;
    o.onRegistered?.(node ?? existing);
  }

  async function reportStatus(current: KubeObject, force: boolean): Promise<void> {
    const now = o.clock.now();
    const previous = current.status as Record<string, unknown> | undefined;
    const status = o.status(previous, now);
    if (!force && now < lastReport + reportFrequency && isDeepStrictEqual(withoutHeartbeats(previous), withoutHeartbeats(status))) return;
    node = await nodes.patch('', o.nodeName, 'merge', { status }, { subresource: 'status' });
    lastReport = now;
  }

  async function syncStatus(): Promise<number> {
    try {
      if (!registered) await tryRegister();
      else {
        let current: KubeObject;
        try {
          current = await nodes.get('', o.nodeName);
        } catch (e) {
          if (!isNotFound(e)) throw e;
          log(`node ${o.nodeName} not found; registering it again`);
          registered = false;
          latestLease = undefined;
          await tryRegister();
          return statusFrequency;
        }
        node = current;
        await reportStatus(current, false);
      }
    } catch (e) {
      log('Unable to update node status', e);
    }
    return statusFrequency;
  }

  function leaseFor(base: KubeObject | undefined): KubeObject {
    const lease: KubeObject = base
      ? structuredClone(base)
      : { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: o.nodeName, namespace: nodeLeaseNamespace } };
    lease.spec = {
      ...((lease.spec as object | undefined) ?? {}),
      holderIdentity: o.nodeName,
      leaseDurationSeconds: leaseDuration,
      renewTime: microTime(o.clock.now()),
    };
    if (!lease.metadata.ownerReferences?.length && node?.metadata.uid) {
      lease.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: o.nodeName, uid: node.metadata.uid }];
    }
    return lease;
  }

  let leaseFailures = 0;
  async function renewLease(): Promise<number> {
    const interval = () => renewIntervalMs * (1 + o.random() * 0.04);
    if (latestLease) {
      try {
        latestLease = await leaseClient.update(nodeLeaseNamespace, leaseFor(latestLease));
        leaseFailures = 0;
        return interval();
      } catch (e) {
        log('failed to update lease using latest lease, fallback to ensure lease', e);
        latestLease = undefined;
      }
    }
    try {
      let lease: KubeObject;
      try {
        lease = await leaseClient.get(nodeLeaseNamespace, o.nodeName);
        lease = await leaseClient.update(nodeLeaseNamespace, leaseFor(lease));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        lease = await leaseClient.create(nodeLeaseNamespace, leaseFor(undefined));
      }
      latestLease = lease;
      leaseFailures = 0;
      return interval();
    } catch (e) {
      leaseFailures++;
      log('failed to ensure lease exists, will retry', e);
      return backoff(leaseFailures);
    }
  }

  return {
    async register() {
      for (let failures = 1; !stopped && !registered; failures++) {
        try {
          await tryRegister();
        } catch (e) {
          log(`Unable to register node ${o.nodeName} with API server`, e);
          await wait(backoff(failures));
        }
      }
    },
    start() {
      loop(renewLease, 0);
      loop(syncStatus, statusFrequency);
    },
    stop() {
      stopped = true;
      for (const t of timers) t.cancel();
      timers.clear();
      for (const w of waiters) w();
      waiters.clear();
    },
    get node() {
      return node;
    },
  };
}
