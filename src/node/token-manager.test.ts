import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createTokenManager, tokenCacheKey, type IssuedToken, type TokenRequestSpec } from './token-manager.js';

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const ref = { apiVersion: 'v1' as const, kind: 'Pod' as const, name: 'p', uid: 'uid-1' };
const spec = (expirationSeconds?: number, audiences?: string[]): TokenRequestSpec => ({ audiences, expirationSeconds, boundObjectRef: ref });

/** A fake server: answers like TokenRequest (status.expirationTimestamp = now + expirationSeconds). */
function fakeServer(clock: { now(): number }, opts: { issuedSeconds?: number | null } = {}) {
  let n = 0;
  let failWith: Error | undefined;
  const calls: TokenRequestSpec[] = [];
  return {
    calls,
    fail(err: Error | undefined) {
      failWith = err;
    },
    async requestToken(_ns: string, _sa: string, s: TokenRequestSpec): Promise<IssuedToken> {
      calls.push(s);
      if (failWith) throw failWith;
      const seconds = opts.issuedSeconds === null ? undefined : (opts.issuedSeconds ?? s.expirationSeconds ?? 3600);
      return {
        token: `token-${++n}`,
        expirationTimestamp: iso(clock.now() + (seconds ?? 3600) * 1000),
        spec: { ...s, audiences: s.audiences ?? ['https://kubernetes.default.svc'], expirationSeconds: seconds },
      };
    },
  };
}

function setup(random = 0, issued: { issuedSeconds?: number | null } = {}) {
  const clock = createFakeClock(t0);
  const server = fakeServer(clock, issued);
  const logs: string[] = [];
  const tm = createTokenManager({ requestToken: server.requestToken, clock, random: () => random, log: (m) => logs.push(m) });
  return { clock, server, tm, logs };
}

describe('token manager refresh rule', () => {
  // [name, expirationSeconds, random, ms after issue still cached, ms after issue refreshed]
  const cases: { name: string; seconds?: number; random: number; issuedSeconds?: number | null; cachedAt: number; refreshedAt?: number }[] = [
    { name: '1 h token refreshes after 80% (2880 s)', seconds: 3600, random: 0, cachedAt: 2880_000, refreshedAt: 2880_001 },
    { name: 'jitter 9 s refreshes 9 s earlier', seconds: 3600, random: 0.95, cachedAt: 2871_000, refreshedAt: 2871_001 },
    { name: 'jitter is whole seconds (0.15 -> 1 s)', seconds: 3600, random: 0.15, cachedAt: 2879_000, refreshedAt: 2879_001 },
    { name: '3607 s default token refreshes after 2886 s', seconds: 3607, random: 0, cachedAt: 2886_000, refreshedAt: 2886_001 },
    { name: '2 day token refreshes after 24 h', seconds: 172800, random: 0, cachedAt: 86400_000, refreshedAt: 86400_001 },
    { name: 'no expirationSeconds in the answer: never refreshed', seconds: 3600, random: 0, issuedSeconds: null, cachedAt: 4000_000 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { clock, server, tm } = setup(c.random, { issuedSeconds: c.issuedSeconds });
      const first = await tm.getServiceAccountToken('ns', 'sa', spec(c.seconds));
      assert.equal(first.token, 'token-1');
      if (c.refreshedAt !== undefined) assert.equal(tm.nextRefresh('ns', 'sa', spec(c.seconds)), t0 + c.refreshedAt);
      else assert.equal(tm.nextRefresh('ns', 'sa', spec(c.seconds)), undefined);
      await clock.advance(c.cachedAt);
      assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(c.seconds))).token, 'token-1');
      if (c.refreshedAt === undefined) return;
      await clock.advance(c.refreshedAt - c.cachedAt);
      assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(c.seconds))).token, 'token-2');
      assert.equal(server.calls.length, 2);
      assert.equal(tm.requests, 2);
    });
  }

  it('a node clock behind the server\'s (now < iat) does not refresh the token', async () => {
    const clock = { t: t0, now: () => clock.t, setTimer: () => ({ cancel() {} }) };
    const server = fakeServer(clock);
    const tm = createTokenManager({ requestToken: server.requestToken, clock, random: () => 0 });
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    clock.t = t0 - 5000;
    assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(3600))).token, 'token-1');
    assert.equal(tm.requests, 1);
  });

  it('keys by SA, namespace, audiences, expiration and bound pod', async () => {
    const { tm } = setup();
    const a = await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(3600))).token, a.token);
    const distinct = [
      ['ns2', 'sa', spec(3600)],
      ['ns', 'sa2', spec(3600)],
      ['ns', 'sa', spec(7200)],
      ['ns', 'sa', spec(3600, ['vault'])],
      ['ns', 'sa', { ...spec(3600), boundObjectRef: { ...ref, uid: 'uid-2' } }],
    ] as const;
    for (const [ns, sa, s] of distinct) assert.notEqual((await tm.getServiceAccountToken(ns, sa, s)).token, a.token);
    assert.equal(tm.requests, 6);
    assert.equal(
      tokenCacheKey('ns', 'sa', spec(3600, ['vault'])),
      '"sa"/"ns"/[]string{"vault"}/3600/v1.BoundObjectReference{Kind:"Pod", APIVersion:"v1", Name:"p", UID:"uid-1"}',
    );
    assert.match(tokenCacheKey('ns', 'sa', spec()), /^"sa"\/"ns"\/\[\]string\(nil\)\/0\//);
  });

  it('shares one request between concurrent callers', async () => {
    const { tm, server } = setup();
    const [a, b] = await Promise.all([tm.getServiceAccountToken('ns', 'sa', spec(3600)), tm.getServiceAccountToken('ns', 'sa', spec(3600))]);
    assert.equal(a.token, b.token);
    assert.equal(server.calls.length, 1);
  });
});

