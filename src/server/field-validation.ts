/**
 * Decoding an object against its schema the way Go's strict JSON decoding does: unknown fields
 * are collected (and removed, since the Go struct would drop them), null and empty optional
 * maps/slices are dropped (Go's `omitempty` output), and values of the wrong JSON type are reported as `json: cannot unmarshal ...` errors. Iterative, so hostile nesting cannot
 * overflow the stack.
 */
import type { ObjectSchema, Schema } from '../api/schema/types.js';

export type DefinitionLookup = (name: string) => ObjectSchema | undefined;

export interface ConformResult {
  /** Paths of unknown fields, upstream style: `spec.foo`, `spec.containers[0].bar`. */
  unknown: string[];
  /** The first type mismatch, if any, worded like encoding/json. */
  typeError?: string;
}

const jsonTypeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;

function goType(s: Schema): string {
  switch (s.type) {
    case 'string': return 'string';
    case 'integer': return s.format === 'int32' ? 'int32' : 'int64';
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'object': return 'struct';
    case 'map': return `map[string]${goType(s.values)}`;
    case 'array': return `[]${goType(s.items)}`;
    case 'ref': return `v1.${s.ref.split('.').pop()}`;
    case 'any': return 'interface {}';
  }
}

/**
 * Whether Go's encoding/json would drop this field on the way out (`omitempty`): null values, and
 * empty maps and slices of optional fields. Structs are kept even when empty, as in Go.
 */
function isOmittedWhenEmpty(v: unknown, s: Schema, required: string[] | undefined, key: string, lookup: DefinitionLookup): boolean {
  if (v === null) return true;
  if (required?.includes(key)) return false;
  const r = s.type === 'ref' ? lookup(s.ref) : s;
  if (!r) return false;
  if (r.type === 'map' && typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) return true;
  if (r.type === 'array' && Array.isArray(v) && v.length === 0) return true;
  return false;
}

/** One value to visit; its path is built from the parent chain only when reported. */
interface Frame {
  v: unknown;
  s: Schema;
  parent: Frame | undefined;
  /** Field or map key (joined with "."), or list index ("[i]"). */
  key: string | number;
  unknown: boolean;
}

/** `spec.containers[0].name`: the path of a frame, upstream style (iterative: paths may be deep). */
function pathOf(frame: Frame): string {
  const chain: Frame[] = [];
  for (let f: Frame | undefined = frame; f && f.parent; f = f.parent) chain.push(f);
  let path = '';
  for (let i = chain.length - 1; i >= 0; i--) {
    const key = chain[i]!.key;
    path = typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
  }
  return path;
}

function typeErrorText(v: unknown, schema: Schema, frame: Frame, kind: string): string {
  const jt = jsonTypeOf(v);
  const path = pathOf(frame);
  return `json: cannot unmarshal ${jt} into Go struct field ${kind}${path ? '.' + path : ''} of type ${goType(schema)}`;
}

/**
 * Walks `value` against the named definition; prunes unknown fields in place.
 * `kind` names the root for type error messages.
 */
export function conformToSchema(value: unknown, definition: string, lookup: DefinitionLookup, kind: string): ConformResult {
  const root = lookup(definition);
  const result: ConformResult = { unknown: [] };
  if (!root) return result;
  // Depth-first in document order: children are pushed in reverse; unknown fields are pushed as
  // markers so they are reported in the order they appear, like the Go decoder.
  const stack: Frame[] = [{ v: value, s: root, parent: undefined, key: '', unknown: false }];
  while (stack.length) {
    const item = stack.pop()!;
    if (item.unknown) {
      result.unknown.push(pathOf(item));
      continue;
    }
    const { v, s: schema } = item;
    let s: Schema | undefined = schema;
    if (s.type === 'ref') s = lookup(s.ref);
    if (!s || v === null || v === undefined) continue;
    let mismatch = false;
    switch (s.type) {
      case 'any':
        break;
      case 'string':
        if (typeof v !== 'string') {
          if (!((s.format === 'int-or-string' || s.format === 'quantity') && typeof v === 'number')) mismatch = true;
        }
        break;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) mismatch = true;
        break;
      case 'number':
        if (typeof v !== 'number') mismatch = true;
        break;
      case 'boolean':
        if (typeof v !== 'boolean') mismatch = true;
        break;
      case 'array': {
        if (!Array.isArray(v)) {
          mismatch = true;
          break;
        }
        for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], s: s.items, parent: item, key: i, unknown: false });
        break;
      }
      case 'map': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          mismatch = true;
          break;
        }
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        for (let i = keys.length - 1; i >= 0; i--) stack.push({ v: o[keys[i]!], s: s.values, parent: item, key: keys[i]!, unknown: false });
        break;
      }
      case 'object': {
        if (typeof v !== 'object' || Array.isArray(v)) {
          mismatch = true;
          break;
        }
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!;
          const child = Object.prototype.hasOwnProperty.call(s.properties, k) ? s.properties[k] : undefined;
          if (!child) {
            stack.push({ v: undefined, s: root, parent: item, key: k, unknown: true });
            delete o[k];
            continue;
          }
          if (isOmittedWhenEmpty(o[k], child, s.required, k, lookup)) {
            delete o[k];
            continue;
          }
          stack.push({ v: o[k], s: child, parent: item, key: k, unknown: false });
        }
        break;
      }
    }
    if (mismatch && !result.typeError) result.typeError = typeErrorText(v, schema, item, kind);
  }
  return result;
}
