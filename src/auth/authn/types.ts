/**
 * Authentication contracts. An authenticator looks at one request's credentials and answers
 * with a user, "not mine" (null: try the next one), or an error (credentials presented but
 * invalid: the request is rejected with 401, never treated as anonymous).
 */
import type { UserInfo } from '../../admission/types.js';

export type { UserInfo };

/** What authenticators may look at: the parts of a request that carry credentials. */
export interface Credentials {
  /** The verified client certificate chain's leaf subject, when the TLS peer presented one signed by a trusted CA. */
  clientCertificate?: { commonName: string; organizations: string[] };
  /**
   * Authorization header value, when present. The server sets it to '' when the request carried
   * several Authorization headers (a presented but unusable credential: 401, never anonymous).
   */
  authorization?: string;
  /**
   * The audiences the credential must be valid for (TokenReview's spec.audiences); absent means
   * the API audiences. Token authenticators answer with the intersection in AuthResult.audiences.
   */
  audiences?: string[];
}

/**
 * The bearer token of an Authorization header, parsed as upstream's bearertoken authenticator
 * does: surrounding whitespace trimmed, split on single spaces into at most 3 parts, the scheme
 * `Bearer` compared case-insensitively, the token is the second part (so `Bearer  t`, with two
 * spaces, and `Bearer` alone have an empty token). Returns undefined when there is no usable
 * bearer token.
 */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  // The second space-separated part, found without splitting the whole (long) header.
  const text = authorization.trim();
  const space = text.indexOf(' ');
  if (space !== 6 || text.slice(0, 6).toLowerCase() !== 'bearer') return undefined;
  const end = text.indexOf(' ', space + 1);
  const token = end < 0 ? text.slice(space + 1) : text.slice(space + 1, end);
  return token.length ? token : undefined;
}

export interface AuthResult {
  user: UserInfo;
  /** Audiences the credential was valid for (token authenticators). */
  audiences?: string[];
}

export class AuthenticationError extends Error {}

export interface Authenticator {
  authenticate(creds: Credentials): Promise<AuthResult | null> | AuthResult | null;
}

/** An authenticator that answers synchronously (token authenticators reading in-memory state). */
export interface SyncAuthenticator extends Authenticator {
  authenticate(creds: Credentials): AuthResult | null;
}

export const allAuthenticated = 'system:authenticated';
export const allUnauthenticated = 'system:unauthenticated';
export const anonymousUser = 'system:anonymous';

/** Adds system:authenticated unless the user already carries it or system:unauthenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(allAuthenticated) || user.groups.includes(allUnauthenticated)) return user;
  return { ...user, groups: [...user.groups, allAuthenticated] };
}
