/**
 * Signing and verification keys, as kube-apiserver reads them:
 * - `--service-account-signing-key-file`: one private key (keyutil.ParsePrivateKeyPEM semantics);
 * - `--service-account-key-file` (repeatable): public keys (keyutil.ParsePublicKeysPEM semantics);
 * - the key id (`kid`) derived from the public key exactly as pkg/serviceaccount/jwt.go does.
 * Without a signing key file, an RSA 2048 key is generated once into `<dataDir>/pki/service-account.key`.
 */
import {
  X509Certificate,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
} from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { VerificationKey } from './types.js';

/** A private key able to sign tokens, with what a signer and the JWKS need to know about it. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** `kid` as Kubernetes derives it (see keyIdOf). */
  keyId: string;
  /** RS256 for any RSA key; ES256/ES384/ES512 for P-256/P-384/P-521. */
  algorithm: string;
}

/** The file written (once) when no signing key file is configured. */
export const GENERATED_SIGNING_KEY_PATH = join('pki', 'service-account.key');

const EC_ALGORITHMS: Record<string, string> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

const JWK_CURVES: Record<string, string> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
};

/**
 * Returns the JWS algorithm Kubernetes signs with for this key (RS256 for any RSA key; ES256,
 * ES384, ES512 by curve), or throws for other key types and curves with upstream's wording.
 */
export function algorithmOf(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const alg = EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg !== undefined) return alg;
    throw new Error('unknown private key curve, must be 256, 384, or 521');
  }
  throw new Error(
    `unknown private key type ${key.asymmetricKeyType ?? key.type}, must be an RSA or ECDSA key`,
  );
}

/**
 * The key id Kubernetes writes into `kid` (keyIDFromPublicKey): base64url without padding of
 * SHA-256 over the DER SubjectPublicKeyInfo. 43 characters. A private key is reduced to its public part.
 */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

/** One PEM block: its type label and DER bytes. Blocks with headers (encrypted keys) keep them out of `der`. */
interface PemBlock {
  type: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([^\r\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Splits PEM text into blocks like Go's pem.Decode loop; text around blocks is ignored. */
function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    let body = match[2] ?? '';
    // RFC 1421 headers (e.g. Proc-Type for encrypted keys) end at the first blank line.
    if (/^[A-Za-z-]+:/.test(body)) {
      const end = body.search(/\r?\n\r?\n/);
      body = end < 0 ? '' : body.slice(end);
    }
    const compact = body.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) continue;
    blocks.push({ type: match[1] ?? '', der: Buffer.from(compact, 'base64') });
  }
  return blocks;
}

type DerShape = 'pkcs1' | 'pkcs8' | 'sec1' | 'spki' | 'certificate' | 'unknown';

/** Length-prefixed DER element at `offset`: returns [tag, start of contents, end], or undefined. */
function derElement(der: Buffer, offset: number): [number, number, number] | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > der.length) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] as number);
    start += bytes;
  }
  const end = start + length;
  return end <= der.length ? [tag, start, end] : undefined;
}

/**
 * Which ASN.1 structure the DER holds, from the tags of the outer SEQUENCE's first two members.
 * OpenSSL's decoders are lenient about the requested type; Go's parsers are not, so the type is
 * decided here first.
 */
function derShape(der: Buffer): DerShape {
  const outer = derElement(der, 0);
  if (outer === undefined || outer[0] !== 0x30 || outer[2] !== der.length) return 'unknown';
  const first = derElement(der, outer[1]);
  const second = first && derElement(der, first[2]);
  if (first === undefined || second === undefined) return 'unknown';
  const shapes: Record<string, DerShape> = {
    '2,2': 'pkcs1',
    '2,48': 'pkcs8',
    '2,4': 'sec1',
    '48,3': 'spki',
    '48,48': 'certificate',
  };
  return shapes[`${first[0]},${second[0]}`] ?? 'unknown';
}

function tryKey(make: () => KeyObject): KeyObject | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

function isUsableEc(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && EC_ALGORITHMS[key.asymmetricKeyDetails?.namedCurve ?? ''] !== undefined;
}

function isUsable(key: KeyObject | undefined): key is KeyObject {
  return key !== undefined && (key.asymmetricKeyType === 'rsa' || isUsableEc(key));
}

const PRIVATE_KEY_LABELS: Record<string, 'sec1' | 'pkcs1' | 'pkcs8'> = {
  'EC PRIVATE KEY': 'sec1',
  'RSA PRIVATE KEY': 'pkcs1',
  'PRIVATE KEY': 'pkcs8',
};

/**
 * keyutil.ParsePrivateKeyPEM: the first block that parses as its labelled type wins ("EC PRIVATE
 * KEY" = SEC1, "RSA PRIVATE KEY" = PKCS#1, "PRIVATE KEY" = unencrypted PKCS#8); other blocks
 * (e.g. "EC PARAMETERS") are skipped. Throws upstream's sentence when none parses, or when the key
 * cannot sign a service account token (not RSA/ECDSA, or an EC curve other than P-256/384/521).
 */
export function parsePrivateKeyPem(text: string): KeyObject {
  for (const block of pemBlocks(text)) {
    const expected = PRIVATE_KEY_LABELS[block.type];
    const key =
      expected !== undefined && derShape(block.der) === expected
        ? tryKey(() => createPrivateKey({ key: block.der, format: 'der', type: expected }))
        : undefined;
    if (key !== undefined) {
      algorithmOf(key); // refuses ed25519, rsa-pss, unsupported curves
      return key;
    }
  }
  throw new Error('data does not contain a valid RSA or ECDSA private key');
}

