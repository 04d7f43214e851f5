/** Client-certificate authentication: CN is the user name, each O a group (kube-apiserver's x509 authenticator). */
import type { Authenticator } from './types.js';

export function createX509Authenticator(): Authenticator {
  return {
    authenticate(creds) {
      const c = creds.clientCertificate;
      if (!c) return null;
      return { user: { username: c.commonName, groups: [...c.organizations] } };
    },
  };
}
