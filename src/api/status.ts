/**
 * metav1.Status and the StatusError that carries it through the server. Constructors mirror
 * k8s.io/apimachinery/pkg/api/errors with kube-apiserver's exact wording: clients (kubectl,
 * client-go retry logic, client-node) read `reason`, `code` and `message`.
 */
import { fieldErrorBody, fieldErrorMessage, type FieldError } from './field-errors.js';

export type StatusReason =
  | ''
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { resourceVersion?: string; continue?: string };
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** The one error type the server turns into a Kubernetes Status response. */
export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? 'error');
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

export function failure(code: number, reason: StatusReason, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

/** Group-qualified resource as upstream prints it: `serviceaccounts`, `roles.rbac.authorization.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}
export const qualified = (gr: GroupResource): string => (gr.group ? `${gr.resource}.${gr.group}` : gr.resource);

export function notFound(gr: GroupResource, name: string): StatusError {
  return failure(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name));
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsOf(gr, name));
}

export const optimisticLockMessage = 'the object has been modified; please apply your changes to the latest version and try again';

/** 409 Conflict: `Operation cannot be fulfilled on serviceaccounts "x": <reason>`. */
export function conflict(gr: GroupResource, name: string, reason: string = optimisticLockMessage): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${reason}`, detailsOf(gr, name));
}

/** 403: `serviceaccounts "x" is forbidden: <reason>` (name may be empty: `serviceaccounts is forbidden: ...`). */
export function forbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const what = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return failure(403, 'Forbidden', `${what} is forbidden: ${reason}`, detailsOf(gr, name));
}

/** Group-qualified kind for Invalid: `ServiceAccount`, `Role.rbac.authorization.k8s.io`. */
export interface GroupKind {
  group: string;
  kind: string;
}

/** 422 Invalid with one cause per field error: `ServiceAccount "x" is invalid: [a, b]`. */
export function invalid(gk: GroupKind, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
  const qk = gk.group ? `${gk.kind}.${gk.group}` : gk.kind;
  let agg: string;
  if (errs.length === 1) agg = fieldErrorMessage(errs[0]!);
  else agg = `[${dedupe(errs.map(fieldErrorMessage)).join(', ')}]`;
  const details: StatusDetails = { name, group: gk.group || undefined, kind: gk.kind, causes };
  if (!details.group) delete details.group;
  return failure(422, 'Invalid', `${qk} "${name}" is invalid: ${agg}`, details);
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return failure(401, 'Unauthorized', message);
}

export function methodNotSupported(gr: GroupResource, verb: string): StatusError {
  return failure(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(gr)}"`, {
    group: gr.group || undefined,
    kind: gr.resource,
  });
}

export function notAcceptable(message: string): StatusError {
  return failure(406, 'NotAcceptable', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
}

export function requestEntityTooLarge(message = 'the server has received a request that is too large'): StatusError {
  return failure(413, 'RequestEntityTooLarge', `Request entity too large: ${message}`);
}

/** 410 Expired, as sent for a compacted resourceVersion: `too old resource version: 5 (12)`. */
export function expired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function gone(message: string): StatusError {
  return failure(410, 'Gone', message);
}

export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  const d: StatusDetails = {};
  if (retryAfterSeconds) d.retryAfterSeconds = retryAfterSeconds;
  return failure(504, 'Timeout', message, retryAfterSeconds ? d : undefined);
}

export function serviceUnavailable(message: string): StatusError {
  return failure(503, 'ServiceUnavailable', message);
}

export function tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
  return failure(429, 'TooManyRequests', message, { retryAfterSeconds });
}

function detailsOf(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export function successStatus(details?: StatusDetails): Status {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) s.details = details;
  return s;
}
