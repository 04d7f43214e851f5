/** Small helpers shared by resource strategies. */
import type { KubeObject } from '../api/meta.js';

export type Json = Record<string, unknown>;

export const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Copies `field` from old to obj (or deletes it when old has none). */
export function keepField(obj: KubeObject, old: KubeObject, field: string): void {
  if (old[field] === undefined) delete obj[field];
  else obj[field] = structuredClone(old[field]);
}

/** Copies everything except metadata and `field` from old to obj (subresource updates). */
export function keepAllBut(obj: KubeObject, old: KubeObject, field: string): void {
  for (const k of Object.keys(obj)) if (k !== 'metadata' && k !== 'kind' && k !== 'apiVersion' && k !== field) delete obj[k];
  for (const k of Object.keys(old)) if (k !== 'metadata' && k !== 'kind' && k !== 'apiVersion' && k !== field) obj[k] = structuredClone(old[k]);
  // Labels/annotations may change through status updates upstream; everything else in metadata is kept.
}
