import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boundTokenClaims, legacyTokenClaims } from './claims.js';
import { keyIdOf, verificationKeysOf } from './keys.js';
import { createTokenSigner } from './signer.js';
import { b64url, forgeToken } from './testing/forge.js';
import { TokenInvalidError } from './types.js';
import { MAX_TOKEN_LENGTH, createTokenVerifier } from './verifier.js';

const NOW = 1_700_000_000;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const OLD_ISSUER = 'https://old.example';
const rsaA = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaB = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ecP256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecP384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const kidA = keyIdOf(rsaA.publicKey);
const SA = { namespace: 'ns', name: 'sa', uid: 'sa-uid' };

const verifier = createTokenVerifier({
  keys: verificationKeysOf([rsaB.publicKey, rsaA.publicKey, ecP256.publicKey, ecP384.publicKey]),
  issuers: [ISSUER, OLD_ISSUER],
});

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...boundTokenClaims({ issuer: ISSUER, audiences: ['api'], expirationSeconds: 3600, nowSeconds: NOW, serviceAccount: SA, jti: 'jti-1' }), ...overrides };
}
function rs256(payload: Record<string, unknown> | string, header: Record<string, unknown> = { alg: 'RS256', kid: kidA }): string {
  return forgeToken({ header, payload, key: rsaA.privateKey, signAlg: 'RS256' });
}
function refusedWith(message: string | RegExp) {
  return (e: unknown): boolean => e instanceof TokenInvalidError && (typeof message === 'string' ? e.message === message : message.test(e.message));
}

describe('createTokenVerifier: accepted tokens', () => {
  it('a token of our signer, with every VerifiedToken field', async () => {
    const payload = boundTokenClaims({
      issuer: ISSUER, audiences: ['api', 'vault'], expirationSeconds: 3600, nowSeconds: NOW, serviceAccount: SA,
      pod: { name: 'p', uid: 'pu' }, node: { name: 'n', uid: 'nu' }, warnAfter: NOW + 3607, jti: 'jti-1',
    });
    const token = await createTokenSigner({ privateKey: rsaA.privateKey, keyId: kidA, algorithm: 'RS256' }).sign(payload);
    assert.deepEqual(verifier.verify(token, NOW), {
      issuer: ISSUER,
      subject: 'system:serviceaccount:ns:sa',
      audiences: ['api', 'vault'],
      keyId: kidA,
      jti: 'jti-1',
      expiresAt: NOW + 3600,
      issuedAt: NOW,
      notBefore: NOW,
      claims: { kind: 'bound', namespace: 'ns', serviceAccount: { name: 'sa', uid: 'sa-uid' }, pod: { name: 'p', uid: 'pu' }, node: { name: 'n', uid: 'nu' }, warnAfter: NOW + 3607 },
    });
  });

  it('a legacy token: no time checks at all, no exp needed', () => {
    const token = rs256({ ...legacyTokenClaims({ serviceAccount: SA, secretName: 'sa-token' }), exp: 1 });
    const verified = verifier.verify(token, NOW);
    assert.equal(verified?.claims.kind, 'legacy');
    assert.equal(verified?.expiresAt, undefined);
    assert.deepEqual(verified?.audiences, []);
    assert.equal(createTokenVerifier({ keys: verificationKeysOf([rsaA.publicKey]), issuers: [ISSUER], legacy: false }).verify(token, NOW), null);
  });

  it('any accepted issuer (several --service-account-issuer)', () => {
    assert.equal(verifier.verify(rs256(claims({ iss: OLD_ISSUER })), NOW)?.issuer, OLD_ISSUER);
  });

  it('no kid: every key is tried; the one that verified is reported', () => {
    assert.equal(verifier.verify(rs256(claims(), { alg: 'RS256' }), NOW)?.keyId, kidA);
    assert.equal(verifier.verify(rs256(claims(), { alg: 'RS256', kid: '' }), NOW)?.keyId, kidA);
  });

  for (const alg of ['RS384', 'RS512', 'PS256', 'PS384', 'PS512']) {
    it(`${alg} with an RSA key (go-jose accepts every RSA algorithm)`, () => {
      const token = forgeToken({ header: { alg, kid: kidA }, payload: claims(), key: rsaA.privateKey });
      assert.equal(verifier.verify(token, NOW)?.keyId, kidA);
    });
  }

  it('ES384 with a P-384 key; typ JWT tolerated', () => {
    const token = forgeToken({ header: { alg: 'ES384', typ: 'JWT' }, payload: claims(), key: ecP384.privateKey });
    assert.equal(verifier.verify(token, NOW)?.keyId, keyIdOf(ecP384.publicKey));
  });

  it('aud as a single string is one audience (go-jose Audience)', () => {
    assert.deepEqual(verifier.verify(rs256(claims({ aud: 'api' })), NOW)?.audiences, ['api']);
  });
});

