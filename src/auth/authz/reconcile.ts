/**
 * Reconciliation of bootstrap RBAC objects (upstream pkg/registry/rbac/reconciliation, union mode
 * as kube-apiserver's post-start hook runs it): a missing object is created; an existing one whose
 * autoupdate annotation is not "false" gets the expected labels/annotations it lacks (existing
 * values win), the rules it lacks (broken down, appended), the aggregation selectors it lacks, and
 * for bindings the subjects it lacks; user additions are kept. A binding whose roleRef differs is
 * recreated. Pure: returns the desired object, or undefined when nothing changes.
 */
import type { KubeObject } from '../../api/meta.js';
import { autoUpdateAnnotation } from './bootstrap-policy.js';
import { rulesOf, storedRule } from './rbac-types.js';
import { covers } from './rule-match.js';

export type ReconcileResult = { op: 'none' } | { op: 'update'; object: KubeObject } | { op: 'recreate'; object: KubeObject };

const isProtected = (existing: KubeObject) => existing.metadata.annotations?.[autoUpdateAnnotation] === 'false';

function mergeMeta(expected: KubeObject, existing: KubeObject, out: KubeObject): boolean {
  let changed = false;
  for (const field of ['labels', 'annotations'] as const) {
    const want = expected.metadata[field] ?? {};
    const have = existing.metadata[field] ?? {};
    const merged = { ...want, ...have };
    if (Object.keys(merged).length !== Object.keys(have).length) {
      out.metadata[field] = merged;
      changed = true;
    }
  }
  return changed;
}

const selectorKey = (s: unknown) => JSON.stringify(s, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

/** computeReconciledRole (union): for Roles and ClusterRoles. */
export function reconcileRole(existing: KubeObject, expected: KubeObject): ReconcileResult {
  if (isProtected(existing)) return { op: 'none' };
  const out = structuredClone(existing) as KubeObject;
  let changed = mergeMeta(expected, existing, out);
  const { missing } = covers(rulesOf(existing), rulesOf(expected));
  if (missing.length > 0) {
    out.rules = [...(Array.isArray(existing.rules) ? existing.rules : []), ...missing.map(storedRule)];
    changed = true;
  }
  const want = (expected.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors;
  const have = (existing.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors;
  if (want) {
    if (!existing.aggregationRule) {
      out.aggregationRule = structuredClone(expected.aggregationRule);
      changed = true;
    } else {
      const haveKeys = new Set((have ?? []).map(selectorKey));
      const add = want.filter((s) => !haveKeys.has(selectorKey(s)));
      if (add.length) {
        out.aggregationRule = { clusterRoleSelectors: [...(have ?? []), ...structuredClone(add)] };
        changed = true;
      }
    }
  } else if (existing.aggregationRule) {
    delete out.aggregationRule;
    changed = true;
  }
  return changed ? { op: 'update', object: out } : { op: 'none' };
}

const subjectKey = (s: unknown) => {
  const o = (s ?? {}) as Record<string, unknown>;
  return `${o.kind}|${o.apiGroup ?? ''}|${o.namespace ?? ''}|${o.name}`;
};

/** computeReconciledRoleBinding (union): missing subjects added; a different roleRef means recreate. */
export function reconcileBinding(existing: KubeObject, expected: KubeObject): ReconcileResult {
  if (isProtected(existing)) return { op: 'none' };
  if (JSON.stringify(existing.roleRef) !== JSON.stringify(expected.roleRef)) {
    const object = structuredClone(expected) as KubeObject;
    mergeMeta(expected, existing, object);
    return { op: 'recreate', object };
  }
  const out = structuredClone(existing) as KubeObject;
  let changed = mergeMeta(expected, existing, out);
  const have = Array.isArray(existing.subjects) ? existing.subjects : [];
  const keys = new Set(have.map(subjectKey));
  const add = (Array.isArray(expected.subjects) ? expected.subjects : []).filter((s) => !keys.has(subjectKey(s)));
  if (add.length) {
    out.subjects = [...have, ...structuredClone(add)];
    changed = true;
  }
  return changed ? { op: 'update', object: out } : { op: 'none' };
}
