import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXPIRATION_EXTENSION_SECONDS,
  LEGACY_ISSUER,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  audienceClaim,
  boundTokenClaims,
  legacyTokenClaims,
  newJti,
  numericDateClaim,
  parseServiceAccountClaims,
  serviceAccountUsername,
  splitServiceAccountUsername,
} from './claims.js';
import { marshalSorted } from './json.js';
import { TokenInvalidError } from './types.js';

const SA = { namespace: 'default', name: 'default', uid: 'f8b4161b-2e2b-11e9-86b7-2afc33b31a7e' };
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

describe('boundTokenClaims', () => {
  it('reproduces the wire example of serviceaccounts.md 9.2 byte for byte', () => {
    // The example's exp is iat + 31536007; its uids are completed here.
    const claims = boundTokenClaims({
      issuer: ISSUER,
      audiences: [ISSUER],
      expirationSeconds: 1767225600 - 1735689593,
      nowSeconds: 1735689593.75,
      serviceAccount: SA,
      pod: { name: 'test-pod', uid: 'e87dbbd6-0000-0000-0000-000000000000' },
      node: { name: 'kind-control-plane', uid: '497e9d9a-0000-0000-0000-000000000000' },
      warnAfter: 1735689593 + WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
      jti: '7ee52be0-9045-4653-aa5e-0da57b8dccdc',
    });
    const expected =
      '{"aud":["https://kubernetes.default.svc.cluster.local"],"exp":1767225600,"iat":1735689593,' +
      '"iss":"https://kubernetes.default.svc.cluster.local","jti":"7ee52be0-9045-4653-aa5e-0da57b8dccdc",' +
      '"kubernetes.io":{"namespace":"default","node":{"name":"kind-control-plane","uid":"497e9d9a-0000-0000-0000-000000000000"},' +
      '"pod":{"name":"test-pod","uid":"e87dbbd6-0000-0000-0000-000000000000"},"serviceaccount":{"name":"default","uid":"f8b4161b-2e2b-11e9-86b7-2afc33b31a7e"},' +
      '"warnafter":1735693200},' +
      '"nbf":1735689593,"sub":"system:serviceaccount:default:default"}';
    assert.equal(marshalSorted(claims), expected);
    // Built in serialization order already, so plain JSON.stringify agrees too.
    assert.equal(JSON.stringify(claims), expected);
  });

  it('kubectl create token: no node, pod, warnafter; exp = iat + 3600; aud always an array', () => {
    const claims = boundTokenClaims({ issuer: ISSUER, audiences: ['api'], expirationSeconds: 3600, nowSeconds: 1000, serviceAccount: SA, jti: 'j' });
    assert.deepEqual(claims, {
      aud: ['api'],
      exp: 4600,
      iat: 1000,
      iss: ISSUER,
      jti: 'j',
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: SA.uid } },
      nbf: 1000,
      sub: 'system:serviceaccount:default:default',
    });
  });

  it('omitempty: node uid dropped when the Node was not found; secret binding', () => {
    const podBound = boundTokenClaims({ issuer: ISSUER, audiences: ['a'], expirationSeconds: 600, nowSeconds: 0, serviceAccount: SA, pod: { name: 'p', uid: 'pu' }, node: { name: 'n', uid: '' } });
    assert.deepEqual((podBound['kubernetes.io'] as Record<string, unknown>).node, { name: 'n' });
    const secretBound = boundTokenClaims({ issuer: ISSUER, audiences: ['a'], expirationSeconds: 600, nowSeconds: 0, serviceAccount: SA, secret: { name: 's', uid: 'su' } });
    assert.deepEqual((secretBound['kubernetes.io'] as Record<string, unknown>).secret, { name: 's', uid: 'su' });
    assert.match(String(secretBound.jti), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses a Secret binding together with a Pod or Node', () => {
    for (const extra of [{ pod: { name: 'p', uid: 'u' } }, { node: { name: 'n', uid: 'u' } }]) {
      assert.throws(
        () => boundTokenClaims({ issuer: ISSUER, audiences: ['a'], expirationSeconds: 600, nowSeconds: 0, serviceAccount: SA, secret: { name: 's', uid: 'u' }, ...extra }),
        /internal error, token can only be bound to one object type/,
      );
    }
  });

  it('exports upstream constants', () => {
    assert.equal(WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS, 3607);
    assert.equal(EXPIRATION_EXTENSION_SECONDS, 31536000);
    assert.notEqual(newJti(), newJti());
  });
});

