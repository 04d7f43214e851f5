/** resourceVersion parsing and object comparison shared by the Store, lists and watches. */
import { badRequest, timeout, type StatusError } from '../api/status.js';

/** Parses a resourceVersion query/field value: "" and undefined are 0; non-numeric is 400. */
export function parseResourceVersion(rv: string | undefined): number {
  if (rv === undefined || rv === '') return 0;
  if (!/^\d+$/.test(rv) || rv.length > 18) {
    throw badRequest(`invalid resource version "${rv}": resource version must be a decimal integer`);
  }
  return Number(rv);
}

/** 504 for a resourceVersion the server has not reached within the wait (kube's watch cache wording). */
export function tooLargeResourceVersion(rv: number, current: number): StatusError {
  return timeout(`Too large resource version: ${rv}, current: ${current}`, 1);
}

/** Deep equality of two JSON objects (key order ignored). */
export function sameObject(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameObject(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!sameObject(ao[k], bo[k])) return false;
  return true;
}

