import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '../../auth/authz/types.js';
import { createInterimTokensAuthorizer, parseGoDuration } from './tokens.js';

describe('Go durations (--service-account-max-token-expiration)', () => {
  const cases: Array<[string, number]> = [['0', 0], ['0s', 0], ['1h', 3600], ['48h', 172800], ['1h30m', 5400], ['90m', 5400], ['3600s', 3600], ['1.5h', 5400]];
  for (const [text, seconds] of cases) it(text, () => assert.equal(parseGoDuration(text), seconds));
  for (const bad of ['', 'h', '1', '1d', '1h x']) it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseGoDuration(bad), /time: invalid duration/));
});

describe('interim tokens authorizer', () => {
  const base: Attributes = { user: { username: 'u', groups: [] }, verb: 'get', isResourceRequest: false, path: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  const a = createInterimTokensAuthorizer();
  const cases: Array<[string, Partial<Attributes>, string[], string]> = [
    ['SA reads discovery', { path: '/.well-known/openid-configuration' }, ['system:serviceaccounts', 'system:authenticated'], 'allow'],
    ['SA reads JWKS', { path: '/openid/v1/jwks' }, ['system:serviceaccounts'], 'allow'],
    ['a user does not', { path: '/openid/v1/jwks' }, ['system:authenticated'], 'no-opinion'],
    ['anonymous does not', { path: '/openid/v1/jwks' }, ['system:unauthenticated'], 'no-opinion'],
    ['SA may not post', { path: '/openid/v1/jwks', verb: 'post' }, ['system:serviceaccounts'], 'no-opinion'],
    ['authenticated whoami', { isResourceRequest: true, verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews' }, ['system:authenticated'], 'allow'],
    ['anonymous whoami', { isResourceRequest: true, verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'selfsubjectreviews' }, ['system:unauthenticated'], 'no-opinion'],
    ['tokenreviews are not granted', { isResourceRequest: true, verb: 'create', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews' }, ['system:serviceaccounts', 'system:authenticated'], 'no-opinion'],
  ];
  for (const [what, attrs, groups, decision] of cases) {
    it(what, async () => assert.equal((await a.authorize({ ...base, ...attrs, user: { username: 'u', groups } })).decision, decision));
  }
  it('steps aside once RBAC is served', async () => {
    const withRbac = createInterimTokensAuthorizer(() => true);
    assert.equal((await withRbac.authorize({ ...base, path: '/openid/v1/jwks', user: { username: 'u', groups: ['system:serviceaccounts'] } })).decision, 'no-opinion');
  });
});
