import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRequestInfo } from './request-info.js';

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
  ];
  for (const [method, url, want] of cases) {
    it(`${method} ${url}`, () => {
      const u = new URL(url, 'https://x');
      const got = parseRequestInfo(method, u.pathname, u.searchParams);
      for (const [k, v] of Object.entries(want)) assert.equal((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }
});
