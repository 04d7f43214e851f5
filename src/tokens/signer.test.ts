import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactVerify, jwtVerify } from 'jose';
import { algorithmOf, keyIdOf } from './keys.js';
import { createTokenSigner, protectedHeaderSegment } from './signer.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keyPairs = {
  RS256: rsa,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
};
const SIGNATURE_LENGTHS: Record<string, number> = { RS256: 256, ES256: 64, ES384: 96, ES512: 132 };

function signerFor(alg: keyof typeof keyPairs) {
  const pair = keyPairs[alg];
  return createTokenSigner({ privateKey: pair.privateKey, keyId: keyIdOf(pair.publicKey), algorithm: algorithmOf(pair.privateKey) });
}

describe('createTokenSigner', () => {
  for (const alg of Object.keys(keyPairs) as (keyof typeof keyPairs)[]) {
    it(`${alg}: header bytes exactly {"alg","kid"}, jose verifies, JOSE-form signature`, async () => {
      const signer = signerFor(alg);
      assert.equal(signer.algorithm, alg);
      const token = await signer.sign({ iss: 'https://issuer.example', sub: 'system:serviceaccount:default:x', exp: 2000000000 });
      const [header, , signature] = token.split('.');
      assert.equal(Buffer.from(header ?? '', 'base64url').toString(), `{"alg":"${alg}","kid":"${signer.keyId}"}`);
      assert.equal(header, protectedHeaderSegment(alg, signer.keyId));
      assert.doesNotMatch(token, /[=+/]/);
      assert.equal(Buffer.from(signature ?? '', 'base64url').length, SIGNATURE_LENGTHS[alg]);
      const { payload, protectedHeader } = await jwtVerify(token, keyPairs[alg].publicKey, {
        algorithms: [alg],
        issuer: 'https://issuer.example',
        currentDate: new Date(1_900_000_000_000),
      });
      assert.equal(payload.sub, 'system:serviceaccount:default:x');
      assert.deepEqual(protectedHeader, { alg, kid: signer.keyId });
    });
  }

  it('RS256 tokens start like kube-apiserver tokens', async () => {
    const token = await signerFor('RS256').sign({ iss: 'x' });
    assert.ok(token.startsWith('eyJhbGciOiJSUzI1NiIsImtpZCI6'));
  });

  it('payload members sorted at every level, Go escapes for < > &', async () => {
    const token = await signerFor('ES256').sign({ sub: 's', aud: ['a&b<c>'], 'kubernetes.io': { serviceaccount: { uid: 'u', name: 'n' }, namespace: 'ns' }, iat: 1 });
    const { payload } = await compactVerify(token, keyPairs.ES256.publicKey);
    assert.equal(
      new TextDecoder().decode(payload),
      '{"aud":["a\\u0026b\\u003cc\\u003e"],"iat":1,"kubernetes.io":{"namespace":"ns","serviceaccount":{"name":"n","uid":"u"}},"sub":"s"}',
    );
  });

  it('refuses to create a signer for an algorithm it cannot sign with', () => {
    assert.throws(() => createTokenSigner({ privateKey: rsa.privateKey, keyId: 'k', algorithm: 'HS256' }), /unsupported signing algorithm HS256/);
  });
});
