/** Anonymous authentication: requests without credentials become system:anonymous. */
import { allUnauthenticated, anonymousUser, type Authenticator } from './types.js';

export function createAnonymousAuthenticator(): Authenticator {
  return {
    authenticate(creds) {
      if (creds.authorization !== undefined) return null;
      return { user: { username: anonymousUser, groups: [allUnauthenticated] } };
    },
  };
}
