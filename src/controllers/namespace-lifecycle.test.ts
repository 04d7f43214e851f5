import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createNamespaceController } from './namespace-lifecycle.js';
import { updateConditions } from './namespace-deleter.js';
import { activeNamespace, controllerTest, namespacesPath, nsPath, statusResponse, type ControllerTest } from './testing/setup.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const discovery = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false, verbs },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, verbs },
  // No deletecollection: deleted one by one.
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true, verbs: ['delete', 'get', 'list'] },
];

async function setup(content: { path: string; obj: KubeObject }[]): Promise<ControllerTest> {
  const t = controllerTest();
  t.fake.discovery = discovery;
  t.fake.seed(namespacesPath, activeNamespace('doomed'));
  for (const c of content) t.fake.seed(c.path, c.obj);
  await t.fake.request({ method: 'DELETE', path: `${namespacesPath}/doomed` });
  return t;
}

const conditionsOf = (t: ControllerTest) =>
  Object.fromEntries(((t.fake.get(namespacesPath, 'doomed')?.status as { conditions?: { type: string; status: string; message: string }[] })?.conditions ?? []).map((c) => [c.type, c]));

describe('namespace controller', () => {
  it('waits the deletion grace period, deletes all content, then finalizes', async () => {
    const t = await setup([
      { path: nsPath('doomed', 'configmaps'), obj: { metadata: { name: 'c1' } } },
      { path: nsPath('doomed', 'secrets'), obj: { metadata: { name: 's1' } } },
      { path: '/apis/rbac.authorization.k8s.io/v1/namespaces/doomed/roles', obj: { metadata: { name: 'r1' } } },
      { path: nsPath('other', 'configmaps'), obj: { metadata: { name: 'keep' } } },
    ]);
    const before = t.writes().length;
    await t.start(createNamespaceController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle(4900);
    assert.deepEqual(t.writes().slice(before), [], 'nothing before 5 s');
    await t.settle(200);
    assert.deepEqual(t.writes().slice(before), [
      'PUT /api/v1/namespaces/doomed/status',
      'DELETE /api/v1/namespaces/doomed/configmaps',
      'DELETE /api/v1/namespaces/doomed/secrets',
      'DELETE /apis/rbac.authorization.k8s.io/v1/namespaces/doomed/roles/r1',
      'PUT /api/v1/namespaces/doomed/status',
      'PUT /api/v1/namespaces/doomed/finalize',
    ]);
    assert.equal(t.fake.get(namespacesPath, 'doomed'), undefined, 'namespace gone');
    assert.ok(t.fake.get(nsPath('other', 'configmaps'), 'keep'), 'other namespaces untouched');
    const collection = t.fake.requests.find((r) => r.method === 'DELETE' && r.path.endsWith('/configmaps'))!;
    assert.equal(JSON.parse(collection.body!).propagationPolicy, 'Background');
    await t.stop();
  });

  it('reports remaining content and finalizers, looks again after half the estimate', async () => {
    const t = await setup([{ path: nsPath('doomed', 'configmaps'), obj: { metadata: { name: 'held', finalizers: ['example.com/hold'] } } }]);
    await t.start(createNamespaceController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle(5100);
    const conditions = conditionsOf(t);
    assert.equal(conditions.NamespaceContentRemaining?.status, 'True');
    assert.equal(conditions.NamespaceContentRemaining?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal(conditions.NamespaceFinalizersRemaining?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(conditions.NamespaceDeletionDiscoveryFailure?.status, 'False');
    assert.equal((t.fake.get(namespacesPath, 'doomed')?.status as { phase: string }).phase, 'Terminating');
    // Release the content: the next look (the status update's event, 5 s after it) finalizes.
    const held = t.fake.get(nsPath('doomed', 'configmaps'), 'held')!;
    await t.fake.request({ method: 'PUT', path: `${nsPath('doomed', 'configmaps')}/held`, body: JSON.stringify({ ...held, metadata: { ...held.metadata, finalizers: [] } }) });
    await t.settle(4000);
    assert.ok(t.fake.get(namespacesPath, 'doomed'), 'not before the next look');
    await t.settle(1500);
    assert.equal(t.fake.get(namespacesPath, 'doomed'), undefined);
    await t.stop();
  });

  it('retries a conflict on finalize and converges', async () => {
    const t = await setup([]);
    let conflicts = 1;
    t.fake.reactor = (req) => (req.path.endsWith('/finalize') && conflicts-- > 0 ? statusResponse(409, 'Conflict', 'the object has been modified') : undefined);
    await t.start(createNamespaceController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle(5200);
    assert.equal(t.fake.get(namespacesPath, 'doomed'), undefined);
    assert.equal(t.writes().filter((w) => w.endsWith('/finalize')).length, 2);
    await t.stop();
  });

  it('retries with backoff when discovery fails', async () => {
    const t = await setup([]);
    let failing = true;
    t.fake.reactor = (req) => (req.path === '/api/v1' && failing ? statusResponse(503, 'ServiceUnavailable', 'discovery down') : undefined);
    await t.start(createNamespaceController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle(5100);
    assert.ok(t.fake.get(namespacesPath, 'doomed'));
    assert.equal(conditionsOf(t).NamespaceDeletionDiscoveryFailure?.status, 'True');
    const discoveries = t.fake.requests.filter((r) => r.path === '/api/v1').length;
    assert.ok(discoveries >= 3, `retried (${discoveries} discoveries)`);
    failing = false;
    await t.settle(2000);
    assert.equal(t.fake.get(namespacesPath, 'doomed'), undefined);
    await t.stop();
  });

  it('ignores namespaces that are not being deleted', async () => {
    const t = controllerTest();
    t.fake.discovery = discovery;
    t.fake.seed(namespacesPath, activeNamespace('alive'));
    const before = t.writes().length;
    await t.start(createNamespaceController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle(10_000);
    assert.deepEqual(t.writes().slice(before), []);
    await t.stop();
  });
});

describe('namespace conditions', () => {
  const t0 = Date.UTC(2026, 0, 1);
  it('adds the five success conditions, then changes lastTransitionTime only with status', () => {
    const status: { conditions?: any[] } = {};
    assert.equal(updateConditions(status, [], t0), true);
    assert.deepEqual(status.conditions!.map((c) => [c.type, c.status, c.reason]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
    assert.equal(updateConditions(status, [], t0 + 1000), false, 'unchanged');
    const failure = { type: 'NamespaceContentRemaining', status: 'True' as const, reason: 'SomeResourcesRemain', message: 'x' };
    assert.equal(updateConditions(status, [failure], t0 + 2000), true);
    const remaining = status.conditions!.find((c) => c.type === 'NamespaceContentRemaining');
    assert.equal(remaining.lastTransitionTime, '2026-01-01T00:00:02Z');
    assert.equal(updateConditions(status, [{ ...failure, message: 'y' }], t0 + 3000), true);
    assert.equal(remaining.lastTransitionTime, '2026-01-01T00:00:02Z', 'same status keeps the time');
  });
});
