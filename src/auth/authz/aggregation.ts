/**
 * ClusterRole aggregation (upstream pkg/controller/clusterroleaggregation), as pure functions:
 * the rules of a ClusterRole with an aggregationRule are the rules of every other ClusterRole
 * matching its selectors, selector by selector, each selector's matches in name order, without
 * duplicates (equal as equality.Semantic: absent and empty lists are equal). The controller that
 * writes them is src/controllers/clusterrole-aggregation.ts.
 */
import type { KubeObject } from '../../api/meta.js';
import { labelSelectorMatches } from '../../registry/rbac/label-selector.js';

/** The field manager of the aggregation controller's writes (upstream's ApplyOptions.FieldManager). */
export const aggregationFieldManager = 'clusterrole-aggregation-controller';

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

/** A rule's identity under equality.Semantic: key order ignored, empty lists as absent ones. */
function ruleKey(r: unknown): string {
  const o = { ...(r as Record<string, unknown>) };
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === null || (Array.isArray(o[k]) && (o[k] as unknown[]).length === 0)) delete o[k];
  return canonical(o);
}

/** Whether two rule lists are equal (nil and empty lists are equal, as equality.Semantic). */
export function sameRules(a: unknown, b: unknown): boolean {
  const na = (Array.isArray(a) ? a : []).map(ruleKey);
  const nb = (Array.isArray(b) ? b : []).map(ruleKey);
  return na.length === nb.length && na.every((x, i) => x === nb[i]);
}

/** Whether `role` is aggregated (has an aggregationRule); only those are written by the controller. */
export function hasAggregationRule(role: KubeObject): boolean {
  return !!role.aggregationRule && typeof role.aggregationRule === 'object';
}

/**
 * The rules `role` should have (copies, never the inputs), or undefined when it has no
 * aggregationRule (then it is not aggregated) or already has them. `all` is every ClusterRole
 * (it may include `role`, which never contributes to itself).
 */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): unknown[] | undefined {
  if (!hasAggregationRule(role)) return undefined;
  const selectors = (role.aggregationRule as { clusterRoleSelectors?: unknown }).clusterRoleSelectors;
  const nameOf = (r: KubeObject) => r.metadata.name ?? '';
  const byName = [...all].sort((a, b) => (nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0));
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const sel of Array.isArray(selectors) ? selectors : []) {
    for (const cr of byName) {
      if (cr.metadata.name === role.metadata.name || !labelSelectorMatches(sel, cr.metadata.labels)) continue;
      for (const r of Array.isArray(cr.rules) ? (cr.rules as unknown[]) : []) {
        const k = ruleKey(r);
        if (seen.has(k)) continue;
        seen.add(k);
        rules.push(structuredClone(r));
      }
    }
  }
  return sameRules(rules, role.rules) ? undefined : rules;
}
