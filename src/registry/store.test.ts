import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { StatusError } from '../api/status.js';
import { createMemoryBackend } from '../storage/memory/memory-backend.js';
import type { Backend } from '../storage/backend.js';
import { Store, sameObject, parseResourceVersion } from './store.js';
import { serviceAccountStrategy } from './serviceaccounts/strategy.js';
import { podStrategy } from './pods/strategy.js';
import { namespaceStrategy } from './namespaces/strategy.js';

const user = { username: 'test', groups: ['system:masters'] };
const ctx = { user, dryRun: false };
const sa = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name }, ...extra });

async function rejects(p: Promise<unknown>, code: number, message?: RegExp | string): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail('expected rejection');
}

describe('Store (serviceaccounts on the memory backend)', () => {
  let backend: Backend;
  let store: Store;
  beforeEach(async () => {
    backend = createMemoryBackend();
    store = new Store({ backend, strategy: serviceAccountStrategy, now: () => Date.UTC(2026, 10, 22, 10, 0, 0) });
    await store.start();
  });

  it('create sets uid, creationTimestamp, resourceVersion and strips secret fields', async () => {
    const o = await store.create('default', sa('a', { secrets: [{ name: 's', namespace: 'x', uid: 'u' }] }), ctx);
    assert.match(o.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.equal(o.metadata.creationTimestamp, '2026-11-22T10:00:00Z');
    assert.equal(o.metadata.namespace, 'default');
    assert.equal(o.metadata.resourceVersion, String(await backend.currentRevision()));
    assert.deepEqual(o.secrets, [{ name: 's' }]);
    assert.deepEqual(store.get('default', 'a'), o);
  });

  it('create of an existing name is 409 AlreadyExists', async () => {
    await store.create('default', sa('a'), ctx);
    await rejects(store.create('default', sa('a'), ctx), 409, 'serviceaccounts "a" already exists');
  });

  it('generateName picks a 5-character suffix', async () => {
    const o = await store.create('default', { metadata: { generateName: 'robot-' } } as KubeObject, ctx);
    assert.match(o.metadata.name!, /^robot-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('invalid names are 422 with a cause per field', async () => {
    const e = await rejects(store.create('default', sa('Bad_Name'), ctx), 422, /^ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    assert.equal(e.status.details?.causes?.[0]?.field, 'metadata.name');
    await rejects(store.create('default', sa('a'.repeat(254)), ctx), 422, /must be no more than 253 characters/);
  });

  it('a resourceVersion on create is refused', async () => {
    await rejects(store.create('default', sa('a', { metadata: { name: 'a', resourceVersion: '5' } }), ctx), 500, /resourceVersion should not be set/);
  });

  it('update with a stale resourceVersion is 409 with the Kubernetes sentence', async () => {
    const o = await store.create('default', sa('a'), ctx);
    await store.update('default', 'a', { ...sa('a'), metadata: { name: 'a', labels: { x: 'y' } } }, ctx);
    await rejects(
      store.update('default', 'a', { ...sa('a'), metadata: { name: 'a', resourceVersion: o.metadata.resourceVersion, labels: { x: 'z' } } }, ctx),
      409,
      'Operation cannot be fulfilled on serviceaccounts "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.equal(store.get('default', 'a').metadata.labels?.x, 'y');
  });

  it('a no-op update keeps the resourceVersion; an unconditional update works', async () => {
    const o = await store.create('default', sa('a'), ctx);
    const same = await store.update('default', 'a', sa('a'), ctx);
    assert.equal(same.object.metadata.resourceVersion, o.metadata.resourceVersion);
    const changed = await store.update('default', 'a', sa('a', { automountServiceAccountToken: false }), ctx);
    assert.notEqual(changed.object.metadata.resourceVersion, o.metadata.resourceVersion);
    assert.equal(changed.object.metadata.uid, o.metadata.uid);
    assert.equal(changed.object.metadata.creationTimestamp, o.metadata.creationTimestamp);
  });

  it('update of a missing object is 404', async () => {
    await rejects(store.update('default', 'nope', sa('nope'), ctx), 404, 'serviceaccounts "nope" not found');
  });

  it('dry-run create and delete persist nothing', async () => {
    const rev = await backend.currentRevision();
    const o = await store.create('default', sa('a'), { ...ctx, dryRun: true });
    assert.equal(o.metadata.name, 'a');
    assert.equal(await backend.currentRevision(), rev);
    await store.create('default', sa('b'), ctx);
    await store.delete('default', 'b', {}, { ...ctx, dryRun: true });
    assert.ok(store.find('default', 'b'));
  });

  it('delete honours uid and resourceVersion preconditions', async () => {
    const o = await store.create('default', sa('a'), ctx);
    await rejects(store.delete('default', 'a', { preconditions: { uid: 'other' } }, ctx), 409, /Precondition failed: UID in precondition: other/);
    await rejects(store.delete('default', 'a', { preconditions: { resourceVersion: '1' + o.metadata.resourceVersion } }, ctx), 409, /ResourceVersion in precondition/);
    const r = await store.delete('default', 'a', { preconditions: { uid: o.metadata.uid } }, ctx);
    assert.equal(r.deleted, true);
    assert.equal(store.find('default', 'a'), undefined);
  });

  it('finalizers hold deletion until removed', async () => {
    await store.create('default', sa('a', { metadata: { name: 'a', finalizers: ['example.com/hold'] } }), ctx);
    const r = await store.delete('default', 'a', {}, ctx);
    assert.equal(r.deleted, false);
    assert.ok(r.object.metadata.deletionTimestamp);
    await store.guaranteedUpdate('default', 'a', ctx, (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: [] } }));
    assert.equal(store.find('default', 'a'), undefined);
  });

  it('lists with label selectors, limit and continue', async () => {
    for (let i = 0; i < 7; i++) await store.create('default', sa(`sa-${i}`, { metadata: { name: `sa-${i}`, labels: { team: i % 2 ? 'odd' : 'even' } } }), ctx);
    await store.create('other', sa('x'), ctx);
    assert.equal((await store.list('default', {})).items.length, 7);
    assert.equal((await store.list('', {})).items.length, 8);
    assert.deepEqual((await store.list('default', { labelSelector: 'team=odd' })).items.map((i) => i.object.metadata.name), ['sa-1', 'sa-3', 'sa-5']);
    assert.deepEqual((await store.list('default', { labelSelector: 'team notin (odd)' })).items.length, 4);
    const p1 = await store.list('default', { limit: 3 });
    assert.equal(p1.items.length, 3);
    assert.equal(p1.remainingItemCount, 4);
    assert.ok(p1.continue);
    await store.create('default', sa('sa-9'), ctx); // not visible in the paged snapshot
    const p2 = await store.list('default', { limit: 3, continue: p1.continue });
    assert.deepEqual(p2.items.map((i) => i.object.metadata.name), ['sa-3', 'sa-4', 'sa-5']);
    const p3 = await store.list('default', { limit: 3, continue: p2.continue });
    assert.deepEqual(p3.items.map((i) => i.object.metadata.name), ['sa-6']);
    assert.equal(p3.continue, undefined);
  });

  it('bad selectors and resource versions are 400', async () => {
    await rejects(store.list('default', { fieldSelector: 'spec.foo=bar' }), 400, 'field label not supported: spec.foo');
    await rejects(store.list('default', { labelSelector: 'a in (' }), 400);
    await rejects(store.list('default', { resourceVersion: 'abc' }), 400);
    assert.throws(() => parseResourceVersion('12x'), StatusError);
  });

  it('watch from a resourceVersion sees later events in order; an old one is 410', async () => {
    const a = await store.create('default', sa('a'), ctx);
    const seen: string[] = [];
    const stop = store.watch('default', { resourceVersion: a.metadata.resourceVersion }, {
      event: (type, o) => seen.push(`${type} ${o.metadata.name}`),
      error: (e) => seen.push(`ERROR ${e.code}`),
    });
    await store.create('default', sa('b'), ctx);
    await store.update('default', 'a', sa('a', { automountServiceAccountToken: true }), ctx);
    await store.delete('default', 'b', {}, ctx);
    await store.create('other', sa('c'), ctx);
    stop();
    assert.deepEqual(seen, ['ADDED b', 'MODIFIED a', 'DELETED b']);
    const initial: string[] = [];
    store.watch('', {}, { event: (t, o) => initial.push(`${t} ${o.metadata.name}`), error: () => {} })();
    assert.deepEqual(initial.sort(), ['ADDED a', 'ADDED c']);
  });

  it('watch with a label selector turns label changes into ADDED/DELETED', async () => {
    await store.create('default', sa('a'), ctx);
    const seen: string[] = [];
    const stop = store.watch('default', { resourceVersion: String(store.cache.revision), labelSelector: 'x=y' }, {
      event: (type, o) => seen.push(`${type} ${o.metadata.name}`),
      error: () => {},
    });
    await store.update('default', 'a', sa('a', { metadata: { name: 'a', labels: { x: 'y' } } }), ctx);
    await store.update('default', 'a', sa('a', { metadata: { name: 'a', labels: { x: 'z' } } }), ctx);
    stop();
    assert.deepEqual(seen, ['ADDED a', 'DELETED a']);
  });

  it('concurrent guaranteedUpdates all apply', async () => {
    await store.create('default', sa('a', { metadata: { name: 'a', annotations: { n: '0' } } }), ctx);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.guaranteedUpdate('default', 'a', ctx, (cur) => {
          cur.metadata.annotations = { n: String(Number(cur.metadata.annotations!.n) + 1) };
          return cur;
        }),
      ),
    );
    assert.equal(store.get('default', 'a').metadata.annotations!.n, '20');
  });
});

describe('Store strategies', () => {
  it('pods: defaults, serviceAccount mirrors serviceAccountName, unscheduled pods delete at once', async () => {
    const store = new Store({ backend: createMemoryBackend(), strategy: podStrategy });
    await store.start();
    const p = await store.create('default', { metadata: { name: 'p' }, spec: { serviceAccount: 'robot', containers: [{ name: 'c', image: 'nginx' }] } } as KubeObject, ctx);
    const spec = p.spec as Record<string, unknown>;
    assert.equal(spec.serviceAccountName, 'robot');
    assert.equal(spec.serviceAccount, 'robot');
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal((spec.containers as Array<Record<string, unknown>>)[0]!.imagePullPolicy, 'Always');
    assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
    const r = await store.delete('default', 'p', {}, ctx);
    assert.equal(r.deleted, true);
  });

  it('pods bound to a node are deleted gracefully', async () => {
    const store = new Store({ backend: createMemoryBackend(), strategy: podStrategy });
    await store.start();
    await store.create('default', { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx:1.25' }] } } as KubeObject, ctx);
    const r = await store.delete('default', 'p', {}, ctx);
    assert.equal(r.deleted, false);
    assert.equal(r.object.metadata.deletionGracePeriodSeconds, 30);
    const forced = await store.delete('default', 'p', { gracePeriodSeconds: 0 }, ctx);
    assert.equal(forced.deleted, true);
  });

  it('namespaces: Active, finalizer, name label; delete marks Terminating', async () => {
    const store = new Store({ backend: createMemoryBackend(), strategy: namespaceStrategy });
    await store.start();
    const ns = await store.create('', { metadata: { name: 'dev' } } as KubeObject, ctx);
    assert.deepEqual(ns.status, { phase: 'Active' });
    assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'dev');
    const r = await store.delete('', 'dev', {}, ctx);
    assert.equal(r.deleted, false);
    assert.equal((r.object.status as { phase: string }).phase, 'Terminating');
    await store.guaranteedUpdate('', 'dev', ctx, (cur) => ({ ...cur, spec: { finalizers: [] } }), { subresource: 'finalize' });
    assert.equal(store.find('', 'dev'), undefined);
    await rejects(store.create('', { metadata: { name: 'a.b' } } as KubeObject, ctx), 422, 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
  });

  it('sameObject ignores key order', () => {
    assert.ok(sameObject({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(!sameObject({ a: 1 }, { a: 1, b: 2 }));
  });
});
