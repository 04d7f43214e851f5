import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { notFound, StatusError } from '../../api/status.js';
import { boundTokenClaims } from '../../tokens/claims.js';
import { createTokenRequestREST, type ObjectReader, type TokenRequestOptions } from './token.js';

const nowMs = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const nowS = Math.floor(nowMs / 1000);

function reader(resource: string, objects: KubeObject[]): ObjectReader {
  return {
    get(namespace, name) {
      const o = objects.find((x) => x.metadata.name === name && (x.metadata.namespace ?? '') === namespace);
      if (!o) throw notFound({ group: '', resource }, name);
      return o;
    },
  };
}

const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'ns', uid: 'sa-uid' } } as KubeObject;
const pod = (name: string, extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', uid: `${name}-uid` }, spec: { serviceAccountName: 'robot', ...extra } }) as KubeObject;
const objects = {
  pods: [pod('p'), pod('scheduled', { nodeName: 'node-1' }), pod('orphan', { nodeName: 'gone' }), pod('other', { serviceAccountName: 'someone' })],
  secrets: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns', uid: 's-uid' } } as KubeObject],
  nodes: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', uid: 'node-uid' } } as KubeObject],
};

function rest(over: Partial<TokenRequestOptions> = {}) {
  const signed: Record<string, unknown>[] = [];
  const r = createTokenRequestREST({
    serviceAccounts: reader('serviceaccounts', [sa]),
    pods: reader('pods', objects.pods),
    secrets: reader('secrets', objects.secrets),
    nodes: reader('nodes', objects.nodes),
    signer: { sign: async (p) => (signed.push(p), 'header.payload.signature') },
    claims: (input) => boundTokenClaims({ ...input, jti: 'the-jti' }),
    issuer: () => 'https://issuer.example',
    apiAudiences: () => ['api', 'https://issuer.example'],
    now: () => nowMs,
    ...over,
  });
  return { r, signed };
}

async function create(body: Record<string, unknown>, over: Partial<TokenRequestOptions> = {}, name = 'robot') {
  const { r, signed } = rest(over);
  const warnings: string[] = [];
  const out = await r.create('ns', name, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, ...body } as KubeObject, warnings);
  return { out: out as any, claims: signed[0] as any, warnings };
}

async function failure(body: Record<string, unknown>, over: Partial<TokenRequestOptions> = {}, name = 'robot') {
  try {
    await create(body, over, name);
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return e.status;
  }
  assert.fail('expected a failure');
}

