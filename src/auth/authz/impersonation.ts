/**
 * Impersonation (upstream apiserver/pkg/endpoints/filters/impersonation.go), without HTTP: given
 * the requested identity (parsed from Impersonate-* headers by src/server/impersonation.ts), each
 * part is authorized with the `impersonate` verb on users, groups, serviceaccounts (a username
 * system:serviceaccount:<ns>:<name>), uids and userextras/<key>; the first refusal is 403 with
 * kube-apiserver's sentence. Impersonating a ServiceAccount without Impersonate-Group yields its
 * groups; system:authenticated (or system:unauthenticated for system:anonymous) is added as
 * upstream does.
 */
import type { UserInfo } from '../../admission/types.js';
import { forbidden, internalError } from '../../api/status.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/names.js';
import { forbiddenReason, type Attributes, type Authorizer } from './types.js';

export interface ImpersonationRequest {
  user?: string;
  groups: string[];
  /** [key, value] pairs, keys lower-cased and %-decoded. */
  extra: Array<[string, string]>;
  uid?: string;
}

export const saUserPrefix = 'system:serviceaccount:';

/** serviceaccount.SplitUsername: namespace and name of a ServiceAccount username, or undefined. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(saUserPrefix)) return undefined;
  const parts = username.slice(saUserPrefix.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts as [string, string];
  if (isDNS1123Label(namespace).length || isDNS1123Subdomain(name).length) return undefined;
  return { namespace, name };
}

export const serviceAccountGroups = (namespace: string) => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];

/** Whether any Impersonate-* header was present. */
export const wantsImpersonation = (r: ImpersonationRequest) => !!r.user || r.groups.length > 0 || r.extra.length > 0 || !!r.uid;

interface Part {
  attrs: Omit<Attributes, 'user' | 'verb' | 'isResourceRequest' | 'path'>;
  describe: string;
}

/** Go's %v of the ObjectReference list in the "without impersonating a user" error. */
const goRef = (kind: string, namespace: string, name: string, apiVersion = '', fieldPath = '') => `{${kind} ${namespace} ${name}  ${apiVersion}  ${fieldPath}}`;

/** The effective user, after authorizing every requested part against `authorizer`. */
export async function impersonate(requestor: UserInfo, r: ImpersonationRequest, authorizer: Authorizer): Promise<UserInfo> {
  if (!wantsImpersonation(r)) return requestor;
  const parts: Part[] = [];
  const sa = r.user ? splitServiceAccountUsername(r.user) : undefined;
  const base = { apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  if (r.user) {
    if (sa) parts.push({ attrs: { ...base, namespace: sa.namespace, name: sa.name, resource: 'serviceaccounts' }, describe: goRef('ServiceAccount', sa.namespace, sa.name) });
    else parts.push({ attrs: { ...base, name: r.user, resource: 'users' }, describe: goRef('User', '', r.user) });
  }
  for (const g of r.groups) parts.push({ attrs: { ...base, name: g, resource: 'groups' }, describe: goRef('Group', '', g) });
  for (const [key, value] of r.extra) {
    parts.push({
      attrs: { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', name: value, resource: 'userextras', subresource: key },
      describe: goRef('UserExtra', '', value, 'authentication.k8s.io/v1', key),
    });
  }
  if (r.uid) parts.push({ attrs: { ...base, apiGroup: 'authentication.k8s.io', apiVersion: 'v1', name: r.uid, resource: 'uids' }, describe: goRef('UID', '', r.uid, 'authentication.k8s.io/v1') });
  if (!r.user) throw internalError(`requested [${parts.map((p) => p.describe).join(' ')}] without impersonating a user`);

  for (const p of parts) {
    const attrs: Attributes = { ...p.attrs, user: requestor, verb: 'impersonate', isResourceRequest: true, path: '' };
    let decision: 'allow' | 'deny' | 'no-opinion' = 'no-opinion';
    let reason = '';
    try {
      const d = await authorizer.authorize(attrs);
      decision = d.decision;
      reason = d.reason;
    } catch {
      decision = 'deny';
    }
    if (decision !== 'allow') {
      const text = forbiddenReason(attrs) + (reason ? `: ${reason}` : '');
      throw forbidden({ group: attrs.apiGroup, resource: attrs.resource }, attrs.name, text);
    }
  }

  const username = r.user;
  let groups = [...r.groups];
  if (sa && r.groups.length === 0) groups = serviceAccountGroups(sa.namespace);
  if (username !== 'system:anonymous') {
    if (!groups.includes('system:authenticated') && !groups.includes('system:unauthenticated')) groups.push('system:authenticated');
  } else if (!groups.includes('system:unauthenticated')) groups.push('system:unauthenticated');
  const extra: Record<string, string[]> = {};
  for (const [k, v] of r.extra) (extra[k] ??= []).push(v);
  const user: UserInfo = { username, groups, extra };
  if (r.uid) user.uid = r.uid;
  return user;
}
