/**
 * PatchError: a patch that cannot be applied, carrying the HTTP code, Status reason and message
 * that kube-apiserver 1.32 answers for the same failure (staging/src/k8s.io/apiserver/pkg/endpoints/
 * handlers/patch.go). Callers turn it into the wire Status with `toStatusError()`:
 *
 * | failure                                                         | code | reason                |
 * |-----------------------------------------------------------------|------|-----------------------|
 * | body is not the JSON shape the patch type needs (decode step)   | 400  | BadRequest            |
 * | SMP sentinel errors (`invalid patch format of retainKeys`, ...) | 400  | BadRequest            |
 * | JSON patch with more than 10000 operations                      | 413  | RequestEntityTooLarge |
 * | JSON patch that does not apply (failed test, missing path, ...) | 422  | Invalid (fixed text)  |
 * | SMP `lists of lists are not supported`                          | 422  | Invalid (fixed text)  |
 * | any other SMP error (`unknown patch type: ...`, missing key)    | 500  | '' (StatusReasonUnknown: a plain Go error) |
 *
 * For the fixed-text 422s upstream drops the underlying error; it is kept here in `detail` for logs.
 */
import { failure, type StatusError, type StatusReason } from '../../api/status.js';

export type PatchErrorCode = 400 | 413 | 422 | 500;

/** The message NewGenericServerResponse(422, ...) gives: a failed JSON patch never names the field. */
export const rejectedMessage = 'the server rejected our request due to an error in our request';

const defaultReason: Record<PatchErrorCode, StatusReason> = {
  400: 'BadRequest',
  413: 'RequestEntityTooLarge',
  422: 'Invalid',
  500: '',
};

export class PatchError extends Error {
  readonly code: PatchErrorCode;
  /** The Status reason upstream sends; '' means none (StatusReasonUnknown, omitted on the wire). */
  readonly reason: StatusReason;
  /** The underlying cause when `message` is upstream's fixed text; for logs, never sent. */
  readonly detail?: string;

  constructor(code: PatchErrorCode, message: string, options: { reason?: StatusReason; detail?: string } = {}) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
    this.reason = options.reason ?? defaultReason[code];
    if (options.detail !== undefined) this.detail = options.detail;
  }

  /** The Status kube-apiserver answers: fixed-text 422s carry empty `details`, like NewGenericServerResponse. */
  toStatusError(): StatusError {
    const details = this.code === 422 && this.message === rejectedMessage ? {} : undefined;
    const e = failure(this.code, this.reason, this.message, details);
    if (!this.reason) delete e.status.reason;
    return e;
  }
}

export function isPatchError(e: unknown): e is PatchError {
  return e instanceof PatchError;
}

/** 400 BadRequest with `message` verbatim (errors.NewBadRequest). */
export const badRequestPatch = (message: string): PatchError => new PatchError(400, message);

/** 422 Invalid with upstream's fixed message; `detail` says what actually failed. */
export const rejectedPatch = (detail: string): PatchError => new PatchError(422, rejectedMessage, { detail });

/** A plain Go error reaching ErrorToAPIStatus: 500, no reason, the error text as message. */
export const internalPatchError = (message: string): PatchError => new PatchError(500, message);

/** Nesting past which patches are refused (400) instead of risking the stack; objects need a few dozen levels. */
export const maxPatchDepth = 1000;

export const tooDeepPatch = (): PatchError =>
  new PatchError(400, `the patch is nested too deeply: more than ${maxPatchDepth} levels`);

/**
 * Runs `fn`, turning a stack overflow (RangeError from deep recursion in this module or in the JSON
 * patch library) into the same 400 as an over-deep patch, so hostile input never crashes the caller.
 */
export function guardStack<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw tooDeepPatch();
    throw e;
  }
}
