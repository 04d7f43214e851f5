/**
 * The ServiceAccount token authenticator: kube-apiserver's two JWT authenticators (bound tokens
 * from TokenRequest, legacy Secret-based tokens) in one, over a TokenVerifier from tokens/.
 *
 * Order of checks, as pkg/serviceaccount/jwt.go and claims.go/legacy.go do them: signature,
 * header and issuer (the verifier), audiences (token audiences ∩ the requested ones, legacy tokens
 * count as the API audiences), time claims (the verifier's, deferred; 60 s leeway), then the
 * objects: the ServiceAccount
 * exists with the token's UID and is not deleted for more than 60 s; a bound Pod, Secret or Node
 * (Node only when the token is not pod-bound) exists with its UID and is not deleted for more than
 * 60 s; a legacy token's Secret exists, is not being deleted, holds exactly this token and is not
 * labelled invalid. Error messages are upstream's; none contains token text.
 *
 * Results are kept in a TokenCache (see token-cache.ts) that the Stores' watch caches invalidate.
 * The authenticator answers synchronously: verification uses node:crypto and lookups read the
 * in-memory watch caches, so a verification and its cache insertion cannot interleave with an
 * invalidating event.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KubeObject } from '../../api/meta.js';
import { invalidSinceLabelKey } from '../../api/serviceaccount-tokens.js';
import type { TokenVerifier, VerifiedToken } from '../../tokens/types.js';
import { objectKey, type CachedAuthentication, type TokenCache } from './token-cache.js';
import { AuthenticationError, bearerTokenOf, type AuthResult, type Credentials, type SyncAuthenticator, type UserInfo } from './types.js';

/** The issuer of legacy (Secret-based) tokens. */
export const legacyIssuer = 'kubernetes/serviceaccount';

export const podNameKey = 'authentication.kubernetes.io/pod-name';
export const podUidKey = 'authentication.kubernetes.io/pod-uid';
export const nodeNameKey = 'authentication.kubernetes.io/node-name';
export const nodeUidKey = 'authentication.kubernetes.io/node-uid';
export const credentialIdKey = 'authentication.kubernetes.io/credential-id';

/** Reads current objects (a Store's `find`): undefined when absent. */
export interface ObjectGetter {
  find(namespace: string, name: string): KubeObject | undefined;
}

export interface ServiceAccountAuthenticatorOptions {
  /** Verifies bound tokens (the --service-account-issuer values) and legacy ones (issuer `kubernetes/serviceaccount`). */
  verifier: TokenVerifier;
  /** The API audiences (--api-audiences, default the issuers): implicit audiences of legacy tokens and the default target. */
  apiAudiences(): string[];
  serviceAccounts: ObjectGetter;
  pods: ObjectGetter;
  secrets: ObjectGetter;
  nodes: ObjectGetter;
  cache?: TokenCache;
  /** Epoch ms. */
  now?: () => number;
  /** Leeway for object deletion timestamps and for the cached token's exp (go-jose's DefaultLeeway). */
  leewaySeconds?: number;
  /** Called after a legacy token authenticated (upstream refreshes its last-used label). */
  legacyTokenUsed?(secret: KubeObject): void;
}

