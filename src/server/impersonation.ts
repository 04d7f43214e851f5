/**
 * Impersonate-* request headers (upstream buildImpersonationRequests): Impersonate-User,
 * Impersonate-Group (repeatable), Impersonate-Uid, and Impersonate-Extra-<key> (key lower-cased,
 * then %-decoded; repeatable). Only the HTTP half: what the request asks for. Authorizing it is
 * src/auth/authz/impersonation.ts.
 */
import type { IncomingMessage } from 'node:http';
import type { ImpersonationRequest } from '../auth/authz/impersonation.js';

const extraPrefix = 'impersonate-extra-';

function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

export function impersonationRequestOf(req: IncomingMessage): ImpersonationRequest {
  const r: ImpersonationRequest = { groups: [], extra: [] };
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === 'impersonate-user') {
      if (r.user === undefined && value !== '') r.user = value;
    } else if (name === 'impersonate-group') r.groups.push(value);
    else if (name === 'impersonate-uid') {
      if (r.uid === undefined && value !== '') r.uid = value;
    } else if (name.startsWith(extraPrefix)) r.extra.push([unescapeExtraKey(name.slice(extraPrefix.length)), value]);
  }
  return r;
}
