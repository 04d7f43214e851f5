/**
 * The privileged-group authorizer (upstream authorizerfactory.NewPrivilegedGroups): members of
 * system:masters may do anything; everyone else gets no opinion here (RBAC decides: health,
 * version, discovery, OpenAPI and the OIDC documents are granted by the bootstrap policy).
 */
import type { Authorizer } from './types.js';

export function createSystemMastersAuthorizer(): Authorizer {
  return {
    authorize(a) {
      if (a.user.groups.includes('system:masters')) return { decision: 'allow', reason: '' };
      return { decision: 'no-opinion', reason: '' };
    },
  };
}
