/**
 * An in-memory API server behind the Transport interface, for unit tests of the client and the
 * controllers: CRUD on /api/v1 and /apis/<group>/<version> paths (any resource name), one global
 * resourceVersion, LIST with resourceVersion, WATCH from a resourceVersion (replaying history,
 * 410 Expired before `compactedRevision`), JSON merge patch, UID and resourceVersion
 * preconditions, conflicts on stale PUTs, metadata.generateName. Finalizers and deletionTimestamp:
 * a DELETE of an object with finalizers only marks it; an update that empties them deletes it.
 * Test hooks: `reactor` to answer a request first, `expireWatches`/`endWatches` to cut streams.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';
import type { Status } from '../../api/status.js';
import type { Transport, TransportRequest, TransportResponse } from '../transport.js';

interface Parsed {
  collection: string;
  namespace: string;
  name: string;
  subresource: string;
}

interface StoredEvent {
  rv: number;
  collection: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

interface OpenWatch {
  collection: string;
  namespace: string;
  push(line: string | null): void;
}

export interface FakeTransport extends Transport {
  /** Every request received, in order. */
  readonly requests: TransportRequest[];
  /** Answers a request before the fake does, when it returns a response. */
  reactor?: (req: TransportRequest) => TransportResponse | undefined;
  /** Stores an object directly (as a create would), returning it with uid and resourceVersion. */
  seed(apiPath: string, obj: KubeObject): KubeObject;
  /** Object at `apiPath/name` (collection path + name), or undefined. */
  get(collectionPath: string, name: string): KubeObject | undefined;
  list(collectionPath: string): KubeObject[];
  /** Watches opened so far (including ended ones). */
  watchCount(): number;
  /** Sends an ERROR 410 Expired to every open watch and ends it. */
  expireWatches(): void;
  /** Ends every open watch without error (like a server timeout). */
  endWatches(): void;
  /** Watches from a resourceVersion lower than this answer 410 Expired. */
  compactedRevision: number;
  /** What discovery (/api/v1, /apis, /apis/<group>/<version>) advertises. */
  discovery: { group: string; version: string; resource: string; kind: string; namespaced: boolean; verbs: string[] }[];
  revision(): number;
}

const splitPath = (path: string): Parsed => {
  const parts = path.split('/').filter(Boolean);
  const prefixLen = parts[0] === 'api' ? 2 : 3;
  const prefix = '/' + parts.slice(0, prefixLen).join('/');
  let rest = parts.slice(prefixLen);
  let namespace = '';
  const namespaceSubresource = rest.length === 3 && (rest[2] === 'finalize' || rest[2] === 'status');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = decodeURIComponent(rest[1]!);
    rest = rest.slice(2);
  }
  return { collection: `${prefix}/${rest[0]}`, namespace, name: rest[1] ? decodeURIComponent(rest[1]) : '', subresource: rest[2] ?? '' };
};

function status(code: number, reason: Status['reason'], message: string, details?: Status['details']): TransportResponse {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return { status: code, body: JSON.stringify(s) };
}

