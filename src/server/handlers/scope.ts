/**
 * What every resource handler gets: the parsed request, the authenticated user, the target Store,
 * and the negotiated output format; plus the query parameters shared by write verbs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceInfo } from '../../api/resources.js';
import { badRequest } from '../../api/status.js';
import type { AdmissionChain, UserInfo } from '../../admission/types.js';
import type { Store, WriteContext } from '../../registry/store.js';
import type { OutputFormat } from '../negotiation.js';
import type { RequestInfo } from '../request-info.js';

export interface ApiContext {
  resources: ResourceInfo[];
  storeFor(group: string, version: string, resource: string): Store | undefined;
  admission: AdmissionChain;
  now(): number;
  /** Minimum watch timeout; a watch without timeoutSeconds lasts between this and twice this. */
  minRequestTimeoutSeconds: number;
  /** Called when a handler needs to log a server-side bug. */
  logError(message: string, err: unknown): void;
  /** Live watch streams, closed on shutdown. */
  watches: Set<() => void>;
}

export interface Scope {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  user: UserInfo;
  resource: ResourceInfo;
  store: Store;
  output: OutputFormat;
  api: ApiContext;
  warnings: string[];
}

/** What a create-only handler (TokenReview, access reviews) gets: a Scope without a Store. */
export type CreateScope = Omit<Scope, 'store'>;

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** dryRun: only `All` is valid (kube: `Invalid dryRun value`). */
export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`Invalid dryRun value: ${v}. Only "All" is supported`);
  }
  return values.length > 0;
}

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (v === null || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation parameter must be one of Ignore, Warn, Strict; got ${v}`);
}

export function fieldManagerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const m = query.get('fieldManager');
  if (m !== null) {
    if (m.length > 128) throw badRequest(`fieldManager: Too long: must have at most 128 bytes`);
    if (/[^\x20-\x7e]/.test(m)) throw badRequest('fieldManager: Invalid value: must only contain printable characters');
    return m;
  }
  return (userAgent ?? '').split('/')[0] || 'unknown';
}

export function writeContext(scope: Scope): WriteContext {
  return {
    user: scope.user,
    dryRun: dryRunOf(scope.query),
    fieldManager: fieldManagerOf(scope.query, scope.req.headers['user-agent']),
    admission: scope.api.admission,
  };
}

/** `ServiceAccount in version "v1" cannot be handled as a ServiceAccount` (upstream decode error prefix). */
export function cannotHandle(r: ResourceInfo): string {
  return `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}`;
}

export function asKubeObject(v: unknown, r: ResourceInfo): KubeObject {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`${cannotHandle(r)}: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go value of type struct`);
  }
  const o = v as KubeObject;
  if (o.metadata === undefined || o.metadata === null) o.metadata = {};
  if (typeof o.metadata !== 'object' || Array.isArray(o.metadata)) {
    throw badRequest(`${cannotHandle(r)}: json: cannot unmarshal ${typeof o.metadata} into Go struct field ${r.kind}.metadata of type v1.ObjectMeta`);
  }
  return o;
}