describe('legacyTokenClaims', () => {
  it('reproduces the wire example of serviceaccounts.md 9.3', () => {
    const claims = legacyTokenClaims({ serviceAccount: { namespace: 'default', name: 'build-robot', uid: 'a709ef71-x' }, secretName: 'mysecret' });
    assert.equal(
      marshalSorted(claims),
      '{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"default",' +
        '"kubernetes.io/serviceaccount/secret.name":"mysecret","kubernetes.io/serviceaccount/service-account.name":"build-robot",' +
        '"kubernetes.io/serviceaccount/service-account.uid":"a709ef71-x","sub":"system:serviceaccount:default:build-robot"}',
    );
    assert.equal(JSON.stringify(claims), marshalSorted(claims));
  });
});

describe('service account usernames', () => {
  const cases: [string, { namespace: string; name: string } | undefined][] = [
    ['system:serviceaccount:ns:sa', { namespace: 'ns', name: 'sa' }],
    ['system:serviceaccount:ns:a.b-c', { namespace: 'ns', name: 'a.b-c' }],
    ['system:serviceaccount:ns:sa:x', undefined],
    ['system:serviceaccount:ns', undefined],
    ['system:serviceaccount:Ns:sa', undefined],
    ['system:serviceaccount:n.s:sa', undefined],
    ['system:serviceaccount::sa', undefined],
    ['system:admin', undefined],
    [`system:serviceaccount:${'a'.repeat(64)}:sa`, undefined],
  ];
  for (const [username, expected] of cases) {
    it(`split ${username.slice(0, 40)}`, () => assert.deepEqual(splitServiceAccountUsername(username), expected));
  }
  it('make', () => assert.equal(serviceAccountUsername('ns', 'sa'), 'system:serviceaccount:ns:sa'));
});

const legacyPayload = (): Record<string, unknown> =>
  legacyTokenClaims({ serviceAccount: { namespace: 'ns', name: 'sa', uid: 'uid-1' }, secretName: 'sa-token' });
const boundPayload = (): Record<string, unknown> =>
  boundTokenClaims({ issuer: ISSUER, audiences: ['a'], expirationSeconds: 3600, nowSeconds: 100, serviceAccount: { namespace: 'ns', name: 'sa', uid: 'uid-1' }, jti: 'j' });
const k8s = (payload: Record<string, unknown>) => payload['kubernetes.io'] as Record<string, unknown>;

