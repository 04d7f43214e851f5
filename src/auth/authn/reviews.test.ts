import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { StatusError } from '../../api/status.js';
import { aggregateMessage, reviewSelf, reviewToken } from './reviews.js';
import { AuthenticationError, bearerTokenOf, type Authenticator } from './types.js';

const review = (spec: Record<string, unknown>) => ({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec }) as KubeObject;

/** Accepts "good" for audiences it is given (echoing the requested ones), errors for "bad", abstains otherwise. */
const fake: Authenticator = {
  authenticate(creds) {
    const token = bearerTokenOf(creds.authorization);
    if (token === 'good') return { user: { username: 'u', uid: 'id', groups: ['g'], extra: { k: ['v'] } }, audiences: creds.audiences };
    if (token === 'bad') throw new AuthenticationError('service account token has expired');
    if (token === 'disjoint') return { user: { username: 'u', groups: [] }, audiences: ['elsewhere'] };
    return null;
  },
};
const options = { authenticators: [fake], apiAudiences: () => ['api'] };

describe('TokenReview', () => {
  it('answers a valid token with the user (system:authenticated added) and the audiences', async () => {
    const out = (await reviewToken(review({ token: 'good' }), '', options)) as any;
    assert.deepEqual(out.status, { authenticated: true, user: { username: 'u', uid: 'id', groups: ['g', 'system:authenticated'], extra: { k: ['v'] } }, audiences: ['api'] });
    assert.deepEqual(out.spec, { token: 'good' });
    assert.equal(out.metadata.creationTimestamp, null);
    assert.deepEqual(((await reviewToken(review({ token: 'good', audiences: ['vault'] }), '', options)) as any).status.audiences, ['vault']);
  });

  const failures: Array<[string, string]> = [
    ['bad', '[invalid bearer token, service account token has expired]'],
    ['unknown', 'invalid bearer token'],
  ];
  for (const [token, error] of failures) {
    it(`reports ${token} tokens as upstream's chain does`, async () => {
      assert.deepEqual(((await reviewToken(review({ token }), '', options)) as any).status, { user: {}, error });
    });
  }

  it('refuses an empty token and a namespace (400), and disjoint audiences (500)', async () => {
    await assert.rejects(reviewToken(review({}), '', options), (e: StatusError) => e.code === 400 && e.message === 'token is required for TokenReview in authentication');
    await assert.rejects(reviewToken(review({ token: 'good' }), 'ns', options), (e: StatusError) => e.code === 400 && e.message === 'namespace is not allowed on this type: ns');
    await assert.rejects(reviewToken(review({ token: 'disjoint' }), '', options), (e: StatusError) => e.code === 500 && /error validating audiences/.test(e.message));
  });

  it('aggregates messages like Go (deduplicated, bare when one)', () => {
    assert.equal(aggregateMessage(['a']), 'a');
    assert.equal(aggregateMessage(['a', 'a']), 'a');
    assert.equal(aggregateMessage(['a', 'b', 'a']), '[a, b]');
  });
});

describe('SelfSubjectReview', () => {
  it('describes the requesting user; empty members omitted', () => {
    const out = reviewSelf({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} } as KubeObject, { username: 'alice', groups: ['system:authenticated'] }, Date.UTC(2026, 0, 1)) as any;
    assert.deepEqual(out.status, { userInfo: { username: 'alice', groups: ['system:authenticated'] } });
    assert.equal(out.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
  });
});

describe('bearer token parsing (upstream bearertoken)', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['  Bearer abc  ', 'abc'],
    ['Bearer abc def', 'abc'],
    ['Bearer  abc', undefined],
    ['Bearer', undefined],
    ['Bearer ', undefined],
    ['Basic abc', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [header, token] of cases) it(JSON.stringify(header), () => assert.equal(bearerTokenOf(header), token));
});
