/**
 * Strategic merge patch directives, their removal from values that are copied into the result,
 * and upstream's error constructors (k8s.io/apimachinery/pkg/util/mergepatch/errors.go) with the
 * HTTP mapping of interpretStrategicMergePatchError: sentinel format errors are 400, lists of lists
 * 422, everything else a plain error (500, see errors.ts).
 */
import { badRequestPatch, internalPatchError, rejectedPatch, type PatchError } from './errors.js';
import { goSprint, goTypeName, hasOwn, isMap, setOwn } from './json-values.js';

export const directiveMarker = '$patch';
export const retainKeysDirective = '$retainKeys';
export const setElementOrderPrefix = '$setElementOrder';
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';

export const errBadPatchFormatForPrimitiveList = (): PatchError => badRequestPatch('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): PatchError => badRequestPatch('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): PatchError =>
  badRequestPatch('invalid patch format of setElementOrder list');
export const errNoListOfLists = (): PatchError => rejectedPatch('lists of lists are not supported');

export const errNoMergeKey = (m: unknown, key: string): PatchError =>
  internalPatchError(`map: ${goSprint(m)} does not contain declared merge key: ${key}`);

/** mergepatch.ErrBadArgType; `expected` is the Go type that was wanted. */
export const errBadArgType = (expected: 'map' | 'slice', actual: unknown): PatchError =>
  internalPatchError(
    `expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`,
  );

export const errBadPatchType = (patchType: unknown, m: unknown): PatchError =>
  internalPatchError(`unknown patch type: ${goSprint(patchType, 's')} in map: ${goSprint(m)}`);

/** True for keys that are directives, never data: `$patch`, `$retainKeys` and the parallel lists. */
export function isDirectiveKey(k: string): boolean {
  return (
    k === directiveMarker ||
    k === retainKeysDirective ||
    k.startsWith(setElementOrderPrefix) ||
    k.startsWith(deleteFromPrimitiveListPrefix)
  );
}

/** extractKey: `$prefix/<field>` → `<field>`; anything else is the prefix's 400 format error. */
export function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === deleteFromPrimitiveListPrefix) throw errBadPatchFormatForPrimitiveList();
    throw errBadPatchFormatForSetElementOrderList();
  }
  return s.slice(slash + 1);
}

const dropped = Symbol('dropped');

/**
 * A patch value about to be stored as is (the field is new, changes type, or replaces wholesale):
 * upstream's discardNullValuesFromPatch + removeDirectives. Maps carrying `$patch` are dropped
 * (`keep` false), null members removed; beyond upstream (whose typed decode drops them anyway), the
 * other directive keys are removed too, so no directive reaches the result. Mutates `v`.
 */
export function sanitizePatchValue(v: unknown): { keep: boolean; value: unknown } {
  const out = sanitize(v);
  return out === dropped ? { keep: false, value: undefined } : { keep: true, value: out };
}

/** sanitizePatchValue for each element of a list, dropping the `$patch` elements. */
export function sanitizePatchList(list: unknown[]): unknown[] {
  return sanitize(list) as unknown[];
}

function sanitize(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      const s = sanitize(e);
      if (s !== dropped) out.push(s);
    }
    return out;
  }
  if (!isMap(v)) return v;
  if (hasOwn(v, directiveMarker)) return dropped;
  for (const k of Object.keys(v)) {
    const e = v[k];
    if (e === null || isDirectiveKey(k)) {
      delete v[k];
      continue;
    }
    const s = sanitize(e);
    if (s === dropped) delete v[k];
    else if (s !== e) setOwn(v, k, s);
  }
  return v;
}