describe('parseServiceAccountClaims', () => {
  it('legacy: reads the flat claims', () => {
    assert.deepEqual(parseServiceAccountClaims(legacyPayload()), {
      kind: 'legacy',
      namespace: 'ns',
      serviceAccount: { name: 'sa', uid: 'uid-1' },
      secret: { name: 'sa-token', uid: '' },
    });
  });

  it('bound: reads kubernetes.io', () => {
    const payload = boundTokenClaims({
      issuer: ISSUER, audiences: ['a'], expirationSeconds: 3600, nowSeconds: 100,
      serviceAccount: { namespace: 'ns', name: 'sa', uid: 'uid-1' },
      pod: { name: 'p', uid: 'pu' }, node: { name: 'n', uid: '' }, warnAfter: 3707,
    });
    assert.deepEqual(parseServiceAccountClaims(payload), {
      kind: 'bound',
      namespace: 'ns',
      serviceAccount: { name: 'sa', uid: 'uid-1' },
      pod: { name: 'p', uid: 'pu' },
      node: { name: 'n', uid: '' },
      warnAfter: 3707,
    });
  });

  const refusals: { name: string; payload: () => Record<string, unknown>; message: string }[] = [
    // legacy.go order: sub, namespace, secretName, serviceAccountName, serviceAccountUID, then sub agreement
    { name: 'legacy without anything but iss', payload: () => ({ iss: LEGACY_ISSUER }), message: 'sub claim is missing' },
    { name: 'legacy without namespace', payload: () => ({ ...legacyPayload(), 'kubernetes.io/serviceaccount/namespace': '' }), message: 'namespace claim is missing' },
    { name: 'legacy without secret name', payload: () => ({ ...legacyPayload(), 'kubernetes.io/serviceaccount/secret.name': undefined }), message: 'secretName claim is missing' },
    { name: 'legacy without SA name', payload: () => ({ ...legacyPayload(), 'kubernetes.io/serviceaccount/service-account.name': '' }), message: 'serviceAccountName claim is missing' },
    { name: 'legacy without SA uid', payload: () => ({ ...legacyPayload(), 'kubernetes.io/serviceaccount/service-account.uid': null }), message: 'serviceAccountUID claim is missing' },
    { name: 'legacy sub in another namespace', payload: () => ({ ...legacyPayload(), sub: 'system:serviceaccount:other:sa' }), message: 'sub claim is invalid' },
    { name: 'legacy sub system:admin', payload: () => ({ ...legacyPayload(), sub: 'system:admin' }), message: 'sub claim is invalid' },
    { name: 'legacy claim of the wrong type', payload: () => ({ ...legacyPayload(), 'kubernetes.io/serviceaccount/namespace': 7 }), message: 'service account token claim kubernetes.io/serviceaccount/namespace is not a string' },
    { name: 'bound without kubernetes.io', payload: () => ({ ...boundPayload(), 'kubernetes.io': undefined }), message: 'namespace claim is missing' },
    { name: 'bound kubernetes.io not an object', payload: () => ({ ...boundPayload(), 'kubernetes.io': ['x'] }), message: 'service account token claim kubernetes.io is not an object' },
    { name: 'bound without SA name', payload: () => { const p = boundPayload(); k8s(p).serviceaccount = { uid: 'uid-1' }; return p; }, message: 'serviceAccountName claim is missing' },
    { name: 'bound without SA uid', payload: () => { const p = boundPayload(); k8s(p).serviceaccount = { name: 'sa' }; return p; }, message: 'serviceAccountUID claim is missing' },
    { name: 'bound sub disagreeing with namespace', payload: () => ({ ...boundPayload(), sub: 'system:serviceaccount:ns-b:sa' }), message: 'sub claim is invalid' },
    { name: 'bound sub system:admin', payload: () => ({ ...boundPayload(), sub: 'system:admin' }), message: 'sub claim is invalid' },
    { name: 'bound without sub', payload: () => ({ ...boundPayload(), sub: undefined }), message: 'sub claim is invalid' },
    { name: 'bound pod ref without name', payload: () => { const p = boundPayload(); k8s(p).pod = { uid: 'x' }; return p; }, message: 'pod claim is invalid' },
    { name: 'bound pod ref not an object', payload: () => { const p = boundPayload(); k8s(p).pod = 'p'; return p; }, message: 'service account token claim kubernetes.io.pod is not an object' },
    { name: 'bound secret and pod', payload: () => { const p = boundPayload(); k8s(p).pod = { name: 'p' }; k8s(p).secret = { name: 's' }; return p; }, message: 'service account token is bound to more than one object' },
    { name: 'bound warnafter as a string', payload: () => { const p = boundPayload(); k8s(p).warnafter = '5'; return p; }, message: 'service account token claims could not be validated: warnafter is not a NumericDate' },
  ];
  for (const c of refusals) {
    it(`refuses: ${c.name}`, () => {
      assert.throws(() => parseServiceAccountClaims(c.payload()), (e: unknown) => e instanceof TokenInvalidError && e.message === c.message);
    });
  }
});

describe('claim readers', () => {
  const dates: [unknown, number | undefined | 'throws'][] = [
    [undefined, undefined], [null, undefined], [12, 12], [12.9, 12], [-12.9, -12],
    [1e300, Number.MIN_SAFE_INTEGER], [-1e300, Number.MIN_SAFE_INTEGER], ['12', 'throws'], [true, 'throws'], [{}, 'throws'],
  ];
  for (const [value, expected] of dates) {
    it(`NumericDate ${JSON.stringify(value)}`, () => {
      if (expected === 'throws') assert.throws(() => numericDateClaim({ exp: value }, 'exp'), TokenInvalidError);
      else assert.equal(numericDateClaim({ exp: value }, 'exp'), expected);
    });
  }
  const auds: [unknown, string[] | 'throws'][] = [[undefined, []], ['a', ['a']], [['a', 'b'], ['a', 'b']], [[], []], [[1], 'throws'], [5, 'throws']];
  for (const [value, expected] of auds) {
    it(`aud ${JSON.stringify(value)}`, () => {
      if (expected === 'throws') assert.throws(() => audienceClaim({ aud: value }), TokenInvalidError);
      else assert.deepEqual(audienceClaim({ aud: value }), expected);
    });
  }
});
