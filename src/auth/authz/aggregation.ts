/**
 * ClusterRole aggregation (upstream pkg/controller/clusterroleaggregation): the rules of a
 * ClusterRole with an aggregationRule are the rules of every other ClusterRole matching any of its
 * selectors, in name order, without exact duplicates. Pure function; the runner lives in the RBAC
 * wiring (src/cli/wiring/rbac.ts).
 */
import type { KubeObject } from '../../api/meta.js';
import { labelSelectorMatches } from '../../registry/rbac/label-selector.js';

export const aggregationFieldManager = 'clusterrole-aggregation-controller';

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

/** Whether two rule lists are equal (nil and empty lists are equal, as equality.Semantic). */
export function sameRules(a: unknown, b: unknown): boolean {
  const norm = (x: unknown) => (Array.isArray(x) ? x : []).map((r) => {
    const o = { ...(r as Record<string, unknown>) };
    for (const k of Object.keys(o)) if (Array.isArray(o[k]) && (o[k] as unknown[]).length === 0) delete o[k];
    return canonical(o);
  });
  const na = norm(a);
  const nb = norm(b);
  return na.length === nb.length && na.every((x, i) => x === nb[i]);
}

/**
 * The rules `role` should have, or undefined when it has no aggregationRule (then it is not
 * aggregated) or already has them.
 */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): unknown[] | undefined {
  const selectors = (role.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined)?.clusterRoleSelectors;
  if (!role.aggregationRule || !Array.isArray(selectors)) return undefined;
  const matched = new Map<string, KubeObject>();
  for (const sel of selectors) {
    for (const cr of all) if (labelSelectorMatches(sel, cr.metadata.labels)) matched.set(cr.metadata.name!, cr);
  }
  const names = [...matched.keys()].sort();
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (name === role.metadata.name) continue;
    for (const r of Array.isArray(matched.get(name)!.rules) ? (matched.get(name)!.rules as unknown[]) : []) {
      const k = canonical(r);
      if (!seen.has(k)) {
        seen.add(k);
        rules.push(structuredClone(r));
      }
    }
  }
  return sameRules(rules, role.rules) ? undefined : rules;
}
