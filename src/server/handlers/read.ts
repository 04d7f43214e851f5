/** GET of one object and LIST of a collection, as JSON, YAML, Table or PartialObjectMetadata. */
import type { KubeObject } from '../../api/meta.js';
import { groupVersion } from '../../api/resources.js';
import { badRequest, notAcceptable } from '../../api/status.js';
import type { ListOptions, Store } from '../../registry/store.js';
import { buildTable, listJson, partialObjectMetadata, writeJson, writeJsonText, type IncludeObject } from '../responses.js';
import type { Scope } from './scope.js';

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  if (v === null || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`includeObject: Unsupported value: "${v}": supported values: "Metadata", "None", "Object"`);
}

export function listOptionsOf(q: URLSearchParams): ListOptions {
  const limitText = q.get('limit');
  let limit: number | undefined;
  if (limitText !== null && limitText !== '') {
    if (!/^-?\d+$/.test(limitText)) throw badRequest(`limit: Invalid value: "${limitText}": must be an integer`);
    limit = Number(limitText);
  }
  return {
    labelSelector: q.get('labelSelector') ?? undefined,
    fieldSelector: q.get('fieldSelector') ?? undefined,
    limit,
    continue: q.get('continue') || undefined,
    resourceVersion: q.get('resourceVersion') ?? undefined,
    resourceVersionMatch: q.get('resourceVersionMatch') || undefined,
  };
}

export function handleGet(scope: Scope): void {
  const { store, info, output, res, api } = scope;
  const entry = store.entry(info.namespace, info.name);
  if (!entry) store.get(info.namespace, info.name); // throws 404
  const e = entry!;
  if (info.subresource && !(scope.resource.subresources ?? []).some((s) => s.name === info.subresource && s.verbs.includes('get'))) {
    throw badRequest(`the server does not allow this method on the requested resource`);
  }
  switch (output.kind) {
    case 'table':
      writeJson(res, 200, buildTable(store.strategy.table, [e.object], { resourceVersion: e.object.metadata.resourceVersion }, api.now(), includeObjectOf(scope.query), output.version));
      return;
    case 'partial':
      if (output.list) throw notAcceptable('only the following media types are accepted: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
      writeJson(res, 200, partialObjectMetadata(e.object, output.version));
      return;
    default:
      writeJsonText(res, 200, e.raw, output);
  }
}

/**
 * Serialized bodies of plain lists (no selectors, no paging, latest version) per store and
 * namespace, valid while the resource's revision is unchanged: repeated LISTs of an unchanged
 * collection (pollers, dashboards, relisting informers) cost no serialization at all.
 */
const plainListBodies = new WeakMap<Store, Map<string, { revision: number; body: Buffer }>>();
const plainListBodiesPerStore = 4;

function isPlainList(o: ListOptions): boolean {
  return !o.labelSelector && !o.fieldSelector && !o.limit && !o.continue && !o.resourceVersionMatch && (!o.resourceVersion || o.resourceVersion === '0');
}

export async function handleList(scope: Scope): Promise<void> {
  const { store, info, output, res, api, resource } = scope;
  const options = listOptionsOf(scope.query);
  const plain = (output.kind === 'json' || output.kind === 'yaml') && isPlainList(options);
  let bodies = plain ? plainListBodies.get(store) : undefined;
  if (plain) {
    const hit = bodies?.get(info.namespace);
    if (hit && hit.revision === store.cache.revision) {
      writeJsonText(res, 200, hit.body, output);
      return;
    }
  }
  const result = await store.list(info.namespace, options);
  const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: result.resourceVersion };
  if (result.continue) meta.continue = result.continue;
  if (result.remainingItemCount !== undefined) meta.remainingItemCount = result.remainingItemCount;
  switch (output.kind) {
    case 'table':
      writeJson(res, 200, buildTable(store.strategy.table, result.items.map((i) => i.object), meta, api.now(), includeObjectOf(scope.query), output.version));
      return;
    case 'partial':
      writeJson(res, 200, {
        kind: 'PartialObjectMetadataList',
        apiVersion: `meta.k8s.io/${output.version}`,
        metadata: meta,
        items: result.items.map((i) => partialObjectMetadata(i.object as KubeObject, output.version)),
      });
      return;
    default: {
      const body = listJson(resource.listKind, groupVersion(resource), meta, result.items.map((i) => i.raw));
      if (plain) {
        if (!bodies) plainListBodies.set(store, (bodies = new Map()));
        bodies.delete(info.namespace);
        bodies.set(info.namespace, { revision: Number(result.resourceVersion), body });
        if (bodies.size > plainListBodiesPerStore) bodies.delete(bodies.keys().next().value!);
      }
      writeJsonText(res, 200, body, output);
    }
  }
}
