import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  GENERATED_SIGNING_KEY_PATH,
  algorithmOf,
  keyIdOf,
  loadOrCreateSigningKey,
  loadPublicKeysFile,
  parsePrivateKeyPem,
  parsePublicKeysPem,
  verificationKeysOf,
} from './keys.js';
import { FIXED_EC_CERT, FIXED_EC_PKCS8, FIXED_EC_SEC1, FIXED_KID } from './testing/fixtures.js';


const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const ed25519 = generateKeyPairSync('ed25519');

const pem = (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'spki' | 'sec1'): string =>
  key.export({ format: 'pem', type } as never) as string;

function spkiSha256(key: KeyObject): string {
  const der = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64url');
}

describe('keyIdOf', () => {
  it('matches the kid computed by openssl for a fixed key', () => {
    assert.equal(keyIdOf(parsePrivateKeyPem(FIXED_EC_SEC1)), FIXED_KID);
  });
  for (const [name, key] of [
    ['rsa public', rsa.publicKey],
    ['rsa private', rsa.privateKey],
    ['p384 public', p384.publicKey],
  ] as const) {
    it(`is base64url(sha256(SPKI DER)) without padding: ${name}`, () => {
      const kid = keyIdOf(key);
      assert.equal(kid, spkiSha256(key));
      assert.match(kid, /^[A-Za-z0-9_-]{43}$/);
    });
  }
});

describe('parsePublicKeysPem', () => {
  const cases: { name: string; text: string; count?: number; kids?: string[]; error?: RegExp }[] = [
    { name: 'EC PRIVATE KEY (SEC1)', text: FIXED_EC_SEC1, kids: [FIXED_KID] },
    { name: 'CERTIFICATE', text: FIXED_EC_CERT, kids: [FIXED_KID] },
    { name: 'PUBLIC KEY (PKIX RSA)', text: pem(rsa.publicKey, 'spki'), kids: [keyIdOf(rsa.publicKey)] },
    { name: 'PUBLIC KEY (PKIX EC P-384)', text: pem(p384.publicKey, 'spki'), kids: [keyIdOf(p384.publicKey)] },
    { name: 'RSA PRIVATE KEY (PKCS#1)', text: pem(rsa.privateKey, 'pkcs1'), kids: [keyIdOf(rsa.publicKey)] },
    { name: 'PRIVATE KEY (PKCS#8 RSA)', text: pem(rsa.privateKey, 'pkcs8'), kids: [keyIdOf(rsa.publicKey)] },
    {
      name: 'several blocks, non-key blocks tolerated, file order kept',
      text: `junk\n${pem(rsa.publicKey, 'spki')}-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${FIXED_EC_SEC1}`,
      kids: [keyIdOf(rsa.publicKey), FIXED_KID],
    },
    { name: 'PKCS#8 EC is not accepted (upstream tries PKCS#8 for RSA only)', text: FIXED_EC_PKCS8, error: /does not contain any valid RSA or ECDSA public keys/ },
    { name: 'RSA PUBLIC KEY (PKCS#1) is not accepted', text: pem(rsa.publicKey, 'pkcs1'), error: /does not contain any valid/ },
    { name: 'Ed25519 is not accepted', text: pem(ed25519.publicKey, 'spki'), error: /does not contain any valid/ },
    { name: 'secp256k1 is skipped', text: pem(secp256k1.publicKey, 'spki'), error: /does not contain any valid/ },
    { name: 'empty text', text: '', error: /does not contain any valid/ },
    { name: 'corrupt base64 body', text: '-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n', error: /does not contain any valid/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => parsePublicKeysPem(c.text), c.error);
        return;
      }
      const keys = parsePublicKeysPem(c.text);
      assert.deepEqual(keys.map(keyIdOf), c.kids);
      for (const key of keys) assert.equal(key.type, 'public');
    });
  }

  it('loadPublicKeysFile names the file in its errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insignia-keys-'));
    try {
      const file = join(dir, 'sa.pub');
      writeFileSync(file, 'not a key');
      await assert.rejects(loadPublicKeysFile(file), (e: Error) => e.message.startsWith(`error reading public key file ${file}: data does not contain`));
      await assert.rejects(loadPublicKeysFile(join(dir, 'missing')), /error reading public key file .*missing/);
      writeFileSync(file, FIXED_EC_CERT);
      assert.deepEqual((await loadPublicKeysFile(file)).map(keyIdOf), [FIXED_KID]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parsePrivateKeyPem and algorithmOf', () => {
  const cases: { name: string; text: string; alg?: string; error?: RegExp }[] = [
    { name: 'RSA PRIVATE KEY -> RS256', text: pem(rsa.privateKey, 'pkcs1'), alg: 'RS256' },
    { name: 'PRIVATE KEY RSA -> RS256', text: pem(rsa.privateKey, 'pkcs8'), alg: 'RS256' },
    { name: 'EC PRIVATE KEY P-256 -> ES256', text: FIXED_EC_SEC1, alg: 'ES256' },
    { name: 'PRIVATE KEY EC P-256 -> ES256', text: FIXED_EC_PKCS8, alg: 'ES256' },
    { name: 'EC P-384 -> ES384', text: pem(p384.privateKey, 'sec1'), alg: 'ES384' },
    { name: 'EC P-521 -> ES512', text: pem(generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, 'sec1'), alg: 'ES512' },
    { name: 'secp256k1 refused', text: pem(secp256k1.privateKey, 'pkcs8'), error: /unknown private key curve, must be 256, 384, or 521/ },
    { name: 'Ed25519 refused', text: pem(ed25519.privateKey, 'pkcs8'), error: /unknown private key type/ },
    { name: 'public key only', text: pem(rsa.publicKey, 'spki'), error: /data does not contain a valid RSA or ECDSA private key/ },
    { name: 'label mismatch (PKCS#8 bytes labelled RSA PRIVATE KEY)', text: pem(rsa.privateKey, 'pkcs8').replaceAll('PRIVATE KEY', 'RSA PRIVATE KEY'), error: /does not contain a valid/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(() => parsePrivateKeyPem(c.text), c.error);
        return;
      }
      const key = parsePrivateKeyPem(c.text);
      assert.equal(key.type, 'private');
      assert.equal(algorithmOf(key), c.alg);
    });
  }
});

