import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { TokenInvalidError, type TokenVerifier, type VerifiedToken, type VerifyOptions } from '../../tokens/types.js';
import { createServiceAccountAuthenticator, type ObjectGetter } from './serviceaccount.js';
import { createTokenCache, feedTokenCache, type ObjectEventSource } from './token-cache.js';
import { AuthenticationError } from './types.js';

const nowS = 1_800_000_000;

/** A fake verifier: tokens are names of entries of this table (the real one is tested in tokens/). */
function verifier(table: Record<string, VerifiedToken | Error>): TokenVerifier & { calls: number } {
  const v = {
    calls: 0,
    verify(token: string, _nowSeconds: number, options?: VerifyOptions) {
      v.calls++;
      const r = table[token];
      if (r === undefined) return null;
      if (r instanceof Error) throw r;
      if (r.timeError && !options?.deferTimeErrors) throw r.timeError;
      return r;
    },
  };
  return v;
}

function bound(over: Partial<VerifiedToken['claims']> = {}, top: Partial<VerifiedToken> = {}): VerifiedToken {
  return {
    issuer: 'https://issuer',
    subject: 'system:serviceaccount:ns:robot',
    audiences: ['api'],
    expiresAt: nowS + 3600,
    issuedAt: nowS,
    notBefore: nowS,
    jti: 'jti-1',
    keyId: 'kid',
    claims: { kind: 'bound', namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, ...over },
    ...top,
  };
}

function objects(list: KubeObject[]): ObjectGetter & { list: KubeObject[] } {
  return {
    list,
    find(namespace, name) {
      return this.list.find((o) => o.metadata.name === name && (o.metadata.namespace ?? '') === namespace);
    },
  };
}

const obj = (kind: string, name: string, uid: string, namespace = 'ns', extra: Record<string, unknown> = {}) =>
  ({ apiVersion: 'v1', kind, metadata: { name, namespace, uid, ...extra } }) as KubeObject;

function world() {
  return {
    serviceAccounts: objects([obj('ServiceAccount', 'robot', 'sa-uid')]),
    pods: objects([obj('Pod', 'p', 'pod-uid')]),
    secrets: objects([
      obj('Secret', 's', 'secret-uid'),
      { ...obj('Secret', 'legacy', 'l-uid'), data: { token: Buffer.from('legacy-token').toString('base64') } } as KubeObject,
    ]),
    nodes: objects([obj('Node', 'n', 'node-uid', '')]),
  };
}

const legacy: VerifiedToken = {
  issuer: 'kubernetes/serviceaccount',
  subject: 'system:serviceaccount:ns:robot',
  audiences: [],
  keyId: 'kid',
  claims: { kind: 'legacy', namespace: 'ns', serviceAccount: { name: 'robot', uid: 'sa-uid' }, secret: { name: 'legacy', uid: '' } },
};

const table: Record<string, VerifiedToken | Error> = {
  plain: bound(),
  'pod-bound': bound({ pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'n', uid: 'node-uid' } }),
  'pod-bound-unscheduled-node': bound({ pod: { name: 'p', uid: 'pod-uid' }, node: { name: 'gone', uid: '' } }),
  'stale-pod': bound({ pod: { name: 'p', uid: 'old-pod-uid' } }),
  'missing-pod': bound({ pod: { name: 'nope', uid: 'x' } }),
  'secret-bound': bound({ secret: { name: 's', uid: 'secret-uid' } }),
  'stale-secret': bound({ secret: { name: 's', uid: 'old' } }),
  'node-bound': bound({ node: { name: 'n', uid: 'node-uid' } }),
  'missing-node': bound({ node: { name: 'gone', uid: 'x' } }),
  'stale-sa': bound({ serviceAccount: { name: 'robot', uid: 'old-sa-uid' } }),
  'missing-sa': bound({ serviceAccount: { name: 'ghost', uid: 'g' } }),
  vault: bound({}, { audiences: ['vault'] }),
  'legacy-token': legacy,
  'legacy-other-token': { ...legacy, claims: { ...legacy.claims, secret: { name: 's', uid: '' } } },
  expired: new TokenInvalidError('service account token has expired'),
  'expired-deferred': bound({}, { timeError: new TokenInvalidError('service account token has expired') }),
  'expired-vault': bound({}, { audiences: ['vault'], timeError: new TokenInvalidError('service account token has expired') }),
  'expired-missing-sa': bound({ serviceAccount: { name: 'ghost', uid: 'g' } }, { timeError: new TokenInvalidError('service account token has expired') }),
};

