import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createGarbageCollector } from './garbage-collector.js';
import { createGcGraph, itemKey } from './gc-graph.js';
import { controllerTest, nsPath, statusResponse, type ControllerTest } from './testing/setup.js';

const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const discovery = [
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, verbs },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, verbs },
];
const cms = nsPath('a', 'configmaps');
const secrets = nsPath('a', 'secrets');

function setup(): ControllerTest {
  const t = controllerTest();
  t.fake.discovery = discovery;
  return t;
}

function ownedSecret(name: string, owner: KubeObject, extra: { blockOwnerDeletion?: boolean } = {}): KubeObject {
  return {
    metadata: {
      name,
      namespace: 'a',
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name!, uid: owner.metadata.uid!, ...extra }],
    },
  };
}

const start = (t: ControllerTest) => t.start(createGarbageCollector({ informers: t.informers, client: t.client, clock: t.clock }));

describe('garbage collector', () => {
  it('does not watch events', async () => {
    const t = setup();
    await start(t);
    assert.equal(t.fake.requests.some((r) => r.path.endsWith('/events')), false);
    assert.ok(t.fake.requests.some((r) => r.path === '/api/v1/secrets'));
    await t.stop();
  });

  const cases: { name: string; policy?: 'Background' | 'Foreground' | 'Orphan'; block?: boolean; wantSecretAfter: boolean; wantOwnerAfter: boolean; wantRefs?: number }[] = [
    { name: 'background: the dependent goes after the owner', policy: 'Background', wantSecretAfter: false, wantOwnerAfter: false },
    { name: 'no policy: like background', wantSecretAfter: false, wantOwnerAfter: false },
    { name: 'orphan: the dependent stays without the reference', policy: 'Orphan', wantSecretAfter: true, wantOwnerAfter: false, wantRefs: 0 },
    { name: 'foreground with a blocking dependent: both go', policy: 'Foreground', block: true, wantSecretAfter: false, wantOwnerAfter: false },
    { name: 'foreground with a non-blocking dependent: both go', policy: 'Foreground', wantSecretAfter: false, wantOwnerAfter: false },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = setup();
      const owner = t.fake.seed(cms, { metadata: { name: 'owner', namespace: 'a' } });
      t.fake.seed(secrets, ownedSecret('dep', owner, c.block ? { blockOwnerDeletion: true } : {}));
      await start(t);
      await t.settle(100);
      assert.ok(t.fake.get(secrets, 'dep'), 'a dependent with a live owner stays');
      // The server's part of a DELETE with a policy: the GC finalizer and the deletion mark.
      const finalizer = c.policy === 'Orphan' ? ['orphan'] : c.policy === 'Foreground' ? ['foregroundDeletion'] : undefined;
      if (finalizer) await t.fake.request({ method: 'PATCH', path: `${cms}/owner`, body: JSON.stringify({ metadata: { finalizers: finalizer } }) });
      await t.fake.request({ method: 'DELETE', path: `${cms}/owner`, body: JSON.stringify({ propagationPolicy: c.policy }) });
      await t.settle(500);
      assert.equal(!!t.fake.get(secrets, 'dep'), c.wantSecretAfter, 'dependent');
      assert.equal(!!t.fake.get(cms, 'owner'), c.wantOwnerAfter, 'owner');
      if (c.wantRefs !== undefined) assert.equal(t.fake.get(secrets, 'dep')!.metadata.ownerReferences?.length ?? 0, c.wantRefs);
      await t.stop();
    });
  }

  it('foreground: the owner keeps its finalizer while a blocking dependent remains', async () => {
    const t = setup();
    const owner = t.fake.seed(cms, { metadata: { name: 'owner', namespace: 'a' } });
    const dep = ownedSecret('dep', owner, { blockOwnerDeletion: true });
    dep.metadata.finalizers = ['example.com/hold'];
    t.fake.seed(secrets, dep);
    await start(t);
    await t.fake.request({ method: 'PATCH', path: `${cms}/owner`, body: JSON.stringify({ metadata: { finalizers: ['foregroundDeletion'] } }) });
    await t.fake.request({ method: 'DELETE', path: `${cms}/owner` });
    await t.settle(500);
    assert.deepEqual(t.fake.get(cms, 'owner')?.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(t.fake.get(secrets, 'dep')?.metadata.deletionTimestamp, 'the dependent was deleted');
    await t.fake.request({ method: 'PATCH', path: `${secrets}/dep`, body: JSON.stringify({ metadata: { finalizers: null } }) });
    await t.settle(500);
    assert.equal(t.fake.get(secrets, 'dep'), undefined);
    assert.equal(t.fake.get(cms, 'owner'), undefined);
    await t.stop();
  });

  it('deletes a dependent whose owner never existed, with a uid precondition', async () => {
    const t = setup();
    t.fake.seed(secrets, ownedSecret('dangling', { metadata: { name: 'ghost', uid: 'no-such-uid' } }));
    await start(t);
    await t.settle(100);
    assert.equal(t.fake.get(secrets, 'dangling'), undefined);
    const del = t.fake.requests.find((r) => r.method === 'DELETE' && r.path.endsWith('/dangling'))!;
    assert.ok(JSON.parse(del.body!).preconditions.uid);
    await t.stop();
  });

  it('a reference to an owner of the same name but another uid is dangling; a solid owner keeps the dependent', async () => {
    const t = setup();
    const owner = t.fake.seed(cms, { metadata: { name: 'owner', namespace: 'a' } });
    const two = t.fake.seed(secrets, { metadata: { name: 'two', namespace: 'a', ownerReferences: [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'stale-uid' },
    ] } });
    await start(t);
    await t.settle(100);
    const after = t.fake.get(secrets, 'two')!;
    assert.deepEqual(after.metadata.ownerReferences!.map((r) => r.uid), [owner.metadata.uid]);
    assert.notEqual(after.metadata.resourceVersion, two.metadata.resourceVersion);
    await t.stop();
  });

  it('retries after a conflict and converges', async () => {
    const t = setup();
    let conflicts = 2;
    t.fake.reactor = (req) => (req.method === 'DELETE' && req.path.endsWith('/dangling') && conflicts-- > 0 ? statusResponse(409, 'Conflict', 'Precondition failed') : undefined);
    t.fake.seed(secrets, ownedSecret('dangling', { metadata: { name: 'ghost', uid: 'no-such-uid' } }));
    await start(t);
    await t.settle(200);
    assert.equal(t.fake.get(secrets, 'dangling'), undefined);
    assert.equal(t.fake.requests.filter((r) => r.method === 'DELETE').length, 3);
    await t.stop();
  });
});

