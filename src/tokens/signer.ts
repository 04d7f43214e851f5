/**
 * Compact JWS signing, byte-compatible with what kube-apiserver (go-jose v2) writes: the protected
 * header is exactly `{"alg":"<alg>","kid":"<kid>"}` (members sorted, no `typ`), the payload is the
 * claims with every object's members sorted (see json.ts), no base64 padding, and ECDSA signatures
 * in JOSE form (r||s, fixed length), not DER.
 */
import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { marshalSorted } from './json.js';
import type { TokenSigner } from './types.js';

/** node:crypto digest per JWS algorithm this module signs with. */
const DIGESTS: Record<string, string> = {
  RS256: 'sha256',
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
};

/** The header segment go-jose writes for a key (exported for tests and tools). */
export function protectedHeaderSegment(algorithm: string, keyId: string): string {
  return Buffer.from(marshalSorted({ alg: algorithm, kid: keyId }), 'utf8').toString('base64url');
}

/**
 * A signer for `key` (as returned by loadOrCreateSigningKey). `sign` serializes the payload like
 * go-jose and signs with node:crypto's callback form, which runs on the libuv threadpool so an RSA
 * signature (~1 ms) does not block the event loop. Throws at creation for an algorithm it cannot
 * sign with.
 */
export function createTokenSigner(key: { privateKey: KeyObject; keyId: string; algorithm: string }): TokenSigner {
  const digest = DIGESTS[key.algorithm];
  if (digest === undefined) throw new Error(`unsupported signing algorithm ${key.algorithm}`);
  const header = protectedHeaderSegment(key.algorithm, key.keyId);
  const signingKey = key.algorithm.startsWith('ES')
    ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' as const }
    : key.privateKey;
  return {
    keyId: key.keyId,
    algorithm: key.algorithm,
    sign(payload: Record<string, unknown>): Promise<string> {
      const signingInput = `${header}.${Buffer.from(marshalSorted(payload), 'utf8').toString('base64url')}`;
      return new Promise((resolve, reject) => {
        cryptoSign(digest, Buffer.from(signingInput, 'latin1'), signingKey, (error, signature) => {
          if (error) reject(error);
          else resolve(`${signingInput}.${signature.toString('base64url')}`);
        });
      });
    },
  };
}
