import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '../../api/status.js';
import { localSubjectAccessReview, selfSubjectAccessReview, selfSubjectRulesReview, subjectAccessReview } from './access-review.js';
import type { Authorizer } from './types.js';

const authz: Authorizer = {
  authorize: (a) =>
    a.user.username === 'alice' && a.verb === 'get' && (a.resource === 'pods' || a.path === '/healthz')
      ? { decision: 'allow', reason: 'RBAC: allowed by test' }
      : { decision: 'no-opinion', reason: '' },
};
const failing: Authorizer = { authorize: () => { throw new Error('boom'); } };
const alice = { username: 'alice', groups: ['system:authenticated'] };

describe('access reviews', () => {
  it('SelfSubjectAccessReview allowed and denied', async () => {
    const yes = await selfSubjectAccessReview({ metadata: {}, spec: { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } }, alice, authz);
    assert.deepEqual(yes.status, { allowed: true, reason: 'RBAC: allowed by test' });
    assert.equal(yes.metadata.creationTimestamp, null);
    const no = await selfSubjectAccessReview({ metadata: {}, spec: { nonResourceAttributes: { path: '/metrics', verb: 'get' } } }, alice, authz);
    assert.deepEqual(no.status, { allowed: false });
  });
  it('an authorizer error is a denial with evaluationError', async () => {
    const r = await selfSubjectAccessReview({ metadata: {}, spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }, alice, failing);
    assert.deepEqual(r.status, { allowed: false, evaluationError: 'boom' });
  });
  it('SubjectAccessReview asks about the spec user', async () => {
    const r = await subjectAccessReview({ metadata: {}, spec: { user: 'alice', nonResourceAttributes: { path: '/healthz', verb: 'get' } } }, authz);
    assert.equal((r.status as { allowed: boolean }).allowed, true);
  });
  const invalid: Array<[string, () => Promise<unknown>, string]> = [
    ['SAR without user or groups', () => subjectAccessReview({ metadata: {}, spec: { resourceAttributes: { verb: 'get' } } }, authz),
      'SubjectAccessReview.authorization.k8s.io "" is invalid: spec.user: Invalid value: "": at least one of user or group must be specified'],
    ['SSAR without attributes', () => selfSubjectAccessReview({ metadata: {}, spec: {} }, alice, authz),
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: (*authorization.NonResourceAttributes)(nil): exactly one of nonResourceAttributes or resourceAttributes must be specified'],
    ['SSAR with both', () => selfSubjectAccessReview({ metadata: {}, spec: { resourceAttributes: {}, nonResourceAttributes: { path: '/x', verb: 'get' } } }, alice, authz),
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: &authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes'],
    ['LSAR namespace mismatch', () => localSubjectAccessReview({ metadata: {}, spec: { user: 'a', resourceAttributes: { namespace: 'other', verb: 'get' } } }, 'dev', authz),
      'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace'],
  ];
  for (const [name, run, message] of invalid) {
    it(name, async () => assert.rejects(run(), (e: unknown) => isStatusError(e) && e.code === 422 && e.status.message === message));
  }
  it('SelfSubjectRulesReview needs a namespace and lists rules', () => {
    assert.throws(() => selfSubjectRulesReview({ metadata: {}, spec: {} }, alice, () => ({ resourceRules: [], nonResourceRules: [], incomplete: false })), /no namespace on request/);
    const r = selfSubjectRulesReview({ metadata: {}, spec: { namespace: 'dev' } }, alice, () => ({
      resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], resourceNames: [] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      incomplete: false,
    }));
    assert.deepEqual(r.status, {
      resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }],
      incomplete: false,
    });
  });
});
