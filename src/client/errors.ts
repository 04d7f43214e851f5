/**
 * Errors of the client: a failed request surfaces as an ApiError carrying the server's Status
 * (code, reason, message, details), like client-go's apierrors.StatusError. Predicates mirror
 * k8s.io/apimachinery/pkg/api/errors (IsNotFound, IsConflict, IsAlreadyExists, IsGone,
 * HasStatusCause) so controllers read the same facts client-go code reads.
 */
import type { Status, StatusReason } from '../api/status.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: Status) {
    super(status.message || status.reason || `request failed with code ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

/** The Status a non-2xx response carries, or one synthesized from its code (as client-go does). */
export function statusFromResponse(code: number, body: string): Status {
  try {
    const parsed = JSON.parse(body) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') {
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', ...parsed, code: parsed.code || code } as Status;
    }
  } catch {
    // not JSON: fall through
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: body.trim() || `the server responded with code ${code}`,
    reason: reasonForCode(code),
    code,
  };
}

function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400: return 'BadRequest';
    case 401: return 'Unauthorized';
    case 403: return 'Forbidden';
    case 404: return 'NotFound';
    case 405: return 'MethodNotAllowed';
    case 409: return 'Conflict';
    case 410: return 'Gone';
    case 422: return 'Invalid';
    case 429: return 'TooManyRequests';
    case 504: return 'Timeout';
    case 503: return 'ServiceUnavailable';
    default: return code >= 500 ? 'InternalError' : '';
  }
}

const reasonOf = (e: unknown): string | undefined => (e instanceof ApiError ? e.reason : undefined);
const codeOf = (e: unknown): number | undefined => (e instanceof ApiError ? e.code : undefined);

export const isNotFound = (e: unknown): boolean => reasonOf(e) === 'NotFound' || (codeOf(e) === 404 && !reasonOf(e));
export const isAlreadyExists = (e: unknown): boolean => reasonOf(e) === 'AlreadyExists';
export const isConflict = (e: unknown): boolean => reasonOf(e) === 'Conflict' || (codeOf(e) === 409 && reasonOf(e) !== 'AlreadyExists');
/** 410: a watch or list from a resourceVersion the server no longer has (reason Expired or Gone). */
export const isGone = (e: unknown): boolean => codeOf(e) === 410 || reasonOf(e) === 'Expired' || reasonOf(e) === 'Gone';
export const isForbidden = (e: unknown): boolean => codeOf(e) === 403;
export const isInvalid = (e: unknown): boolean => codeOf(e) === 422;
export const isMethodNotSupported = (e: unknown): boolean => codeOf(e) === 405;

/** True when the error's Status details carry a cause of this type (e.g. NamespaceTerminating). */
export function hasStatusCause(e: unknown, cause: string): boolean {
  return e instanceof ApiError && (e.status.details?.causes ?? []).some((c) => c.reason === cause);
}

export const namespaceTerminatingCause = 'NamespaceTerminating';