describe('token manager failures', () => {
  it('first fetch failing rejects with "failed to fetch token"', async () => {
    const { tm, server } = setup();
    server.fail(new Error('serviceaccounts "sa" not found'));
    await assert.rejects(tm.getServiceAccountToken('ns', 'sa', spec(3600)), { message: 'failed to fetch token: serviceaccounts "sa" not found' });
  });

  it('keeps the old token while unexpired, backs off 1 s doubling to 2 min, then recovers', async () => {
    const { tm, server, clock, logs } = setup();
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    await clock.advance(2881_000);
    server.fail(new Error('boom'));
    const expectedDelays = [1, 2, 4, 8, 16, 32, 64, 120, 120];
    for (const delay of expectedDelays) {
      const calls = server.calls.length;
      assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(3600))).token, 'token-1');
      assert.equal(server.calls.length, calls + 1, 'one attempt');
      assert.equal(tm.nextRefresh('ns', 'sa', spec(3600)), clock.now() + delay * 1000);
      await clock.advance(delay * 1000 - 1);
      assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(3600))).token, 'token-1');
      assert.equal(server.calls.length, calls + 1, `no attempt during the ${delay} s backoff`);
      await clock.advance(1);
    }
    assert.ok(logs.some((l) => l.startsWith("Couldn't update token")));
    server.fail(undefined);
    assert.equal((await tm.getServiceAccountToken('ns', 'sa', spec(3600))).token, 'token-2');
    assert.equal(tm.nextRefresh('ns', 'sa', spec(3600)), clock.now() + 2880_001);
    // a later failure starts again at 1 s
    await clock.advance(2881_000);
    server.fail(new Error('boom'));
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    assert.equal(tm.nextRefresh('ns', 'sa', spec(3600)), clock.now() + 1000);
  });

  it('rejects once the old token expired and refresh fails', async () => {
    const { tm, server, clock } = setup();
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    server.fail(new Error('boom'));
    await clock.advance(3601_000);
    const key = tokenCacheKey('ns', 'sa', spec(3600));
    await assert.rejects(tm.getServiceAccountToken('ns', 'sa', spec(3600)), { message: `token ${key} expired and refresh failed: boom` });
    // during the backoff the same error comes back without a request
    const calls = server.calls.length;
    await assert.rejects(tm.getServiceAccountToken('ns', 'sa', spec(3600)), { message: `token ${key} expired and refresh failed: boom` });
    assert.equal(server.calls.length, calls);
  });
});

