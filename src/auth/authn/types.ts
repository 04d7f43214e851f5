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
  /** Authorization header value, when present. */
  authorization?: string;
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

export const allAuthenticated = 'system:authenticated';
export const allUnauthenticated = 'system:unauthenticated';
export const anonymousUser = 'system:anonymous';

/** Adds system:authenticated unless the user already carries it or system:unauthenticated. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  if (user.groups.includes(allAuthenticated) || user.groups.includes(allUnauthenticated)) return user;
  return { ...user, groups: [...user.groups, allAuthenticated] };
}
