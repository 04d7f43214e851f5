/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), driven by the schema's list
 * strategies and merge keys:
 * - maps merge per key, `null` deletes a key;
 * - lists with patchStrategy `merge` and a merge key merge element-wise by that key (new elements
 *   appended); `merge` lists of primitives are set unions; other lists are replaced whole;
 * - directives: `$patch: replace|delete|merge` (in maps and list elements),
 *   `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`, `$retainKeys`.
 * Directive keys never reach the result. Fields unknown to the schema merge like a JSON merge patch.
 */
import type { ObjectSchema, Schema, SchemaRegistry } from '../../api/schema/types.js';
import { PatchError } from './errors.js';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const setOrderPrefix = '$setElementOrder/';
const deletePrimitivePrefix = '$deleteFromPrimitiveList/';

interface Ctx {
  registry: SchemaRegistry;
  depth: number;
}

function resolve(s: Schema | undefined, ctx: Ctx): Schema | undefined {
  let cur = s;
  for (let i = 0; cur && cur.type === 'ref' && i < 16; i++) cur = ctx.registry.definitions[cur.ref];
  return cur;
}

function fieldSchema(parent: Schema | undefined, key: string, ctx: Ctx): Schema | undefined {
  const p = resolve(parent, ctx);
  if (!p) return undefined;
  if (p.type === 'object') return Object.prototype.hasOwnProperty.call(p.properties, key) ? p.properties[key] : undefined;
  if (p.type === 'map') return p.values;
  return undefined;
}

/** A deep copy of a patch value with every directive removed (what a new field receives). */
function strip(v: unknown, schema: Schema | undefined, ctx: Ctx): unknown {
  if (Array.isArray(v)) {
    const s = resolve(schema, ctx);
    const items = s && s.type === 'array' ? s.items : undefined;
    return v.filter((e) => !(isMap(e) && (e.$patch === 'delete' || e.$patch === 'replace'))).map((e) => strip(e, items, ctx));
  }
  if (isMap(v)) {
    if (v.$patch === 'delete') return undefined;
    const out: Json = {};
    for (const [k, val] of Object.entries(v)) {
      if (k.startsWith('$')) continue;
      if (val === null) continue;
      const s = strip(val, fieldSchema(schema, k, ctx), ctx);
      if (s !== undefined) safeSet(out, k, s);
    }
    return out;
  }
  return v;
}

function safeSet(o: Json, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function mergeMap(original: Json, patch: Json, schema: Schema | undefined, ctx: Ctx): Json | undefined {
  if (++ctx.depth > 1000) throw new PatchError(400, 'the patch is nested too deeply');
  try {
    const directive = patch.$patch;
    if (directive !== undefined) {
      if (directive === 'replace') return strip(patch, schema, ctx) as Json;
      if (directive === 'delete') return undefined;
      if (directive !== 'merge') throw new PatchError(422, `Unable to find valid patch type in ${JSON.stringify(directive)}`);
    }
    const out: Json = {};
    for (const [k, v] of Object.entries(original)) safeSet(out, k, v);
    const orders: Array<[string, unknown[]]> = [];
    let retain: unknown[] | undefined;
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue;
      if (k === '$retainKeys') {
        if (!Array.isArray(v)) throw new PatchError(422, 'invalid $retainKeys directive: must be a list');
        retain = v;
        continue;
      }
      if (k.startsWith(setOrderPrefix)) {
        if (!Array.isArray(v)) throw new PatchError(422, `invalid ${k} directive: must be a list`);
        orders.push([k.slice(setOrderPrefix.length), v]);
        continue;
      }
      if (k.startsWith(deletePrimitivePrefix)) {
        const field = k.slice(deletePrimitivePrefix.length);
        if (!Array.isArray(v)) throw new PatchError(422, `invalid ${k} directive: must be a list`);
        if (Array.isArray(out[field])) {
          const drop = new Set(v.map((x) => JSON.stringify(x)));
          safeSet(out, field, (out[field] as unknown[]).filter((x) => !drop.has(JSON.stringify(x))));
        }
        continue;
      }
      if (k.startsWith('$')) throw new PatchError(422, `unknown patch directive ${JSON.stringify(k)}`);
      const fs = fieldSchema(schema, k, ctx);
      if (v === null) {
        delete out[k];
        continue;
      }
      const cur = out[k];
      if (isMap(v) && isMap(cur)) {
        const merged = mergeMap(cur, v, fs, ctx);
        if (merged === undefined) delete out[k];
        else safeSet(out, k, merged);
      } else if (Array.isArray(v) && Array.isArray(cur)) {
        safeSet(out, k, mergeList(cur, v, fs, ctx));
      } else {
        const s = strip(v, fs, ctx);
        if (s === undefined) delete out[k];
        else safeSet(out, k, s);
      }
    }
    for (const [field, order] of orders) {
      if (Array.isArray(out[field])) safeSet(out, field, applyOrder(out[field] as unknown[], order, fieldSchema(schema, field, ctx), ctx));
    }
    if (retain) {
      const keep = new Set(retain.map(String));
      for (const k of Object.keys(out)) if (!keep.has(k)) delete out[k];
    }
    return out;
  } finally {
    ctx.depth--;
  }
}

