/**
 * Request info: what a URL and method mean in Kubernetes terms (upstream
 * apiserver/pkg/endpoints/request/requestinfo.go): resource vs non-resource request, verb, API
 * group/version, namespace, resource, name, subresource.
 */
import { parseBool } from '../api/meta.js';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const namespaceSubresources = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
  const segs = path.split('/').filter((s) => s !== '');
  let parts: string[] = segs;
  if (path.includes('%')) {
    try {
      parts = segs.map((s) => decodeURIComponent(s));
    } catch {
      return info;
    }
  }
  if (parts.length < 1 || (parts[0] !== 'api' && parts[0] !== 'apis')) return info;
  info.apiPrefix = parts[0]!;
  let cur = parts.slice(1);
  if (info.apiPrefix === 'apis') {
    if (cur.length < 1) return info;
    info.apiGroup = cur[0]!;
    cur = cur.slice(1);
  }
  if (cur.length < 1) return info;
  info.apiVersion = cur[0]!;
  cur = cur.slice(1);
  if (cur.length < 1) return info;
  info.isResourceRequest = true;
  switch (method) {
    case 'POST': info.verb = 'create'; break;
    case 'GET': case 'HEAD': info.verb = 'get'; break;
    case 'PUT': info.verb = 'update'; break;
    case 'PATCH': info.verb = 'patch'; break;
    case 'DELETE': info.verb = 'delete'; break;
    default: info.verb = ''; break;
  }
  if (cur[0] === 'watch') {
    info.verb = 'watch';
    cur = cur.slice(1);
    if (cur.length === 0) {
      info.isResourceRequest = false;
      return info;
    }
  }
  if (cur[0] === 'namespaces' && cur.length > 1) {
    info.namespace = cur[1]!;
    if (cur.length > 2 && !namespaceSubresources.has(cur[2]!)) cur = cur.slice(2);
  }
  info.parts = cur;
  if (cur.length >= 3) info.subresource = cur[2]!;
  if (cur.length >= 2) info.name = cur[1]!;
  info.resource = cur[0] ?? '';
  if (info.name === '' && info.verb === 'get') {
    info.verb = parseBool(query.get('watch')) ? 'watch' : 'list';
  }
  if (info.verb === 'get' && parseBool(query.get('watch'))) info.verb = 'watch';
  if (info.verb === 'delete' && info.name === '') info.verb = 'deletecollection';
  return info;
}
