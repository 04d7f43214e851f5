/**
 * The scheduler's filters, as pure functions over plain Pod and Node objects (upstream
 * pkg/scheduler/framework/plugins: NodeUnschedulable, TaintToleration, NodeAffinity and the pod
 * count of NodeResourcesFit, run in that order; a node fails on the first plugin that rejects it),
 * and the FitError message kube-scheduler 1.32 reports when no node fits.
 *
 * One addition to upstream: a node whose Ready condition is not True is treated as carrying the
 * NoSchedule taint the node lifecycle controller gives it (`node.kubernetes.io/not-ready` for
 * False or a missing condition, as the kubelet registers it; `node.kubernetes.io/unreachable` for
 * Unknown), even before the controller has added it. So a NotReady node takes only pods that
 * tolerate that taint, exactly as it would once tainted.
 */
import type { KubeObject } from '../api/meta.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

interface PodSpecView {
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
  preemptionPolicy?: string;
}

export const taintNotReady = 'node.kubernetes.io/not-ready';
export const taintUnreachable = 'node.kubernetes.io/unreachable';
export const taintUnschedulable = 'node.kubernetes.io/unschedulable';

/** Upstream filter reasons (the strings FitError counts). */
export const reasons = {
  unschedulable: 'node(s) were unschedulable',
  affinity: "node(s) didn't match Pod's node affinity/selector",
  tooManyPods: 'Too many pods',
  taint: (t: Taint) => `node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`,
};

/** What a node failed on: its reasons, and whether preemption could help (upstream Unschedulable vs UnschedulableAndUnresolvable). */
export interface NodeFailure {
  reasons: string[];
  resolvable: boolean;
}

const podSpec = (pod: KubeObject) => (pod.spec ?? {}) as PodSpecView;
const nodeSpec = (node: KubeObject) => (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };

/** The status of a node condition ('True', 'False', 'Unknown'), or undefined when absent. */
export function nodeConditionStatus(node: KubeObject, type: string): string | undefined {
  const conditions = (node.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === type)?.status;
}

/** upstream Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The node's taints plus the NoSchedule taint implied by a Ready condition that is not True (see the module comment). */
export function effectiveTaints(node: KubeObject): Taint[] {
  const taints = [...(nodeSpec(node).taints ?? [])];
  const ready = nodeConditionStatus(node, 'Ready');
  const implied = ready === 'True' ? undefined : ready === 'Unknown' ? taintUnreachable : taintNotReady;
  if (implied && !taints.some((t) => t.key === implied && t.effect === 'NoSchedule')) taints.unshift({ key: implied, effect: 'NoSchedule' });
  return taints;
}

/** upstream FindMatchingUntoleratedTaint over the NoSchedule and NoExecute taints: the first one no toleration covers. */
export function untoleratedTaint(taints: Taint[], tolerations: Toleration[]): Taint | undefined {
  return taints.find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** upstream nodeaffinity's requirement matching on labels (or on fields: metadata.name only). */
function requirementMatches(r: NodeSelectorRequirement, values: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = has ? values[r.key]! : '';
  const list = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && list.includes(v);
    case 'NotIn':
      return !has || !list.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || list.length !== 1) return false;
      const int = /^[+-]?\d+$/;
      if (!int.test(v) || !int.test(list[0]!)) return false;
      const [a, b] = [BigInt(v), BigInt(list[0]!)];
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when all its requirements do; a term without requirements matches nothing (upstream). */
function termMatches(term: NodeSelectorTerm, node: KubeObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  const nodeFields = { 'metadata.name': node.metadata.name ?? '' };
  return exprs.every((r) => requirementMatches(r, labels)) && fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, nodeFields));
}

/** upstream RequiredNodeAffinity.Match: spec.nodeSelector (every pair) and the required terms (any one). */
export function matchesNodeAffinity(pod: KubeObject, node: KubeObject): boolean {
  const spec = podSpec(pod);
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));
}

/** Kubernetes' integer form of allocatable.pods ('110', '1k'); undefined when absent or unparsable. */
function podCapacity(node: KubeObject): number | undefined {
  const raw = (node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable?.pods;
  if (raw === undefined) return undefined;
  const m = /^(\d+)(k|M)?$/.exec(String(raw));
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'k' ? 1000 : m[2] === 'M' ? 1_000_000 : 1);
}

/**
 * Runs the filters for `pod` on `node`, which already holds `podCount` pods. Returns undefined
 * when the node fits, else the first failing plugin's reasons.
 */
export function filterNode(pod: KubeObject, node: KubeObject, podCount: number): NodeFailure | undefined {
  const tolerations = podSpec(pod).tolerations ?? [];
  if (nodeSpec(node).unschedulable && !tolerations.some((t) => toleratesTaint(t, { key: taintUnschedulable, effect: 'NoSchedule' }))) {
    return { reasons: [reasons.unschedulable], resolvable: false };
  }
  const taint = untoleratedTaint(effectiveTaints(node), tolerations);
  if (taint) return { reasons: [reasons.taint(taint)], resolvable: false };
  if (!matchesNodeAffinity(pod, node)) return { reasons: [reasons.affinity], resolvable: false };
  const capacity = podCapacity(node);
  if (capacity !== undefined && podCount + 1 > capacity) return { reasons: [reasons.tooManyPods], resolvable: true };
  return undefined;
}

/** upstream ErrNoNodesAvailable. */
export const noNodesAvailable = 'no nodes available to schedule pods';

/** "N reason" strings, sorted as strings, like upstream's reason histogram. */
function histogram(failures: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const r of failures) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * upstream FitError.Error() followed by the default preemption plugin's message: we never
 * preempt, so nodes that failed an unresolvable filter count as "Preemption is not helpful for
 * scheduling" and the others as "No preemption victims found for incoming pod"; a pod with
 * preemptionPolicy Never is "not eligible due to preemptionPolicy=Never.".
 */
export function fitErrorMessage(pod: KubeObject, failures: NodeFailure[]): string {
  const n = failures.length;
  let msg = `0/${n} nodes are available: ${histogram(failures.flatMap((f) => f.reasons))}.`;
  if (podSpec(pod).preemptionPolicy === 'Never') return `${msg} preemption: not eligible due to preemptionPolicy=Never.`;
  const preemption = failures.map((f) => (f.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling'));
  msg += ` preemption: 0/${n} nodes are available: ${histogram(preemption)}.`;
  return msg;
}