/**
 * keyutil.ParsePublicKeysPEM: every PEM block, whatever its label, that parses as an RSA private
 * key (PKCS#1 or PKCS#8), an RSA or ECDSA public key (PKIX, or the key of an X.509 certificate),
 * or an ECDSA private key (SEC1) contributes its public key, in file order. Other blocks are
 * skipped, as upstream does ("RSA PUBLIC KEY" PKCS#1 blocks and PKCS#8 EC keys are not accepted
 * upstream either). ECDSA keys on curves other than P-256/384/521 are skipped (upstream accepts
 * them but can neither verify with them nor publish them). Throws upstream's sentence when the
 * text holds no usable key; never throws anything else.
 */
export function parsePublicKeysPem(text: string): KeyObject[] {
  const keys: KeyObject[] = [];
  for (const { der } of pemBlocks(text)) {
    const shape = derShape(der);
    let key: KeyObject | undefined;
    if (shape === 'pkcs1' || shape === 'pkcs8') {
      const privateKey = tryKey(() => createPrivateKey({ key: der, format: 'der', type: shape }));
      if (privateKey?.asymmetricKeyType === 'rsa') key = createPublicKey(privateKey);
    } else if (shape === 'spki') {
      key = tryKey(() => createPublicKey({ key: der, format: 'der', type: 'spki' }));
    } else if (shape === 'certificate') {
      key = tryKey(() => new X509Certificate(der).publicKey);
    } else if (shape === 'sec1') {
      const privateKey = tryKey(() => createPrivateKey({ key: der, format: 'der', type: 'sec1' }));
      if (privateKey !== undefined && isUsableEc(privateKey)) key = createPublicKey(privateKey);
    }
    if (isUsable(key)) keys.push(key);
  }
  if (keys.length === 0) throw new Error('data does not contain any valid RSA or ECDSA public keys');
  return keys;
}

/**
 * Reads one `--service-account-key-file`. Errors (unreadable file, no key) are Errors whose
 * message names the file, like upstream's `error reading public key file %s: %v`.
 */
export async function loadPublicKeysFile(file: string): Promise<KeyObject[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`error reading public key file ${file}: ${(error as Error).message}`);
  }
  try {
    return parsePublicKeysPem(text);
  } catch (error) {
    throw new Error(`error reading public key file ${file}: ${(error as Error).message}`);
  }
}

function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), algorithm: algorithmOf(privateKey) };
}

/**
 * Creates `path` with `data` and `mode` unless it exists: readers see either no file or the whole
 * content, and of two concurrent creators exactly one wins (hard link, which fails on EEXIST).
 * Returns false when the file already existed.
 */
function createFileAtomic(path: string, data: string, mode: number): boolean {
  const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temp);
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // directory fsync is best effort (not supported everywhere)
  }
  return true;
}

function generateRsaKeyPem(): Promise<string> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs1', format: 'pem' } },
      (error, _publicKey, privateKey) => (error ? reject(error) : resolve(privateKey)),
    );
  });
}

/**
 * The key that signs tokens. With `keyFile` (`--service-account-signing-key-file`) that PEM
 * private key is used (errors name the file). Without it, `<dataDir>/pki/service-account.key` is
 * used, generated at first start as RSA 2048 ("RSA PRIVATE KEY", mode 0600, written atomically)
 * and reused afterwards; a present but unreadable or corrupt file is an error, never replaced.
 */
export async function loadOrCreateSigningKey(options: { keyFile?: string; dataDir: string }): Promise<SigningKey> {
  const file = options.keyFile ?? join(options.dataDir, GENERATED_SIGNING_KEY_PATH);
  let text: string | undefined;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (options.keyFile !== undefined || (error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`error reading private key file ${file}: ${(error as Error).message}`);
    }
  }
  if (text === undefined) {
    const generated = await generateRsaKeyPem();
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Another process may have created it meanwhile: then its key is the one to use.
    text = createFileAtomic(file, generated, 0o600) ? generated : await readFile(file, 'utf8');
  }
  try {
    return signingKeyOf(parsePrivateKeyPem(text));
  } catch (error) {
    throw new Error(`error reading private key file ${file}: ${(error as Error).message}`);
  }
}

/**
 * The verification keys with their JWKs, in input order (duplicates kept, as upstream does). A
 * private key contributes its public part. JWK members are in go-jose's order (use, kty, kid,
 * crv, alg, x, y, n, e), so JSON.stringify of `jwk` matches kube-apiserver's JWKS bytes.
 */
export function verificationKeysOf(keys: KeyObject[]): VerificationKey[] {
  return keys.map((key) => {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    const keyId = keyIdOf(publicKey);
    const algorithm = algorithmOf(publicKey);
    const exported = publicKey.export({ format: 'jwk' });
    let jwk: VerificationKey['jwk'];
    if (publicKey.asymmetricKeyType === 'rsa') {
      jwk = { use: 'sig', kty: 'RSA', kid: keyId, alg: algorithm, n: String(exported.n), e: String(exported.e) };
    } else {
      const crv = JWK_CURVES[publicKey.asymmetricKeyDetails?.namedCurve ?? ''] ?? String(exported.crv);
      jwk = { use: 'sig', kty: 'EC', kid: keyId, crv, alg: algorithm, x: String(exported.x), y: String(exported.y) };
    }
    return { keyId, algorithm, publicKey, jwk };
  });
}
