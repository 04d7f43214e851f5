/**
 * Kubernetes strategic merge patch (`application/strategic-merge-patch+json`), a port of the apply
 * half of k8s.io/apimachinery/pkg/util/strategicpatch (StrategicMergeMapPatch) driven by our Schema
 * instead of Go struct tags. What a caller may rely on:
 * - maps merge key by key; `null` deletes; a value for a key the live object lacks (or of another
 *   type) is stored as sent, minus nulls and directives;
 * - lists: patchStrategy `merge` with a merge key merge element-wise (see strategic-lists.ts),
 *   `merge` lists of scalars are set unions, every other list is replaced whole (atomic);
 * - `$patch: replace` (map replaced by the rest of the patch map), `$patch: delete` (map becomes
 *   `{}`, as upstream; in a merge list: delete the element with that key), `$setElementOrder/<list>`,
 *   `$deleteFromPrimitiveList/<list>`, `$retainKeys` (keys of the live map not listed are cleared;
 *   a patch key not listed is `400 invalid patch format of retainKeys`);
 * - `$patch: merge` is an error exactly as upstream (maps: unknown patch type; lists: "merging
 *   lists cannot yet be specified in the patch");
 * - fields unknown to the schema (or under `any`) carry no metadata: maps still merge, lists are
 *   replaced, like a JSON merge patch;
 * - directive keys never reach the result; keys keep their order, new keys are appended;
 * - errors are PatchError with upstream's code and text (errors.ts); a `null` patch is a no-op;
 * - neither argument is modified; the result shares nothing with them.
 */
import type { Schema, SchemaRegistry } from '../../api/schema/types.js';
import { badRequestPatch, guardStack, internalPatchError } from './errors.js';
import { checkPatchDepth, cloneJson, deleteOwn, getOwn, goJsonKind, goSprint, hasOwn, isMap, setOwn, type JsonMap } from './json-values.js';
import {
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  errBadArgType,
  errBadPatchFormatForRetainKeys,
  errBadPatchType,
  errNoMergeKey,
  extractKey,
  retainKeysDirective,
  sanitizePatchList,
  sanitizePatchValue,
  setElementOrderPrefix,
} from './strategic-directives.js';
import {
  mergeSlice,
  normalizeElementOrder,
  partitionMapsByPresentInList,
  partitionPrimitivesByPresentInList,
  sliceElementKind,
  type ListContext,
} from './strategic-lists.js';
import { fieldMeta, sliceMetaStrict, type FieldMeta } from './strategic-meta.js';

/**
 * Applies a strategic merge patch to `original` (a decoded object of the kind `schema` describes,
 * usually `{type:'ref', ref:<definition>}`); throws PatchError.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema, registry: SchemaRegistry): unknown {
  return guardStack(() => {
    if (patch === null) return cloneJson(original);
    if (!isMap(patch)) {
      throw badRequestPatch(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
    }
    checkPatchDepth(patch);
    const ctx: ListContext = { registry, mergeMap: (o, p, s) => mergeMap(o, p, s, ctx) };
    const doc = isMap(original) ? (cloneJson(original) as JsonMap) : {};
    return mergeMap(doc, cloneJson(patch) as JsonMap, schema, ctx);
  });
}

/** strategicpatch.mergeMap with MergeParallelList and IgnoreUnmatchedNulls; mutates both maps. */
function mergeMap(original: JsonMap, patch: JsonMap, schema: Schema | undefined, ctx: ListContext): JsonMap {
  if (hasOwn(patch, directiveMarker)) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
  applyRetainKeysDirective(original, patch);
  mergePatchIntoOriginal(original, patch, schema, ctx);
  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey];
    const isDeleteList = patchKey.startsWith(deleteFromPrimitiveListPrefix);
    const k = isDeleteList ? extractKey(patchKey, deleteFromPrimitiveListPrefix) : patchKey;
    if (patchV === null) {
      deleteOwn(original, k);
      continue;
    }
    const originalV = getOwn(original, k);
    if (!hasOwn(original, k) || goKind(originalV) !== goKind(patchV)) {
      if (!isDeleteList) storePatchValue(original, k, patchV);
      continue;
    }
    if (isMap(originalV)) {
      const meta = fieldMeta(schema, k, ctx.registry);
      if (meta.strategy === 'replace') storePatchValue(original, k, patchV);
      else setOwn(original, k, mergeMap(originalV, patchV as JsonMap, meta.schema, ctx));
    } else if (Array.isArray(originalV)) {
      const meta = fieldMeta(schema, k, ctx.registry);
      setOwn(original, k, mergeSliceHandler(originalV, patchV as unknown[], meta, isDeleteList, ctx));
    } else {
      storePatchValue(original, k, patchV);
    }
  }
  return original;
}

