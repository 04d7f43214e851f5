// TEMPORARY shims until src/server/protobuf and src/server/patch land. Not for commit.
import jsonpatch from 'fast-json-patch';
export class PatchError extends Error {
  constructor(readonly code: 400 | 422, message: string) { super(message); }
}
export function patchTypeFor(ct: string): 'json' | 'merge' | 'strategic' | 'apply' | undefined {
  const t = ct.split(';')[0]!.trim().toLowerCase();
  return ({ 'application/json-patch+json': 'json', 'application/merge-patch+json': 'merge', 'application/strategic-merge-patch+json': 'strategic', 'application/apply-patch+yaml': 'apply' } as const)[t as 'application/json-patch+json'];
}
export function applyMergePatch(o: unknown, p: unknown): unknown {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return p;
  const out: Record<string, unknown> = o && typeof o === 'object' && !Array.isArray(o) ? { ...(o as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
export function applyJsonPatch(o: unknown, ops: unknown): unknown {
  try { return jsonpatch.applyPatch(structuredClone(o), ops as jsonpatch.Operation[], true, false).newDocument; }
  catch (e) { throw new PatchError(422, String(e)); }
}
export function applyStrategicMergePatch(o: unknown, p: unknown, _s: unknown, _r: unknown): unknown {
  return applyMergePatch(o, p);
}