describe('loadOrCreateSigningKey', () => {
  it('generates RSA 2048 once at 0600 under <dataDir>/pki and reuses it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-keys-'));
    try {
      const first = await loadOrCreateSigningKey({ dataDir });
      const file = join(dataDir, GENERATED_SIGNING_KEY_PATH);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.match(readFileSync(file, 'utf8'), /^-----BEGIN RSA PRIVATE KEY-----\n/);
      assert.equal(first.algorithm, 'RS256');
      assert.equal(first.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.equal(first.keyId, spkiSha256(first.publicKey));
      const second = await loadOrCreateSigningKey({ dataDir });
      assert.equal(second.keyId, first.keyId);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('uses --service-account-signing-key-file and picks the algorithm by curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insignia-keys-'));
    try {
      const keyFile = join(dir, 'sa.key');
      writeFileSync(keyFile, pem(p384.privateKey, 'sec1'));
      const key = await loadOrCreateSigningKey({ keyFile, dataDir: dir });
      assert.equal(key.algorithm, 'ES384');
      assert.equal(key.keyId, keyIdOf(p384.publicKey));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing key file, and a corrupt generated key without replacing it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-keys-'));
    try {
      await assert.rejects(loadOrCreateSigningKey({ keyFile: join(dataDir, 'nope.key'), dataDir }), /error reading private key file .*nope\.key/);
      await loadOrCreateSigningKey({ dataDir });
      const file = join(dataDir, GENERATED_SIGNING_KEY_PATH);
      writeFileSync(file, 'garbage');
      await assert.rejects(loadOrCreateSigningKey({ dataDir }), /error reading private key file .*service-account\.key: data does not contain a valid RSA or ECDSA private key/);
      assert.equal(readFileSync(file, 'utf8'), 'garbage');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('verificationKeysOf', () => {
  it('RSA JWK: members in go-jose order, n and e as exported', () => {
    const [key] = verificationKeysOf([rsa.privateKey]);
    assert.ok(key);
    const exported = rsa.publicKey.export({ format: 'jwk' });
    assert.equal(
      JSON.stringify(key.jwk),
      `{"use":"sig","kty":"RSA","kid":"${keyIdOf(rsa.publicKey)}","alg":"RS256","n":"${exported.n}","e":"AQAB"}`,
    );
    assert.equal(key.publicKey.type, 'public');
    assert.equal(key.algorithm, 'RS256');
  });

  it('EC JWK: use, kty, kid, crv, alg, x, y', () => {
    const [key] = verificationKeysOf(parsePublicKeysPem(FIXED_EC_CERT));
    assert.ok(key);
    assert.deepEqual(Object.keys(key.jwk), ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y']);
    assert.equal(key.jwk.kid, FIXED_KID);
    assert.equal(key.jwk.crv, 'P-256');
    assert.equal(key.jwk.alg, 'ES256');
    assert.equal(Buffer.from(key.jwk.x ?? '', 'base64url').length, 32);
  });

  it('keeps order and duplicates', () => {
    const keys = verificationKeysOf([p384.publicKey, rsa.publicKey, p384.publicKey]);
    assert.deepEqual(keys.map((k) => k.algorithm), ['ES384', 'RS256', 'ES384']);
  });
});
