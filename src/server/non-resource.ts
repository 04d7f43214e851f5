/**
 * Non-resource endpoints: /healthz, /livez, /readyz, /version, discovery (/api, /apis, group and
 * group-version documents, aggregated or legacy by Accept), /openapi/v2 and /openapi/v3.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceInfo } from '../api/resources.js';
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  groupsOf,
} from './discovery.js';
import { negotiateDiscovery } from './negotiation.js';
import { writeJson, writeRaw } from './responses.js';
import type { VersionInfo } from './api-server.js';

export type NonResourceHandler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => void | Promise<void>;

export interface NonResourceOptions {
  resources: ResourceInfo[];
  version: VersionInfo;
  openapi?: {
    v2Protobuf(): Uint8Array;
    v2Json(): string;
    v3Root(): object;
    v3Document(gvPath: string): { body: string; etag: string } | undefined;
  };
  isReady(): boolean;
  serverAddress(): string;
  extra: Record<string, NonResourceHandler>;
}

export interface NonResourceRoutes {
  /** Health endpoints, served without authentication. */
  health(path: string): NonResourceHandler | undefined;
  find(path: string): NonResourceHandler | undefined;
}

const healthPaths = ['/healthz', '/livez', '/readyz'];
const healthPrefixes = healthPaths.map((h) => h + '/');

export function createNonResourceRoutes(o: NonResourceOptions): NonResourceRoutes {
  const ok: NonResourceHandler = (_req, res) => writeRaw(res, 200, 'text/plain; charset=utf-8', 'ok');
  const readyz: NonResourceHandler = (_req, res) => {
    if (o.isReady()) writeRaw(res, 200, 'text/plain; charset=utf-8', 'ok');
    else writeRaw(res, 500, 'text/plain; charset=utf-8', '[-]readyz failed: reason withheld\nreadyz check failed');
  };
  const discovery = (core: boolean): NonResourceHandler => (req, res) => {
    const v = negotiateDiscovery(req.headers.accept);
    if (v) {
      const body = JSON.stringify(aggregatedDiscovery(o.resources, core, v));
      writeRaw(res, 200, aggregatedContentType(v), body);
      return;
    }
    writeJson(res, 200, core ? apiVersions(o.serverAddress()) : apiGroupList(o.resources));
  };
  const rootPaths = (): string[] => {
    const paths = new Set(['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version', '/openapi/v2', '/openapi/v3']);
    for (const g of groupsOf(o.resources)) {
      if (!g.group) continue;
      paths.add(`/apis/${g.group}`);
      for (const v of g.versions) paths.add(`/apis/${g.group}/${v}`);
    }
    for (const p of Object.keys(o.extra)) paths.add(p);
    return [...paths].sort();
  };
  const table: Record<string, NonResourceHandler> = {
    '/': (_req, res) => writeJson(res, 200, { paths: rootPaths() }),
    '/version': (_req, res) => writeJson(res, 200, o.version),
    '/api': discovery(true),
    '/apis': discovery(false),
  };
  if (o.openapi) {
    const oa = o.openapi;
    table['/openapi/v2'] = (req, res) => {
      const accept = req.headers.accept ?? '';
      if (accept.includes('protobuf')) writeRaw(res, 200, 'application/octet-stream', Buffer.from(oa.v2Protobuf()));
      else writeRaw(res, 200, 'application/json', oa.v2Json());
    };
    table['/openapi/v3'] = (_req, res) => writeJson(res, 200, oa.v3Root());
  }
  return {
    health(path) {
      if (path === '/readyz' || path.startsWith('/readyz/')) return readyz;
      if (healthPaths.includes(path) || healthPrefixes.some((h) => path.startsWith(h))) return ok;
      return undefined;
    },
    find(path) {
      if (o.extra[path]) return o.extra[path];
      if (table[path]) return table[path];
      const trimmed = path.replace(/\/+$/, '');
      if (trimmed !== path && table[trimmed]) return table[trimmed];
      if (o.openapi && path.startsWith('/openapi/v3/')) {
        const doc = o.openapi.v3Document(path.slice('/openapi/v3/'.length));
        if (!doc) return undefined;
        return (_req, res) => {
          res.setHeader('Etag', `"${doc.etag}"`);
          writeRaw(res, 200, 'application/json', doc.body);
        };
      }
      const segs = path.split('/').filter(Boolean);
      if (segs[0] === 'api' && segs.length === 2) {
        const list = apiResourceList(o.resources, '', segs[1]!);
        if (list) return (_req, res) => writeJson(res, 200, list);
      }
      if (segs[0] === 'apis' && segs.length === 2) {
        const g = apiGroup(o.resources, segs[1]!);
        if (g) return (_req, res) => writeJson(res, 200, g);
      }
      if (segs[0] === 'apis' && segs.length === 3) {
        const list = apiResourceList(o.resources, segs[1]!, segs[2]!);
        if (list) return (_req, res) => writeJson(res, 200, list);
      }
      return undefined;
    },
  };
}
