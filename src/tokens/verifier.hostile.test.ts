/**
 * Hostile tokens (performance-and-security.md D1/D5), each run through our verifier AND through
 * jose's jwtVerify (local JWKS of the same keys, pinned algorithms, issuer, audience, exp required,
 * 60 s clock tolerance, maxTokenAge so a future iat is refused). A case fails when either verdict
 * differs from the expected one. Where jose legitimately judges differently, the case says so
 * (`jose` + `because`), and the test then asserts both verdicts and the reason of our refusal.
 */
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyOptions } from 'jose';
import { boundTokenClaims } from './claims.js';
import { jwksDocument } from './discovery.js';
import { keyIdOf, parsePrivateKeyPem, verificationKeysOf } from './keys.js';
import { createTokenSigner } from './signer.js';
import { FIXED_EC_CERT, FIXED_EC_SEC1 } from './testing/fixtures.js';
import { b64url, forgeToken } from './testing/forge.js';
import { TokenInvalidError } from './types.js';
import { createTokenVerifier } from './verifier.js';

const NOW = 1_700_000_000;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rotatedOut = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = keyIdOf(rsa.publicKey);
const ecKid = keyIdOf(ec.publicKey);
const P256_N = Buffer.from('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551', 'hex');

const keys = verificationKeysOf([rsa.publicKey, ec.publicKey]);
const verifier = createTokenVerifier({ keys, issuers: [ISSUER] });
const jwks = createLocalJWKSet(JSON.parse(jwksDocument(keys)) as JSONWebKeySet);
const JOSE_OPTIONS: JWTVerifyOptions = {
  algorithms: ['RS256', 'ES256'],
  issuer: ISSUER,
  audience: 'api',
  requiredClaims: ['exp'],
  clockTolerance: 60,
  maxTokenAge: 10 * 365 * 24 * 3600,
  currentDate: new Date(NOW * 1000),
};

type Verdict = { valid: boolean; reason: string };

function ours(token: string): Verdict {
  try {
    const verified = verifier.verify(token, NOW);
    return verified === null ? { valid: false, reason: 'abstained' } : { valid: true, reason: 'ok' };
  } catch (error) {
    assert.ok(error instanceof TokenInvalidError, `unexpected error type: ${String(error)}`);
    return { valid: false, reason: error.message };
  }
}

async function jose(token: string): Promise<Verdict> {
  try {
    await jwtVerify(token, jwks, JOSE_OPTIONS);
    return { valid: true, reason: 'ok' };
  } catch (error) {
    // Without a kid, several keys may match: try each, as the JWKS error invites.
    if ((error as { code?: string }).code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') {
      for await (const key of error as AsyncIterable<CryptoKey>) {
        try {
          await jwtVerify(token, key, JOSE_OPTIONS);
          return { valid: true, reason: 'ok' };
        } catch {
          // next key
        }
      }
    }
    return { valid: false, reason: (error as { code?: string }).code ?? String(error) };
  }
}

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = boundTokenClaims({ issuer: ISSUER, audiences: ['api'], expirationSeconds: 3600, nowSeconds: NOW, serviceAccount: { namespace: 'ns', name: 'sa', uid: 'uid' }, jti: 'j' });
  return { ...base, ...overrides };
}
const rsaSigner = createTokenSigner({ privateKey: rsa.privateKey, keyId: kid, algorithm: 'RS256' });
const ecSigner = createTokenSigner({ privateKey: ec.privateKey, keyId: ecKid, algorithm: 'ES256' });
const good = (overrides?: Record<string, unknown>) => rsaSigner.sign(payload(overrides));
/** Signed by our RSA key with this header. */
const withHeader = (header: Record<string, unknown> | string, body: Record<string, unknown> | string = payload()) =>
  forgeToken({ header, payload: body, key: rsa.privateKey, signAlg: 'RS256' });
