/**
 * The pure half of the node lifecycle controller (upstream pkg/controller/nodelifecycle):
 * health bookkeeping with the controller's own probe timestamps (tryUpdateNodeHealth), the
 * conditions a silent node gets, and the taint arithmetic (doNoScheduleTaintingPass,
 * SwapNodeControllerTaint, AddOrUpdateTaint / RemoveTaint). No I/O here.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../api/meta.js';
import { taintNotReady, taintUnreachable, taintUnschedulable, type Taint } from './scheduler-predicates.js';

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string | null;
  lastTransitionTime?: string | null;
}

/** What the controller remembers of a node between passes (upstream nodeHealthData). */
export interface NodeHealth {
  /** When (ms, controller clock) a heartbeat (Ready lastHeartbeatTime or Lease renewTime) last changed. */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The Ready condition last seen, if any. */
  ready?: NodeCondition;
  /** renewTime (ms) of the Lease last seen. */
  leaseRenewTime?: number;
}

export interface HealthObservation {
  health: NodeHealth;
  /** The Ready condition as found (a synthetic Unknown one, dated at creation, when missing). */
  observed: NodeCondition;
  /** The Ready condition after this pass (undefined when the node never posted one and is still in its startup grace). */
  current?: NodeCondition;
  /** The node with its conditions set Unknown, when nodes/status must be written. */
  statusUpdate?: KubeObject;
}

export interface HealthTimings {
  now: number;
  gracePeriodMs: number;
  startupGracePeriodMs: number;
}

/** The condition types a silent node gets Unknown (NetworkUnavailable is left alone, as upstream). */
export const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const parseTime = (s: string | null | undefined) => (s ? Date.parse(s) : NaN);

export function conditionsOf(node: KubeObject): NodeCondition[] {
  return ((node.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []) as NodeCondition[];
}
export const conditionOf = (node: KubeObject, type: string) => conditionsOf(node).find((c) => c.type === type);
export const taintsOf = (node: KubeObject): Taint[] => ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []) as Taint[];

/**
 * One pass of upstream tryUpdateNodeHealth for `node` with its Lease `lease` (if any): updates the
 * probe timestamps when the Ready heartbeat or the Lease renewTime changed since `prev`, and when
 * the last probe is older than the grace period (the startup grace when the node never posted
 * Ready) sets every monitored condition Unknown (`NodeStatusUnknown`, `Kubelet stopped posting node
 * status.`; a missing one is added as `NodeStatusNeverUpdated`), returning the node to write if
 * its Ready condition changed. The caller stores `health` (adjusting it after the write).
 */
export function observeNodeHealth(prev: NodeHealth | undefined, node: KubeObject, lease: KubeObject | undefined, t: HealthTimings): HealthObservation {
  const created = parseTime(node.metadata.creationTimestamp) || t.now;
  const currentReady = conditionOf(node, 'Ready');
  let health: NodeHealth;
  let observed: NodeCondition;
  let grace: number;
  const saved = prev?.ready;
  if (!currentReady) {
    observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: node.metadata.creationTimestamp };
    grace = t.startupGracePeriodMs;
    health = prev ? { ...prev, ready: undefined } : { probeTimestamp: created, readyTransitionTimestamp: created };
  } else {
    observed = structuredClone(currentReady);
    grace = t.gracePeriodMs;
    if (!prev || !saved) {
      health = { probeTimestamp: t.now, readyTransitionTimestamp: t.now, ready: currentReady, leaseRenewTime: prev?.leaseRenewTime };
    } else if (saved.lastHeartbeatTime !== currentReady.lastHeartbeatTime) {
      const transition = saved.lastTransitionTime !== currentReady.lastTransitionTime ? t.now : prev.readyTransitionTimestamp;
      health = { probeTimestamp: t.now, readyTransitionTimestamp: transition, ready: currentReady, leaseRenewTime: prev.leaseRenewTime };
    } else {
      health = { ...prev, ready: currentReady };
    }
  }
  if (saved && !currentReady) health = { probeTimestamp: t.now, readyTransitionTimestamp: t.now, leaseRenewTime: prev?.leaseRenewTime };

  // A renewed Lease is a heartbeat too.
  const renew = parseTime((lease?.spec as { renewTime?: string } | undefined)?.renewTime);
  if (!Number.isNaN(renew) && (health.leaseRenewTime === undefined || health.leaseRenewTime < renew)) {
    health = { ...health, leaseRenewTime: renew, probeTimestamp: t.now };
  }

  if (!(t.now > health.probeTimestamp + grace)) return { health, observed, current: currentReady };

  const updated = structuredClone(node);
  const status = (updated.status ??= {}) as { conditions?: NodeCondition[] };
  const conditions = (status.conditions ??= []);
  const now = rfc3339(t.now);
  for (const type of monitoredConditions) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: node.metadata.creationTimestamp, lastTransitionTime: now });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now });
    }
  }
  const current = conditions.find((c) => c.type === 'Ready')!;
  if (isDeepStrictEqual(current, observed)) return { health, observed, current };
  return { health, observed, current, statusUpdate: updated };
}

