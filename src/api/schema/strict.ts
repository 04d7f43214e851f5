/**
 * Strict-decoding checks as kube-apiserver's JSON decoder (sigs.k8s.io/json) reports them with
 * fieldValidation=Strict/Warn: unknown fields and duplicate fields, by field path. Paths join
 * struct fields and map keys with "." and add "[i]" for list items: `spec.containers[0].foo`,
 * `metadata.labels.app`. Callers word them as upstream does: `unknown field "spec.foo"`,
 * `duplicate field "metadata.name"`, joined with ", " after `strict decoding error: `.
 *
 * Both walks are iterative (no recursion), so hostile nesting cannot overflow the stack.
 */
import { definitionFor, schemaRegistry } from './registry.js';
import type { GroupVersionKind, Schema, SchemaRegistry } from './types.js';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Paths of fields in `obj` that the kind's schema does not know, in document order (depth-first).
 * Values under `any` schemas (RawExtension, FieldsV1...) are not inspected, nor is the inside of
 * an unknown field. Values of the wrong JSON type are skipped (type errors are another check's
 * job). An unknown kind yields [].
 */
export function findUnknownFields(obj: unknown, gvk: GroupVersionKind, registry: SchemaRegistry = schemaRegistry): string[] {
  const root = definitionFor(gvk, registry);
  const out: string[] = [];
  if (!root) return out;
  // Unknown fields are queued as entries of their own so that they come out in document order,
  // interleaved with the fields reported below earlier siblings (as Go's decoder reports them).
  type Entry = { v: unknown; s: Schema | undefined; path: string };
  const stack: Entry[] = [{ v: obj, s: root, path: '' }];
  while (stack.length) {
    const item = stack.pop()!;
    if (!item.s) {
      out.push(item.path);
      continue;
    }
    let s: Schema | undefined = item.s;
    for (let hops = 0; s && s.type === 'ref' && hops < 64; hops++) s = registry.definitions[s.ref];
    const { v, path } = item;
    if (!s || v === null || v === undefined) continue;
    // Children are pushed in reverse so that they pop in document order.
    const children: Entry[] = [];
    switch (s.type) {
      case 'object': {
        if (!isPlainObject(v)) break;
        for (const k of Object.keys(v)) {
          const p = path ? `${path}.${k}` : k;
          children.push({ v: v[k], s: hasOwn(s.properties, k) ? s.properties[k]! : undefined, path: p });
        }
        break;
      }
      case 'map':
        if (!isPlainObject(v)) break;
        for (const k of Object.keys(v)) children.push({ v: v[k], s: s.values, path: path ? `${path}.${k}` : k });
        break;
      case 'array':
        if (!Array.isArray(v)) break;
        for (let i = 0; i < v.length; i++) children.push({ v: v[i], s: s.items, path: `${path}[${i}]` });
        break;
      default:
        break;
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

const SMALL_OBJECT = 12;

/**
 * The scanner's stack, column-wise (one entry per open container) to keep allocation per
 * container near zero: `isObject[d]`, the current key or element index at depth d, the keys seen
 * beyond the first (created at an object's second key), and memoized paths.
 */
class ScanStack {
  depth = 0;
  isObject: boolean[] = [];
  key: string[] = [];
  index: number[] = [];
  keyCount: number[] = [];
  more: Array<string[] | Set<string> | undefined> = [];
  path: Array<string | undefined> = [];

  open(isObject: boolean): void {
    const d = this.depth++;
    this.isObject[d] = isObject;
    this.key[d] = '';
    this.index[d] = 0;
    this.keyCount[d] = 0;
    this.more[d] = undefined;
    this.path[d] = d === 0 ? '' : undefined;
  }

  /** Records a key of the innermost object; true when the object already had it. */
  addKey(key: string): boolean {
    const d = this.depth - 1;
    const count = this.keyCount[d]!;
    this.keyCount[d] = count + 1;
    let dup = false;
    if (count > 0) {
      const more = this.more[d];
      if (more === undefined) {
        const first = this.key[d]!;
        if (first === key) dup = true;
        else this.more[d] = [first, key];
      } else if (Array.isArray(more)) {
        for (let k = 0; k < more.length; k++) if (more[k] === key) { dup = true; break; }
        if (!dup) {
          more.push(key);
          if (more.length > SMALL_OBJECT) this.more[d] = new Set(more);
        }
      } else if (more.has(key)) dup = true;
      else more.add(key);
    }
    this.key[d] = key;
    return dup;
  }

  /** The path of the container at depth d, memoized so each is built at most once. */
  pathAt(d: number): string {
    let j = d;
    while (j > 0 && this.path[j] === undefined) j--;
    for (let k = j + 1; k <= d; k++) {
      const pp = this.path[k - 1]!;
      this.path[k] = this.isObject[k - 1] ? (pp ? `${pp}.${this.key[k - 1]}` : this.key[k - 1]!) : `${pp}[${this.index[k - 1]}]`;
    }
    return this.path[d]!;
  }
}

/** Index of the quote that closes the string opened at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return -1;
    // Count the backslashes just before the quote: an odd count escapes it.
    let b = q - 1;
    while (b > start && text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
    j = q + 1;
  }
}

/**
 * Paths of duplicated object keys in a JSON text, in document order; each repeat is reported
 * (three "a" keys give two entries). A linear scan with an explicit stack that skips string
 * contents with indexOf: O(n) time, no recursion, paths built only for reported duplicates, so
 * 100,000-deep nesting and multi-MiB bodies are fine. Keys are compared after JSON unescaping.
 * Duplicates are looked for inside every object, including free-form (`any`) values. Input that
 * is not valid JSON never throws; what was found so far is returned.
 */
export function findDuplicateFields(jsonText: string): string[] {
  const out: string[] = [];
  const st = new ScanStack();
  const n = jsonText.length;
  // True right after '{' or an object's ',': the next string is a key.
  let expectKey = false;
  for (let i = 0; i < n; i++) {
    const ch = jsonText.charCodeAt(i);
    if (ch === 0x22) { // "
      const end = stringEnd(jsonText, i);
      if (end < 0) return out;
      if (expectKey && st.depth > 0) {
        expectKey = false;
        let key = jsonText.slice(i + 1, end);
        if (key.includes('\\')) {
          try {
            key = JSON.parse(jsonText.slice(i, end + 1)) as string;
          } catch {
            return out;
          }
        }
        if (st.addKey(key)) {
          const p = st.pathAt(st.depth - 1);
          out.push(p ? `${p}.${key}` : key);
        }
      }
      i = end;
    } else if (ch === 0x7b) { // {
      st.open(true);
      expectKey = true;
    } else if (ch === 0x5b) { // [
      st.open(false);
      expectKey = false;
    } else if (ch === 0x7d || ch === 0x5d) { // } ]
      if (st.depth > 0) st.depth--;
      expectKey = false;
    } else if (ch === 0x2c && st.depth > 0) { // ,
      const d = st.depth - 1;
      if (st.isObject[d]) expectKey = true;
      else st.index[d]!++;
    }
  }
  return out;
}
