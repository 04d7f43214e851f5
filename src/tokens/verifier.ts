/**
 * The hot-path verifier of ServiceAccount JWTs (compact JWS), written on node:crypto alone.
 *
 * Follows kube-apiserver 1.32 (pkg/serviceaccount/jwt.go, claims.go, legacy.go with go-jose v2):
 * - abstains (returns null) exactly where upstream's authenticator returns (nil, false, nil): the
 *   token starts with `{`, is not three dot-separated parts, its payload is not base64url JSON with
 *   an accepted string `iss`, or go-jose could not parse the JWS (header not base64url JSON, `alg`
 *   or `kid` not strings, signature not base64url). Tokens longer than MAX_TOKEN_LENGTH also abstain
 *   (bounded work; we never issue such tokens).
 * - key selection: a non-empty `kid` selects only the keys with that derived kid ("invalid
 *   signature, no keys found" when none); no `kid` tries every key.
 * - signature: RS256/384/512 and PS256/384/512 with RSA keys, ES256/384/512 with the P-256/384/521
 *   key of that size (JOSE r||s form, exact length); anything else, `none` and HS* included, fails
 *   like go-jose ("go-jose/go-jose: error in cryptographic primitive").
 * - bound tokens: nbf, exp, iat checked in go-jose's order with a 60 s leeway (jwt.DefaultLeeway);
 *   legacy tokens (iss "kubernetes/serviceaccount") get no time checks, as upstream. With
 *   `deferTimeErrors` the time refusal is returned in `timeError` rather than thrown (upstream
 *   checks the audiences before time: the authenticator uses it to keep that order).
 * Stricter than upstream, by design: duplicate JSON members (header or payload) are refused; the
 * header may hold only `alg`, `kid` and `typ` ("JWT"), so `crit`, `jwk`, `jku`, `x5u`, `x5c`,
 * `b64`, `zip`, `enc`... are refused; base64url must be unpadded with no whitespace (Go skips CR/LF);
 * bound tokens must carry `exp`; the identity claims must agree with `sub` (see claims.ts).
 */