describe('TokenRequest', () => {
  it('defaults audiences and expiration, fills metadata, and writes the claims Kubernetes writes', async () => {
    const { out, claims, warnings } = await create({});
    assert.deepEqual(out.spec, { audiences: ['api', 'https://issuer.example'], expirationSeconds: 3600 });
    assert.deepEqual(out.metadata, { name: 'robot', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' });
    assert.deepEqual(out.status, { token: 'header.payload.signature', expirationTimestamp: '2026-01-01T01:00:00Z' });
    assert.deepEqual(claims, {
      aud: ['api', 'https://issuer.example'],
      exp: nowS + 3600,
      iat: nowS,
      iss: 'https://issuer.example',
      jti: 'the-jti',
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'robot', uid: 'sa-uid' } },
      nbf: nowS,
      sub: 'system:serviceaccount:ns:robot',
    });
    assert.deepEqual(warnings, []);
  });

  const invalidCases: Array<[string, Record<string, unknown>, number, string]> = [
    ['599 s', { spec: { expirationSeconds: 599 } }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes'],
    ['explicit 0', { spec: { expirationSeconds: 0 } }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 0: may not specify a duration less than 10 minutes'],
    ['-1', { spec: { expirationSeconds: -1 } }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: -1: may not specify a duration less than 10 minutes'],
    ['2^32 + 1', { spec: { expirationSeconds: 2 ** 32 + 1 } }, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds'],
    ['name mismatch', { metadata: { name: 'other' } }, 422, 'TokenRequest.authentication.k8s.io "robot" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified'],
    ['namespace mismatch', { metadata: { namespace: 'elsewhere' } }, 400, 'the namespace of the provided object does not match the namespace sent on the request'],
    ['missing pod', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } } }, 404, 'pods "nope" not found'],
    ['pod of another ServiceAccount', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'other' } } }, 400, 'cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name.'],
    ['pod UID mismatch', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'stale' } } }, 409, 'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated'],
    ['secret UID mismatch', { spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'x' } } }, 409, 'Operation cannot be fulfilled on Secret "s": the UID in the bound object reference (x) does not match the UID in record. The object might have been deleted and then recreated'],
    ['missing node', { spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n' } } }, 404, 'nodes "n" not found'],
    ['ConfigMap', { spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'c' } } }, 400, 'cannot bind token to object of type /v1, Kind=ConfigMap'],
    ['pod of another group', { spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'apps/v1', name: 'p' } } }, 400, 'cannot bind token to object of type apps/v1, Kind=Pod'],
  ];
  for (const [what, body, code, message] of invalidCases) {
    it(`refuses ${what}`, async () => {
      const s = await failure(body);
      assert.equal(s.code, code);
      assert.equal(s.message, message);
    });
  }

  it('404s for a missing ServiceAccount', async () => {
    const s = await failure({}, {}, 'nope');
    assert.equal(s.message, 'serviceaccounts "nope" not found');
  });

  it('binds to a pod with its UID even when the reference has none, and echoes the reference as sent', async () => {
    const { out, claims } = await create({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } } });
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'p', uid: 'p-uid' });
    assert.equal(claims['kubernetes.io'].node, undefined);
    assert.deepEqual(out.spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'p' });
  });

  it('puts the node of a scheduled pod into the token, with its UID when the Node exists', async () => {
    assert.deepEqual((await create({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'scheduled' } } })).claims['kubernetes.io'].node, { name: 'node-1', uid: 'node-uid' });
    assert.deepEqual((await create({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'orphan' } } })).claims['kubernetes.io'].node, { name: 'gone' });
  });

  it('binds to a Secret and to a Node', async () => {
    assert.deepEqual((await create({ spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 's-uid' } } })).claims['kubernetes.io'].secret, { name: 's', uid: 's-uid' });
    const node = (await create({ spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'node-1' } } })).claims['kubernetes.io'];
    assert.deepEqual(node.node, { name: 'node-1', uid: 'node-uid' });
    assert.equal(node.pod, undefined);
  });

  it('shortens to the maximum with upstream\'s warning', async () => {
    const { out, claims, warnings } = await create({ spec: { expirationSeconds: 7200 + 600 } }, { maxExpirationSeconds: 7200 });
    assert.deepEqual(warnings, ['requested expiration of 7800 seconds shortened to 7200 seconds']);
    assert.equal(out.spec.expirationSeconds, 7200);
    assert.equal(claims.exp - claims.iat, 7200);
    assert.deepEqual((await create({ spec: { expirationSeconds: 7200 - 600 } }, { maxExpirationSeconds: 7200 })).warnings, []);
  });

  const extension: Array<[string, Record<string, unknown>, Partial<TokenRequestOptions>, boolean]> = [
    ['pod-bound 3607 s for API audiences', { expirationSeconds: 3607, audiences: ['api'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }, {}, true],
    ['pod-bound 3607 s, default audiences', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }, {}, true],
    ['a non-API audience among them', { expirationSeconds: 3607, audiences: ['not-the-api', 'api'], boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }, {}, false],
    ['not pod-bound', { expirationSeconds: 3607 }, {}, false],
    ['3608 s', { expirationSeconds: 3608, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }, {}, false],
    ['extension off', { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p' } }, { extendExpiration: false }, false],
  ];
  for (const [what, spec, over, extended] of extension) {
    it(`${extended ? 'extends' : 'does not extend'}: ${what}`, async () => {
      const { out, claims } = await create({ spec }, over);
      assert.equal(out.spec.expirationSeconds, spec.expirationSeconds);
      assert.equal(out.status.expirationTimestamp, new Date((nowS + Number(spec.expirationSeconds)) * 1000).toISOString().replace('.000Z', 'Z'));
      if (extended) {
        assert.equal(claims.exp, nowS + 365 * 24 * 3600);
        assert.equal(claims['kubernetes.io'].warnafter, nowS + 3607);
      } else {
        assert.equal(claims.exp, nowS + Number(spec.expirationSeconds));
        assert.equal(claims['kubernetes.io'].warnafter, undefined);
      }
    });
  }
});
