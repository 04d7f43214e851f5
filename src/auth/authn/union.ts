/**
 * A union of authenticators: the first that recognizes the credentials decides. Errors from one
 * authenticator are collected; if nobody accepts, a presented credential yields an
 * AuthenticationError (401) rather than anonymous access.
 *
 * The answer is synchronous (no promise, no microtask hop) while every authenticator asked
 * answers synchronously; it becomes a promise from the first one that answers with a promise.
 */
import { AuthenticationError, withAuthenticatedGroup, type AuthResult, type Authenticator, type Credentials } from './types.js';

export function createUnionAuthenticator(authenticators: Authenticator[], anonymous?: Authenticator): Authenticator {
  const accepted = (r: AuthResult): AuthResult => ({ ...r, user: withAuthenticatedGroup(r.user) });
  const settle = (creds: Credentials, errors: string[]): Promise<AuthResult | null> | AuthResult | null => {
    if (errors.length) throw new AuthenticationError(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    if (creds.authorization !== undefined) throw new AuthenticationError('invalid bearer token');
    if (anonymous) return anonymous.authenticate(creds);
    return null;
  };
  async function rest(creds: Credentials, from: number, pending: Promise<AuthResult | null>, errors: string[]): Promise<AuthResult | null> {
    for (let i = from; i < authenticators.length; i++) {
      try {
        const r = i === from ? await pending : await authenticators[i]!.authenticate(creds);
        if (r) return accepted(r);
      } catch (e) {
        errors.push(e instanceof Error ? e.message : String(e));
      }
    }
    return settle(creds, errors);
  }
  return {
    authenticate(creds: Credentials): Promise<AuthResult | null> | AuthResult | null {
      const errors: string[] = [];
      for (let i = 0; i < authenticators.length; i++) {
        try {
          const r = authenticators[i]!.authenticate(creds);
          if (r instanceof Promise) return rest(creds, i, r, errors);
          if (r) return accepted(r);
        } catch (e) {
          errors.push(e instanceof Error ? e.message : String(e));
        }
      }
      return settle(creds, errors);
    },
  };
}