/** `system:serviceaccount:NS:NAME` */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** Go's %q of a []string: `["a" "b"]`. */
export function goQuoteList(xs: string[]): string {
  return `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
}

export function intersectAudiences(tokenAudiences: string[], requested: string[]): string[] {
  return tokenAudiences.filter((a) => requested.includes(a));
}

function deletedBefore(obj: KubeObject, cutoffMs: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return typeof ts === 'string' && Date.parse(ts) < cutoffMs;
}

/** ms until which an object marked for deletion still validates tokens (deletionTimestamp + leeway). */
function graceEnd(obj: KubeObject, leewayMs: number): number {
  const ts = obj.metadata.deletionTimestamp;
  return typeof ts === 'string' ? Date.parse(ts) + leewayMs : Infinity;
}

function fail(message: string): never {
  throw new AuthenticationError(message);
}

function decodeSecretToken(secret: KubeObject): Buffer | undefined {
  const data = (secret as { data?: Record<string, unknown> }).data;
  const v = data?.token;
  return typeof v === 'string' ? Buffer.from(v, 'base64') : undefined;
}

const deferTimeErrors = { deferTimeErrors: true } as const;

export function createServiceAccountAuthenticator(o: ServiceAccountAuthenticatorOptions): SyncAuthenticator {
  const now = o.now ?? Date.now;
  const leewayMs = (o.leewaySeconds ?? 60) * 1000;

  function validateBound(v: VerifiedToken, nowMs: number): CachedAuthentication {
    const c = v.claims;
    const ns = c.namespace;
    const cutoff = nowMs - leewayMs;
    let validUntil = ((v.expiresAt ?? Infinity) * 1000) + leewayMs;
    const dependsOn: string[] = [];

    const sa = o.serviceAccounts.find(ns, c.serviceAccount.name);
    dependsOn.push(objectKey('serviceaccounts', ns, c.serviceAccount.name));
    if (!sa) fail(`serviceaccounts "${c.serviceAccount.name}" not found`);
    if (sa.metadata.uid !== c.serviceAccount.uid) fail(`service account UID (${sa.metadata.uid ?? ''}) does not match claim (${c.serviceAccount.uid})`);
    if (deletedBefore(sa, cutoff)) fail(`service account ${ns}/${c.serviceAccount.name} has been deleted`);
    validUntil = Math.min(validUntil, graceEnd(sa, leewayMs));

    if (c.secret) {
      const secret = o.secrets.find(ns, c.secret.name);
      dependsOn.push(objectKey('secrets', ns, c.secret.name));
      if (!secret) fail('service account token has been invalidated');
      if (secret.metadata.uid !== c.secret.uid) fail(`secret UID (${secret.metadata.uid ?? ''}) does not match service account secret ref claim (${c.secret.uid})`);
      if (deletedBefore(secret, cutoff)) fail('service account token has been invalidated');
      validUntil = Math.min(validUntil, graceEnd(secret, leewayMs));
    }
    const extra: Record<string, string[]> = {};
    if (c.pod) {
      const pod = o.pods.find(ns, c.pod.name);
      dependsOn.push(objectKey('pods', ns, c.pod.name));
      if (!pod) fail('service account token has been invalidated');
      if (pod.metadata.uid !== c.pod.uid) fail(`pod UID (${pod.metadata.uid ?? ''}) does not match service account pod ref claim (${c.pod.uid})`);
      if (deletedBefore(pod, cutoff)) fail('service account token has been invalidated');
      validUntil = Math.min(validUntil, graceEnd(pod, leewayMs));
      if (c.pod.name && c.pod.uid) {
        extra[podNameKey] = [c.pod.name];
        extra[podUidKey] = [c.pod.uid];
      }
    }
    if (v.jti) extra[credentialIdKey] = [`JTI=${v.jti}`];
    if (c.node) {
      if (!c.pod) {
        // A node-bound token: the Node must still exist with its UID.
        const node = o.nodes.find('', c.node.name);
        dependsOn.push(objectKey('nodes', '', c.node.name));
        if (!node) fail('service account token has been invalidated');
        if (node.metadata.uid !== c.node.uid) fail(`node UID (${node.metadata.uid ?? ''}) does not match service account node ref claim (${c.node.uid})`);
        if (deletedBefore(node, cutoff)) fail('service account token has been invalidated');
        validUntil = Math.min(validUntil, graceEnd(node, leewayMs));
      }
      // For pod-bound tokens the node is only reported, not checked (upstream).
      if (c.node.name) {
        extra[nodeNameKey] = [c.node.name];
        if (c.node.uid) extra[nodeUidKey] = [c.node.uid];
      }
    }
    const user: UserInfo = {
      username: serviceAccountUsername(ns, c.serviceAccount.name),
      uid: c.serviceAccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`],
    };
    if (Object.keys(extra).length) user.extra = extra;
    return { user, tokenAudiences: v.audiences, validUntilMs: validUntil, dependsOn };
  }

  function validateLegacy(v: VerifiedToken, token: string, nowMs: number): CachedAuthentication {
    const c = v.claims;
    const ns = c.namespace;
    const saName = c.serviceAccount.name;
    const secretName = c.secret?.name ?? '';
    if (!v.subject) fail('sub claim is missing');
    if (!ns) fail('namespace claim is missing');
    if (!secretName) fail('secretName claim is missing');
    if (!saName) fail('serviceAccountName claim is missing');
    if (!c.serviceAccount.uid) fail('serviceAccountUID claim is missing');
    if (v.subject !== serviceAccountUsername(ns, saName)) fail('sub claim is invalid');

    const secret = o.secrets.find(ns, secretName);
    if (!secret || secret.metadata.deletionTimestamp) fail('Token has been invalidated');
    const stored = decodeSecretToken(secret);
    const presented = Buffer.from(token);
    if (!stored || stored.length !== presented.length || !timingSafeEqual(stored, presented)) fail("Token does not match server's copy");
    const sa = o.serviceAccounts.find(ns, saName);
    if (!sa) fail(`serviceaccounts "${saName}" not found`);
    if (sa.metadata.deletionTimestamp) fail(`ServiceAccount ${ns}/${saName} has been deleted`);
    if (sa.metadata.uid !== c.serviceAccount.uid) fail(`ServiceAccount UID (${sa.metadata.uid ?? ''}) does not match claim (${c.serviceAccount.uid})`);
    if (secret.metadata.labels?.[invalidSinceLabelKey]) {
      o.legacyTokenUsed?.(secret);
      fail(
        `the token in secret ${ns}/${secretName} for service account ${ns}/${saName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${invalidSinceLabelKey}' label from the secret to temporarily allow use of this token`,
      );
    }
    o.legacyTokenUsed?.(secret);
    return {
      user: { username: serviceAccountUsername(ns, saName), uid: c.serviceAccount.uid, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`] },
      tokenAudiences: o.apiAudiences(),
      validUntilMs: nowMs + 3_600_000,
      dependsOn: [objectKey('secrets', ns, secretName), objectKey('serviceaccounts', ns, saName)],
    };
  }

  function answer(entry: CachedAuthentication, creds: Credentials): AuthResult {
    const apiAudiences = o.apiAudiences();
    const requested = creds.audiences?.length ? creds.audiences : apiAudiences;
    const audiences = intersectAudiences(entry.tokenAudiences, requested);
    if (audiences.length === 0 && apiAudiences.length) {
      fail(`token audiences ${goQuoteList(entry.tokenAudiences)} is invalid for the target audiences ${goQuoteList(requested)}`);
    }
    return { user: entry.user, audiences };
  }

  return {
    authenticate(creds) {
      const token = bearerTokenOf(creds.authorization);
      if (token === undefined) return null;
      const nowMs = now();
      const hit = o.cache?.get(token, nowMs);
      if (hit) return answer(hit, creds);
      const verified = o.verifier.verify(token, nowMs / 1000, deferTimeErrors);
      if (!verified) return null;
      const legacy = verified.claims.kind === 'legacy';
      if (legacy !== (verified.issuer === legacyIssuer)) return null;
      // Audiences before objects, as upstream (the object checks need not run for a foreign token).
      const tokenAudiences = legacy ? o.apiAudiences() : verified.audiences;
      answer({ user: { username: '', groups: [] }, tokenAudiences, validUntilMs: 0, dependsOn: [] }, creds);
      if (verified.timeError) throw verified.timeError;
      const entry = legacy ? validateLegacy(verified, token, nowMs) : validateBound(verified, nowMs);
      o.cache?.set(token, entry, nowMs);
      return answer(entry, creds);
    },
  };
}