const conditionTaintKeys: Record<string, Record<string, string>> = {
  Ready: { False: taintNotReady, Unknown: taintUnreachable },
  MemoryPressure: { True: 'node.kubernetes.io/memory-pressure' },
  DiskPressure: { True: 'node.kubernetes.io/disk-pressure' },
  NetworkUnavailable: { True: 'node.kubernetes.io/network-unavailable' },
  PIDPressure: { True: 'node.kubernetes.io/pid-pressure' },
};
const conditionTaintKeySet = new Set([...Object.values(conditionTaintKeys).flatMap((m) => Object.values(m)), taintUnschedulable]);

const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/** upstream doNoScheduleTaintingPass: the NoSchedule taints the node's conditions (and spec.unschedulable) call for, minus what it has. */
export function noScheduleTaintDiff(node: KubeObject): { add: Taint[]; remove: Taint[] } {
  const want: Taint[] = [];
  for (const c of conditionsOf(node)) {
    const key = conditionTaintKeys[c.type]?.[c.status];
    if (key) want.push({ key, effect: 'NoSchedule' });
  }
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) want.push({ key: taintUnschedulable, effect: 'NoSchedule' });
  const have = taintsOf(node).filter((t) => t.effect === 'NoSchedule' && conditionTaintKeySet.has(t.key));
  return { add: want.filter((w) => !have.some((h) => sameTaint(h, w))), remove: have.filter((h) => !want.some((w) => sameTaint(h, w))) };
}

/**
 * upstream processTaintBaseEviction, without the rate-limited queue: the NoExecute taint that
 * mirrors an observed Ready condition (False: not-ready, Unknown: unreachable, True: none), and
 * the opposite one to remove.
 */
export function noExecuteTaintDiff(node: KubeObject, observedReady: string): { add: Taint[]; remove: Taint[] } {
  const notReady: Taint = { key: taintNotReady, effect: 'NoExecute' };
  const unreachable: Taint = { key: taintUnreachable, effect: 'NoExecute' };
  const want = observedReady === 'False' ? [notReady] : observedReady === 'Unknown' ? [unreachable] : [];
  const have = taintsOf(node).filter((t) => sameTaint(t, notReady) || sameTaint(t, unreachable));
  return { add: want.filter((w) => !have.some((h) => sameTaint(h, w))), remove: have.filter((h) => !want.some((w) => sameTaint(h, w))) };
}

/**
 * SwapNodeControllerTaint's result on a taint list: each added taint gets `timeAdded` (now) and
 * replaces a taint of the same key and effect; removed ones go by key and effect. Undefined when
 * nothing changes.
 */
export function swapTaints(taints: Taint[], add: Taint[], remove: Taint[], now: number): Taint[] | undefined {
  if (!add.length && !remove.length) return undefined;
  let out = taints.filter((t) => !remove.some((r) => sameTaint(r, t)));
  for (const a of add) {
    const stamped: Taint = { ...a, timeAdded: rfc3339(now) };
    out = out.some((t) => sameTaint(t, a)) ? out.map((t) => (sameTaint(t, a) ? stamped : t)) : [...out, stamped];
  }
  return isDeepStrictEqual(out, taints) ? undefined : out;
}
