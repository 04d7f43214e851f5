/**
 * Helpers for decoded JSON values shared by the three patch types. Contracts:
 * - reads go through own properties only, and writes define own data properties, so keys such as
 *   `__proto__` or `constructor` are plain data and can never reach Object.prototype;
 * - `cloneJson` and `jsonDepth` are iterative, so hostile nesting cannot overflow the stack;
 * - `goSprint` / `goTypeName` print values the way Go's fmt %v / %s and reflect.TypeOf do for
 *   map[string]interface{} trees, so error messages read like kube-apiserver's.
 */
import { maxPatchDepth, tooDeepPatch } from './errors.js';

export type JsonMap = Record<string, unknown>;

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

const hasOwnProperty = Object.prototype.hasOwnProperty;

export const hasOwn = (o: object, k: string): boolean => hasOwnProperty.call(o, k);

/** The own property `k`, or undefined (never an inherited member such as `constructor`). */
export const getOwn = (o: object, k: string): unknown => (hasOwnProperty.call(o, k) ? (o as JsonMap)[k] : undefined);

/** Defines `k` as an own enumerable data property (keeps its position when it already exists). */
export function setOwn(o: object, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

export function deleteOwn(o: object, k: string): void {
  if (hasOwnProperty.call(o, k)) delete (o as JsonMap)[k];
}

/**
 * A deep copy of a JSON value. Objects get Object.prototype (`plain`) or no prototype (`null`, for
 * libraries that index objects with `obj[key]`). Non-JSON leaves are copied by reference.
 */
export function cloneJson(value: unknown, proto: 'plain' | 'null' = 'plain'): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const make = (src: object): object =>
    Array.isArray(src) ? new Array<unknown>(src.length) : proto === 'null' ? Object.create(null) : {};
  const root = make(value);
  const stack: Array<[object, object]> = [[value, root]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    const keys = Array.isArray(src) ? src.map((_, i) => String(i)) : Object.keys(src);
    for (const k of keys) {
      const v = (src as JsonMap)[k];
      let out = v;
      if (typeof v === 'object' && v !== null) {
        out = make(v);
        stack.push([v, out as object]);
      }
      if (Array.isArray(dst)) dst[Number(k)] = out;
      else setOwn(dst, k, out);
    }
  }
  return root;
}

/** Nesting depth (a scalar is 0, `{}` is 1); stops counting past `limit`. */
export function jsonDepth(value: unknown, limit = maxPatchDepth): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth]);
  }
  return deepest;
}

/** Throws the 400 over-deep PatchError when `value` nests deeper than maxPatchDepth. */
export function checkPatchDepth(value: unknown): void {
  if (jsonDepth(value) > maxPatchDepth) throw tooDeepPatch();
}

/** JSON equality: same type, same keys (order-insensitive), same array order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => hasOwn(b, k) && jsonEqual((a as JsonMap)[k], (b as JsonMap)[k]));
}

/** Go's encoding/json word for a value's kind, as in `cannot unmarshal <kind> into Go value ...`. */
export function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** reflect.TypeOf(v) as printed with %s; integers decode as int64, other numbers as float64. */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function goFloat(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21 || (abs >= 1e6 && !Number.isInteger(n)))) {
    return n.toExponential().replace(/e([+-])(\d)$/, (_m, sign: string, digit: string) => `e${sign}0${digit}`);
  }
  return String(n);
}

/** fmt.Sprintf("%v" | "%s", v) for decoded JSON (maps print with sorted keys, like Go). */
export function goSprint(v: unknown, verb: 'v' | 's' = 'v'): string {
  if (v === null || v === undefined) return verb === 'v' ? '<nil>' : '%!s(<nil>)';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return verb === 'v' ? String(v) : `%!s(bool=${v})`;
  if (typeof v === 'number') {
    const text = Number.isInteger(v) ? String(v) : goFloat(v);
    return verb === 'v' ? text : `%!s(${goTypeName(v)}=${text})`;
  }
  if (Array.isArray(v)) return `[${v.map((e) => goSprint(e, verb)).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${goSprint((v as JsonMap)[k], verb)}`).join(' ')}]`;
  }
  return String(v);
}
