import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo, parseRequestTarget } from './request-info.js';

describe('request info', () => {
  const cases: Array<[string, string, Partial<ReturnType<typeof parseRequestInfo>>]> = [
    ['GET', '/api/v1/namespaces/default/serviceaccounts', { isResourceRequest: true, verb: 'list', namespace: 'default', resource: 'serviceaccounts', name: '' }],
    ['GET', '/api/v1/namespaces/default/serviceaccounts?watch=1', { verb: 'watch' }],
    ['GET', '/api/v1/namespaces/default/serviceaccounts?watch=True', { verb: 'watch' }],
    ['GET', '/api/v1/watch/namespaces/default/serviceaccounts', { verb: 'watch', resource: 'serviceaccounts' }],
    ['GET', '/api/v1/namespaces/default/serviceaccounts/robot', { verb: 'get', name: 'robot' }],
    ['POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { verb: 'create', name: 'robot', subresource: 'token' }],
    ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: '' }],
    ['GET', '/api/v1/namespaces/dev', { verb: 'get', resource: 'namespaces', name: 'dev', namespace: 'dev' }],
    ['PUT', '/api/v1/namespaces/dev/finalize', { verb: 'update', resource: 'namespaces', name: 'dev', subresource: 'finalize' }],
    ['PUT', '/api/v1/namespaces/dev/status', { verb: 'update', resource: 'namespaces', subresource: 'status' }],
    ['DELETE', '/api/v1/namespaces/default/secrets', { verb: 'deletecollection', resource: 'secrets' }],
    ['DELETE', '/api/v1/namespaces/default/secrets/s', { verb: 'delete', name: 's' }],
    ['PATCH', '/apis/rbac.authorization.k8s.io/v1/clusterroles/admin', { verb: 'patch', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'admin' }],
    ['GET', '/api/v1', { isResourceRequest: false }],
    ['GET', '/apis/rbac.authorization.k8s.io/v1', { isResourceRequest: false }],
    ['GET', '/healthz', { isResourceRequest: false, verb: 'get' }],
    ['GET', '/api/v1/serviceaccounts', { verb: 'list', namespace: '', resource: 'serviceaccounts' }],
    ['GET', '/api//v1//namespaces/default/serviceaccounts/', { isResourceRequest: true, verb: 'list', apiVersion: 'v1', namespace: 'default', resource: 'serviceaccounts' }],
    ['GET', '/apis/rbac.authorization.k8s.io', { isResourceRequest: false, apiPrefix: 'apis', apiGroup: 'rbac.authorization.k8s.io' }],
    ['GET', '/api/v1/watch', { isResourceRequest: false, verb: 'watch' }],
  ];
  for (const [method, url, want] of cases) {
    it(`${method} ${url}`, () => {
      const u = new URL(url, 'https://x');
      const got = parseRequestInfo(method, u.pathname, u.searchParams);
      for (const [k, v] of Object.entries(want)) assert.equal((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }
});

describe('request target', () => {
  const targets = [
    '/', '/api/v1/namespaces/default/serviceaccounts', '/apis/authentication.k8s.io/v1/tokenreviews',
    '/api/v1/namespaces/default/pods?watch=1&resourceVersion=10&labelSelector=a%3Db,c+d',
    "/api/v1/x?fieldSelector=metadata.name%3Dx&q='quoted'&e=&=v&&a=1&a=2",
    '/api/v1/a b', '/api/v1/%41%2e', '/api/v1/./x', '/api/v1/../x', '/api/v1/x/..', '/api/v1/x/.', '/api/v1/%2e%2E/x',
    '/api//v1', '/api\\v1', '/api/v1?x=a b', '/api/v1?x=a#frag', '/api/v1#frag', '/api/v1?x=é', '/é', '/api/v1?x=%zz&y=%41',
    '*', 'http://other/api/v1?x=1', '//host/path', '/api/v1?', '/api/v1?x="<>"', '/api/v1/{x}', '/api/v1/`x`',
  ];
  for (const target of targets) {
    it(JSON.stringify(target), () => {
      const u = new URL(target, 'https://localhost');
      const got = parseRequestTarget(target);
      assert.equal(got.pathname, u.pathname);
      assert.deepEqual([...got.query], [...u.searchParams]);
    });
  }
});
