/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`) with the exact behaviour of
 * gopkg.in/evanphx/json-patch.v4 MergePatch, which kube-apiserver uses:
 * - an object patch merges key by key; `null` deletes a key; a value set where the document has
 *   no object to merge into is copied with its `null` members pruned (recursively, also inside
 *   arrays), so a merge patch never stores nulls;
 * - an array patch replaces the whole document (kube then fails to decode it: 422 from the caller);
 * - a `null`, string, number or boolean patch is `400 Invalid JSON Patch` (RFC 7386 would replace).
 * Neither argument is modified; the result shares nothing with them.
 */
import { badRequestPatch, guardStack } from './errors.js';
import { checkPatchDepth, cloneJson, deleteOwn, getOwn, hasOwn, isMap, setOwn, type JsonMap } from './json-values.js';

/** Applies a JSON merge patch; throws PatchError (400) for a patch that is not an object or array. */
export function applyMergePatch(original: unknown, patch: unknown): unknown {
  return guardStack(() => {
    if (typeof patch !== 'object' || patch === null) throw badRequestPatch('Invalid JSON Patch');
    checkPatchDepth(patch);
    const p = cloneJson(patch);
    if (!isMap(p) || !isMap(original)) return pruneNulls(p);
    const doc = cloneJson(original) as JsonMap;
    mergeDocs(doc, p);
    return doc;
  });
}

function mergeDocs(doc: JsonMap, patch: JsonMap): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) {
      deleteOwn(doc, k);
      continue;
    }
    const cur = getOwn(doc, k);
    if (!hasOwn(doc, k) || cur === null) setOwn(doc, k, pruneNulls(v));
    else setOwn(doc, k, merge(cur, v));
  }
}

function merge(cur: unknown, patch: unknown): unknown {
  if (!isMap(cur)) return pruneNulls(patch);
  // evanphx keeps a non-object patch value as sent (no pruning) when the document side is an object.
  if (!isMap(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

/** Removes null-valued members of every object in `v` (array elements that are null stay). */
function pruneNulls(v: unknown): unknown {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const e of n) if (typeof e === 'object' && e !== null) stack.push(e);
    } else if (isMap(n)) {
      for (const k of Object.keys(n)) {
        const e = n[k];
        if (e === null) delete n[k];
        else if (typeof e === 'object') stack.push(e);
      }
    }
  }
  return v;
}
