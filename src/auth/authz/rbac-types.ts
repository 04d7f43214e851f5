/**
 * The rbac.authorization.k8s.io/v1 shapes the authorizer works on (k8s.io/api/rbac/v1), read
 * from stored objects. Readers tolerate missing fields (absent lists are empty).
 */
import type { KubeObject } from '../../api/meta.js';

export const rbacGroup = 'rbac.authorization.k8s.io';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A stored rule as a PolicyRule with every list present (possibly empty). */
export function toPolicyRule(v: unknown): Required<PolicyRule> {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  return {
    verbs: strings(o.verbs),
    apiGroups: strings(o.apiGroups),
    resources: strings(o.resources),
    resourceNames: strings(o.resourceNames),
    nonResourceURLs: strings(o.nonResourceURLs),
  };
}

/** The rules of a Role or ClusterRole object. */
export function rulesOf(obj: KubeObject | undefined): Required<PolicyRule>[] {
  return Array.isArray(obj?.rules) ? (obj!.rules as unknown[]).map(toPolicyRule) : [];
}

export function subjectsOf(obj: KubeObject): Subject[] {
  const list = Array.isArray(obj.subjects) ? (obj.subjects as unknown[]) : [];
  return list.map((s) => {
    const o = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
    const out: Subject = { kind: String(o.kind ?? ''), name: String(o.name ?? '') };
    if (typeof o.apiGroup === 'string') out.apiGroup = o.apiGroup;
    if (typeof o.namespace === 'string') out.namespace = o.namespace;
    return out;
  });
}

export function roleRefOf(obj: KubeObject): RoleRef {
  const o = (obj.roleRef && typeof obj.roleRef === 'object' ? obj.roleRef : {}) as Record<string, unknown>;
  return { apiGroup: String(o.apiGroup ?? ''), kind: String(o.kind ?? ''), name: String(o.name ?? '') };
}

/** A PolicyRule as stored (empty lists omitted, field order of the Go struct). */
export function storedRule(r: PolicyRule): Record<string, string[]> {
  const out: Record<string, string[]> = { verbs: [...r.verbs] };
  if (r.apiGroups?.length) out.apiGroups = [...r.apiGroups];
  if (r.resources?.length) out.resources = [...r.resources];
  if (r.resourceNames?.length) out.resourceNames = [...r.resourceNames];
  if (r.nonResourceURLs?.length) out.nonResourceURLs = [...r.nonResourceURLs];
  return out;
}