/** reflect.TypeOf as far as mergeMap cares: maps and lists recurse, any other pair is replaced. */
function goKind(v: unknown): string {
  if (isMap(v)) return 'map';
  if (Array.isArray(v)) return 'slice';
  return v === null ? 'nil' : typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : typeof v;
}

function storePatchValue(original: JsonMap, k: string, patchV: unknown): void {
  const { keep, value } = sanitizePatchValue(patchV);
  if (keep) setOwn(original, k, value);
  else deleteOwn(original, k);
}

function handleDirectiveInMergeMap(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return sanitizePatchValue(patch).value as JsonMap;
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

function mergeSliceHandler(original: unknown[], patch: unknown[], meta: FieldMeta, isDeleteList: boolean, ctx: ListContext): unknown[] {
  if (meta.strategy === 'merge' || isDeleteList) {
    return mergeSlice(original, patch, meta.items, meta.mergeKey, isDeleteList, ctx);
  }
  return sanitizePatchList(patch);
}

/** `$retainKeys`: every non-null patch key must be listed; live keys not listed are cleared. */
function applyRetainKeysDirective(original: JsonMap, patch: JsonMap): void {
  if (!hasOwn(patch, retainKeysDirective)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw errBadPatchFormatForRetainKeys();
  const keys = new Set(retain);
  for (const k of Object.keys(patch)) {
    if (patch[k] === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!keys.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) if (!keys.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<list>` (mergePatchIntoOriginal): merges the list with its patch, then orders
 * it: elements named in the directive in its order, server-only elements interleaved in live order.
 */
function mergePatchIntoOriginal(original: JsonMap, patch: JsonMap, schema: Schema | undefined, ctx: ListContext): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const setOrder = patch[key];
    delete patch[key];
    if (!Array.isArray(setOrder)) throw errBadArgType('slice', setOrder);
    const originalKey = extractKey(key, setElementOrderPrefix);
    const foundOriginal = hasOwn(original, originalKey);
    const foundPatch = hasOwn(patch, originalKey);
    const originalList = foundOriginal ? original[originalKey] : [];
    const patchList = foundPatch ? patch[originalKey] : [];
    if (!Array.isArray(originalList)) throw errBadArgType('slice', originalList);
    if (!Array.isArray(patchList)) throw errBadArgType('slice', patchList);
    const meta = sliceMetaStrict(schema, originalKey, ctx.registry);
    validatePatchWithSetOrderList(patchList, setOrder, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = sanitizePatchList(patchList);
    else if (foundOriginal && foundPatch) merged = mergeSliceHandler(originalList, patchList, meta, false, ctx);
    else continue;

    const [patchItems, serverOnly] =
      meta.mergeKey === ''
        ? partitionPrimitivesByPresentInList(merged, setOrder)
        : partitionMapsByPresentInList(merged, setOrder, meta.mergeKey);
    // `originalList` now reads as Go's aliased view of the live list (mergeSlice mutated it in place).
    const kind = sliceElementKind([originalList, patchList]);
    setOwn(original, originalKey, normalizeElementOrder(patchItems, serverOnly, setOrder, originalList, meta.mergeKey, kind));
    delete patch[originalKey];
  }
}

/** The patch list, minus deletions, must appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], setOrder: unknown[], mergeKey: string): void {
  if (setOrder.length === 0 || patchList.length === 0) return;
  let nonDelete = patchList;
  if (mergeKey !== '') {
    for (const v of patchList) if (!isMap(v)) throw errBadArgType('map', v);
    nonDelete = patchList.filter((v) => (v as JsonMap)[directiveMarker] !== 'delete');
  }
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < setOrder.length) {
    if (isMap(nonDelete[p]) && hasOwn(nonDelete[p] as JsonMap, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], setOrder[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= setOrder.length) {
    throw internalPatchError(
      `The order in patch list:\n${goSprint(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goSprint(setOrder)}\n`,
    );
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isMap(left)) throw errBadArgType('map', left);
  if (!isMap(right)) throw errBadArgType('map', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}
