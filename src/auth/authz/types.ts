/**
 * Authorization contracts (upstream authorizer.Attributes / Decision). An authorizer allows,
 * denies, or has no opinion; a union asks each in turn. Errors are denials (never fail open).
 */
import type { UserInfo } from '../../admission/types.js';

export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizationResult {
  decision: Decision;
  reason: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): Promise<AuthorizationResult> | AuthorizationResult;
}

export function createUnionAuthorizer(authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attrs) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        let r: AuthorizationResult;
        try {
          r = await a.authorize(attrs);
        } catch (e) {
          reasons.push(`authorizer error: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        if (r.decision === 'allow') return r;
        if (r.decision === 'deny') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return { decision: 'no-opinion', reason: reasons.join(', ') };
    },
  };
}

/** kube-apiserver's Forbidden sentence for these attributes (without the `<resource> "<name>" is forbidden: ` prefix). */
export function forbiddenReason(a: Attributes): string {
  const who = `User ${JSON.stringify(a.user.username)}`;
  if (!a.isResourceRequest) return `${who} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  let s = `${who} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup)}`;
  s += a.namespace ? ` in the namespace ${JSON.stringify(a.namespace)}` : ' at the cluster scope';
  return s;
}
