/**
 * LIST semantics of the Store (kube-apiserver 1.32): resourceVersion unset or "0" and
 * NotOlderThan are served from the watch cache (waiting up to 3 s for a newer revision, then 504);
 * resourceVersionMatch=Exact and continue tokens read the backend at that revision (410 Expired
 * once compacted). `limit` pages return a continue token (and remainingItemCount when there is no
 * selector).
 */
import type { KubeObject } from '../api/meta.js';
import { badRequest, expired } from '../api/status.js';
import { StorageError, type Backend } from '../storage/backend.js';
import { decodeFromStorage } from './codec.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import type { CompiledSelectors } from './filter.js';
import { parseResourceVersion, tooLargeResourceVersion } from './versions.js';
import type { WatchCache } from './watch-cache.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListResult {
  items: Array<{ object: KubeObject; raw: Buffer }>;
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** What lists and watches need from a Store, for one namespace (or all). */
export interface ReadView {
  cache: WatchCache;
  backend: Backend;
  /** Key prefix of the namespace (or of the whole resource). */
  prefix: string;
  keyOf(obj: KubeObject): string;
  compile(labelSelector?: string, fieldSelector?: string): CompiledSelectors;
}

export async function listObjects(view: ReadView, opts: ListOptions): Promise<ListResult> {
  const sel = view.compile(opts.labelSelector, opts.fieldSelector);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
  const rvMatch = opts.resourceVersionMatch ?? '';
  const rv = parseResourceVersion(opts.resourceVersion);
  if (rvMatch && opts.resourceVersion === undefined) {
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  if (rvMatch && !['Exact', 'NotOlderThan'].includes(rvMatch)) {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${rvMatch}": supported values: "Exact", "NotOlderThan"`);
  }
  if (opts.continue) {
    if (opts.resourceVersion && opts.resourceVersion !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(opts.continue, view.prefix);
    return listFromStorage(view, sel, limit, token.revision, token.startAfter);
  }
  if (rvMatch === 'Exact') {
    if (rv === 0) throw badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    return listFromStorage(view, sel, limit, rv, undefined);
  }
  if (rv > view.cache.revision) {
    const ok = await view.cache.waitForRevision(rv, 3000);
    if (!ok) throw tooLargeResourceVersion(rv, view.cache.revision);
  }
  const entries = view.cache.list(view.prefix);
  const revision = view.cache.revision;
  const items: Array<{ object: KubeObject; raw: Buffer }> = [];
  let i = 0;
  for (; i < entries.length; i++) {
    const e = entries[i]!;
    if (!sel.matches(e.object)) continue;
    if (limit && items.length === limit) break;
    items.push(e);
  }
  const result: ListResult = { items, resourceVersion: String(revision) };
  if (limit && i < entries.length) {
    let remaining = 0;
    if (sel.empty) remaining = entries.length - i;
    const last = items[items.length - 1]!.object;
    result.continue = encodeContinue(revision, view.keyOf(last).slice(view.prefix.length));
    if (sel.empty) result.remainingItemCount = remaining;
  }
  return result;
}

async function listFromStorage(
  view: ReadView,
  sel: CompiledSelectors,
  limit: number,
  revision: number,
  startAfterRel: string | undefined,
): Promise<ListResult> {
  const prefix = view.prefix;
  const items: Array<{ object: KubeObject; raw: Buffer }> = [];
  let startAfter = startAfterRel !== undefined ? prefix + startAfterRel : undefined;
  let more = false;
  try {
    for (;;) {
      const page = await view.backend.list({ prefix, startAfter, limit: limit ? Math.max(limit, 100) : 0, revision });
      for (const kv of page.items) {
        const object = decodeFromStorage(kv);
        if (!sel.matches(object)) continue;
        if (limit && items.length === limit) {
          more = true;
          break;
        }
        items.push({ object, raw: Buffer.from(JSON.stringify(object)) });
      }
      if (more || page.remaining === 0 || page.items.length === 0) {
        if (!more && limit && items.length === limit && page.remaining > 0) more = true;
        break;
      }
      startAfter = page.items[page.items.length - 1]!.key;
    }
  } catch (e) {
    if (e instanceof StorageError && e.code === 'Compacted') {
      if (startAfterRel !== undefined) {
        throw expired(
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        );
      }
      throw expired(`too old resource version: ${revision} (${e.revision})`);
    }
    if (e instanceof StorageError && e.code === 'RevisionTooNew') throw tooLargeResourceVersion(revision, e.revision);
    throw e;
  }
  const result: ListResult = { items, resourceVersion: String(revision || (await view.backend.currentRevision())) };
  if (more && items.length) {
    const last = items[items.length - 1]!.object;
    const key = view.keyOf(last);
    result.continue = encodeContinue(revision || Number(result.resourceVersion), key.slice(prefix.length));
  }
  return result;
}
