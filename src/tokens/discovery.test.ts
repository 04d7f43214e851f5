import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLocalJWKSet, jwtVerify } from 'jose';
import {
  algorithmsOf,
  defaultJwksUri,
  discoveryIssuerError,
  jwksDocument,
  jwksUriError,
  openIdConfiguration,
} from './discovery.js';
import { verificationKeysOf } from './keys.js';
import { createTokenSigner } from './signer.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('openIdConfiguration', () => {
  it('is byte-identical to the reference document (serviceaccounts.md 11.2)', () => {
    assert.equal(
      openIdConfiguration({
        issuer: 'https://kubernetes.default.svc.cluster.local',
        jwksUri: defaultJwksUri('172.18.0.2:6443'),
        algorithms: ['RS256'],
      }),
      '{"issuer":"https://kubernetes.default.svc.cluster.local","jwks_uri":"https://172.18.0.2:6443/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}',
    );
  });

  it('algorithms sorted and unique; Go escapes in URLs', () => {
    const keys = verificationKeysOf([rsa.publicKey, ec.publicKey, rsa.publicKey]);
    assert.deepEqual(algorithmsOf(keys), ['ES256', 'RS256']);
    const doc = JSON.parse(openIdConfiguration({ issuer: 'https://i', jwksUri: 'https://j/k', algorithms: ['RS256', 'ES256', 'RS256'] }));
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES256', 'RS256']);
    assert.match(openIdConfiguration({ issuer: 'https://i/a&b', jwksUri: 'https://j', algorithms: [] }), /"https:\/\/i\/a\\u0026b"/);
  });
});

describe('jwksDocument', () => {
  it('lists every key in order with go-jose member order, and jose verifies our tokens with it', async () => {
    const keys = verificationKeysOf([ec.publicKey, rsa.privateKey]);
    const text = jwksDocument(keys);
    const doc = JSON.parse(text) as { keys: Record<string, string>[] };
    assert.deepEqual(doc.keys.map((k) => Object.keys(k)), [
      ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y'],
      ['use', 'kty', 'kid', 'alg', 'n', 'e'],
    ]);
    assert.doesNotMatch(text, /"(d|p|q|dp|dq|qi)":/);
    const rsaKey = keys[1];
    assert.ok(rsaKey);
    const token = await createTokenSigner({ privateKey: rsa.privateKey, keyId: rsaKey.keyId, algorithm: 'RS256' }).sign({ iss: 'https://i' });
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(doc as never), { issuer: 'https://i' });
    assert.equal(protectedHeader.kid, rsaKey.keyId);
  });

  it('refuses an empty key set', () => {
    assert.throws(() => jwksDocument([]), /no keys provided for validating keyset/);
  });
});

describe('discovery preconditions', () => {
  const issuers: [string, RegExp | undefined][] = [
    ['https://kubernetes.default.svc.cluster.local', undefined],
    ['https://example.com/path', undefined],
    ['http://example.com', /must use https scheme/],
    ['kubernetes/serviceaccount', /could not be parsed/],
    ['https://example.com/?q=1', /may not include a query/],
    ['https://example.com/#f', /may not include a fragment/],
    ['', /empty issuer URL/],
  ];
  for (const [issuer, error] of issuers) {
    it(`issuer ${JSON.stringify(issuer)}`, () => {
      const got = discoveryIssuerError(issuer);
      if (error) assert.match(got ?? '', error);
      else assert.equal(got, undefined);
    });
  }
  it('jwks uri must be https', () => {
    assert.equal(jwksUriError('https://example.com/keys'), undefined);
    assert.match(jwksUriError('http://example.com/keys') ?? '', /jwksURI requires https scheme/);
  });
  it('default jwks uri comes from the external address', () => {
    assert.equal(defaultJwksUri('[::1]:6443'), 'https://[::1]:6443/openid/v1/jwks');
  });
});