describe('createTokenVerifier: time claims (go-jose leeway 60 s, order nbf, exp, iat)', () => {
  const cases: { name: string; overrides: Record<string, unknown>; now?: number; error?: string }[] = [
    { name: 'exp 60 s ago: accepted', overrides: { exp: NOW - 60 } },
    { name: 'exp 61 s ago', overrides: { exp: NOW - 61 }, error: 'service account token has expired' },
    { name: 'exp 60.5 s ago with a fractional clock', overrides: { exp: NOW - 60 }, now: NOW + 0.5, error: 'service account token has expired' },
    { name: 'nbf 60 s ahead: accepted', overrides: { nbf: NOW + 60 } },
    { name: 'nbf 61 s ahead', overrides: { nbf: NOW + 61 }, error: 'service account token is not valid yet' },
    { name: 'iat 60 s ahead: accepted', overrides: { iat: NOW + 60 } },
    { name: 'iat 61 s ahead', overrides: { iat: NOW + 61 }, error: 'service account token is issued in the future' },
    { name: 'nbf is checked before exp', overrides: { nbf: NOW + 120, exp: NOW - 120 }, error: 'service account token is not valid yet' },
    { name: 'exp is checked before iat', overrides: { iat: NOW + 120, exp: NOW - 120 }, error: 'service account token has expired' },
    { name: 'fractional exp truncated like go-jose', overrides: { exp: NOW - 60 + 0.9 }, now: NOW + 0.1, error: 'service account token has expired' },
    { name: 'exp 1e300 (int64 overflow: far past in Go)', overrides: { exp: 1e300 }, error: 'service account token has expired' },
    { name: 'no exp (stricter than upstream)', overrides: { exp: undefined }, error: 'service account token claims could not be validated: exp claim is missing' },
    { name: 'exp null', overrides: { exp: null }, error: 'service account token claims could not be validated: exp claim is missing' },
    { name: 'exp as a string', overrides: { exp: String(NOW + 100) }, error: 'service account token claims could not be validated: exp is not a NumericDate' },
    { name: 'iat as a bool', overrides: { iat: true }, error: 'service account token claims could not be validated: iat is not a NumericDate' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const token = rs256(claims(c.overrides));
      if (c.error) assert.throws(() => verifier.verify(token, c.now ?? NOW), refusedWith(c.error));
      else assert.equal(verifier.verify(token, c.now ?? NOW)?.subject, 'system:serviceaccount:ns:sa');
      // deferTimeErrors: time refusals come back in timeError; claim shape errors still throw.
      if (c.error && c.error.includes('NumericDate')) assert.throws(() => verifier.verify(token, c.now ?? NOW, { deferTimeErrors: true }), refusedWith(c.error));
      else {
        const v = verifier.verify(token, c.now ?? NOW, { deferTimeErrors: true });
        assert.equal(v?.subject, 'system:serviceaccount:ns:sa');
        assert.equal(v?.timeError?.message, c.error);
        if (c.error) assert.ok(v?.timeError instanceof TokenInvalidError);
      }
    });
  }
});

describe('createTokenVerifier: abstains (null) where kube-apiserver abstains', () => {
  const good = rs256(claims());
  const [h, p, s] = good.split('.') as [string, string, string];
  const cases: [string, string][] = [
    ['empty string', ''],
    ['two parts', `${h}.${p}`],
    ['four parts', `${good}.x`],
    ['JWE-like five parts', `${h}.${p}.a.b.c`],
    ['JSON serialization', ` {"payload":"${p}"}`],
    ['payload not base64url', `${h}.${p}*.${s}`],
    ['payload padded', `${h}.${p}==.${s}`],
    ['payload not JSON', `${h}.${b64url('nope')}.${s}`],
    ['payload a JSON array', `${h}.${b64url('["iss"]')}.${s}`],
    ['payload without iss', `${h}.${b64url('{"sub":"x"}')}.${s}`],
    ['iss of another issuer', rs256(claims({ iss: 'https://other.example' }))],
    ['iss with a trailing slash', rs256(claims({ iss: `${ISSUER}/` }))],
    ['iss a number', rs256(claims({ iss: 7 }))],
    ['header not JSON', `${b64url('{"alg":')}.${p}.${s}`],
    ['header not base64url', `${h}!.${p}.${s}`],
    ['kid a number', rs256(claims(), { alg: 'RS256', kid: 7 })],
    ['alg an object', rs256(claims(), { alg: { x: 1 } })],
    ['signature padded', `${h}.${p}.${s}=`],
    ['signature with whitespace', `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}`],
    ['token longer than MAX_TOKEN_LENGTH', `${h}.${p}.${s}${'A'.repeat(MAX_TOKEN_LENGTH)}`],
  ];
  for (const [name, token] of cases) {
    it(name, () => assert.equal(verifier.verify(token, NOW), null));
  }
  it('non-string input', () => assert.equal(verifier.verify(undefined as unknown as string, NOW), null));
  it('a non-finite clock is a programming error, not an accepted token', () => {
    assert.throws(() => verifier.verify(rs256(claims({ exp: NOW - 3600 })), Number.NaN), TypeError);
  });
});

describe('createTokenVerifier: refusals with upstream wording', () => {
  it('unknown kid: "invalid signature, no keys found"', () => {
    assert.throws(() => verifier.verify(rs256(claims(), { alg: 'RS256', kid: 'nope' }), NOW), refusedWith('invalid signature, no keys found'));
  });
  it('bad signature: go-jose\'s crypto failure', () => {
    assert.throws(() => verifier.verify(forgeToken({ header: { alg: 'RS256', kid: kidA }, payload: claims(), key: rsaB.privateKey }), NOW), refusedWith('go-jose/go-jose: error in cryptographic primitive'));
  });
  it('ES256 alg against a P-384 key: refused (curve must match)', () => {
    const token = forgeToken({ header: { alg: 'ES256', kid: keyIdOf(ecP384.publicKey) }, payload: claims(), key: ecP384.privateKey });
    assert.throws(() => verifier.verify(token, NOW), refusedWith('go-jose/go-jose: error in cryptographic primitive'));
  });
  it('a key-less verifier refuses everything of its issuers', () => {
    assert.throws(() => createTokenVerifier({ keys: [], issuers: [ISSUER] }).verify(rs256(claims()), NOW), refusedWith('invalid signature, no keys found'));
  });
  it('claim shape errors come from parseServiceAccountClaims', () => {
    assert.throws(() => verifier.verify(rs256(claims({ sub: 'system:admin' })), NOW), refusedWith('sub claim is invalid'));
  });
});