describe('gc graph', () => {
  it('indexes dependents by owner uid and follows changes', () => {
    const g = createGcGraph();
    const gvr = { group: '', version: 'v1', resource: 'secrets' };
    const ref = (uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid });
    g.upsert(gvr, { metadata: { name: 'd', namespace: 'a', uid: 'd1', ownerReferences: [ref('o1')] } });
    assert.deepEqual(g.dependents('o1'), [itemKey(gvr, 'a', 'd')]);
    g.upsert(gvr, { metadata: { name: 'd', namespace: 'a', uid: 'd1', ownerReferences: [ref('o2')] } });
    assert.deepEqual(g.dependents('o1'), []);
    assert.deepEqual(g.dependents('o2'), [itemKey(gvr, 'a', 'd')]);
    assert.equal(g.keyOf('d1'), itemKey(gvr, 'a', 'd'));
    g.remove(gvr, { metadata: { name: 'd', namespace: 'a', uid: 'd1' } });
    assert.deepEqual(g.dependents('o2'), []);
    assert.equal(g.keyOf('d1'), undefined);
  });
});

describe('garbage collector start', () => {
  it('retries discovery until it answers', async () => {
    const t = setup();
    let failing = true;
    t.fake.reactor = (req) => (req.path === '/api/v1' && failing ? statusResponse(503, 'ServiceUnavailable', 'not yet') : undefined);
    t.fake.seed(secrets, ownedSecret('dangling', { metadata: { name: 'ghost', uid: 'no-such-uid' } }));
    t.informers.start();
    const gc = createGarbageCollector({ informers: t.informers, client: t.client, clock: t.clock });
    const started = gc.start();
    await t.settle(1000);
    assert.ok(t.fake.get(secrets, 'dangling'), 'nothing happens without discovery');
    failing = false;
    await t.settle(2000);
    await started;
    await t.settle(100);
    assert.equal(t.fake.get(secrets, 'dangling'), undefined);
    await gc.stop();
    t.informers.stop();
  });

  it('records OwnerRefInvalidNamespace for a cluster-scoped dependent of a namespaced owner, and deletes it', async () => {
    const t = setup();
    t.fake.discovery = [...discovery, { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, verbs }];
    const owner = t.fake.seed(cms, { metadata: { name: 'owner', namespace: 'a' } });
    t.fake.seed('/api/v1/nodes', { metadata: { name: 'n1', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] } });
    const events: string[] = [];
    const recorder = { event: (o: KubeObject, type: string, reason: string, message: string) => void events.push(`${o.metadata.name} ${type} ${reason} ${message}`), flush: async () => {} };
    await t.start(createGarbageCollector({ informers: t.informers, client: t.client, clock: t.clock, recorder }));
    await t.settle(100);
    assert.equal(t.fake.get('/api/v1/nodes', 'n1'), undefined);
    assert.deepEqual(events, [`n1 Warning OwnerRefInvalidNamespace ownerRef [v1/ConfigMap, namespace: , name: owner, uid: ${owner.metadata.uid}] does not exist in namespace ""`]);
    await t.stop();
  });
});
