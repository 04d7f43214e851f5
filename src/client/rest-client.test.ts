import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, hasStatusCause, isAlreadyExists, isConflict, isGone, isNotFound } from './errors.js';
import { collectionPath, core, createRestClient } from './rest-client.js';
import { createFakeTransport } from './testing/fake-transport.js';
import type { TransportRequest } from './transport.js';

describe('rest client', () => {
  const paths: [Parameters<typeof collectionPath>, string][] = [
    [[core('serviceaccounts'), 'default'], '/api/v1/namespaces/default/serviceaccounts'],
    [[core('namespaces'), ''], '/api/v1/namespaces'],
    [[{ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' }, 'a'], '/apis/rbac.authorization.k8s.io/v1/namespaces/a/roles'],
    [[{ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' }, ''], '/apis/rbac.authorization.k8s.io/v1/clusterroles'],
  ];
  for (const [args, want] of paths) it(`path ${want}`, () => assert.equal(collectionPath(...args), want));

  it('sends each verb as Kubernetes expects', async () => {
    const fake = createFakeTransport();
    const sas = createRestClient(fake).resource(core('serviceaccounts'));
    const created = await sas.create('a', { metadata: { name: 'x' } }, { fieldManager: 'me' });
    await sas.update('a', { ...created, automountServiceAccountToken: false });
    await sas.patch('a', 'x', 'merge', { metadata: { labels: { l: 'v' } } });
    await sas.list('a', { labelSelector: 'l=v', limit: 5 });
    await sas.delete('a', 'x', { preconditions: { uid: created.metadata.uid }, propagationPolicy: 'Background' });
    const seen = fake.requests.map((r: TransportRequest) => [r.method, r.path, r.contentType ?? '', JSON.stringify(r.query ?? {})]);
    assert.deepEqual(seen, [
      ['POST', '/api/v1/namespaces/a/serviceaccounts', '', '{"fieldManager":"me"}'],
      ['PUT', '/api/v1/namespaces/a/serviceaccounts/x', '', '{}'],
      ['PATCH', '/api/v1/namespaces/a/serviceaccounts/x', 'application/merge-patch+json', '{}'],
      ['GET', '/api/v1/namespaces/a/serviceaccounts', '', '{"labelSelector":"l=v","limit":"5"}'],
      ['DELETE', '/api/v1/namespaces/a/serviceaccounts/x', '', '{}'],
    ]);
    const del = JSON.parse(fake.requests.at(-1)!.body!);
    assert.deepEqual(del, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: created.metadata.uid }, propagationPolicy: 'Background' });
  });

  it('creates through a subresource at the named object', async () => {
    const fake = createFakeTransport();
    fake.reactor = () => ({ status: 201, body: '{"kind":"Status","apiVersion":"v1","status":"Success","code":201}' });
    const pods = createRestClient(fake).resource(core('pods'));
    await pods.create('a', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'a' } }, { subresource: 'binding' });
    assert.deepEqual([fake.requests[0]!.method, fake.requests[0]!.path], ['POST', '/api/v1/namespaces/a/pods/p/binding']);
  });

  const errors: { name: string; status: number; body: string; check: (e: unknown) => boolean; code: number; reason: string; message: string }[] = [
    {
      name: 'a Status body is surfaced as is',
      status: 404,
      body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'serviceaccounts "x" not found', reason: 'NotFound', code: 404, details: { name: 'x', kind: 'serviceaccounts' } }),
      check: isNotFound,
      code: 404,
      reason: 'NotFound',
      message: 'serviceaccounts "x" not found',
    },
    {
      name: 'AlreadyExists is not a Conflict',
      status: 409,
      body: JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'AlreadyExists', code: 409, message: 'exists' }),
      check: (e) => isAlreadyExists(e) && !isConflict(e),
      code: 409,
      reason: 'AlreadyExists',
      message: 'exists',
    },
    { name: 'a body that is not a Status gets a reason from its code', status: 503, body: 'upstream down', check: (e) => !isNotFound(e), code: 503, reason: 'ServiceUnavailable', message: 'upstream down' },
    { name: 'an expired list', status: 410, body: JSON.stringify({ kind: 'Status', reason: 'Expired', code: 410, message: 'too old' }), check: isGone, code: 410, reason: 'Expired', message: 'too old' },
  ];
  for (const c of errors) {
    it(c.name, async () => {
      const fake = createFakeTransport();
      fake.reactor = () => ({ status: c.status, body: c.body });
      const err = await createRestClient(fake).resource(core('serviceaccounts')).get('a', 'x').then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, c.code);
      assert.equal(err.reason, c.reason);
      assert.equal(err.message, c.message);
      assert.ok(c.check(err));
    });
  }

  it('reads status causes', () => {
    const e = new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 403, reason: 'Forbidden', details: { causes: [{ reason: 'NamespaceTerminating' }] } });
    assert.equal(hasStatusCause(e, 'NamespaceTerminating'), true);
    assert.equal(hasStatusCause(e, 'Other'), false);
  });

  it('a watch refused with 410 throws an expired ApiError', async () => {
    const fake = createFakeTransport();
    fake.reactor = () => ({ status: 410, body: JSON.stringify({ kind: 'Status', reason: 'Expired', code: 410, message: 'too old' }) });
    await assert.rejects(createRestClient(fake).resource(core('serviceaccounts')).watch('', { resourceVersion: '1' }), (e: unknown) => isGone(e));
  });

  it('discovers resources of every preferred group version, without subresources', async () => {
    const fake = createFakeTransport();
    fake.discovery = [
      { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, verbs: ['get'] },
      { group: '', version: 'v1', resource: 'serviceaccounts/token', kind: 'TokenRequest', namespaced: true, verbs: ['create'] },
      { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false, verbs: ['list'] },
    ];
    const found = await createRestClient(fake).discover();
    assert.deepEqual(found.map((r) => `${r.group}/${r.version}/${r.resource} ${r.kind} ${r.namespaced}`), [
      '/v1/serviceaccounts ServiceAccount true',
      'rbac.authorization.k8s.io/v1/clusterroles ClusterRole false',
    ]);
  });
});
