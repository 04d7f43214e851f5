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

/** Path characters the WHATWG URL parser keeps as they are (no `%`, `\\`, `#`, spaces, non-ASCII). */
const plainPath = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;
/** Query characters URLSearchParams reads the same whether or not URL re-encoded them first. */
const plainQuery = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*$/;
/** A `.` or `..` path segment, which URL resolves. */
const dotSegment = /\/\.\.?(?:\/|$)/;

/**
 * The path and query of a request target, exactly as `new URL(target, 'https://localhost')`
 * gives them (pathname, searchParams). Plain targets, the usual case, skip the URL parser;
 * anything it would normalize (percent-encoding in the path, dot segments, backslashes,
 * fragments, absolute and scheme-relative forms...) goes through it.
 */
export function parseRequestTarget(target: string): { pathname: string; query: URLSearchParams } {
  const q = target.indexOf('?');
  const pathname = q < 0 ? target : target.slice(0, q);
  if (plainPath.test(pathname) && !dotSegment.test(pathname) && !pathname.startsWith('//')) {
    if (q < 0) return { pathname, query: new URLSearchParams() };
    const search = target.slice(q + 1);
    if (plainQuery.test(search)) return { pathname, query: new URLSearchParams(search) };
  }
  const url = new URL(target, 'https://localhost');
  return { pathname: url.pathname, query: url.searchParams };
}

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
  const segs: string[] = [];
  for (let start = 0, i = 0; i <= path.length; i++) {
    if (i === path.length || path.charCodeAt(i) === 0x2f) {
      if (i > start) segs.push(path.slice(start, i));
      start = i + 1;
    }
  }
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
  // `at` is the index of the next unconsumed segment (no intermediate arrays).
  let at = 1;
  if (info.apiPrefix === 'apis') {
    if (parts.length - at < 1) return info;
    info.apiGroup = parts[at++]!;
  }
  if (parts.length - at < 1) return info;
  info.apiVersion = parts[at++]!;
  if (parts.length - at < 1) return info;
  info.isResourceRequest = true;
  switch (method) {
    case 'POST': info.verb = 'create'; break;
    case 'GET': case 'HEAD': info.verb = 'get'; break;
    case 'PUT': info.verb = 'update'; break;
    case 'PATCH': info.verb = 'patch'; break;
    case 'DELETE': info.verb = 'delete'; break;
    default: info.verb = ''; break;
  }
  if (parts[at] === 'watch') {
    info.verb = 'watch';
    at++;
    if (parts.length - at === 0) {
      info.isResourceRequest = false;
      return info;
    }
  }
  if (parts[at] === 'namespaces' && parts.length - at > 1) {
    info.namespace = parts[at + 1]!;
    if (parts.length - at > 2 && !namespaceSubresources.has(parts[at + 2]!)) at += 2;
  }
  const cur = at === 0 ? parts : parts.slice(at);
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
