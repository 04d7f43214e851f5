/**
 * Strategic merge of lists with patchStrategy `merge` (strategicpatch.mergeSlice and its ordering
 * helpers), ported so that results, including element order, match kube-apiserver:
 * - primitives: set union (`$deleteFromPrimitiveList` removes instead);
 * - maps: elements matched by merge key are merged recursively, others appended; `{$patch: delete,
 *   key}` deletes every element with that key; `{$patch: replace}` makes the other patch elements
 *   the whole list; `{$patch: merge}` and unknown `$patch` values are errors;
 * - order: patch elements in patch order, server-only elements interleaved in their live order;
 *   a patch element the live list lacks goes before the server-only elements still pending
 *   (so without `$setElementOrder` a new element lands first, as upstream).
 * Go slice aliasing matters for `$setElementOrder` (the caller keeps reading the live list after
 * mergeSlice deleted/appended in place), so `mergeSlice` mutates its `original` array exactly as
 * Go's shared backing array would be: that array is then the caller's view of the live list.
 * Lookups use hash maps, so hostile lists stay O(n log n).
 */
import type { Schema, SchemaRegistry } from '../../api/schema/types.js';
import { internalPatchError } from './errors.js';
import { goSliceStable } from './go-sort.js';
import { goSprint, goTypeName, hasOwn, isMap, type JsonMap } from './json-values.js';
import {
  directiveMarker,
  errBadArgType,
  errBadPatchType,
  errNoListOfLists,
  errNoMergeKey,
  sanitizePatchList,
  sanitizePatchValue,
} from './strategic-directives.js';
import { goKindOf } from './strategic-meta.js';

export interface ListContext {
  registry: SchemaRegistry;
  /** strategicpatch.mergeMap, for elements matched by merge key. */
  mergeMap(original: JsonMap, patch: JsonMap, schema: Schema | undefined): JsonMap;
}

/** 'map' or the Go type name of the scalars (string, int64, float64, bool). */
export type ElementKind = string;

/** sliceElementType: all elements of all lists share one type, which is not a list. */
export function sliceElementKind(lists: unknown[][]): ElementKind {
  let prev: string | undefined;
  for (const list of lists) {
    for (const v of list) {
      const t = goTypeName(v);
      if (prev === undefined) {
        if (v === null || v === undefined) throw internalPatchError('runtime error: invalid memory address or nil pointer dereference');
        if (Array.isArray(v)) throw errNoListOfLists();
        prev = t;
      } else if (prev !== t) {
        throw internalPatchError(`list element types are not identical: ${goSprint(lists)}`);
      }
    }
  }
  if (prev === undefined) throw internalPatchError('no elements in any of the given slices');
  return prev === 'map[string]interface {}' ? 'map' : prev;
}

/** mergeSlice; mutates `original` like Go's backing array (see the file comment). */
export function mergeSlice(
  original: unknown[],
  patch: unknown[],
  items: Schema | undefined,
  mergeKey: string,
  isDeleteList: boolean,
  ctx: ListContext,
): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind([original, patch]);
  if (kind !== 'map') {
    if (isDeleteList) {
      const gone = new Set(patch);
      return original.filter((v) => !gone.has(v));
    }
    const merged = [...new Set([...original, ...patch])];
    const inPatch = new Set(patch);
    const [patchItems, serverOnly] = split(merged, (v) => inPatch.has(v));
    return normalizeElementOrder(patchItems, serverOnly, patch, original, '', kind);
  }
  if (mergeKey === '') throw internalPatchError(`cannot merge lists without merge key for ${goKindOf(items, ctx.registry)}`);
  const special = applySpecialElements(original, patch, mergeKey);
  if (special.replacement) {
    const list = sanitizePatchList(special.replacement);
    return normalizeElementOrder([], list, [], list, mergeKey, kind);
  }
  const serverOrder = original.slice(0, special.length);
  const merged = mergeWithoutSpecialElements(original, special.length, special.patch, mergeKey, items, ctx);
  const [patchItems, serverOnly] = partitionMapsByPresentInList(merged, special.patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, special.patch, serverOrder, mergeKey, kind);
}

/**
 * mergeSliceWithSpecialElements + deleteMatchingEntries. Deletions shift the rest of `back` left
 * one slot at a time, leaving the former last element in the freed slot, as Go's
 * `append(s[:i], s[i+1:]...)` does; `length` is the surviving length.
 */
