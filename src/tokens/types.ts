/**
 * The contracts of tokens/: keys that sign and verify ServiceAccount JWTs, the claims Kubernetes
 * 1.32 writes into them, and the OIDC discovery documents. Only tokens/ imports `jose`; the rest
 * of the server sees these types. Nothing here knows HTTP or storage: whether a ServiceAccount,
 * Pod, Secret or Node named by a token still exists is the authenticator's business (auth/authn).
 */
import type { KeyObject } from 'node:crypto';

/** A reference to a bound object inside the `kubernetes.io` claim. */
export interface ObjectRef {
  name: string;
  uid: string;
}

/** The ServiceAccount identity a token carries, bound (TokenRequest) or legacy (Secret-based). */
export interface ServiceAccountClaims {
  /** 'bound': claims under `kubernetes.io`; 'legacy': the flat `kubernetes.io/serviceaccount/...` claims. */
  kind: 'bound' | 'legacy';
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  /** Bound tokens: the bound Secret; legacy tokens: the Secret holding the token (uid may be ''). */
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Unix seconds after which a client should be warned that the (extended) token is stale. */
  warnAfter?: number;
}

/** A token whose signature, header, issuer and time claims were checked. */
export interface VerifiedToken {
  issuer: string;
  subject: string;
  /** The `aud` claim as a list (empty for legacy tokens). */
  audiences: string[];
  /** Unix seconds; absent only for legacy tokens. */
  expiresAt?: number;
  issuedAt?: number;
  notBefore?: number;
  /** The `jti` claim (bound tokens), used for the credential-id extra `JTI=<jti>`. */
  jti?: string;
  claims: ServiceAccountClaims;
  /** `kid` of the key that verified the signature. */
  keyId: string;
  /**
   * Only with `deferTimeErrors`: the refusal of the time claims (exp missing, expired, not valid
   * yet, issued in the future) that verify would otherwise have thrown. A token carrying it must
   * be refused with it (after whatever checks the caller orders before time).
   */
  timeError?: TokenInvalidError;
}

export interface VerifyOptions {
  /**
   * Return a token whose only fault is its time claims with `timeError` set instead of throwing,
   * so that the caller can check what upstream checks first (audiences) and still refuse it.
   */
  deferTimeErrors?: boolean;
}

/** Why a token was refused. `message` is safe to log and to return: it never contains token text. */
export class TokenInvalidError extends Error {
  override name = 'TokenInvalidError';
}

export interface TokenVerifier {
  /**
   * Verifies a compact JWS: structure, header (alg allow-list matching the key type, no crit, no
   * embedded or remote keys), signature against any verification key, issuer among the accepted
   * ones, exp/nbf/iat with Kubernetes' leeway, the private claims' shape, and that `sub` agrees
   * with them. Synchronous and allocation-light (node:crypto); never performs I/O.
   * Throws TokenInvalidError; returns null when the token is not a ServiceAccount JWT at all
   * (not three dot-separated parts, or an issuer this server does not accept), so that another
   * authenticator may try it. Precisely (verifier.ts): null wherever kube-apiserver's JWT
   * authenticator abstains (starts with `{`, not three parts, payload not base64url JSON with an
   * accepted string `iss`, or a JWS go-jose cannot parse: header not base64url JSON, `alg`/`kid`
   * not strings, signature not base64url), and for tokens longer than MAX_TOKEN_LENGTH.
   * `nowSeconds` may be fractional (Date.now() / 1000 compares exactly like upstream).
   * With `options.deferTimeErrors`, a time-claim refusal comes back in `timeError` (see there).
   */
  verify(token: string, nowSeconds: number, options?: VerifyOptions): VerifiedToken | null;
}

export interface TokenSigner {
  /** `kid` of the signing key (as Kubernetes derives it). */
  readonly keyId: string;
  readonly algorithm: string;
  /** Signs the payload as a compact JWS (header {alg, kid}); the RSA work runs on the libuv threadpool. */
  sign(payload: Record<string, unknown>): Promise<string>;
}

/** A public key trusted to verify tokens, with its JWK for the JWKS document. */
export interface VerificationKey {
  keyId: string;
  algorithm: string;
  publicKey: KeyObject;
  jwk: { kty: string; kid: string; alg: string; use: 'sig'; [k: string]: string };
}
