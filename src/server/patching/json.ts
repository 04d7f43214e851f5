/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902, via fast-json-patch), on copies: the
 * original is never modified. Keys `__proto__`/`constructor` are plain data, never prototypes.
 */
import jsonpatch from 'fast-json-patch';
import { PatchError } from './errors.js';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function applyMergePatch(original: unknown, patch: unknown): unknown {
  let depth = 0;
  const merge = (o: unknown, p: unknown): unknown => {
    if (!isMap(p)) return p;
    if (++depth > 1000) throw new PatchError(400, 'the patch is nested too deeply');
    const out: Json = {};
    if (isMap(o)) for (const [k, v] of Object.entries(o)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const [k, v] of Object.entries(p)) {
      if (v === null) delete out[k];
      else Object.defineProperty(out, k, { value: merge(out[k], v), enumerable: true, writable: true, configurable: true });
    }
    depth--;
    return out;
  };
  return merge(original, patch);
}

export function applyJsonPatch(original: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError(400, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of ops) {
    if (!isMap(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new PatchError(400, 'the server rejected our request due to an error in our request: a JSON patch operation needs "op" and "path"');
    }
    if (!['add', 'remove', 'replace', 'move', 'copy', 'test'].includes(op.op)) {
      throw new PatchError(400, `the server rejected our request due to an error in our request: unexpected kind: ${op.op}`);
    }
  }
  try {
    return jsonpatch.applyPatch(structuredClone(original), ops as jsonpatch.Operation[], true, false, true).newDocument;
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    if (name === 'TEST_OPERATION_FAILED' || /Test operation failed/.test(message)) {
      throw new PatchError(422, `the server rejected our request due to an error in our request: testing value failed`);
    }
    throw new PatchError(422, `the server rejected our request due to an error in our request: ${message}`);
  }
}

/** The patch type named by a Content-Type, matched exactly (parameters ignored). */
export function patchTypeFor(contentType: string): 'json' | 'merge' | 'strategic' | 'apply' | undefined {
  const t = contentType.split(';')[0]!.trim().toLowerCase();
  switch (t) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
      return 'apply';
    default:
      return undefined;
  }
}
