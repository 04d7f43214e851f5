/**
 * Token forging for tests: compact JWS built from raw header/payload text with any algorithm,
 * including the malformed and hostile shapes a real signer never produces. Not for production use.
 */
import { constants, createHmac, sign, type KeyObject } from 'node:crypto';

export function b64url(data: string | Uint8Array): string {
  return Buffer.from(typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('base64url');
}

const DIGESTS: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/**
 * Signs `signingInput` as `alg` says: RS*, PS* (salt = hash length), ES* (JOSE r||s, or DER with
 * `der: true`), HS* with `key` as the HMAC secret (a Buffer or string). Unknown algs give an empty signature.
 */
export function signRaw(alg: string, signingInput: string, key: KeyObject | Buffer | string, options: { der?: boolean } = {}): Buffer {
  const digest = DIGESTS[alg.slice(2)] ?? 'sha256';
  const data = Buffer.from(signingInput, 'latin1');
  if (alg.startsWith('HS')) return createHmac(digest, key as Buffer | string).update(data).digest();
  if (alg.startsWith('RS')) return sign(digest, data, key as KeyObject);
  if (alg.startsWith('PS')) {
    return sign(digest, data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
  }
  if (alg.startsWith('ES')) return sign(digest, data, { key: key as KeyObject, dsaEncoding: options.der ? 'der' : 'ieee-p1363' });
  return Buffer.alloc(0);
}

export interface ForgeOptions {
  /** An object (serialized with JSON.stringify) or the exact header JSON text. */
  header: Record<string, unknown> | string;
  /** An object (serialized with JSON.stringify) or the exact payload JSON text. */
  payload: Record<string, unknown> | string;
  /** Signing key (or HMAC secret); omitted: empty signature. */
  key?: KeyObject | Buffer | string;
  /** Algorithm used to sign; defaults to the header's alg. */
  signAlg?: string;
  /** ES* signatures in DER instead of JOSE form. */
  der?: boolean;
  /** Replaces the computed signature bytes. */
  signature?: Uint8Array;
}

/** header.payload.signature with unpadded base64url segments. */
export function forgeToken(options: ForgeOptions): string {
  const headerText = typeof options.header === 'string' ? options.header : JSON.stringify(options.header);
  const payloadText = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  const input = `${b64url(headerText)}.${b64url(payloadText)}`;
  const alg = options.signAlg ?? (typeof options.header === 'string' ? 'RS256' : String(options.header.alg));
  const signature = options.signature ?? (options.key === undefined ? Buffer.alloc(0) : signRaw(alg, input, options.key, { der: options.der }));
  return `${input}.${b64url(signature)}`;
}
