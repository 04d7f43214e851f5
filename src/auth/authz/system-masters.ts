/**
 * The bootstrap authorizer until RBAC exists: members of system:masters may do anything; the
 * public-info paths (health, version) are open to everyone and discovery/OpenAPI to every
 * authenticated user, as kube's default policy grants.
 */
import type { Authorizer } from './types.js';

const publicPaths = ['/healthz', '/livez', '/readyz', '/version', '/version/'];
const discoveryPrefixes = ['/api', '/apis', '/openapi', '/.well-known/openid-configuration', '/openid/v1/jwks'];

export function createSystemMastersAuthorizer(): Authorizer {
  return {
    authorize(a) {
      if (a.user.groups.includes('system:masters')) return { decision: 'allow', reason: '' };
      if (!a.isResourceRequest && a.verb === 'get') {
        if (publicPaths.includes(a.path) || a.path.startsWith('/healthz/') || a.path.startsWith('/livez/') || a.path.startsWith('/readyz/')) {
          return { decision: 'allow', reason: '' };
        }
        if (a.user.groups.includes('system:authenticated') && discoveryPrefixes.some((p) => a.path === p || a.path.startsWith(p + '/'))) {
          return { decision: 'allow', reason: '' };
        }
      }
      return { decision: 'no-opinion', reason: '' };
    },
  };
}
