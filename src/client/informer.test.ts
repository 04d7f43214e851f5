import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createInformer, type Informer } from './informer.js';
import { core, createRestClient } from './rest-client.js';
import { createFakeClock, type FakeClock } from './testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from './testing/fake-transport.js';

const sas = '/api/v1/serviceaccounts';
const sa = (ns: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });

function setup(): { fake: FakeTransport; clock: FakeClock; informer: Informer; log: string[] } {
  const fake = createFakeTransport();
  const clock = createFakeClock();
  const client = createRestClient(fake).resource(core('serviceaccounts'));
  const informer = createInformer({ client, clock, watchTimeoutSeconds: () => 60 });
  const log: string[] = [];
  informer.addEventHandler({
    add: (o) => log.push(`add ${o.metadata.namespace}/${o.metadata.name}`),
    update: (_, o) => log.push(`update ${o.metadata.namespace}/${o.metadata.name}`),
    delete: (o) => log.push(`delete ${o.metadata.namespace}/${o.metadata.name}`),
  });
  return { fake, clock, informer, log };
}

const settle = (clock: FakeClock) => clock.advance(0);

describe('informer', () => {
  it('lists, then follows the watch from the list resourceVersion', async () => {
    const { fake, clock, informer, log } = setup();
    fake.seed(sas, sa('a', 'one'));
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    fake.seed(sas, sa('b', 'two'));
    await settle(clock);
    assert.deepEqual(log, ['add a/one', 'add b/two']);
    assert.equal(informer.lister.get('b', 'two')?.metadata.name, 'two');
    assert.deepEqual(informer.lister.list('a').map((o) => o.metadata.name), ['one']);
    const watch = fake.requests.find((r) => r.query?.watch === 'true')!;
    assert.equal(watch.query!.resourceVersion, '2', 'watch starts at the list revision');
    assert.equal(watch.query!.allowWatchBookmarks, 'true');
    assert.equal(informer.lastResourceVersion(), String(fake.revision()));
    informer.stop();
  });

  it('delivers updates and deletes, and keeps the cache equal to the server', async () => {
    const { fake, clock, informer, log } = setup();
    informer.start();
    await informer.waitForSync();
    const created = fake.seed(sas, sa('a', 'x'));
    await settle(clock);
    await fake.request({ method: 'PUT', path: '/api/v1/namespaces/a/serviceaccounts/x', body: JSON.stringify({ ...created, automountServiceAccountToken: false }) });
    await settle(clock);
    assert.equal(informer.lister.get('a', 'x')?.automountServiceAccountToken, false);
    await fake.request({ method: 'DELETE', path: '/api/v1/namespaces/a/serviceaccounts/x' });
    await settle(clock);
    assert.deepEqual(log, ['add a/x', 'update a/x', 'delete a/x']);
    assert.equal(informer.lister.size, 0);
    informer.stop();
  });

  it('relists on 410 Expired and reports what changed meanwhile', async () => {
    const { fake, clock, informer, log } = setup();
    fake.seed(sas, sa('a', 'stays'));
    const doomed = fake.seed(sas, sa('a', 'goes'));
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    // Changes the informer misses: its watch ends (after a while) and history before them is compacted.
    await clock.advance(5000);
    const watchesBefore = fake.watchCount();
    fake.endWatches();
    void fake.request({ method: 'DELETE', path: `/api/v1/namespaces/a/serviceaccounts/${doomed.metadata.name}` });
    fake.seed(sas, sa('a', 'new'));
    fake.compactedRevision = fake.revision();
    await settle(clock);
    assert.ok(fake.watchCount() > watchesBefore, 'rewatched after the stream ended');
    await settle(clock);
    assert.deepEqual(log.slice(0, 2), ['add a/stays', 'add a/goes']);
    assert.deepEqual(new Set(log.slice(2)), new Set(['update a/stays', 'add a/new', 'delete a/goes']));
    assert.deepEqual(informer.lister.list().map((o) => o.metadata.name).sort(), ['new', 'stays']);
    const lists = fake.requests.filter((r) => r.method === 'GET' && !r.query?.watch);
    assert.equal(lists.length, 2, 'one initial list and one relist');
    informer.stop();
  });

  it('backs off after a watch that ends at once with nothing in it, then relists', async () => {
    const { fake, clock, informer } = setup();
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    fake.endWatches();
    await settle(clock);
    const lists = () => fake.requests.filter((r) => r.method === 'GET' && !r.query?.watch).length;
    assert.equal(lists(), 1, 'no immediate reconnect');
    await clock.advance(800);
    assert.equal(lists(), 2, 'relisted after the backoff');
    // A watch that lasted long ends: resumed at once, no relist.
    await clock.advance(2000);
    fake.endWatches();
    await settle(clock);
    assert.equal(lists(), 2);
    assert.equal(fake.watchCount(), 3);
    informer.stop();
  });

  it('replays the cache to a handler added after sync', async () => {
    const { fake, clock, informer } = setup();
    fake.seed(sas, sa('a', 'x'));
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    const added: string[] = [];
    informer.addEventHandler({ add: (o) => added.push(o.metadata.name!) });
    assert.deepEqual(added, ['x']);
    informer.stop();
  });

  it('relists when a watch receives an ERROR 410 event', async () => {
    const { fake, clock, informer } = setup();
    informer.start();
    await informer.waitForSync();
    await settle(clock);
    fake.expireWatches();
    await settle(clock);
    const lists = fake.requests.filter((r) => r.method === 'GET' && !r.query?.watch);
    assert.equal(lists.length, 2);
    informer.stop();
  });

  it('backs off on failures: 800 ms, then doubling', async () => {
    const { fake, clock, informer } = setup();
    let failures = 3;
    fake.reactor = (req) => {
      if (req.query?.watch || failures === 0) return undefined;
      failures--;
      return { status: 500, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, reason: 'InternalError', message: 'boom' }) };
    };
    informer.start();
    await settle(clock);
    const listTimes = () => fake.requests.filter((r) => !r.query?.watch).length;
    assert.equal(listTimes(), 1);
    await clock.advance(799);
    assert.equal(listTimes(), 1, 'no retry before 800 ms');
    await clock.advance(1);
    assert.equal(listTimes(), 2);
    await clock.advance(1599);
    assert.equal(listTimes(), 2, 'second retry waits 1600 ms');
    await clock.advance(1);
    assert.equal(listTimes(), 3);
    await clock.advance(3200);
    assert.equal(listTimes(), 4);
    assert.ok(informer.hasSynced());
    informer.stop();
  });

  it('resyncs the cache as updates on its period', async () => {
    const fake = createFakeTransport();
    const clock = createFakeClock();
    fake.seed(sas, sa('a', 'x'));
    const informer = createInformer({ client: createRestClient(fake).resource(core('serviceaccounts')), clock, resyncMs: 1000 });
    const updates: string[] = [];
    informer.addEventHandler({ update: (o, n) => updates.push(`${o === n}`) });
    informer.start();
    await informer.waitForSync();
    await clock.advance(1000);
    assert.deepEqual(updates, ['true']);
    informer.stop();
  });
});