describe('token manager cache maintenance', () => {
  it('purgeExpired drops expired tokens only', async () => {
    const { tm, clock } = setup();
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    await tm.getServiceAccountToken('ns', 'sa', spec(7200));
    await clock.advance(3601_000);
    tm.purgeExpired();
    assert.equal(tm.nextRefresh('ns', 'sa', spec(3600)), undefined);
    assert.notEqual(tm.nextRefresh('ns', 'sa', spec(7200)), undefined);
  });

  it('deleteServiceAccountTokens drops the pod\'s tokens and ignores answers in flight', async () => {
    const { tm, server } = setup();
    const other = { ...spec(3600), boundObjectRef: { ...ref, uid: 'uid-2' } };
    await tm.getServiceAccountToken('ns', 'sa', spec(3600));
    await tm.getServiceAccountToken('ns', 'sa', other);
    const pending = tm.getServiceAccountToken('ns', 'sa', spec(3600, ['vault']));
    tm.deleteServiceAccountTokens('uid-1');
    await pending;
    assert.equal(tm.nextRefresh('ns', 'sa', spec(3600)), undefined);
    assert.equal(tm.nextRefresh('ns', 'sa', spec(3600, ['vault'])), undefined);
    assert.notEqual(tm.nextRefresh('ns', 'sa', other), undefined);
    assert.equal(server.calls.length, 3);
  });
});

function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b({ alg: 'RS256', kid: 'k' })}.${b(claims)}.c2ln`;
}

describe('token manager adopt', () => {
  const iat = t0 / 1000 - 600; // issued 10 minutes before the agent restarted
  const claims = (over: Record<string, unknown> = {}, k8s: Record<string, unknown> = {}) => ({
    aud: ['vault'],
    exp: iat + 7200,
    iat,
    iss: 'https://kubernetes.default.svc',
    sub: 'system:serviceaccount:ns:sa',
    'kubernetes.io': {
      namespace: 'ns',
      node: { name: 'n1', uid: 'node-uid' },
      pod: { name: 'p', uid: 'uid-1' },
      serviceaccount: { name: 'sa', uid: 'sa-uid' },
      ...k8s,
    },
    ...over,
  });
  const cases: { name: string; token: string; spec: TokenRequestSpec; adopted: boolean; expiresAt?: number }[] = [
    { name: 'matching token', token: jwt(claims()), spec: spec(7200, ['vault']), adopted: true, expiresAt: iat + 7200 },
    { name: 'single aud string', token: jwt(claims({ aud: 'vault' })), spec: spec(7200, ['vault']), adopted: true, expiresAt: iat + 7200 },
    { name: 'no audiences asked: any aud', token: jwt(claims({ aud: ['api'] })), spec: spec(7200), adopted: true, expiresAt: iat + 7200 },
    {
      name: 'extended 3607 s token: iat + 3607',
      token: jwt(claims({ aud: ['api'], exp: iat + 31536000 }, { warnafter: iat + 3607 })),
      spec: spec(3607),
      adopted: true,
      expiresAt: iat + 3607,
    },
    { name: 'extended without warnafter', token: jwt(claims({ aud: ['api'], exp: iat + 31536000 })), spec: spec(3607), adopted: false },
    { name: 'other audience', token: jwt(claims({ aud: ['other'] })), spec: spec(7200, ['vault']), adopted: false },
    { name: 'other lifetime', token: jwt(claims()), spec: spec(3600, ['vault']), adopted: false },
    { name: 'other pod uid', token: jwt(claims({}, { pod: { name: 'p', uid: 'uid-9' } })), spec: spec(7200, ['vault']), adopted: false },
    { name: 'other service account', token: jwt(claims({}, { serviceaccount: { name: 'x', uid: 'u' } })), spec: spec(7200, ['vault']), adopted: false },
    { name: 'expired', token: jwt(claims({ iat: iat - 1, exp: iat - 1 + 600 })), spec: spec(600, ['vault']), adopted: false },
    { name: 'not a JWT', token: 'garbage', spec: spec(7200, ['vault']), adopted: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { tm, server } = setup();
      assert.equal(tm.adopt('ns', 'sa', c.spec, c.token + '\n'), c.adopted);
      const got = await tm.getServiceAccountToken('ns', 'sa', c.spec);
      if (!c.adopted) {
        assert.equal(server.calls.length, 1, 'a new token is requested');
        return;
      }
      assert.equal(server.calls.length, 0, 'no TokenRequest for an adopted token');
      assert.equal(got.token, c.token);
      assert.equal(got.expirationTimestamp, iso(c.expiresAt! * 1000));
      const seconds = c.spec.expirationSeconds!;
      assert.equal(tm.nextRefresh('ns', 'sa', c.spec), c.expiresAt! * 1000 - Math.floor((seconds * 20) / 100) * 1000 + 1);
      assert.equal(tm.adopt('ns', 'sa', c.spec, c.token), false, 'never replaces a cached token');
    });
  }
});
