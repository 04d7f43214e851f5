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
  const stack: Array<{ v: unknown; s: Schema; path: string; unknown?: true }> = [{ v: value, s: root, path: '' }];
  while (stack.length) {
    const item = stack.pop()!;
    if (item.unknown) {
      result.unknown.push(item.path);
      continue;
    }
    const { v, s: schema, path } = item;
    let s: Schema | undefined = schema;
    if (s.type === 'ref') s = lookup(s.ref);
    if (!s || v === null || v === undefined) continue;
    const jt = jsonTypeOf(v);
    const mismatch = () => {
      if (!result.typeError) {
        result.typeError = `json: cannot unmarshal ${jt === 'bool' ? 'bool' : jt} into Go struct field ${kind}${path ? '.' + path : ''} of type ${goType(schema)}`;
      }
    };
    switch (s.type) {
      case 'any':
        break;
      case 'string':
        if (jt !== 'string') {
          if (!((s.format === 'int-or-string' || s.format === 'quantity') && jt === 'number')) mismatch();
        }
        break;
      case 'integer':
        if (jt !== 'number' || !Number.isInteger(v)) mismatch();
        break;
      case 'number':
        if (jt !== 'number') mismatch();
        break;
      case 'boolean':
        if (jt !== 'bool') mismatch();
        break;
      case 'array':
        if (jt !== 'array') {
          mismatch();
          break;
        }
        for (let i = (v as unknown[]).length - 1; i >= 0; i--) stack.push({ v: (v as unknown[])[i], s: s.items, path: `${path}[${i}]` });
        break;
      case 'map':
        if (jt !== 'object') {
          mismatch();
          break;
        }
        const entries = Object.entries(v as Record<string, unknown>);
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, item] = entries[i]!;
          stack.push({ v: item, s: s.values, path: path ? `${path}.${k}` : k });
        }
        break;
      case 'object': {
        if (jt !== 'object') {
          mismatch();
          break;
        }
        const o = v as Record<string, unknown>;
        const keys = Object.keys(o);
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!;
          const child = Object.prototype.hasOwnProperty.call(s.properties, k) ? s.properties[k] : undefined;
          const p = path ? `${path}.${k}` : k;
          if (!child) {
            stack.push({ v: undefined, s: root, path: p, unknown: true });
            delete o[k];
            continue;
          }
          if (isOmittedWhenEmpty(o[k], child, s.required, k, lookup)) {
            delete o[k];
            continue;
          }
          stack.push({ v: o[k], s: child, path: p });
        }
        break;
      }
    }
  }
  return result;
}
