/**
 * The HTTPS API server: the request pipeline (recover → request info → authenticate → authorize →
 * route → handler → Status on error) over node:https, plus the non-resource endpoints (health,
 * version, discovery, OpenAPI). The only module that owns the listening socket.
 *
 * Contracts: every failure reaches the client as a Kubernetes Status; an unexpected exception is
 * logged with its stack and answered 500; `close()` stops accepting, ends watches and resolves
 * when in-flight requests are done.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { findResource, type ResourceInfo } from '../api/resources.js';
import { failure, forbidden, internalError, isStatusError, methodNotSupported, notAcceptable, serviceUnavailable, StatusError, unauthorized } from '../api/status.js';
import type { AdmissionChain, UserInfo } from '../admission/types.js';
import { AuthenticationError, type Authenticator, type Credentials } from '../auth/authn/types.js';
import { forbiddenReason, type Attributes, type Authorizer } from '../auth/authz/types.js';
import type { Store } from '../registry/store.js';
import { readBody } from './body.js';
import { negotiateOutput } from './negotiation.js';
import { parseRequestInfo, parseRequestTarget, type RequestInfo } from './request-info.js';
import { writeRaw, writeStatus } from './responses.js';
import { handleGet, handleList } from './handlers/read.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { handleWatch } from './handlers/watch.js';
import type { ApiContext, CreateScope, Scope } from './handlers/scope.js';
import { createNonResourceRoutes, type NonResourceHandler } from './non-resource.js';
import type { ApiMetrics, RequestLabels } from './metrics.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export interface ApiServerOptions {
  tls: { cert: string; key: string; ca: string };
  bindAddress: string;
  port: number;
  resources: ResourceInfo[];
  stores: Store[];
  authenticator: Authenticator;
  authorizer: Authorizer;
  admission: AdmissionChain;
  version: VersionInfo;
  /** Extra non-resource handlers by exact path (e.g. OIDC discovery); consulted before the built-ins. */
  extraRoutes?: Record<string, NonResourceHandler>;
  /** Subresource handlers (e.g. serviceaccounts/token), keyed `group/resource/subresource`. */
  subresourceHandlers?: Record<string, (scope: Scope, body: Buffer) => Promise<void>>;
  /**
   * Handlers of create-only resources that have no Store (TokenReview, SelfSubjectReview, the
   * access reviews), keyed `group/version/resource`. Called for POST after authorization, with
   * the request body read (size-limited); they write the whole response.
   */
  createHandlers?: Record<string, (scope: CreateScope, body: Buffer) => Promise<void>>;
  /**
   * Impersonation (Impersonate-* headers): called after authentication with the authenticated
   * user; returns the user the request acts as (the same user when there are no such headers),
   * or throws a StatusError (403 when the impersonation is not allowed, 400 when malformed).
   * Not called for requests without any Impersonate-* header.
   */
  impersonate?: (req: IncomingMessage, user: UserInfo) => Promise<UserInfo> | UserInfo;
  openapi?: {
    v2Protobuf(): Uint8Array;
    v2Json(): string;
    v3Root(): object;
    v3Document(gvPath: string): { body: string; etag: string } | undefined;
  };
  minRequestTimeoutSeconds?: number;
  /** Request metrics, also served at /metrics. */
  metrics?: ApiMetrics;
  now?: () => number;
  log?: (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

export interface ApiServer {
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Graceful shutdown: stop accepting, end watches, wait for in-flight requests (at most `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
  readonly url: string;
  /** Flipped by the owner once controllers etc. are up; /readyz answers 500 before. */
  setReady(ready: boolean): void;
}

const mutatingVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function createApiServer(options: ApiServerOptions): ApiServer {
  const log = options.log ?? (() => {});
  const now = options.now ?? Date.now;
  const storeIndex = new Map<string, Store>();
  for (const s of options.stores) storeIndex.set(`${s.info.group}/${s.info.version}/${s.info.resource}`, s);
  const api: ApiContext = {
    resources: options.resources,
    storeFor: (g, v, r) => storeIndex.get(`${g}/${v}/${r}`),
    admission: options.admission,
    now,
    minRequestTimeoutSeconds: options.minRequestTimeoutSeconds ?? 1800,
    logError: (message, err) => log('error', message, { err: err instanceof Error ? err.stack : String(err) }),
    watches: new Set(),
  };
  let ready = false;
  let inFlight = 0;
  let draining = false;
  let drainResolve: (() => void) | null = null;
  let boundPort = options.port;
  const routes = createNonResourceRoutes({
    resources: options.resources,
    version: options.version,
    openapi: options.openapi,
    isReady: () => ready && !draining,
    serverAddress: () => `${options.bindAddress}:${boundPort}`,
    extra: {
      ...(options.metrics
        ? {
            '/metrics': async (_req: IncomingMessage, res: ServerResponse) => {
              const m = await options.metrics!.render();
              writeRaw(res, 200, m.contentType, m.body);
            },
          }
        : {}),
      ...(options.extraRoutes ?? {}),
    },
  });
  const metrics = options.metrics;

  const server = https.createServer(
    {
      cert: options.tls.cert,
      key: options.tls.key,
      ca: options.tls.ca,
      requestCert: true,
      rejectUnauthorized: false,
      maxHeaderSize: 1024 * 1024,
    },
    (req, res) => {
      inFlight++;
      const started = performance.now();
      const labels: RequestLabels = { verb: '', group: '', version: '', resource: '', subresource: '', scope: '' };
      res.on('close', () => {
        inFlight--;
        if (draining && inFlight === 0) drainResolve?.();
        metrics?.observe(labels, res.statusCode, (performance.now() - started) / 1000);
      });
      serve(req, res, labels).catch((err) => {
        api.logError('unhandled error serving request', err);
        if (!res.headersSent) writeStatus(res, internalError('an unexpected error occurred').status);
        else res.end();
      });
    },
  );
  server.headersTimeout = 60_000;
  server.requestTimeout = 0;
  server.keepAliveTimeout = 65_000;
  server.on('clientError', (err, socket) => {
    if (socket.writable) {
      const code = (err as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      socket.end(`HTTP/1.1 ${code} ${code === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\n\r\n`);
    } else socket.destroy();
  });

  // The peer certificate cannot change on a connection: read it once per socket (it is costly).
  const peerIdentity = new WeakMap<TLSSocket, Credentials['clientCertificate'] | null>();
  function peerCertificateOf(sock: TLSSocket): Credentials['clientCertificate'] | undefined {
    let id = peerIdentity.get(sock);
    if (id === undefined) {
      id = null;
      if (sock.authorized) {
        const cert = sock.getPeerCertificate();
        if (cert && cert.subject) {
          const o = cert.subject.O as unknown;
          const cn = cert.subject.CN as unknown;
          id = {
            commonName: Array.isArray(cn) ? String(cn[0]) : String(cn ?? ''),
            organizations: Array.isArray(o) ? o.map(String) : o ? [String(o)] : [],
          };
        }
      }
      peerIdentity.set(sock, id);
    }
    return id ?? undefined;
  }

  function credentialsOf(req: IncomingMessage): Credentials {
    const creds: Credentials = {};
    const cert = peerCertificateOf(req.socket as TLSSocket);
    if (cert) creds.clientCertificate = cert;
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      // Node keeps only the first of several Authorization headers: several are refused (401),
      // never resolved by picking one.
      let seen = 0;
      const raw = req.rawHeaders;
      for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization') seen++;
      creds.authorization = seen > 1 ? '' : auth;
    }
    return creds;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, labels: RequestLabels): Promise<void> {
    const { pathname, query } = parseRequestTarget(req.url ?? '/');
    const info = parseRequestInfo(req.method ?? 'GET', pathname, query);
    if (metrics) {
      labels.verb = metricsVerb(req.method ?? 'GET', info);
      if (info.isResourceRequest) {
        labels.group = info.apiGroup;
        labels.version = info.apiVersion;
        labels.resource = info.resource;
        labels.subresource = info.subresource;
        labels.scope = info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster';
      }
    }
    try {
      if (draining && info.verb === 'watch') throw serviceUnavailable('the server is shutting down');
      // Health endpoints need no authentication at all.
      const health = routes.health(pathname);
      if (health) return health(req, res, query);
      let user: UserInfo;
      try {
        const answer = options.authenticator.authenticate(credentialsOf(req));
        const r = answer instanceof Promise ? await answer : answer;
        if (!r) throw new AuthenticationError('no credentials');
        user = r.user;
      } catch (e) {
        if (e instanceof AuthenticationError) {
          writeStatus(res, unauthorized().status);
          return;
        }
        throw e;
      }
      if (options.impersonate && hasImpersonationHeaders(req.rawHeaders)) user = await options.impersonate(req, user);
      const attrs: Attributes = {
        user,
        verb: info.isResourceRequest ? info.verb : (req.method ?? 'GET').toLowerCase(),
        isResourceRequest: info.isResourceRequest,
        path: pathname,
        apiGroup: info.apiGroup,
        apiVersion: info.apiVersion,
        namespace: info.namespace,
        resource: info.resource,
        subresource: info.subresource,
        name: info.name,
      };
      if (!info.isResourceRequest && attrs.verb === 'head') attrs.verb = 'get';
      // Upstream RequestInfo: a list/watch whose fieldSelector requires metadata.name=<n> is about <n>.
      if ((attrs.verb === 'list' || attrs.verb === 'watch') && !attrs.name) attrs.name = exactNameOf(query.get('fieldSelector'));
      const decision = await options.authorizer.authorize(attrs);
      if (decision.decision !== 'allow') {
        throw forbiddenError(attrs, decision.reason);
      }
      if (!info.isResourceRequest) {
        const h = routes.find(pathname);
        if (!h) throw notFoundPath();
        return h(req, res, query);
      }
      await serveResource(req, res, info, query, user);
    } catch (e) {
      if (isStatusError(e)) {
        if (!res.headersSent) {
          if (e.status.details?.retryAfterSeconds) res.setHeader('Retry-After', String(e.status.details.retryAfterSeconds));
          writeStatus(res, e.status);
        } else res.end();
        return;
      }
      throw e;
    }
  }

  async function serveResource(req: IncomingMessage, res: ServerResponse, info: RequestInfo, query: URLSearchParams, user: UserInfo): Promise<void> {
    const resource = findResource(info.apiGroup, info.apiVersion, info.resource);
    const store = resource && api.storeFor(resource.group, resource.version, resource.resource);
    const createHandler = resource && !store ? options.createHandlers?.[`${resource.group}/${resource.version}/${resource.resource}`] : undefined;
    if (!resource || !(store || createHandler) || (!resource.namespaced && info.namespace && info.resource !== 'namespaces')) {
      throw notFoundPath();
    }
    if (resource.resource === 'namespaces') info.namespace = '';
    const gr = { group: resource.group, resource: resource.resource };
    const output = negotiateOutput(req.headers.accept);
    if (!output) {
      throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/json;as=Table;v=v1;g=meta.k8s.io');
    }
    if (!store) {
      // A create-only kind (checked above: it has a handler).
      if (info.subresource || info.name || info.verb !== 'create' || !createHandler) throw methodNotSupported(gr, info.verb || (req.method ?? '').toLowerCase());
      const body = await readBody(req);
      return createHandler({ req, res, info, query, user, resource, output, api, warnings: [] }, body);
    }
    const scope: Scope = { req, res, info, query, user, resource, store, output, api, warnings: [] };
    if (info.subresource) {
      const sub = (resource.subresources ?? []).find((s) => s.name === info.subresource);
      const custom = options.subresourceHandlers?.[`${resource.group}/${resource.resource}/${info.subresource}`];
      if (!sub || info.parts.length > 3) throw notFoundPath();
      if (!sub.verbs.includes(info.verb)) throw methodNotSupported(gr, info.verb);
      if (custom) {
        const body = await readBody(req);
        return custom(scope, body);
      }
    }
    if (!resource.verbs.includes(info.verb) && !info.subresource) throw methodNotSupported(gr, info.verb);
    const body = mutatingVerbs.has(info.verb) ? await readBody(req) : Buffer.alloc(0);
    switch (info.verb) {
      case 'get':
        return handleGet(scope);
      case 'list':
        return handleList(scope);
      case 'watch':
        return handleWatch(scope);
      case 'create':
        return handleCreate(scope, body);
      case 'update':
        return handleUpdate(scope, body);
      case 'patch':
        return handlePatch(scope, body);
      case 'delete':
        return handleDelete(scope, body);
      case 'deletecollection':
        return handleDeleteCollection(scope, body);
      default:
        throw methodNotSupported(gr, info.verb || (req.method ?? '').toLowerCase());
    }
  }

  return {
    get url() {
      const host = options.bindAddress.includes(':') ? `[${options.bindAddress}]` : options.bindAddress;
      return `https://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
    },
    setReady(r) {
      ready = r;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.bindAddress, () => {
          server.off('error', reject);
          const addr = server.address();
          if (addr && typeof addr === 'object') boundPort = addr.port;
          resolve(boundPort);
        });
      });
    },
    close(timeoutMs = 8000) {
      draining = true;
      for (const finish of [...api.watches]) finish();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          resolve();
        };
        const t = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        server.close(() => done());
        server.closeIdleConnections();
        drainResolve = () => server.closeIdleConnections();
        if (inFlight === 0) server.closeIdleConnections();
      });
    },
  };
}