function applySpecialElements(
  back: unknown[],
  patch: unknown[],
  mergeKey: string,
): { length: number; patch: unknown[]; replacement?: unknown[] } {
  const size = back.length;
  const orig = back.slice();
  const byKey = new Map<unknown, number[]>();
  orig.forEach((v, i) => {
    if (isMap(v) && hasOwn(v, mergeKey)) {
      const at = byKey.get(v[mergeKey]);
      if (at) at.push(i);
      else byKey.set(v[mergeKey], [i]);
    }
  });
  const deleted = new Uint8Array(size);
  const stale = new Array<unknown>(size);
  let length = size;
  let last = size - 1;
  const rest: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasOwn(m, directiveMarker)) {
      rest.push(v);
      continue;
    }
    const directive = m[directiveMarker];
    if (directive === 'delete') {
      if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
      for (const i of byKey.get(m[mergeKey]) ?? []) {
        stale[length - 1] = orig[last];
        deleted[i] = 1;
        length--;
        while (last >= 0 && deleted[last]) last--;
      }
      byKey.delete(m[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internalPatchError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, m);
    }
  }
  let p = 0;
  for (let i = 0; i < size; i++) if (!deleted[i]) back[p++] = orig[i];
  for (; p < size; p++) back[p] = stale[p];
  return replace ? { length, patch: [], replacement: rest } : { length, patch: rest };
}

/** mergeSliceWithoutSpecialElements: appends write into `back` while it has room, like Go's append. */
function mergeWithoutSpecialElements(
  back: unknown[],
  length: number,
  patch: unknown[],
  mergeKey: string,
  items: Schema | undefined,
  ctx: ListContext,
): unknown[] {
  const overflow: unknown[] = [];
  const at = (i: number): unknown => (i < back.length ? back[i] : overflow[i - back.length]);
  const put = (i: number, v: unknown): void => {
    if (i < back.length) back[i] = v;
    else overflow[i - back.length] = v;
  };
  const firstByKey = new Map<unknown, number>();
  for (let i = 0; i < length; i++) {
    const v = back[i];
    if (isMap(v) && hasOwn(v, mergeKey) && !firstByKey.has(v[mergeKey])) firstByKey.set(v[mergeKey], i);
  }
  for (const v of patch) {
    const m = v as JsonMap;
    if (!hasOwn(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
    const found = firstByKey.get(m[mergeKey]);
    if (found !== undefined) {
      put(found, ctx.mergeMap(at(found) as JsonMap, m, items));
    } else {
      firstByKey.set(m[mergeKey], length);
      put(length++, sanitizePatchValue(m).value);
    }
  }
  return back.slice(0, Math.min(length, back.length)).concat(overflow);
}

/** Element `item`'s identity for ordering: the merge key's value for maps (nil when absent), else itself. */
function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  if (kind !== 'map') return item;
  if (!isMap(item) || !hasOwn(item, mergeKey)) return null;
  return item[mergeKey] ?? null;
}

/** index(): position of the first element of `list` with the same identity, or -1. */
function indexer(list: unknown[], mergeKey: string, kind: ElementKind): (item: unknown) => number {
  const first = new Map<unknown, number>();
  list.forEach((v, i) => {
    const id = identity(v, mergeKey, kind);
    if (!first.has(id)) first.set(id, i);
  });
  return (item) => first.get(identity(item, mergeKey, kind)) ?? -1;
}

function split(list: unknown[], inFirst: (v: unknown) => boolean): [unknown[], unknown[]] {
  const a: unknown[] = [];
  const b: unknown[] = [];
  for (const v of list) (inFirst(v) ? a : b).push(v);
  return [a, b];
}

/** partitionMapsByPresentInList, with findMapInSliceBasedOnKeyValue's errors for non-map entries. */
export function partitionMapsByPresentInList(
  list: unknown[],
  partitionBy: unknown[],
  mergeKey: string,
): [unknown[], unknown[]] {
  const firstNonMap = partitionBy.findIndex((v) => !isMap(v));
  const firstByKey = new Map<unknown, number>();
  partitionBy.forEach((v, i) => {
    if (isMap(v) && hasOwn(v, mergeKey) && !firstByKey.has(v[mergeKey])) firstByKey.set(v[mergeKey], i);
  });
  return split(list, (v) => {
    if (!isMap(v)) throw errBadArgType('map', v);
    if (!hasOwn(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    const at = firstByKey.get(v[mergeKey]) ?? Infinity;
    if (firstNonMap >= 0 && firstNonMap < at) throw internalPatchError(`value for key ${firstNonMap} is not a map.`);
    return at !== Infinity;
  });
}

/** partitionPrimitivesByPresentInList. */
export function partitionPrimitivesByPresentInList(list: unknown[], partitionBy: unknown[]): [unknown[], unknown[]] {
  const inList = new Set(partitionBy);
  return split(list, (v) => inList.has(v));
}

/**
 * normalizeElementOrder: patch elements sorted by `patchOrder`, server-only elements by
 * `serverOrder`, then merged (mergeSortedSlice) using positions in `serverOrder`.
 */
export function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  const right = normalizeSliceOrder(patchItems, patchOrder, mergeKey, kind);
  const position = indexer(serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const li = position(left[i]);
    const ri = position(right[j]);
    if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
    else out.push(right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  let keep = toSort.slice();
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isMap(item)) throw errBadArgType('map', item);
        if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      }
    }
    [toDelete, keep] = split(toSort, (v) => (v as JsonMap)[directiveMarker] === 'delete');
  }
  const position = indexer(order, mergeKey, kind);
  goSliceStable(keep, (a, b) => {
    const ia = position(a);
    if (ia >= 0) {
      const ib = position(b);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return keep.concat(toDelete);
}
