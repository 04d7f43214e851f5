/**
 * Continue tokens for paged lists, in kube-apiserver's format: base64 of
 * `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key relative to the list prefix>"}`.
 * The next page starts strictly after `start`, read at revision `rv`.
 */
import { badRequest } from '../api/status.js';

export function encodeContinue(revision: number, startAfterRelative: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start: startAfterRelative + '\u0000' })).toString(
    'base64url',
  );
}

export function decodeContinue(token: string, _prefix: string): { revision: number; startAfter: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data`);
  }
  const p = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (!p || p.v !== 'meta.k8s.io/v1' || typeof p.rv !== 'number' || typeof p.start !== 'string' || p.rv <= 0) {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  let start = p.start;
  if (start.endsWith('\u0000')) start = start.slice(0, -1);
  if (start.includes('..') || start.startsWith('/')) throw badRequest('continue key is not valid: key path is invalid');
  return { revision: p.rv, startAfter: start };
}
