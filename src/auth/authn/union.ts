/**
 * A union of authenticators: the first that recognizes the credentials decides. Errors from one
 * authenticator are collected; if nobody accepts, a presented credential yields an
 * AuthenticationError (401) rather than anonymous access.
 */
import { AuthenticationError, withAuthenticatedGroup, type AuthResult, type Authenticator, type Credentials } from './types.js';

export function createUnionAuthenticator(authenticators: Authenticator[], anonymous?: Authenticator): Authenticator {
  return {
    async authenticate(creds: Credentials): Promise<AuthResult | null> {
      const errors: string[] = [];
      for (const a of authenticators) {
        try {
          const r = await a.authenticate(creds);
          if (r) return { ...r, user: withAuthenticatedGroup(r.user) };
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (errors.length) throw new AuthenticationError(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
      if (creds.authorization !== undefined) throw new AuthenticationError('invalid bearer token');
      if (anonymous) return anonymous.authenticate(creds);
      return null;
    },
  };
}