function listInfo(schema: Schema | undefined, ctx: Ctx): { merge: boolean; key?: string; items?: Schema } {
  const s = resolve(schema, ctx);
  if (!s || s.type !== 'array') return { merge: false };
  const merge = (s.patchStrategy ?? '').split(',').includes('merge');
  return { merge, key: s.patchMergeKey, items: s.items };
}

function mergeList(original: unknown[], patch: unknown[], schema: Schema | undefined, ctx: Ctx): unknown[] {
  const info = listInfo(schema, ctx);
  if (patch.some((e) => isMap(e) && e.$patch === 'replace')) return strip(patch, schema, ctx) as unknown[];
  if (!info.merge) return strip(patch, schema, ctx) as unknown[];
  const primitives = patch.every((e) => !isMap(e)) && original.every((e) => !isMap(e));
  if (primitives || !info.key) {
    if (!primitives) return strip(patch, schema, ctx) as unknown[];
    const seen = new Set(original.map((x) => JSON.stringify(x)));
    const out = [...original];
    for (const e of patch) {
      const k = JSON.stringify(e);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e);
      }
    }
    return out;
  }
  const key = info.key;
  const out = [...original];
  for (const e of patch) {
    if (!isMap(e)) throw new PatchError(422, `unable to merge a non-object element into a list keyed by ${JSON.stringify(key)}`);
    if (!(key in e)) throw new PatchError(422, `map: ${JSON.stringify(e)} does not contain declared merge key: ${key}`);
    const kv = JSON.stringify(e[key]);
    const idx = out.findIndex((o) => isMap(o) && JSON.stringify(o[key]) === kv);
    if (e.$patch === 'delete') {
      if (idx >= 0) {
        for (let i = out.length - 1; i >= 0; i--) if (isMap(out[i]) && JSON.stringify((out[i] as Json)[key]) === kv) out.splice(i, 1);
      }
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as Json, e, info.items, ctx);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      const s = strip(e, info.items, ctx);
      if (s !== undefined) out.push(s);
    }
  }
  return out;
}

/** `$setElementOrder`: listed elements first in the given order, then the rest in their order. */
function applyOrder(list: unknown[], order: unknown[], schema: Schema | undefined, ctx: Ctx): unknown[] {
  const info = listInfo(schema, ctx);
  const id = (e: unknown) => (info.key && isMap(e) ? JSON.stringify(e[info.key]) : JSON.stringify(e));
  const pos = new Map(order.map((e, i) => [id(e), i] as const));
  const listed = list.filter((e) => pos.has(id(e))).sort((a, b) => pos.get(id(a))! - pos.get(id(b))!);
  const rest = list.filter((e) => !pos.has(id(e)));
  return [...listed, ...rest];
}

/**
 * Applies a strategic merge patch to `original` (not modified) for the object described by
 * `schema`. Throws PatchError for malformed patches or directives.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema, registry: SchemaRegistry): unknown {
  if (!isMap(patch)) throw new PatchError(400, 'unable to unmarshal the strategic merge patch: it must be a JSON object');
  const ctx: Ctx = { registry, depth: 0 };
  const base = isMap(original) ? original : {};
  try {
    return mergeMap(base, patch, schema as ObjectSchema | Schema, ctx) ?? {};
  } catch (e) {
    if (e instanceof RangeError) throw new PatchError(400, 'the patch is nested too deeply');
    throw e;
  }
}