/** Whether any Impersonate-* header is present (without them, impersonation leaves the user as is). */
function hasImpersonationHeaders(raw: string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length > 12 && (name.charCodeAt(0) | 0x20) === 0x69 && name.slice(0, 12).toLowerCase() === 'impersonate-') return true;
  }
  return false;
}

/** kube-apiserver's metric verb: LIST and WATCH for collection GETs, else the HTTP method. */
function metricsVerb(method: string, info: RequestInfo): string {
  if (!info.isResourceRequest) return method.toUpperCase();
  if (info.verb === 'list') return 'LIST';
  if (info.verb === 'watch') return 'WATCH';
  return method.toUpperCase();
}

/**
 * fields.Selector.RequiresExactMatch("metadata.name") of a fieldSelector, when the name is a valid
 * path segment (upstream NewRequestInfo); "" otherwise.
 */
export function exactNameOf(selector: string | null): string {
  if (!selector) return '';
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (!m) continue;
    const name = m[1]!;
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('%')) return '';
    return name;
  }
  return '';
}

function forbiddenError(a: Attributes, reason: string): StatusError {
  const text = forbiddenReason(a) + (reason ? `: ${reason}` : '');
  if (!a.isResourceRequest) {
    return failure(403, 'Forbidden', `forbidden: ${text}`, {});
  }
  return forbidden({ group: a.apiGroup, resource: a.resource }, a.name, text);
}

export function notFoundPath(): StatusError {
  return failure(404, 'NotFound', 'the server could not find the requested resource', {});
}

