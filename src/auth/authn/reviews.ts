/**
 * TokenReview and SelfSubjectReview answers (upstream pkg/registry/authentication/tokenreview and
 * selfsubjectreview), computed from authenticators and users; no HTTP here.
 *
 * TokenReview: the token is authenticated as if presented in `Authorization: Bearer <token>`,
 * against the token authenticators (in order; the first that accepts decides), for
 * spec.audiences or else the API audiences. Failure is not an HTTP error: the answer says
 * authenticated false (omitted, as Go's omitempty does) with upstream's error text, built the
 * way kube-apiserver's authenticator chain builds it: `invalid bearer token` when no
 * authenticator recognizes the token, else `[invalid bearer token, <errors>]` (deduplicated).
 */
import type { KubeObject } from '../../api/meta.js';
import { formatTime } from '../../api/meta.js';
import { badRequest, internalError } from '../../api/status.js';
import { intersectAudiences } from './serviceaccount.js';
import { withAuthenticatedGroup, type Authenticator, type UserInfo } from './types.js';

export const invalidBearerToken = 'invalid bearer token';

export interface TokenReviewOptions {
  /** Token authenticators (static token file, ServiceAccount), tried in order. */
  authenticators: Authenticator[];
  apiAudiences(): string[];
}

/** Go's utilerrors aggregate message: one message bare, several deduplicated in brackets. */
export function aggregateMessage(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}

/** The wire form of a user (authentication/v1 UserInfo: username, uid, groups, extra; empty members omitted). */
export function userInfoOf(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.username };
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = user.extra;
  return out;
}

/**
 * Answers a decoded TokenReview (cluster-scoped; `namespace` is the URL's). Throws 400 for a
 * namespace or an empty token, 500 if an authenticator answered for audiences disjoint from the
 * requested ones (upstream `error validating audiences`).
 */
export async function reviewToken(review: KubeObject, namespace: string, o: TokenReviewOptions): Promise<KubeObject> {
  if (namespace) throw badRequest(`namespace is not allowed on this type: ${namespace}`);
  const spec = ((review as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw badRequest('token is required for TokenReview in authentication');
  const requested = Array.isArray(spec.audiences) && spec.audiences.length ? (spec.audiences as string[]) : o.apiAudiences();
  const creds = { authorization: `Bearer ${token}`, audiences: requested };

  const errors: string[] = [];
  let status: Record<string, unknown> | undefined;
  for (const a of o.authenticators) {
    try {
      const answer = a.authenticate(creds);
      const r = answer instanceof Promise ? await answer : answer;
      if (!r) continue;
      const audiences = r.audiences ?? [];
      if (requested.length && intersectAudiences(audiences, requested).length === 0) {
        throw internalError('error validating audiences');
      }
      status = { authenticated: true, user: userInfoOf(withAuthenticatedGroup(r.user)), audiences };
      break;
    } catch (e) {
      if ((e as { status?: unknown }).status !== undefined) throw e;
      errors.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (!status) status = { user: {}, error: aggregateMessage([invalidBearerToken, ...errors]) };
  const metadata = { ...(review.metadata ?? {}) } as Record<string, unknown>;
  if (metadata.creationTimestamp === undefined) metadata.creationTimestamp = null;
  return { ...review, metadata, spec, status } as KubeObject;
}

/** Answers a SelfSubjectReview for the requesting (possibly impersonated) user. */
export function reviewSelf(review: KubeObject, user: UserInfo, nowMs: number): KubeObject {
  return {
    ...review,
    metadata: { ...(review.metadata ?? {}), creationTimestamp: formatTime(nowMs) },
    status: { userInfo: userInfoOf(user) },
  } as KubeObject;
}
