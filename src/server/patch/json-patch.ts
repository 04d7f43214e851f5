/**
 * JSON patch (RFC 6902, `application/json-patch+json`) applied with fast-json-patch, shaped to what
 * kube-apiserver (gopkg.in/evanphx/json-patch.v4) accepts and answers:
 * - decoding: `null` is an empty patch (no-op); a non-array, or an element that is not an object,
 *   is 400 with Go's unmarshal wording; more than 10000 operations is 413;
 * - applying: operations run in order on a private copy; the first one that cannot apply (unknown
 *   op, missing or non-string path, root path "", path not found, index out of range, failed test)
 *   makes the whole patch fail with 422 and upstream's fixed message (the cause is in `detail`);
 * - v4 semantics kept: `add`/`replace` without `value` write null; `test` of a missing member passes
 *   when the expected value is null or absent.
 * The working copy has null-prototype objects (fast-json-patch indexes with `obj[key]`), so keys
 * like `constructor` are plain data; `__proto__` path segments are refused (422) by the library.
 * Neither argument is modified; the result shares nothing with them.
 */
import jsonpatch, { type Operation } from 'fast-json-patch';
import { badRequestPatch, guardStack, PatchError, rejectedPatch } from './errors.js';
import { checkPatchDepth, cloneJson, getOwn, goJsonKind, hasOwn, isMap, jsonEqual, type JsonMap } from './json-values.js';

/** kube-apiserver's maxJSONPatchOperations. */
export const maxJsonPatchOperations = 10000;

const operations = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Applies an RFC 6902 patch; throws PatchError (400 undecodable, 413 too many ops, 422 not applicable). */
export function applyJsonPatch(original: unknown, ops: unknown): unknown {
  return guardStack(() => {
    if (ops === null) return cloneJson(original);
    if (!Array.isArray(ops)) {
      throw badRequestPatch(`json: cannot unmarshal ${goJsonKind(ops)} into Go value of type jsonpatch.Patch`);
    }
    for (const op of ops) {
      if (op !== null && !isMap(op)) {
        throw badRequestPatch(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
      }
    }
    if (ops.length > maxJsonPatchOperations) {
      throw new PatchError(
        413,
        `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`,
      );
    }
    checkPatchDepth(ops);
    let doc = cloneJson(original, 'null');
    ops.forEach((op: JsonMap | null, index) => {
      doc = applyOne(doc, op ?? {}, index);
    });
    return cloneJson(doc, 'plain');
  });
}

function applyOne(doc: unknown, op: JsonMap, index: number): unknown {
  const kind = getOwn(op, 'op');
  const name = typeof kind === 'string' ? kind : 'unknown';
  if (!operations.has(name)) throw rejectedPatch(`Unexpected kind: ${name}`);
  const path = getOwn(op, 'path');
  if (path === undefined || path === null) throw rejectedPatch(`${name} operation missing path field: missing value`);
  if (typeof path !== 'string') throw rejectedPatch(`${name} operation: path is not a string`);
  if (!path.startsWith('/')) throw rejectedPatch(`${name} operation does not apply: doc is missing path: "${path}"`);
  const value = hasOwn(op, 'value') ? getOwn(op, 'value') : undefined;
  switch (name) {
    case 'test':
      testValue(doc, path, value);
      return doc;
    case 'copy':
    case 'move': {
      const from = getOwn(op, 'from');
      if (typeof from !== 'string' || !from.startsWith('/')) throw rejectedPatch(`${name} operation missing from field`);
      const found = resolvePointer(doc, from);
      if (!found.found) throw rejectedPatch(`${name} operation does not apply: doc is missing from path: ${from}`);
      if (name === 'copy') return library(doc, { op: 'add', path, value: cloneJson(found.value, 'null') }, index);
      if (from === path) return doc;
      if (path.startsWith(`${from}/`)) throw rejectedPatch(`move operation cannot move ${from} into its own child ${path}`);
      const removed = library(doc, { op: 'remove', path: from }, index);
      return library(removed, { op: 'add', path, value: found.value }, index);
    }
    case 'remove':
      return library(doc, { op: 'remove', path }, index);
    default:
      // v4 writes JSON null when an add/replace carries no value.
      return library(doc, { op: name as 'add' | 'replace', path, value: cloneJson(value ?? null, 'null') }, index);
  }
}

function library(doc: unknown, op: Operation, index: number): unknown {
  try {
    return jsonpatch.applyOperation(doc, op, true, true, true, index).newDocument;
  } catch (e) {
    if (e instanceof RangeError) throw e;
    throw rejectedPatch(`${op.op} ${op.path}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

const missing = { found: false as const };

/** Follows a JSON pointer through own members and in-range array indices only. */
function resolvePointer(doc: unknown, path: string): { found: true; value: unknown } | typeof missing {
  let cur = doc;
  for (const seg of parsePointer(path)) {
    const next = child(cur, seg);
    if (!next.found) return missing;
    cur = next.value;
  }
  return { found: true, value: cur };
}

function child(container: unknown, seg: string): { found: true; value: unknown } | typeof missing {
  if (Array.isArray(container)) {
    if (!/^\d+$/.test(seg)) return missing;
    const i = Number(seg);
    return i < container.length ? { found: true, value: container[i] } : missing;
  }
  if (typeof container === 'object' && container !== null && hasOwn(container, seg)) {
    return { found: true, value: (container as JsonMap)[seg] };
  }
  return missing;
}

function parsePointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** evanphx v4 `test`: the parent must exist; a missing or null member equals only a null/absent value. */
function testValue(doc: unknown, path: string, expected: unknown): void {
  const segs = parsePointer(path);
  const parent = resolvePointer(doc, `/${segs.slice(0, -1).map(escape).join('/')}`.replace(/^\/$/, ''));
  const container = parent.found ? parent.value : undefined;
  if (typeof container !== 'object' || container === null) {
    throw rejectedPatch(`test operation does not apply: is missing path: ${path}`);
  }
  const last = segs[segs.length - 1]!;
  let actual: unknown;
  if (Array.isArray(container)) {
    const found = child(container, last);
    if (!found.found) throw rejectedPatch(`error in test for path: '${path}': Unable to access invalid index: ${last}`);
    actual = found.value;
  } else {
    actual = getOwn(container, last);
  }
  const hasExpected = expected !== undefined && expected !== null;
  if (actual === undefined || actual === null) {
    if (!hasExpected) return;
    throw rejectedPatch(`testing value ${path} failed: test failed`);
  }
  if (!hasExpected || !jsonEqual(actual, expected)) throw rejectedPatch(`testing value ${path} failed: test failed`);
}

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
