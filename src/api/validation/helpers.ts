/**
 * Small helpers shared by the validation code: typed accessors over plain JSON, upstream's
 * semantic equality, immutable-field checks, Go-style renderings used inside error details, and
 * strict base64 / JSON checks worded like Go's decoders.
 */
import { invalid, type FieldError } from '../field-errors.js';
import { goJsonSyntaxError } from './go-json.js';

export type JsonObject = Record<string, unknown>;

export const isRecord = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asRecord = (v: unknown): JsonObject => (isRecord(v) ? v : {});
export const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asString = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A number field, or undefined when absent or not a number. */
export const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

const isEmptyish = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isRecord(v) && Object.keys(v).length === 0);

/**
 * apiequality.Semantic.DeepEqual over JSON: absent, null, "", [] and {} are all equal (upstream
 * treats nil and empty slices/maps as equal, and zero-valued non-pointer fields are omitted on
 * the wire). Object key order is irrelevant; array order matters.
 */
export function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyish(a) && isEmptyish(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
    return true;
  }
  return a === b;
}

/** ValidateImmutableField: `<path>: Invalid value: <new>: field is immutable` when changed. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string, shown: unknown = newVal): FieldError[] {
  return semanticEqual(newVal, oldVal) ? [] : [invalid(path, shown ?? null, 'field is immutable')];
}

/** Go's time.Time.String() for an RFC 3339 timestamp: `2024-05-01 10:00:00 +0000 UTC`. */
export function goTimeString(rfc3339: string): string {
  const t = Date.parse(rfc3339);
  if (Number.isNaN(t)) return rfc3339;
  const iso = new Date(t).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? `.${frac}` : ''} +0000 UTC`;
}

/** Go's %#v of a []string: `[]string{"a", "b"}`. */
export const goStringSlice = (values: string[]): string => `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;

const base64Alphabet = /[A-Za-z0-9+/]/;

/**
 * Checks `s` the way Go's base64.StdEncoding.Decode does (padding required, `\r`/`\n` skipped) and
 * returns the decoded bytes, or the error text `illegal base64 data at input byte N`.
 */
export function decodeBase64Strict(s: string): { ok: true; bytes: Buffer } | { ok: false; error: string } {
  const fail = (n: number) => ({ ok: false as const, error: `illegal base64 data at input byte ${n}` });
  const isNewline = (c: string) => c === '\n' || c === '\r';
  let si = 0;
  while (si < s.length) {
    let j = 0;
    while (j < 4) {
      if (si === s.length) return j === 0 ? { ok: true, bytes: Buffer.from(s, 'base64') } : fail(si - j);
      const c = s[si++];
      if (isNewline(c)) continue;
      if (base64Alphabet.test(c)) {
        j++;
        continue;
      }
      if (c !== '=') return fail(si - 1);
      if (j === 0 || j === 1) return fail(si - 1);
      if (j === 2) {
        while (si < s.length && isNewline(s[si])) si++;
        if (si === s.length) return fail(s.length);
        if (s[si] !== '=') return fail(si - 1);
        si++;
      }
      while (si < s.length && isNewline(s[si])) si++;
      if (si < s.length) return fail(si);
      return { ok: true, bytes: Buffer.from(s, 'base64') };
    }
  }
  return { ok: true, bytes: Buffer.from(s, 'base64') };
}

const goJsonKind = (v: unknown): string =>
  Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';

/**
 * Whether `text` unmarshals into a Go map[string]interface{}; returns Go's error text when not
 * (syntax errors as Go's scanner words them, or
 * `json: cannot unmarshal array into Go value of type map[string]interface {}`).
 */
export function goJsonObjectError(text: string): string | undefined {
  const syntax = goJsonSyntaxError(text);
  if (syntax) return syntax;
  const value: unknown = JSON.parse(text);
  if (value === null || isRecord(value)) return undefined;
  return `json: cannot unmarshal ${goJsonKind(value)} into Go value of type map[string]interface {}`;
}