function setup(over: { cache?: boolean } = {}) {
  const w = world();
  const v = verifier(table);
  const cache = over.cache ? createTokenCache() : undefined;
  let nowMs = nowS * 1000;
  const a = createServiceAccountAuthenticator({ verifier: v, apiAudiences: () => ['api'], ...w, cache, now: () => nowMs });
  return { w, v, a, cache, advance: (ms: number) => (nowMs += ms) };
}

const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof AuthenticationError || e instanceof TokenInvalidError, String(e));
    return e.message;
  }
  assert.fail('expected an error');
}

describe('ServiceAccount token authenticator', () => {
  it('answers a plain bound token with the ServiceAccount user and credential-id', () => {
    const { a } = setup();
    assert.deepEqual(a.authenticate(bearer('plain')), {
      user: {
        username: 'system:serviceaccount:ns:robot',
        uid: 'sa-uid',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=jti-1'] },
      },
      audiences: ['api'],
    });
  });

  it('reports pod and node in extra; node-uid only when known', () => {
    const { a } = setup();
    assert.deepEqual(a.authenticate(bearer('pod-bound'))!.user.extra, {
      'authentication.kubernetes.io/pod-name': ['p'],
      'authentication.kubernetes.io/pod-uid': ['pod-uid'],
      'authentication.kubernetes.io/credential-id': ['JTI=jti-1'],
      'authentication.kubernetes.io/node-name': ['n'],
      'authentication.kubernetes.io/node-uid': ['node-uid'],
    });
    // For pod-bound tokens the node is reported, not checked.
    assert.deepEqual(a.authenticate(bearer('pod-bound-unscheduled-node'))!.user.extra!['authentication.kubernetes.io/node-name'], ['gone']);
    assert.equal(a.authenticate(bearer('pod-bound-unscheduled-node'))!.user.extra!['authentication.kubernetes.io/node-uid'], undefined);
  });

  it('abstains without a bearer token or for a token that is not a ServiceAccount JWT', () => {
    const { a } = setup();
    assert.equal(a.authenticate({}), null);
    assert.equal(a.authenticate({ authorization: 'Basic abc' }), null);
    assert.equal(a.authenticate({ authorization: 'Bearer ' }), null);
    assert.equal(a.authenticate(bearer('unknown')), null);
  });

  const refusals: Array<[string, string]> = [
    ['stale-pod', 'pod UID (pod-uid) does not match service account pod ref claim (old-pod-uid)'],
    ['missing-pod', 'service account token has been invalidated'],
    ['stale-secret', 'secret UID (secret-uid) does not match service account secret ref claim (old)'],
    ['missing-node', 'service account token has been invalidated'],
    ['stale-sa', 'service account UID (sa-uid) does not match claim (old-sa-uid)'],
    ['missing-sa', 'serviceaccounts "ghost" not found'],
    ['vault', 'token audiences ["vault"] is invalid for the target audiences ["api"]'],
    ['expired', 'service account token has expired'],
    ['expired-deferred', 'service account token has expired'],
    // Upstream order: audiences, then time claims, then objects.
    ['expired-vault', 'token audiences ["vault"] is invalid for the target audiences ["api"]'],
    ['expired-missing-sa', 'service account token has expired'],
    ['legacy-other-token', "Token does not match server's copy"],
  ];
  for (const [token, message] of refusals) {
    it(`refuses ${token}: ${message}`, () => {
      const { a } = setup();
      assert.equal(errorOf(() => a.authenticate(bearer(token))), message);
    });
  }

  it('accepts a token for other audiences when those are the requested ones (TokenReview)', () => {
    const { a } = setup();
    assert.deepEqual(a.authenticate({ ...bearer('vault'), audiences: ['vault', 'x'] })!.audiences, ['vault']);
    assert.equal(errorOf(() => a.authenticate({ ...bearer('plain'), audiences: ['vault'] })), 'token audiences ["api"] is invalid for the target audiences ["vault"]');
  });

  it('honours deletion timestamps with 60 s of leeway', () => {
    const { a, w } = setup();
    const at = (s: number) => new Date((nowS + s) * 1000).toISOString();
    w.pods.list = [obj('Pod', 'p', 'pod-uid', 'ns', { deletionTimestamp: at(-59) })];
    assert.ok(a.authenticate(bearer('pod-bound')));
    w.pods.list = [obj('Pod', 'p', 'pod-uid', 'ns', { deletionTimestamp: at(-61) })];
    assert.equal(errorOf(() => a.authenticate(bearer('pod-bound'))), 'service account token has been invalidated');
    w.serviceAccounts.list = [obj('ServiceAccount', 'robot', 'sa-uid', 'ns', { deletionTimestamp: at(-61) })];
    assert.equal(errorOf(() => a.authenticate(bearer('plain'))), 'service account ns/robot has been deleted');
  });

  it('validates legacy tokens against their Secret and the API audiences', () => {
    const { a, w } = setup();
    assert.deepEqual(a.authenticate(bearer('legacy-token')), {
      user: { username: 'system:serviceaccount:ns:robot', uid: 'sa-uid', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'] },
      audiences: ['api'],
    });
    assert.match(errorOf(() => a.authenticate({ ...bearer('legacy-token'), audiences: ['vault'] })), /token audiences \["api"\] is invalid/);
    const secret = w.secrets.list[1]!;
    w.secrets.list = [{ ...secret, metadata: { ...secret.metadata, labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-01-01' } } } as KubeObject];
    assert.match(errorOf(() => a.authenticate(bearer('legacy-token'))), /^the token in secret ns\/legacy for service account ns\/robot has been marked invalid/);
    w.secrets.list = [];
    assert.equal(errorOf(() => a.authenticate(bearer('legacy-token'))), 'Token has been invalidated');
  });
});

describe('ServiceAccount token cache', () => {
  it('serves repeated tokens without verifying them again, within the TTL', () => {
    const { a, v, advance } = setup({ cache: true });
    a.authenticate(bearer('pod-bound'));
    a.authenticate(bearer('pod-bound'));
    assert.equal(v.calls, 1);
    advance(10_001);
    a.authenticate(bearer('pod-bound'));
    assert.equal(v.calls, 2);
  });

  it('never caches failures', () => {
    const { a, v } = setup({ cache: true });
    errorOf(() => a.authenticate(bearer('stale-pod')));
    errorOf(() => a.authenticate(bearer('stale-pod')));
    assert.equal(v.calls, 2);
  });

  it('checks audiences on every hit', () => {
    const { a } = setup({ cache: true });
    a.authenticate({ ...bearer('vault'), audiences: ['vault'] });
    assert.match(errorOf(() => a.authenticate(bearer('vault'))), /is invalid for the target audiences/);
  });

  it('drops an entry as soon as an object it depends on changes (watch-fed)', () => {
    const { a, w, cache } = setup({ cache: true });
    const watchers: Array<{ resource: string; onEvent: (ev: any) => void }> = [];
    const source = (resource: string): ObjectEventSource => ({
      revision: 1,
      watch(_from, watcher) {
        watchers.push({ resource, onEvent: (ev) => watcher.onEvent(ev) });
        return () => {};
      },
    });
    feedTokenCache(cache!, ['serviceaccounts', 'pods', 'secrets', 'nodes'].map((r) => ({ resource: r, events: source(r) })));
    const emit = (resource: string, o: KubeObject) => watchers.filter((x) => x.resource === resource).forEach((x) => x.onEvent({ type: 'DELETED', object: o }));

    assert.ok(a.authenticate(bearer('pod-bound')));
    const pod = w.pods.list[0]!;
    w.pods.list = [];
    assert.ok(a.authenticate(bearer('pod-bound')), 'still cached: no event yet');
    emit('pods', pod);
    assert.equal(errorOf(() => a.authenticate(bearer('pod-bound'))), 'service account token has been invalidated');

    for (const [token, resource, list] of [['node-bound', 'nodes', w.nodes], ['secret-bound', 'secrets', w.secrets], ['plain', 'serviceaccounts', w.serviceAccounts]] as const) {
      assert.ok(a.authenticate(bearer(token)));
      const gone = list.list.splice(0, 1)[0]!;
      emit(resource, gone);
      assert.throws(() => a.authenticate(bearer(token)), AuthenticationError, token);
    }
  });

  it('stops caching when the event feed fails', () => {
    const { a, v, cache } = setup({ cache: true });
    let fail: (m: string) => void = () => {};
    feedTokenCache(cache!, [{ resource: 'pods', events: { revision: 0, watch: (_f, w) => ((fail = w.onError), () => {}) } }]);
    a.authenticate(bearer('plain'));
    fail('backend gone');
    a.authenticate(bearer('plain'));
    a.authenticate(bearer('plain'));
    assert.equal(v.calls, 3);
  });

  it('keys entries by digest, never by token text, and bounds their number', () => {
    const cache = createTokenCache({ max: 2 });
    const entry = { user: { username: 'u', groups: [] }, tokenAudiences: [], validUntilMs: 10_000, dependsOn: ['pods/ns/p'] };
    cache.set('a', entry, 0);
    cache.set('b', entry, 0);
    cache.set('c', entry, 0);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('a', 0), undefined);
    assert.ok(cache.get('c', 0));
    assert.equal(cache.get('c', 10_000), undefined, 'expired at validUntilMs');
  });
});
