/** Wiring of ServiceAccount tokens: signing keys, TokenRequest, the ServiceAccount token authenticator, static tokens, TokenReview, SelfSubjectReview, OIDC discovery (issue 3). */
import type { PartModule } from './part.js';

export const tokensPart: PartModule = {
  addFlags: (cmd) => cmd,
  build: () => ({}),
};
