import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../api/status.js';
import { impersonate, splitServiceAccountUsername, type ImpersonationRequest } from './impersonation.js';
import type { Attributes, Authorizer } from './types.js';

/** Allows `impersonate` on the listed `resource/name` (resource only = any name). */
function allowing(...grants: string[]): Authorizer & { asked: Attributes[] } {
  const asked: Attributes[] = [];
  return {
    asked,
    authorize(a) {
      asked.push(a);
      const ok = a.verb === 'impersonate' && grants.some((g) => g === a.resource || g === `${a.resource}/${a.name}`);
      return { decision: ok ? 'allow' : 'no-opinion', reason: '' };
    },
  };
}
const alice = { username: 'alice', groups: ['system:authenticated'] };
const r = (x: Partial<ImpersonationRequest>): ImpersonationRequest => ({ groups: [], extra: [], ...x });

describe('impersonation', () => {
  it('no headers: the requestor', async () => assert.equal(await impersonate(alice, r({}), allowing()), alice));

  it('a ServiceAccount gets its groups', async () => {
    const a = allowing('serviceaccounts');
    const u = await impersonate(alice, r({ user: 'system:serviceaccount:dev:build-robot' }), a);
    assert.deepEqual(u, { username: 'system:serviceaccount:dev:build-robot', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'], extra: {} });
    assert.deepEqual([a.asked[0]!.resource, a.asked[0]!.namespace, a.asked[0]!.name], ['serviceaccounts', 'dev', 'build-robot']);
  });

  it('a user with groups, uid and extra', async () => {
    const u = await impersonate(alice, r({ user: 'bob', groups: ['devs'], uid: '42', extra: [['scopes', 'a'], ['scopes', 'b']] }), allowing('users', 'groups', 'uids', 'userextras'));
    assert.deepEqual(u, { username: 'bob', groups: ['devs', 'system:authenticated'], extra: { scopes: ['a', 'b'] }, uid: '42' });
  });

  it('system:anonymous gets system:unauthenticated', async () => {
    const u = await impersonate(alice, r({ user: 'system:anonymous' }), allowing('users'));
    assert.deepEqual(u.groups, ['system:unauthenticated']);
  });

  const refusals: Array<[string, ImpersonationRequest, Authorizer, number, string]> = [
    ['user without the verb', r({ user: 'bob' }), allowing(), 403, 'users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope'],
    ['SA without the verb', r({ user: 'system:serviceaccount:dev:x' }), allowing('users'), 403,
      'serviceaccounts "x" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"'],
    ['a group not allowed', r({ user: 'bob', groups: ['system:masters'] }), allowing('users/bob', 'groups/devs'), 403,
      'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope'],
    ['an extra not allowed', r({ user: 'bob', extra: [['scopes', 'a']] }), allowing('users'), 403,
      'userextras.authentication.k8s.io "a" is forbidden: User "alice" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope'],
    ['groups without a user', r({ groups: ['g'] }), allowing('groups'), 500, 'Internal error occurred: requested [{Group  g    }] without impersonating a user'],
  ];
  for (const [name, req, authz, code, message] of refusals) {
    it(name, async () => {
      await assert.rejects(impersonate(alice, req, authz), (e: unknown) => isStatusError(e) && e.code === code && e.status.message === message);
    });
  }

  it('parses ServiceAccount usernames as upstream SplitUsername', () => {
    assert.deepEqual(splitServiceAccountUsername('system:serviceaccount:dev:x'), { namespace: 'dev', name: 'x' });
    assert.equal(splitServiceAccountUsername('system:serviceaccount:dev'), undefined);
    assert.equal(splitServiceAccountUsername('system:serviceaccount:Dev:x'), undefined);
    assert.equal(splitServiceAccountUsername('system:serviceaccount:dev:x:y'), undefined);
  });
});
