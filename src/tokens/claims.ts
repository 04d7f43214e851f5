/**
 * The claims Kubernetes 1.32 writes into ServiceAccount tokens (pkg/serviceaccount/claims.go and
 * legacy.go), and the reverse direction used by the verifier: reading them back with upstream's
 * checks. Pure functions; time is passed in.
 */
import { randomUUID } from 'node:crypto';
import { TokenInvalidError, type ObjectRef, type ServiceAccountClaims } from './types.js';

/** `iss` of Secret-based (legacy) tokens, written by the tokens controller. */
export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** Expiration of kubelet-requested tokens that get the one-year extension (claims.go). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;
/** The extended expiration (claims.go ExpirationExtensionSeconds, one year). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

const USERNAME_PREFIX = 'system:serviceaccount:';
const LEGACY_NAMESPACE = 'kubernetes.io/serviceaccount/namespace';
const LEGACY_SECRET_NAME = 'kubernetes.io/serviceaccount/secret.name';
const LEGACY_SA_NAME = 'kubernetes.io/serviceaccount/service-account.name';
const LEGACY_SA_UID = 'kubernetes.io/serviceaccount/service-account.uid';

export interface ServiceAccountIdentity {
  namespace: string;
  name: string;
  uid: string;
}

/** `system:serviceaccount:<namespace>:<name>` (MakeUsername). */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${USERNAME_PREFIX}${namespace}:${name}`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * SplitUsername: the namespace and name of a ServiceAccount username, or undefined when it is not
 * `system:serviceaccount:<DNS-1123 label>:<DNS-1123 subdomain>`.
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(USERNAME_PREFIX)) return undefined;
  const parts = username.slice(USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (namespace.length > 63 || !DNS1123_LABEL.test(namespace)) return undefined;
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) return undefined;
  return { namespace, name };
}

/** A random UUID v4 string, as upstream's uuid.NewString for `jti`. */
export function newJti(): string {
  return randomUUID();
}

/** go-jose `ref` with omitempty members. */
function refClaim(ref: ObjectRef): Record<string, string> {
  const out: Record<string, string> = {};
  if (ref.name !== '') out.name = ref.name;
  if (ref.uid !== '') out.uid = ref.uid;
  return out;
}

export interface BoundTokenClaimsOptions {
  /** The first `--service-account-issuer`. */
  issuer: string;
  /** Written as an array, always (omitted only when empty, as go-jose's omitempty does). */
  audiences: string[];
  /** The JWT lifetime: exp = iat + this (pass the extended value when the extension applies). */
  expirationSeconds: number;
  /** Issue time, Unix seconds; truncated to whole seconds like jwt.NewNumericDate. */
  nowSeconds: number;
  serviceAccount: ServiceAccountIdentity;
  pod?: ObjectRef;
  secret?: ObjectRef;
  /** For Pod-bound tokens of a scheduled pod (uid '' when the Node was not found), or Node-bound tokens. */
  node?: ObjectRef;
  /** ABSOLUTE Unix seconds (e.g. nowSeconds + 3607) for `kubernetes.io.warnafter`; omitted when absent or 0. */
  warnAfter?: number;
  /** Defaults to newJti(). */
  jti?: string;
}

/**
 * The payload of a TokenRequest token, as claims.go Claims() + the generator's `iss`, with members
 * in the order kube-apiserver serializes them (sorted): aud, exp, iat, iss, jti, kubernetes.io
 * {namespace, node, pod, secret, serviceaccount, warnafter}, nbf, sub. Empty strings are omitted
 * (omitempty) except `serviceaccount`, which is always present. Throws when a Secret binding is
 * combined with a Pod or Node (upstream: "internal error, token can only be bound to one object type").
 */
export function boundTokenClaims(options: BoundTokenClaimsOptions): Record<string, unknown> {
  if (options.secret !== undefined && (options.pod !== undefined || options.node !== undefined)) {
    throw new Error('internal error, token can only be bound to one object type');
  }
  const now = Math.floor(options.nowSeconds);
  const sa = options.serviceAccount;
  const kubernetes: Record<string, unknown> = {};
  if (sa.namespace !== '') kubernetes.namespace = sa.namespace;
  if (options.node !== undefined) kubernetes.node = refClaim(options.node);
  if (options.pod !== undefined) kubernetes.pod = refClaim(options.pod);
  if (options.secret !== undefined) kubernetes.secret = refClaim(options.secret);
  kubernetes.serviceaccount = refClaim({ name: sa.name, uid: sa.uid });
  if (options.warnAfter !== undefined && options.warnAfter !== 0) kubernetes.warnafter = Math.floor(options.warnAfter);

  const payload: Record<string, unknown> = {};
  if (options.audiences.length > 0) payload.aud = [...options.audiences];
  payload.exp = now + Math.floor(options.expirationSeconds);
  payload.iat = now;
  if (options.issuer !== '') payload.iss = options.issuer;
  const jti = options.jti ?? newJti();
  if (jti !== '') payload.jti = jti;
  payload['kubernetes.io'] = kubernetes;
  payload.nbf = now;
  payload.sub = serviceAccountUsername(sa.namespace, sa.name);
  return payload;
}

/**
 * The payload of a Secret-based token (legacy.go LegacyClaims + iss "kubernetes/serviceaccount"):
 * iss, the four flat `kubernetes.io/serviceaccount/...` claims (always present), sub. No time claims.
 */
export function legacyTokenClaims(options: { serviceAccount: ServiceAccountIdentity; secretName: string }): Record<string, unknown> {
  const sa = options.serviceAccount;
  return {
    iss: LEGACY_ISSUER,
    [LEGACY_NAMESPACE]: sa.namespace,
    [LEGACY_SECRET_NAME]: options.secretName,
    [LEGACY_SA_NAME]: sa.name,
    [LEGACY_SA_UID]: sa.uid,
    sub: serviceAccountUsername(sa.namespace, sa.name),
  };
}

function optionalString(payload: Record<string, unknown>, name: string): string {
  const value = payload[name];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new TokenInvalidError(`service account token claim ${name} is not a string`);
  return value;
}

function optionalRef(kubernetes: Record<string, unknown>, name: string): ObjectRef | undefined {
  const value = kubernetes[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TokenInvalidError(`service account token claim kubernetes.io.${name} is not an object`);
  }
  const ref = value as Record<string, unknown>;
  return {
    name: optionalString(ref, 'name'),
    uid: optionalString(ref, 'uid'),
  };
}

/**
 * A NumericDate claim as go-jose reads it: absent or null gives undefined; a JSON number is
 * truncated toward zero (float64 -> int64), and values outside int64 become the far past (what
 * Go's conversion yields on amd64); anything else (string, bool, object) is refused.
 */
export function numericDateClaim(payload: Record<string, unknown>, name: string): number | undefined {
  const value = payload[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TokenInvalidError(`service account token claims could not be validated: ${name} is not a NumericDate`);
  }
  if (value >= 9223372036854775807 || value <= -9223372036854775808) return Number.MIN_SAFE_INTEGER;
  return Math.trunc(value);
}

/** go-jose Audience: a string is one audience, an array must hold strings only. */
export function audienceClaim(payload: Record<string, unknown>): string[] {
  const value = payload.aud;
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((a) => typeof a === 'string')) return value as string[];
  throw new TokenInvalidError('service account token claim aud is not a string or an array of strings');
}

function parseLegacy(payload: Record<string, unknown>): ServiceAccountClaims {
  // legacy.go: presence in this order, then sub agreement.
  const sub = optionalString(payload, 'sub');
  const namespace = optionalString(payload, LEGACY_NAMESPACE);
  const secretName = optionalString(payload, LEGACY_SECRET_NAME);
  const name = optionalString(payload, LEGACY_SA_NAME);
  const uid = optionalString(payload, LEGACY_SA_UID);
  if (sub === '') throw new TokenInvalidError('sub claim is missing');
  if (namespace === '') throw new TokenInvalidError('namespace claim is missing');
  if (secretName === '') throw new TokenInvalidError('secretName claim is missing');
  if (name === '') throw new TokenInvalidError('serviceAccountName claim is missing');
  if (uid === '') throw new TokenInvalidError('serviceAccountUID claim is missing');
  const split = splitServiceAccountUsername(sub);
  if (split === undefined || split.namespace !== namespace || split.name !== name) {
    throw new TokenInvalidError('sub claim is invalid');
  }
  return { kind: 'legacy', namespace, serviceAccount: { name, uid }, secret: { name: secretName, uid: '' } };
}

function parseBound(payload: Record<string, unknown>): ServiceAccountClaims {
  const raw = payload['kubernetes.io'];
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new TokenInvalidError('service account token claim kubernetes.io is not an object');
  }
  const kubernetes = (raw ?? {}) as Record<string, unknown>;
  const namespace = optionalString(kubernetes, 'namespace');
  const serviceAccount = optionalRef(kubernetes, 'serviceaccount') ?? { name: '', uid: '' };
  const pod = optionalRef(kubernetes, 'pod');
  const secret = optionalRef(kubernetes, 'secret');
  const node = optionalRef(kubernetes, 'node');
  const warnAfter = numericDateClaim(kubernetes, 'warnafter');
  // Stricter than upstream, which would fail later on the object lookups with other words.
  if (namespace === '') throw new TokenInvalidError('namespace claim is missing');
  if (serviceAccount.name === '') throw new TokenInvalidError('serviceAccountName claim is missing');
  if (serviceAccount.uid === '') throw new TokenInvalidError('serviceAccountUID claim is missing');
  for (const [kind, ref] of [['pod', pod], ['secret', secret], ['node', node]] as const) {
    if (ref !== undefined && ref.name === '') throw new TokenInvalidError(`${kind} claim is invalid`);
  }
  if (secret !== undefined && (pod !== undefined || node !== undefined)) {
    throw new TokenInvalidError('service account token is bound to more than one object');
  }
  // Upstream derives the user from kubernetes.io and ignores sub; we refuse a disagreeing sub.
  const split = splitServiceAccountUsername(optionalString(payload, 'sub'));
  if (split === undefined || split.namespace !== namespace || split.name !== serviceAccount.name) {
    throw new TokenInvalidError('sub claim is invalid');
  }
  const claims: ServiceAccountClaims = { kind: 'bound', namespace, serviceAccount };
  if (pod !== undefined) claims.pod = pod;
  if (secret !== undefined) claims.secret = secret;
  if (node !== undefined) claims.node = node;
  if (warnAfter !== undefined && warnAfter !== 0) claims.warnAfter = warnAfter;
  return claims;
}

/**
 * Reads the ServiceAccount identity from a (signature-verified) payload. `kind` defaults to
 * 'legacy' when `iss` is "kubernetes/serviceaccount", else 'bound'.
 * - legacy (legacy.go): sub, namespace, secret name, SA name and SA uid must all be non-empty
 *   (checked in that order: "sub claim is missing", "namespace claim is missing", "secretName
 *   claim is missing", "serviceAccountName claim is missing", "serviceAccountUID claim is
 *   missing"), and sub must name the same namespace/name ("sub claim is invalid").
 * - bound: kubernetes.io.namespace and serviceaccount {name, uid} are required, pod/secret/node
 *   refs need a name, Secret cannot be combined with Pod/Node, and sub must agree with them
 *   ("sub claim is invalid"); these checks are stricter than upstream (see report).
 * Wrongly typed claims are refused. Throws TokenInvalidError; the message never holds token text
 * beyond claim names.
 */
export function parseServiceAccountClaims(payload: Record<string, unknown>, kind?: 'bound' | 'legacy'): ServiceAccountClaims {
  const effective = kind ?? (payload.iss === LEGACY_ISSUER ? 'legacy' : 'bound');
  return effective === 'legacy' ? parseLegacy(payload) : parseBound(payload);
}