const parts = (token: string) => token.split('.') as [string, string, string];
/** Replaces the signature segment. */
const resign = (token: string, signature: Uint8Array | string) => {
  const [h, p] = parts(token);
  return `${h}.${p}.${typeof signature === 'string' ? signature : b64url(signature)}`;
};
const signatureOf = (token: string) => Buffer.from(parts(token)[2], 'base64url');
const ecSigned = () => ecSigner.sign(payload());
const withEcSignature = async (mutate: (rs: Buffer) => Buffer) => {
  const token = await ecSigned();
  return resign(token, mutate(signatureOf(token)));
};

interface Case {
  name: string;
  token: () => string | Promise<string>;
  valid: boolean;
  /** jose's verdict when it legitimately differs from ours. */
  jose?: boolean;
  because?: string;
  /** Our refusal reason (exact, or a pattern). */
  reason?: string | RegExp;
}

const HS_SECRETS: [string, Buffer | string][] = [
  ['PEM text', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string],
  ['DER bytes', rsa.publicKey.export({ type: 'spki', format: 'der' })],
  ['JWK n', String(rsa.publicKey.export({ format: 'jwk' }).n)],
];

const cases: Case[] = [
  // Positive controls.
  { name: 'valid RS256 token of our signer', token: () => good(), valid: true },
  { name: 'valid ES256 token of our signer', token: () => ecSigned(), valid: true },
  { name: 'valid RS256 token without kid (every key tried)', token: () => withHeader({ alg: 'RS256' }), valid: true },

  // 1, 2: alg none in every spelling, empty and missing alg.
  ...['none', 'None', 'NONE', 'nOnE', 'none ', ''].map((alg): Case => ({
    name: `alg ${JSON.stringify(alg)} with an empty signature`,
    token: () => forgeToken({ header: { alg, kid }, payload: payload() }),
    valid: false,
  })),
  { name: 'alg missing', token: () => forgeToken({ header: { kid }, payload: payload() }), valid: false },
  { name: 'alg none keeping the original signature', token: async () => resign(forgeToken({ header: { alg: 'none', kid }, payload: payload() }), signatureOf(await good())), valid: false },

  // 3: RS/HS key confusion.
  ...HS_SECRETS.flatMap(([what, secret]) =>
    ['HS256', 'HS384'].map((alg): Case => ({
      name: `${alg} keyed with our RSA public key (${what})`,
      token: () => forgeToken({ header: { alg, kid }, payload: payload(), key: typeof secret === 'string' ? Buffer.from(secret) : secret }),
      valid: false,
    })),
  ),

  // 4, 5: stripped, spliced, truncated, bit-flipped signatures.
  { name: 'signature stripped (header.payload.)', token: async () => resign(await good(), ''), valid: false },
  { name: 'signature of another valid token spliced in', token: async () => resign(await good({ sub: 'system:serviceaccount:ns:sa', jti: 'other' }), signatureOf(await good())), valid: false },
  { name: 'signature truncated by one byte', token: async () => resign(await good(), signatureOf(await good()).subarray(0, 255)), valid: false },
  {
    name: 'signature with one bit flipped',
    token: async () => {
      const token = await good();
      const signature = signatureOf(token);
      signature[100] = (signature[100] as number) ^ 0x01;
      return resign(token, signature);
    },
    valid: false,
  },
  { name: 'signature with a leading zero byte removed and re-added (length 257)', token: async () => resign(await good(), Buffer.concat([Buffer.alloc(1), signatureOf(await good())])), valid: false },

  // 6: kid injection.
  { name: 'unknown kid', token: () => withHeader({ alg: 'RS256', kid: 'unknown' }), valid: false, reason: 'invalid signature, no keys found' },
  { name: 'huge kid (10 KB)', token: () => withHeader({ alg: 'RS256', kid: 'k'.repeat(10 * 1024) }), valid: false, reason: 'invalid signature, no keys found' },
  { name: 'path-like kid', token: () => withHeader({ alg: 'RS256', kid: '../../etc/passwd' }), valid: false, reason: 'invalid signature, no keys found' },
  { name: 'SQL-like kid', token: () => withHeader({ alg: 'RS256', kid: "' OR '1'='1" }), valid: false, reason: 'invalid signature, no keys found' },
  { name: 'kid as a number', token: () => withHeader({ alg: 'RS256', kid: 1 }), valid: false, reason: 'abstained' },
  { name: 'kid as an object', token: () => withHeader({ alg: 'RS256', kid: { $ne: '' } }), valid: false, reason: 'abstained' },
  { name: 'kid "__proto__"', token: () => withHeader({ alg: 'RS256', kid: '__proto__' }), valid: false, reason: 'invalid signature, no keys found' },

  // 7, 8, 9: embedded and remote keys, signed by the attacker.
  {
    name: 'jwk header with the attacker key, signed by it',
    token: () => forgeToken({ header: { alg: 'RS256', jwk: attacker.publicKey.export({ format: 'jwk' }) }, payload: payload(), key: attacker.privateKey }),
    valid: false,
  },
  ...['jku', 'x5u'].flatMap((member) =>
    ['http://127.0.0.1:9/keys', 'http://169.254.169.254/latest/meta-data/'].map((url): Case => ({
      name: `${member} header ${url}, signed by the attacker`,
      token: () => forgeToken({ header: { alg: 'RS256', [member]: url }, payload: payload(), key: attacker.privateKey }),
      valid: false,
    })),
  ),
  {
    name: 'x5c header with the attacker self-signed certificate, signed by its key',
    token: () => {
      const der = FIXED_EC_CERT.replace(/-----[^-]+-----|\s/g, '');
      return forgeToken({ header: { alg: 'ES256', x5c: [der] }, payload: payload(), key: parsePrivateKeyPem(FIXED_EC_SEC1) });
    },
    valid: false,
  },
  {
    name: 'jwk header carrying OUR key, signed by our key',
    token: () => withHeader({ alg: 'RS256', kid, jwk: createPublicKey(rsa.privateKey).export({ format: 'jwk' }) }),
    valid: false,
    jose: true,
    because: 'jose ignores an embedded jwk when keys come from a JWKS; we refuse any header member but alg, kid, typ',
    reason: 'token header member "jwk" is not allowed',
  },

  // 10: crit.
  { name: 'crit ["exp"]', token: () => withHeader({ alg: 'RS256', kid, crit: ['exp'] }), valid: false, reason: 'token header member "crit" is not allowed' },
  { name: 'crit ["b64"] with b64 false', token: () => withHeader({ alg: 'RS256', kid, crit: ['b64'], b64: false }), valid: false },
  { name: 'crit []', token: () => withHeader({ alg: 'RS256', kid, crit: [] }), valid: false },
  { name: 'crit naming an absent header', token: () => withHeader({ alg: 'RS256', kid, crit: ['x-absent'] }), valid: false },

  // 11: malformed ES256 signatures.
  {
    name: 'ES256 signature DER-encoded instead of r||s',
    token: async () => {
      const token = await ecSigned();
      const [h, p] = parts(token);
      return resign(token, sign('sha256', Buffer.from(`${h}.${p}`), { key: ec.privateKey, dsaEncoding: 'der' }));
    },
    valid: false,
  },
  { name: 'ES256 signature of 63 bytes', token: () => withEcSignature((rs) => rs.subarray(1)), valid: false },
  { name: 'ES256 signature of 65 bytes', token: () => withEcSignature((rs) => Buffer.concat([Buffer.alloc(1), rs])), valid: false },
  { name: 'ES256 r = s = 0 (psychic signature)', token: () => withEcSignature(() => Buffer.alloc(64)), valid: false },
  { name: 'ES256 r = 0', token: () => withEcSignature((rs) => Buffer.concat([Buffer.alloc(32), rs.subarray(32)])), valid: false },
  { name: 'ES256 s = 0', token: () => withEcSignature((rs) => Buffer.concat([rs.subarray(0, 32), Buffer.alloc(32)])), valid: false },
  { name: 'ES256 r = n', token: () => withEcSignature((rs) => Buffer.concat([P256_N, rs.subarray(32)])), valid: false },
  { name: 'ES256 s = n', token: () => withEcSignature((rs) => Buffer.concat([rs.subarray(0, 32), P256_N])), valid: false },
  { name: 'ES256 r = s = n', token: () => withEcSignature(() => Buffer.concat([P256_N, P256_N])), valid: false },
  {
    name: 'ES256 s replaced by n - s (malleable but valid ECDSA, like Go and jose)',
    token: () =>
      withEcSignature((rs) => {
        const s = BigInt(`0x${rs.subarray(32).toString('hex')}`);
        const flipped = Buffer.from((BigInt(`0x${P256_N.toString('hex')}`) - s).toString(16).padStart(64, '0'), 'hex');
        return Buffer.concat([rs.subarray(0, 32), flipped]);
      }),
    valid: true,
  },
  { name: 'ES256 header on an RS256 signature with the EC kid', token: () => forgeToken({ header: { alg: 'ES256', kid: ecKid }, payload: payload(), key: rsa.privateKey, signAlg: 'RS256' }), valid: false },

  // 12, 13, 14: time claims.
  { name: 'exp 61 s ago (past the 60 s leeway)', token: () => good({ exp: NOW - 61 }), valid: false, reason: 'service account token has expired' },
  { name: 'exp 30 s ago (within the leeway)', token: () => good({ exp: NOW - 30 }), valid: true },
  { name: 'nbf 120 s ahead', token: () => good({ nbf: NOW + 120 }), valid: false, reason: 'service account token is not valid yet' },
  { name: 'iat 120 s ahead', token: () => good({ iat: NOW + 120 }), valid: false, reason: 'service account token is issued in the future' },
  { name: 'no exp', token: () => good({ exp: undefined }), valid: false },
  { name: 'exp as a string', token: () => good({ exp: String(NOW + 600) }), valid: false },
  { name: 'exp as a float in the future', token: () => good({ exp: NOW + 600.5 }), valid: true },
  { name: 'exp negative', token: () => good({ exp: -1 }), valid: false },
  {
    name: 'exp 1e300',
    token: () => good({ exp: 1e300 }),
    valid: false,
    jose: true,
    because: 'go-jose converts NumericDate to int64 (1e300 overflows to the far past on amd64); jose keeps the float (far future)',
    reason: 'service account token has expired',
  },

  // 17: issuer confusion (ours abstains: not our issuer, another authenticator may try).
  { name: 'iss of another cluster, same key material', token: () => good({ iss: 'https://other-cluster.example' }), valid: false, reason: 'abstained' },
  { name: 'iss with a trailing slash', token: () => good({ iss: `${ISSUER}/` }), valid: false, reason: 'abstained' },

  // 18: sub vs kubernetes.io (Kubernetes-specific: jose knows nothing of these claims).
  {
    name: 'sub names another namespace than kubernetes.io.namespace',
    token: () => good({ sub: 'system:serviceaccount:ns-b:sa' }),
    valid: false,
    jose: true,
    because: 'JOSE-level the token is fine; only the Kubernetes claim check refuses it',
    reason: 'sub claim is invalid',
  },
  { name: 'sub = system:admin', token: () => good({ sub: 'system:admin' }), valid: false, jose: true, because: 'Kubernetes claim check only', reason: 'sub claim is invalid' },

  // 24: duplicate members.
  {
    name: 'duplicate sub in the payload',
    token: () => withHeader({ alg: 'RS256', kid }, JSON.stringify(payload()).replace(/}$/, ',"sub":"system:admin"}')),
    valid: false,
    jose: true,
    because: 'JSON.parse keeps the last member; we refuse duplicates (RFC 7515 allows either)',
    reason: 'token payload has a duplicate member',
  },
  {
    name: 'two alg members in the header',
    token: () => withHeader(`{"alg":"none","alg":"RS256","kid":"${kid}"}`),
    valid: false,
    jose: true,
    because: 'jose sees only the last alg (RS256) and the signature is ours; we refuse duplicates',
    reason: 'token header has a duplicate member',
  },
  { name: 'duplicate member spelled with an escape ("k\\u0069d")', token: () => withHeader(`{"alg":"RS256","kid":"${kid}","k\\u0069d":"${kid}"}`), valid: false, jose: true, because: 'JSON.parse unescapes member names and keeps the last; we compare unescaped names and refuse duplicates', reason: 'token header has a duplicate member' },

  // 25: encoding.
  { name: 'payload segment with = padding', token: async () => { const [h, p, s] = parts(await good()); return `${h}.${p}=.${s}`; }, valid: false, reason: 'abstained' },
  {
    name: 'signature segment with = padding',
    token: async () => `${await good()}==`,
    valid: false,
    jose: true,
    because: 'jose decodes base64url through atob, which accepts padding; go-jose and we refuse it',
    reason: 'abstained',
  },
  {
    name: 'signature segment with whitespace',
    token: async () => { const t = await good(); return `${t.slice(0, -10)} ${t.slice(-10)}`; },
    valid: false,
    jose: true,
    because: 'jose strips whitespace before decoding; we refuse it',
    reason: 'abstained',
  },
  { name: 'NUL inside the signature', token: async () => { const t = await good(); return `${t.slice(0, -10)}\0${t.slice(-10)}`; }, valid: false },
  { name: 'NUL inside the payload segment', token: async () => { const [h, p, s] = parts(await good()); return `${h}.${p.slice(0, 5)}\0${p.slice(5)}.${s}`; }, valid: false },
  {
    name: 'standard-alphabet (+ /) signature',
    token: async () => { const t = await good(); const s = parts(t)[2]; return resign(t, s.replace(/-/g, '+').replace(/_/g, '/')); },
    valid: false,
    reason: 'abstained',
  },

  // 26: JWE.
  {
    name: 'JWE compact serialization (5 parts, zip DEF)',
    token: () => `${b64url('{"alg":"dir","enc":"A256GCM","zip":"DEF"}')}..${b64url('iv')}.${b64url(JSON.stringify(payload()))}.${b64url('tag')}`,
    valid: false,
    reason: 'abstained',
  },
  {
    name: 'JWE with PBES2 p2c 1e9',
    token: () => `${b64url('{"alg":"PBES2-HS512+A256KW","p2c":1000000000,"p2s":"c2FsdA","enc":"A256GCM"}')}.${b64url('k')}.${b64url('iv')}.${b64url('c')}.${b64url('t')}`,
    valid: false,
    reason: 'abstained',
  },

  // 27: a 1 MiB token.
  {
    name: 'a 1 MiB token (validly signed)',
    token: () => good({ pad: 'x'.repeat(1024 * 1024) }),
    valid: false,
    jose: true,
    because: 'jose has no size limit; we abstain above MAX_TOKEN_LENGTH before decoding anything',
    reason: 'abstained',
  },

  // 23: rotated-out keys.
  { name: 'signed by a key that is no longer configured (its kid)', token: () => forgeToken({ header: { alg: 'RS256', kid: keyIdOf(rotatedOut.publicKey) }, payload: payload(), key: rotatedOut.privateKey }), valid: false, reason: 'invalid signature, no keys found' },
  { name: 'signed by a key that is no longer configured (no kid)', token: () => forgeToken({ header: { alg: 'RS256' }, payload: payload(), key: rotatedOut.privateKey }), valid: false, reason: 'go-jose/go-jose: error in cryptographic primitive' },
  { name: 'a rotated-out key claiming the kid of a configured key', token: () => forgeToken({ header: { alg: 'RS256', kid }, payload: payload(), key: rotatedOut.privateKey }), valid: false, reason: 'go-jose/go-jose: error in cryptographic primitive' },
];

describe('hostile tokens: our verifier and jose agree', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const token = await c.token();
      const mine = ours(token);
      const theirs = await jose(token);
      assert.equal(mine.valid, c.valid, `ours: ${mine.reason}`);
      if (c.jose === undefined) {
        assert.equal(theirs.valid, c.valid, `jose disagrees: ${theirs.reason}`);
      } else {
        assert.ok(c.because, 'a documented difference needs a reason');
        assert.equal(theirs.valid, c.jose, `jose: ${theirs.reason}`);
      }
      if (c.reason instanceof RegExp) assert.match(mine.reason, c.reason);
      else if (c.reason !== undefined) assert.equal(mine.reason, c.reason);
    });
  }
});