import { constants, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { LEGACY_ISSUER, audienceClaim, numericDateClaim, parseServiceAccountClaims } from './claims.js';
import { findDuplicateMember } from './json.js';
import { TokenInvalidError, type TokenVerifier, type VerificationKey, type VerifiedToken, type VerifyOptions } from './types.js';

/** Longest token looked at (characters); kube-apiserver tokens are about 1.2 KB. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** go-jose jwt.DefaultLeeway, used by Kubernetes for exp, nbf, iat (and object deletion). */
export const DEFAULT_LEEWAY_SECONDS = 60;

const CRYPTO_FAILURE = 'go-jose/go-jose: error in cryptographic primitive';
const NO_KEYS = 'invalid signature, no keys found';

interface AlgorithmSpec {
  keyType: 'rsa' | 'ec';
  digest: string;
  /** RSA: PKCS#1 v1.5 or PSS padding. */
  padding?: number;
  /** ECDSA: the only curve (node:crypto name) this algorithm verifies with. */
  curve?: string;
  /** ECDSA: JOSE signature length (r||s). */
  ecSignatureLength?: number;
}

const ALGORITHMS: Record<string, AlgorithmSpec> = {
  RS256: { keyType: 'rsa', digest: 'sha256', padding: constants.RSA_PKCS1_PADDING },
  RS384: { keyType: 'rsa', digest: 'sha384', padding: constants.RSA_PKCS1_PADDING },
  RS512: { keyType: 'rsa', digest: 'sha512', padding: constants.RSA_PKCS1_PADDING },
  PS256: { keyType: 'rsa', digest: 'sha256', padding: constants.RSA_PKCS1_PSS_PADDING },
  PS384: { keyType: 'rsa', digest: 'sha384', padding: constants.RSA_PKCS1_PSS_PADDING },
  PS512: { keyType: 'rsa', digest: 'sha512', padding: constants.RSA_PKCS1_PSS_PADDING },
  ES256: { keyType: 'ec', digest: 'sha256', curve: 'prime256v1', ecSignatureLength: 64 },
  ES384: { keyType: 'ec', digest: 'sha384', curve: 'secp384r1', ecSignatureLength: 96 },
  ES512: { keyType: 'ec', digest: 'sha512', curve: 'secp521r1', ecSignatureLength: 132 },
};

/** Header members we accept; everything else is refused. */
const ALLOWED_HEADER_MEMBERS = new Set(['alg', 'kid', 'typ']);
/** Registered JOSE header names we name in error messages (other names are attacker text). */
const NAMED_HEADER_MEMBERS = new Set(['crit', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'b64', 'zip', 'enc', 'cty', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c', 'nonce', 'url']);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

interface PreparedKey {
  keyId: string;
  publicKey: KeyObject;
  keyType: string | undefined;
  curve: string | undefined;
  /** RSA modulus length in bytes (signatures must be exactly this long, as Go's rsa package requires). */
  rsaSignatureLength: number;
}

export interface TokenVerifierOptions {
  /** Trusted keys (`--service-account-key-file` plus the signing key's public part). */
  keys: VerificationKey[];
  /** Accepted `iss` values of bound tokens (all `--service-account-issuer` values). */
  issuers: string[];
  /** Accept legacy Secret-based tokens (iss "kubernetes/serviceaccount"). Default true. */
  legacy?: boolean;
  /** Clock skew allowed for exp/nbf/iat. Default 60 (go-jose DefaultLeeway). */
  leewaySeconds?: number;
}

/** Strict base64url (no padding, no whitespace): undefined when `text` is not. */
function decodeSegment(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || !BASE64URL.test(text)) return undefined;
  return Buffer.from(text, 'base64url');
}

function parseObject(bytes: Buffer): { value: Record<string, unknown>; text: string } | undefined {
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return { value: value as Record<string, unknown>, text };
}

function prepare(key: VerificationKey): PreparedKey {
  const details = key.publicKey.asymmetricKeyDetails;
  return {
    keyId: key.keyId,
    publicKey: key.publicKey,
    keyType: key.publicKey.asymmetricKeyType,
    curve: details?.namedCurve,
    rsaSignatureLength: Math.ceil((details?.modulusLength ?? 0) / 8),
  };
}

function verifyWith(key: PreparedKey, spec: AlgorithmSpec, input: Buffer, signature: Buffer): boolean {
  if (key.keyType !== spec.keyType) return false;
  try {
    if (spec.keyType === 'ec') {
      if (key.curve !== spec.curve || signature.length !== spec.ecSignatureLength) return false;
      return cryptoVerify(spec.digest, input, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (signature.length !== key.rsaSignatureLength) return false;
    return cryptoVerify(
      spec.digest,
      input,
      { key: key.publicKey, padding: spec.padding, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
      signature,
    );
  } catch {
    return false;
  }
}

/** strings.HasPrefix(strings.TrimSpace(token), "{") without copying the token. */
function startsWithBrace(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 0x7b) return true;
    // Go's TrimSpace: ASCII whitespace plus Unicode White_Space.
    if (!(c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || /\s/.test(token[i] as string))) return false;
  }
  return false;
}

function headerMemberError(name: string): TokenInvalidError {
  return new TokenInvalidError(
    NAMED_HEADER_MEMBERS.has(name) ? `token header member "${name}" is not allowed` : 'token header has an unsupported member',
  );
}

/** Creates a TokenVerifier (contract in types.ts); see this module's comment for the exact rules. */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const issuers = new Set(options.issuers);
  const legacy = options.legacy ?? true;
  const leeway = options.leewaySeconds ?? DEFAULT_LEEWAY_SECONDS;
  const allKeys = options.keys.map(prepare);
  const keysById = new Map<string, PreparedKey[]>();
  for (const key of allKeys) keysById.set(key.keyId, [...(keysById.get(key.keyId) ?? []), key]);

  function acceptedIssuer(iss: string): boolean {
    return issuers.has(iss) || (legacy && iss === LEGACY_ISSUER);
  }

  return {
    verify(token: string, nowSeconds: number, verifyOptions?: VerifyOptions): VerifiedToken | null {
      if (!Number.isFinite(nowSeconds)) throw new TypeError('nowSeconds must be a finite number');
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
      if (startsWithBrace(token)) return null;
      const firstDot = token.indexOf('.');
      const secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
      if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) return null;

      // Upstream's hasCorrectIssuer: the unverified payload decides whether the token is ours.
      const payloadBytes = decodeSegment(token.slice(firstDot + 1, secondDot));
      const payload = payloadBytes && parseObject(payloadBytes);
      if (payload === undefined) return null;
      const iss = payload.value.iss;
      if (typeof iss !== 'string' || !acceptedIssuer(iss)) return null;

      // go-jose ParseSigned: failures make upstream abstain too.
      const headerBytes = decodeSegment(token.slice(0, firstDot));
      const header = headerBytes && parseObject(headerBytes);
      if (header === undefined) return null;
      const { alg, kid } = header.value;
      if ((alg !== undefined && typeof alg !== 'string') || (kid !== undefined && typeof kid !== 'string')) return null;
      const signature = decodeSegment(token.slice(secondDot + 1));
      if (signature === undefined) return null;

      // Our stricter JOSE rules.
      if (findDuplicateMember(header.text) !== undefined) throw new TokenInvalidError('token header has a duplicate member');
      for (const name of Object.keys(header.value)) {
        if (!ALLOWED_HEADER_MEMBERS.has(name)) throw headerMemberError(name);
      }
      const typ = header.value.typ;
      if (typ !== undefined && (typeof typ !== 'string' || typ.toUpperCase() !== 'JWT')) {
        throw new TokenInvalidError('token header typ is not JWT');
      }
      if (findDuplicateMember(payload.text) !== undefined) throw new TokenInvalidError('token payload has a duplicate member');

      // Key selection and signature (jwt.go AuthenticateToken).
      const candidates = kid ? keysById.get(kid) : allKeys;
      if (candidates === undefined || candidates.length === 0) throw new TokenInvalidError(NO_KEYS);
      const spec = typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
      if (spec === undefined) throw new TokenInvalidError(CRYPTO_FAILURE);
      const input = Buffer.from(token.slice(0, secondDot), 'latin1');
      let verifiedBy: PreparedKey | undefined;
      for (const key of candidates) {
        if (verifyWith(key, spec, input, signature)) {
          verifiedBy = key;
          break;
        }
      }
      if (verifiedBy === undefined) throw new TokenInvalidError(CRYPTO_FAILURE);

      const claims = payload.value;
      const sub = claims.sub;
      const jti = claims.jti;
      if (sub !== undefined && sub !== null && typeof sub !== 'string') throw new TokenInvalidError('service account token claim sub is not a string');
      if (jti !== undefined && jti !== null && typeof jti !== 'string') throw new TokenInvalidError('service account token claim jti is not a string');
      const audiences = audienceClaim(claims);
      const subject = typeof sub === 'string' ? sub : '';

      if (iss === LEGACY_ISSUER && legacy) {
        const result: VerifiedToken = { issuer: iss, subject, audiences, keyId: verifiedBy.keyId, claims: parseServiceAccountClaims(claims, 'legacy') };
        if (typeof jti === 'string' && jti !== '') result.jti = jti;
        return result;
      }

      // claims.go Validate -> go-jose ValidateWithLeeway order: nbf, exp, iat.
      const exp = numericDateClaim(claims, 'exp');
      const nbf = numericDateClaim(claims, 'nbf');
      const iat = numericDateClaim(claims, 'iat');
      let timeError: string | undefined;
      if (nbf !== undefined && nowSeconds + leeway < nbf) timeError = 'service account token is not valid yet';
      else if (exp === undefined) timeError = 'service account token claims could not be validated: exp claim is missing';
      else if (nowSeconds - leeway > exp) timeError = 'service account token has expired';
      else if (iat !== undefined && nowSeconds + leeway < iat) timeError = 'service account token is issued in the future';
      if (timeError !== undefined && !verifyOptions?.deferTimeErrors) throw new TokenInvalidError(timeError);
      const result: VerifiedToken = { issuer: iss, subject, audiences, keyId: verifiedBy.keyId, claims: parseServiceAccountClaims(claims, 'bound') };
      if (typeof jti === 'string' && jti !== '') result.jti = jti;
      if (exp !== undefined) result.expiresAt = exp;
      if (iat !== undefined) result.issuedAt = iat;
      if (nbf !== undefined) result.notBefore = nbf;
      if (timeError !== undefined) result.timeError = new TokenInvalidError(timeError);
      return result;
    },
  };
}
