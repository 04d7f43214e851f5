/**
 * A typed REST client over a Transport: get, list, create, update, patch, delete, deletecollection
 * and watch for any resource named by group/version/resource, plus discovery. A non-2xx answer
 * throws ApiError carrying the server's Status. Objects are plain JSON (api/meta KubeObject).
 */
import type { DeleteOptions, KubeList, KubeObject } from '../api/meta.js';
import { ApiError, statusFromResponse } from './errors.js';
import type { Transport, TransportRequest, TransportStream } from './transport.js';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  limit?: number;
  continue?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /**
   * Subresource to write (status, finalize; for create: binding, token, eviction...). A create
   * with a subresource POSTs to `<collection>/<obj.metadata.name>/<subresource>`.
   */
  subresource?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';
const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/** An open watch: events until the server ends it; `close()` ends it early. */
export interface Watch {
  events: AsyncIterable<WatchEvent>;
  close(): void;
}

export interface ResourceClient {
  readonly gvr: GroupVersionResource;
  get(namespace: string, name: string): Promise<KubeObject>;
  list(namespace: string, opts?: ListOptions): Promise<KubeList>;
  create(namespace: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  /** PUT; `obj.metadata.name` names the object. */
  update(namespace: string, obj: KubeObject, opts?: WriteOptions): Promise<KubeObject>;
  patch(namespace: string, name: string, type: PatchType, patch: unknown, opts?: WriteOptions & { force?: boolean }): Promise<KubeObject>;
  /** Resolves with the response body (the object when it was only marked, or a Status). */
  delete(namespace: string, name: string, opts?: DeleteOptions): Promise<KubeObject>;
  deleteCollection(namespace: string, opts?: DeleteOptions, list?: ListOptions): Promise<void>;
  watch(namespace: string, opts?: WatchOptions): Promise<Watch>;
}

/** A resource as discovery advertises it. */
export interface ApiResource extends GroupVersionResource {
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

export interface RestClient {
  readonly transport: Transport;
  resource(gvr: GroupVersionResource): ResourceClient;
  /** Resources of every preferred group version (no subresources). */
  discover(): Promise<ApiResource[]>;
}

export const core = (resource: string): GroupVersionResource => ({ group: '', version: 'v1', resource });

/** The collection path of a resource in a namespace ('' for cluster scope or all namespaces). */
export function collectionPath(gvr: GroupVersionResource, namespace: string): string {
  const prefix = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  return namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${gvr.resource}` : `${prefix}/${gvr.resource}`;
}

export function createRestClient(transport: Transport): RestClient {
  async function call<T>(req: TransportRequest): Promise<T> {
    const res = await transport.request(req);
    if (res.status < 200 || res.status > 299) throw new ApiError(statusFromResponse(res.status, res.body));
    return (res.body ? JSON.parse(res.body) : {}) as T;
  }
  const writeQuery = (o?: WriteOptions & { force?: boolean }) => ({
    fieldManager: o?.fieldManager,
    dryRun: o?.dryRun ? 'All' : undefined,
    force: o?.force ? 'true' : undefined,
  });
  const str = (n: number | undefined) => (n === undefined ? undefined : String(n));

  function resource(gvr: GroupVersionResource): ResourceClient {
    const itemPath = (ns: string, name: string, sub?: string) =>
      `${collectionPath(gvr, ns)}/${encodeURIComponent(name)}${sub ? '/' + sub : ''}`;
    return {
      gvr,
      get: (ns, name) => call({ method: 'GET', path: itemPath(ns, name) }),
      list: (ns, o = {}) =>
        call({
          method: 'GET',
          path: collectionPath(gvr, ns),
          query: { labelSelector: o.labelSelector, fieldSelector: o.fieldSelector, resourceVersion: o.resourceVersion, resourceVersionMatch: o.resourceVersionMatch, limit: str(o.limit), continue: o.continue },
        }),
      create: (ns, obj, o) =>
        call({
          method: 'POST',
          path: o?.subresource ? itemPath(ns, obj.metadata.name ?? '', o.subresource) : collectionPath(gvr, ns),
          query: writeQuery(o),
          body: JSON.stringify(obj),
        }),
      update: (ns, obj, o) =>
        call({ method: 'PUT', path: itemPath(ns, obj.metadata.name ?? '', o?.subresource), query: writeQuery(o), body: JSON.stringify(obj) }),
      patch: (ns, name, type, patch, o) =>
        call({
          method: 'PATCH',
          path: itemPath(ns, name, o?.subresource),
          query: writeQuery(o),
          body: typeof patch === 'string' ? patch : JSON.stringify(patch),
          contentType: patchContentTypes[type],
        }),
      delete: (ns, name, o) =>
        call({ method: 'DELETE', path: itemPath(ns, name), body: o ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...o }) : undefined }),
      async deleteCollection(ns, o, l) {
        await call({
          method: 'DELETE',
          path: collectionPath(gvr, ns),
          query: { labelSelector: l?.labelSelector, fieldSelector: l?.fieldSelector },
          body: o ? JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', ...o }) : undefined,
        });
      },
      async watch(ns, o = {}) {
        const stream = await transport.stream({
          method: 'GET',
          path: collectionPath(gvr, ns),
          query: {
            watch: 'true',
            labelSelector: o.labelSelector,
            fieldSelector: o.fieldSelector,
            resourceVersion: o.resourceVersion,
            allowWatchBookmarks: o.allowWatchBookmarks ? 'true' : undefined,
            timeoutSeconds: str(o.timeoutSeconds),
          },
        });
        if (stream.status < 200 || stream.status > 299) throw new ApiError(statusFromResponse(stream.status, stream.errorBody ?? ''));
        return { events: parseEvents(stream), close: () => stream.close() };
      },
    };
  }

  async function discover(): Promise<ApiResource[]> {
    const out: ApiResource[] = [];
    const addList = (group: string, version: string, list: { resources?: { name: string; kind: string; namespaced: boolean; verbs: string[] }[] }) => {
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue;
        out.push({ group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] });
      }
    };
    addList('', 'v1', await call({ method: 'GET', path: '/api/v1' }));
    const groups = await call<{ groups?: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[] }>({ method: 'GET', path: '/apis' });
    for (const g of groups.groups ?? []) {
      const version = g.preferredVersion?.version ?? g.versions[0]?.version;
      if (!version) continue;
      addList(g.name, version, await call({ method: 'GET', path: `/apis/${g.name}/${version}` }));
    }
    return out;
  }

  return { transport, resource, discover };
}

async function* parseEvents(stream: TransportStream): AsyncGenerator<WatchEvent> {
  for await (const line of stream.lines) {
    let ev: WatchEvent;
    try {
      ev = JSON.parse(line) as WatchEvent;
    } catch {
      continue;
    }
    if (ev && typeof ev.type === 'string' && ev.object && typeof ev.object === 'object') yield ev;
  }
}
