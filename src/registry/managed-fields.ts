/**
 * metadata.managedFields: which manager owns which fields, updated on every write like
 * kube-apiserver's field manager (simplified structured-merge-diff):
 * - an Update (create, PUT, non-apply PATCH) gives its manager the fields it changed and takes
 *   them away from every other manager;
 * - an Apply gives its manager exactly the fields of its configuration, and takes the fields it
 *   changed away from the others; fields it applied before and no longer does are removed from
 *   the object unless another manager owns them (see `planApply`);
 * - an Apply that would change a field another manager owns is a 409 conflict unless forced.
 */
import { failure, type StatusError } from '../api/status.js';
import type { KubeObject, ManagedFieldsEntry } from '../api/meta.js';
import type { Schema, SchemaRegistry } from '../api/schema/types.js';
import { describePath, fromFieldsV1, leafValues, removePath, toFieldsV1 } from './field-paths.js';

export interface FieldManagerContext {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource: string;
  apiVersion: string;
  time: string;
  /** For Apply: the leaf paths of the applied configuration. */
  applied?: Set<string>;
}

export interface TypeSchema {
  schema: Schema;
  registry: SchemaRegistry;
}

const sameOwner = (e: ManagedFieldsEntry, c: FieldManagerContext) =>
  e.manager === c.manager && e.operation === c.operation && (e.subresource ?? '') === c.subresource;

/** Recomputes obj.metadata.managedFields for a write of `obj` over `old` (null on create). */
export function updateManagedFields(old: KubeObject | null, obj: KubeObject, t: TypeSchema, c: FieldManagerContext): void {
  const root = c.subresource === 'status' ? 'status' : 'spec';
  const before = old ? leafValues(old, t.schema, t.registry, root) : new Map<string, string>();
  const after = leafValues(obj, t.schema, t.registry, root);
  const changed = new Set<string>();
  for (const [p, v] of after) if (before.get(p) !== v) changed.add(p);
  for (const p of before.keys()) if (!after.has(p)) changed.add(p);
  const entries: ManagedFieldsEntry[] = [];
  let mine: Set<string> | undefined;
  for (const e of old?.metadata.managedFields ?? []) {
    const set = fromFieldsV1(e.fieldsV1);
    if (sameOwner(e, c)) {
      mine = set;
      continue;
    }
    const subtract = c.operation === 'Apply' ? [...changed].filter((p) => c.applied?.has(p)) : [...changed];
    for (const p of subtract) set.delete(p);
    for (const p of [...set]) if (!after.has(p) && (e.subresource ?? '') === c.subresource) set.delete(p);
    if (set.size) entries.push({ ...e, fieldsV1: toFieldsV1(set) });
  }
  let own: Set<string>;
  if (c.operation === 'Apply') own = new Set([...(c.applied ?? [])].filter((p) => after.has(p)));
  else {
    own = new Set([...(mine ?? []), ...changed]);
    for (const p of [...own]) if (!after.has(p)) own.delete(p);
  }
  const unchangedOwn = mine && own.size === mine.size && [...own].every((p) => mine!.has(p));
  const previous = old?.metadata.managedFields?.find((e) => sameOwner(e, c));
  if (own.size) {
    const entry: ManagedFieldsEntry = {
      manager: c.manager,
      operation: c.operation,
      apiVersion: c.apiVersion,
      time: unchangedOwn && previous?.time ? previous.time : c.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(own),
    };
    if (c.subresource) entry.subresource = c.subresource;
    entries.push(entry);
  }
  if (entries.length) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
}

/** The leaf paths of an applied configuration (what an Apply claims). */
export function appliedFields(config: KubeObject, t: TypeSchema, subresource: string): Set<string> {
  return new Set(leafValues(config, t.schema, t.registry, subresource === 'status' ? 'status' : 'spec').keys());
}

/**
 * Prepares an Apply: checks conflicts (409 unless `force`) and returns the live object with the
 * fields this manager applied before but no longer applies removed (when nobody else owns them),
 * ready for the configuration to be merged in.
 */
export function planApply(live: KubeObject, config: KubeObject, t: TypeSchema, c: FieldManagerContext, force: boolean): { base: KubeObject; applied: Set<string> } {
  const root = c.subresource === 'status' ? 'status' : 'spec';
  const liveLeaves = leafValues(live, t.schema, t.registry, root);
  const configLeaves = leafValues(config, t.schema, t.registry, root);
  const applied = new Set(configLeaves.keys());
  const others = (live.metadata.managedFields ?? []).filter((e) => !sameOwner(e, c)).map((e) => ({ e, set: fromFieldsV1(e.fieldsV1) }));
  if (!force) {
    const conflicts: Array<{ manager: string; path: string }> = [];
    for (const [p, v] of configLeaves) {
      const cur = liveLeaves.get(p);
      if (cur === undefined || cur === v) continue;
      for (const o of others) if (o.set.has(p)) conflicts.push({ manager: o.e.manager ?? '', path: p });
    }
    if (conflicts.length) throw conflictError(conflicts, c.apiVersion);
  }
  const base = structuredClone(live) as KubeObject;
  const previous = (live.metadata.managedFields ?? []).find((e) => sameOwner(e, c));
  if (previous) {
    const dropped = [...fromFieldsV1(previous.fieldsV1)].filter((p) => !applied.has(p) && !others.some((o) => o.set.has(p)));
    dropped.sort((a, b) => b.length - a.length);
    for (const p of dropped) removePath(base as unknown as Record<string, unknown>, p, t.schema, t.registry);
  }
  return { base, applied };
}

function conflictError(conflicts: Array<{ manager: string; path: string }>, apiVersion: string): StatusError {
  const n = conflicts.length;
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), describePath(c.path)]);
  let message: string;
  if (n === 1) {
    message = `Apply failed with 1 conflict: conflict with ${JSON.stringify(conflicts[0]!.manager)} using ${apiVersion}: ${describePath(conflicts[0]!.path)}`;
  } else {
    const parts = [...byManager].map(([m, paths]) => `conflicts with ${JSON.stringify(m)} using ${apiVersion}:\n${paths.map((p) => `- ${p}`).join('\n')}`);
    message = `Apply failed with ${n} conflicts: ${parts.join('\n')}`;
  }
  return failure(409, 'Conflict', message, {
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${JSON.stringify(c.manager)} using ${apiVersion}`, field: describePath(c.path) })),
  });
}
