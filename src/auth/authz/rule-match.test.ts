import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from './types.js';
import type { PolicyRule } from './rbac-types.js';
import { compactRules, compactString, covers, ruleAllows } from './rule-match.js';

const user = { username: 'u', groups: [] };
const res = (verb: string, group: string, resource: string, extra: Partial<Attributes> = {}): Attributes => ({
  user, verb, isResourceRequest: true, path: '', apiGroup: group, apiVersion: 'v1', namespace: 'dev', resource, subresource: '', name: '', ...extra,
});
const url = (verb: string, path: string): Attributes => ({
  user, verb, isResourceRequest: false, path, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '',
});

describe('ruleAllows (upstream RuleAllows)', () => {
  const cases: Array<[string, PolicyRule, Attributes, boolean]> = [
    ['exact verb, group, resource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods'), true],
    ['other verb', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('list', '', 'pods'), false],
    ['verb *', { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, res('delete', '', 'pods'), true],
    ['other group', { verbs: ['get'], apiGroups: ['apps'], resources: ['pods'] }, res('get', '', 'pods'), false],
    ['group *', { verbs: ['get'], apiGroups: ['*'], resources: ['pods'] }, res('get', 'apps', 'pods'), true],
    ['resource *', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', '', 'secrets'), true],
    ['resource * covers subresources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, res('get', '', 'pods', { subresource: 'log' }), true],
    ['resource without its subresource', { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods', { subresource: 'log' }), false],
    ['resource/subresource', { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] }, res('create', '', 'serviceaccounts', { subresource: 'token' }), true],
    ['subresource rule does not grant the resource', { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, res('get', '', 'pods'), false],
    ['*/subresource', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, res('get', '', 'pods', { subresource: 'status' }), true],
    ['*/subresource, other subresource', { verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, res('get', '', 'pods', { subresource: 'log' }), false],
    ['wildcard in the wrong place: prefix* is literal', { verbs: ['get'], apiGroups: [''], resources: ['pod*'] }, res('get', '', 'pods'), false],
    ['wildcard in the wrong place: resource/* is literal', { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, res('get', '', 'pods', { subresource: 'log' }), false],
    ['wildcard verb prefix is literal', { verbs: ['get*'], apiGroups: [''], resources: ['pods'] }, res('get', '', 'pods'), false],
    ['resourceNames match', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('get', '', 'secrets', { name: 'a' }), true],
    ['resourceNames other name', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('get', '', 'secrets', { name: 'b' }), false],
    ['resourceNames and a list (no name)', { verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, res('list', '', 'secrets'), false],
    ['resourceNames * is literal', { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['*'] }, res('get', '', 'secrets', { name: 'a' }), false],
    ['no apiGroups grants nothing', { verbs: ['get'], resources: ['pods'] }, res('get', '', 'pods'), false],
    ['resource rule does not grant a path', { verbs: ['get'], apiGroups: ['*'], resources: ['*'] }, url('get', '/healthz'), false],
    ['path exact', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, url('get', '/healthz'), true],
    ['path other', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, url('get', '/livez'), false],
    ['path * matches all', { verbs: ['get'], nonResourceURLs: ['*'] }, url('get', '/anything/at/all'), true],
    ['path trailing * is a prefix', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis/rbac.authorization.k8s.io/v1'), true],
    ['path trailing * does not match the bare parent', { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, url('get', '/apis'), false],
    ['path inner * is literal', { verbs: ['get'], nonResourceURLs: ['/api/*/v1'] }, url('get', '/api/x/v1'), false],
    ['path verb', { verbs: ['get'], nonResourceURLs: ['/healthz'] }, url('post', '/healthz'), false],
    ['url rule does not grant a resource', { verbs: ['*'], nonResourceURLs: ['*'] }, res('get', '', 'pods'), false],
  ];
  for (const [name, rule, attrs, want] of cases) it(name, () => assert.equal(ruleAllows(attrs, rule), want));
});

describe('covers (upstream Covers)', () => {
  const cases: Array<[string, PolicyRule[], PolicyRule[], string[]]> = [
    ['star covers all', [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'secrets'] }], []],
    ['missing verbs listed one by one', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }], ['{APIGroups:[""], Resources:["pods"], Verbs:["list"]}']],
    ['*/sub covers r/sub', [{ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods/status'] }], []],
    ['names: owner without names covers', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], []],
    ['names: owner with names does not cover all', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }], ['{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}']],
    ['urls by prefix', [{ verbs: ['get'], nonResourceURLs: ['/api/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/api/v1'] }], []],
    ['urls missing', [], [{ verbs: ['get'], nonResourceURLs: ['/metrics'] }], ['{NonResourceURLs:["/metrics"], Verbs:["get"]}']],
  ];
  for (const [name, owner, servant, missing] of cases) {
    it(name, () => {
      const r = covers(owner, servant);
      assert.deepEqual(r.missing.map(compactString), missing);
      assert.equal(r.covered, missing.length === 0);
    });
  }
});

describe('compactRules', () => {
  it('merges simple rules differing by verb, keeps others', () => {
    const out = compactRules([
      { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] },
      { verbs: ['get'], nonResourceURLs: ['/x'] },
    ]).map(compactString).sort();
    assert.deepEqual(out, [
      '{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}',
      '{APIGroups:[""], Resources:["secrets"], ResourceNames:["a"], Verbs:["get"]}',
      '{NonResourceURLs:["/x"], Verbs:["get"]}',
    ]);
  });
});