export function createFakeTransport(): FakeTransport {
  let rv = 1;
  const objects = new Map<string, KubeObject>();
  const history: StoredEvent[] = [];
  const watches = new Set<OpenWatch>();
  let watchesOpened = 0;
  const requests: TransportRequest[] = [];
  const keyOf = (collection: string, ns: string, name: string) => `${collection}|${ns}|${name}`;
  const resourceName = (collection: string) => collection.slice(collection.lastIndexOf('/') + 1);

  function record(collection: string, type: StoredEvent['type'], object: KubeObject): void {
    const ev = { rv, collection, type, object: structuredClone(object) };
    history.push(ev);
    for (const w of watches) {
      if (w.collection === collection && (!w.namespace || w.namespace === (object.metadata.namespace ?? ''))) {
        w.push(JSON.stringify({ type, object }));
      }
    }
  }

  function write(collection: string, ns: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    rv++;
    obj.metadata.resourceVersion = String(rv);
    objects.set(keyOf(collection, ns, obj.metadata.name!), structuredClone(obj));
    record(collection, type, obj);
    return obj;
  }

  function remove(collection: string, ns: string, obj: KubeObject): KubeObject {
    rv++;
    objects.delete(keyOf(collection, ns, obj.metadata.name!));
    const gone = structuredClone(obj);
    gone.metadata.resourceVersion = String(rv);
    record(collection, 'DELETED', gone);
    return gone;
  }

  function create(collection: string, ns: string, obj: KubeObject): TransportResponse {
    const meta = obj.metadata ?? (obj.metadata = {});
    if (!meta.name && meta.generateName) meta.name = meta.generateName + randomUUID().slice(0, 5);
    if (!meta.name) return status(422, 'Invalid', 'name or generateName is required');
    if (ns) meta.namespace = ns;
    if (objects.has(keyOf(collection, ns, meta.name))) {
      return status(409, 'AlreadyExists', `${resourceName(collection)} "${meta.name}" already exists`, { name: meta.name, kind: resourceName(collection) });
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    return { status: 201, body: JSON.stringify(write(collection, ns, obj, 'ADDED')) };
  }

  function update(collection: string, ns: string, name: string, obj: KubeObject, current: KubeObject): TransportResponse {
    const sent = obj.metadata.resourceVersion;
    if (sent && sent !== current.metadata.resourceVersion) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on ${resourceName(collection)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, kind: resourceName(collection) });
    }
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (!obj.metadata.deletionTimestamp) delete obj.metadata.deletionTimestamp;
    if (ns) obj.metadata.namespace = ns;
    const spec = obj.spec as { finalizers?: string[] } | undefined;
    if (obj.metadata.deletionTimestamp && !obj.metadata.finalizers?.length && !spec?.finalizers?.length) {
      return { status: 200, body: JSON.stringify(remove(collection, ns, obj)) };
    }
    return { status: 200, body: JSON.stringify(write(collection, ns, obj, 'MODIFIED')) };
  }

  function discoveryDocument(path: string): TransportResponse | undefined {
    const parts = path.split('/').filter(Boolean);
    const list = (group: string, version: string) => ({
      status: 200,
      body: JSON.stringify({
        kind: 'APIResourceList',
        groupVersion: group ? `${group}/${version}` : version,
        resources: self.discovery.filter((r) => r.group === group && r.version === version).map((r) => ({ name: r.resource, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs })),
      }),
    });
    if (parts[0] === 'api' && parts.length === 2) return list('', parts[1]!);
    if (parts[0] === 'apis' && parts.length === 1) {
      const groups = [...new Set(self.discovery.filter((r) => r.group).map((r) => `${r.group}/${r.version}`))].map((gv) => {
        const [name, version] = gv.split('/') as [string, string];
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return { status: 200, body: JSON.stringify({ kind: 'APIGroupList', groups }) };
    }
    if (parts[0] === 'apis' && parts.length === 3) return list(parts[1]!, parts[2]!);
    return undefined;
  }

  function handle(req: TransportRequest): TransportResponse {
    if (req.method === 'GET') {
      const doc = discoveryDocument(req.path);
      if (doc) return doc;
    }
    const p = splitPath(req.path);
    const key = keyOf(p.collection, p.namespace, p.name);
    const current = p.name ? objects.get(key) : undefined;
    const notFound = () => status(404, 'NotFound', `${resourceName(p.collection)} "${p.name}" not found`, { name: p.name, kind: resourceName(p.collection) });
    const body = req.body ? (JSON.parse(req.body) as KubeObject & Record<string, unknown>) : undefined;
    switch (req.method) {
      case 'GET': {
        if (p.name) return current ? { status: 200, body: JSON.stringify(current) } : notFound();
        const items = [...objects.entries()]
          .filter(([k, o]) => k.startsWith(p.collection + '|') && (!p.namespace || o.metadata.namespace === p.namespace))
          .map(([, o]) => o);
        return { status: 200, body: JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: String(rv) }, items }) };
      }
      case 'POST':
        return create(p.collection, p.namespace, body!);
      case 'PUT':
        if (!current) return notFound();
        return update(p.collection, p.namespace, p.name, body!, current);
      case 'PATCH': {
        if (!current) return notFound();
        const merged = mergePatch(structuredClone(current), body) as KubeObject;
        merged.metadata.resourceVersion = current.metadata.resourceVersion;
        return update(p.collection, p.namespace, p.name, merged, current);
      }
      case 'DELETE': {
        if (!p.name) {
          for (const [k, o] of [...objects.entries()]) {
            if (k.startsWith(p.collection + '|') && (!p.namespace || o.metadata.namespace === p.namespace)) deleteOne(p.collection, o.metadata.namespace ?? '', o);
          }
          return { status: 200, body: '{"kind":"Status","apiVersion":"v1","status":"Success"}' };
        }
        if (!current) return notFound();
        const pre = (body as { preconditions?: { uid?: string; resourceVersion?: string } } | undefined)?.preconditions;
        if ((pre?.uid && pre.uid !== current.metadata.uid) || (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion)) {
          return status(409, 'Conflict', `Precondition failed`, { name: p.name, kind: resourceName(p.collection) });
        }
        return { status: 200, body: JSON.stringify(deleteOne(p.collection, p.namespace, current)) };
      }
    }
  }

  /** Marks an object with finalizers as deleted, removes one without. */
  function deleteOne(collection: string, ns: string, current: KubeObject): KubeObject {
    const spec = current.spec as { finalizers?: string[] } | undefined;
    if (current.metadata.finalizers?.length || spec?.finalizers?.length) {
      if (current.metadata.deletionTimestamp) return current;
      const marked = structuredClone(current);
      marked.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return write(collection, ns, marked, 'MODIFIED');
    }
    return remove(collection, ns, current);
  }

  const self: FakeTransport = {
    requests,
    compactedRevision: 0,
    discovery: [],
    revision: () => rv,
    async request(req) {
      requests.push(req);
      const reacted = self.reactor?.(req);
      if (reacted) return reacted;
      return handle(req);
    },
    async stream(req) {
      requests.push(req);
      const reacted = self.reactor?.(req);
      if (reacted) return { status: reacted.status, errorBody: reacted.body, lines: (async function* () {})(), close: () => {} };
      watchesOpened++;
      const p = splitPath(req.path);
      const from = Number(req.query?.resourceVersion ?? '0') || 0;
      const buffered: (string | null)[] = [];
      let wake: (() => void) | undefined;
      const w: OpenWatch = {
        collection: p.collection,
        namespace: p.namespace,
        push(line) {
          buffered.push(line);
          wake?.();
        },
      };
      if (from && from < self.compactedRevision) {
        w.push(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: `too old resource version: ${from} (${self.compactedRevision})` } }));
        w.push(null);
      } else {
        for (const ev of history) {
          if (ev.rv > from && ev.collection === p.collection && (!p.namespace || ev.object.metadata.namespace === p.namespace)) {
            w.push(JSON.stringify({ type: ev.type, object: ev.object }));
          }
        }
        watches.add(w);
      }
      const close = () => {
        watches.delete(w);
        w.push(null);
      };
      async function* lines(): AsyncGenerator<string> {
        for (;;) {
          while (buffered.length) {
            const line = buffered.shift()!;
            if (line === null) return;
            yield line;
          }
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
        }
      }
      return { status: 200, lines: lines(), close };
    },
    seed(path, obj) {
      const p = splitPath(path);
      const res = create(p.collection, p.namespace || (obj.metadata.namespace ?? ''), structuredClone(obj));
      if (res.status >= 300) throw new Error(`seed failed: ${res.body}`);
      return JSON.parse(res.body) as KubeObject;
    },
    get: (path, name) => {
      const p = splitPath(path);
      for (const [k, o] of objects) if (k.startsWith(p.collection + '|') && k.endsWith('|' + name) && (!p.namespace || o.metadata.namespace === p.namespace)) return o;
      return undefined;
    },
    list: (path) => {
      const p = splitPath(path);
      return [...objects.entries()].filter(([k, o]) => k.startsWith(p.collection + '|') && (!p.namespace || o.metadata.namespace === p.namespace)).map(([, o]) => o);
    },
    watchCount: () => watchesOpened,
    expireWatches() {
      for (const w of [...watches]) {
        w.push(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } }));
        w.push(null);
        watches.delete(w);
      }
    },
    endWatches() {
      for (const w of [...watches]) {
        w.push(null);
        watches.delete(w);
      }
    },
  };
  return self;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = (target && typeof target === 'object' && !Array.isArray(target) ? target : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
