/**
 * Field paths of an object as server-side apply tracks them (sigs.k8s.io/structured-merge-diff):
 * each leaf is a path of elements `f:<field>`, `k:<json of the merge keys>` (an item of a keyed
 * list), `v:<json value>` (an item of a set) or `.` (the list item itself). Lists without merge
 * keys and free-form fields are leaves (atomic). Paths are joined with `\u0000` into strings so
 * sets of them are plain `Set<string>`.
 */
import type { Schema, SchemaRegistry } from '../api/schema/types.js';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const sep = '\u0000';

/** Metadata fields the system owns; they are never part of a manager's field set. */
const systemMetadata = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName',
]);

function resolve(s: Schema | undefined, registry: SchemaRegistry): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && cur.type === 'ref' && i < 16; i++) cur = registry.definitions[cur.ref];
  return cur;
}

function child(s: Schema | undefined, key: string, registry: SchemaRegistry): Schema | undefined {
  const r = resolve(s, registry);
  if (r?.type === 'object') return Object.prototype.hasOwnProperty.call(r.properties, key) ? r.properties[key] : undefined;
  if (r?.type === 'map') return r.values;
  return undefined;
}

/** The list's merge keys when it is a keyed list, 'set' for a set of scalars, undefined when atomic. */
function listKind(s: Schema | undefined, registry: SchemaRegistry): string[] | 'set' | undefined {
  const r = resolve(s, registry);
  if (r?.type !== 'array') return undefined;
  if (r.listType === 'map' && r.listMapKeys?.length) return r.listMapKeys;
  if ((r.patchStrategy ?? '').includes('merge')) return r.patchMergeKey ? [r.patchMergeKey] : 'set';
  if (r.listType === 'set') return 'set';
  return undefined;
}

export function itemKey(item: unknown, keys: string[]): string {
  const o = isMap(item) ? item : {};
  const k: Json = {};
  for (const key of keys) if (o[key] !== undefined) k[key] = o[key];
  return `k:${JSON.stringify(k)}`;
}

/**
 * Leaf paths of `value` with the JSON of each leaf's value (for change detection). `root`
 * selects which part of a top-level object counts: 'spec' = everything but status, 'status' =
 * status only (the status subresource's manager).
 */
export function leafValues(value: unknown, schema: Schema, registry: SchemaRegistry, root: 'spec' | 'status' = 'spec'): Map<string, string> {
  const out = new Map<string, string>();
  const join = (path: string, el: string) => (path ? path + sep + el : el);
  const walk = (v: unknown, s: Schema | undefined, path: string, depth: number) => {
    if (depth > 64) return;
    const r = resolve(s, registry);
    if (isMap(v) && (r === undefined || r.type === 'object' || r.type === 'map')) {
      let any = false;
      for (const k in v) {
        const x = v[k];
        if (x === undefined || x === null) continue;
        any = true;
        if (depth === 0 && (k === 'apiVersion' || k === 'kind')) continue;
        if (depth === 0 && (root === 'status') !== (k === 'status')) continue;
        if (depth === 1 && path === 'f:metadata' && systemMetadata.has(k)) continue;
        walk(x, child(s, k, registry), join(path, `f:${k}`), depth + 1);
      }
      if (!any && path) out.set(path, '{}');
      return;
    }
    if (Array.isArray(v)) {
      const kind = listKind(s, registry);
      const items = resolve(s, registry);
      const itemSchema = items?.type === 'array' ? items.items : undefined;
      if (kind === 'set') {
        for (const item of v) out.set(join(path, `v:${JSON.stringify(item)}`), JSON.stringify(item));
        return;
      }
      if (kind) {
        for (const item of v) {
          const p = join(path, itemKey(item, kind));
          out.set(join(p, '.'), '');
          walk(item, itemSchema, p, depth + 1);
        }
        return;
      }
    }
    out.set(path, JSON.stringify(v));
  };
  walk(value, schema, '', 0);
  return out;
}

/** FieldsV1 JSON (`{"f:metadata":{"f:labels":{"f:a":{}}}}`) of a set of paths. */
export function toFieldsV1(paths: Iterable<string>): Json {
  const root: Json = {};
  for (const p of paths) {
    let node = root;
    for (const el of p.split(sep)) {
      if (!isMap(node[el])) node[el] = {};
      node = node[el] as Json;
    }
  }
  return root;
}

/** The set of paths in FieldsV1 JSON (leaves are `{}`). */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string[]) => {
    if (!isMap(node)) return;
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length) out.add(path.join(sep));
    for (const k of keys) walk(node[k], [...path, k]);
  };
  walk(fields, []);
  return out;
}

/** `.metadata.labels.tier`, `.spec.containers[name="c1"].image` — how conflicts name a path. */
export function describePath(path: string): string {
  let s = '';
  for (const el of path.split(sep)) {
    if (el.startsWith('f:')) s += `.${el.slice(2)}`;
    else if (el.startsWith('k:')) {
      const k = JSON.parse(el.slice(2)) as Json;
      s += `[${Object.entries(k).map(([a, b]) => `${a}=${JSON.stringify(b)}`).join(',')}]`;
    } else if (el.startsWith('v:')) s += `[=${el.slice(2)}]`;
  }
  return s;
}

/** Removes the field at `path` from `obj` (in place); list items by key, set members by value. */
export function removePath(obj: Json, path: string, schema: Schema, registry: SchemaRegistry): void {
  const els = path.split(sep);
  let node: unknown = obj;
  let s: Schema | undefined = schema;
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    const last = i === els.length - 1 || (i === els.length - 2 && els[i + 1] === '.');
    if (el.startsWith('f:') && isMap(node)) {
      const k = el.slice(2);
      if (last) {
        delete node[k];
        return;
      }
      s = child(s, k, registry);
      node = node[k];
    } else if ((el.startsWith('k:') || el.startsWith('v:')) && Array.isArray(node)) {
      const kind = listKind(s, registry);
      const r = resolve(s, registry);
      const idx = node.findIndex((item) => (el.startsWith('v:') ? `v:${JSON.stringify(item)}` : Array.isArray(kind) ? itemKey(item, kind) : '') === el);
      if (idx < 0) return;
      if (last) {
        node.splice(idx, 1);
        return;
      }
      s = r?.type === 'array' ? r.items : undefined;
      node = node[idx];
    } else return;
  }
}
