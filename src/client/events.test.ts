import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createEventRecorder } from './events.js';
import { createRestClient } from './rest-client.js';
import { createFakeClock } from './testing/fake-clock.js';
import { createFakeTransport } from './testing/fake-transport.js';

describe('event recorder', () => {
  const cases = [
    {
      name: 'a namespaced object: the event sits in its namespace',
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a', uid: 'u1', resourceVersion: '7' } },
      wantNamespace: 'a',
      wantInvolved: { kind: 'ConfigMap', namespace: 'a', name: 'c', uid: 'u1', apiVersion: 'v1', resourceVersion: '7' },
    },
    {
      name: 'a cluster-scoped object: the event sits in "default"',
      obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone', uid: 'u2' } },
      wantNamespace: 'default',
      wantInvolved: { kind: 'Namespace', name: 'gone', uid: 'u2', apiVersion: 'v1' },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const fake = createFakeTransport();
      const clock = createFakeClock(Date.UTC(2026, 0, 2, 3, 4, 5));
      const recorder = createEventRecorder({ client: createRestClient(fake), component: 'test-controller', clock });
      recorder.event(c.obj, 'Warning', 'FailedCreate', 'it broke');
      await recorder.flush();
      const [ev] = fake.list(`/api/v1/namespaces/${c.wantNamespace}/events`);
      assert.ok(ev, 'event created');
      assert.match(ev.metadata.name!, new RegExp(`^${c.obj.metadata.name}\\.[0-9a-f]+$`));
      assert.deepEqual(JSON.parse(JSON.stringify(ev.involvedObject)), c.wantInvolved);
      assert.equal(ev.reason, 'FailedCreate');
      assert.equal(ev.message, 'it broke');
      assert.equal(ev.type, 'Warning');
      assert.equal(ev.count, 1);
      assert.equal(ev.firstTimestamp, '2026-01-02T03:04:05Z');
      assert.deepEqual(ev.source, { component: 'test-controller' });
    });
  }

  it('a repeat increments count on the same Event', async () => {
    const fake = createFakeTransport();
    const clock = createFakeClock(Date.UTC(2026, 0, 2));
    const recorder = createEventRecorder({ client: createRestClient(fake), component: 'c', clock });
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a', uid: 'u' } };
    recorder.event(obj, 'Warning', 'R', 'm');
    await recorder.flush();
    await clock.advance(60_000);
    recorder.event(obj, 'Warning', 'R', 'm');
    await recorder.flush();
    const events = fake.list('/api/v1/namespaces/a/events');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.count, 2);
    assert.equal(events[0]!.lastTimestamp, '2026-01-02T00:01:00Z');
    recorder.event(obj, 'Warning', 'R', 'another message');
    await recorder.flush();
    assert.equal(fake.list('/api/v1/namespaces/a/events').length, 2);
  });

  it('never throws when the server refuses', async () => {
    const fake = createFakeTransport();
    fake.reactor = () => ({ status: 403, body: '{"kind":"Status","code":403,"reason":"Forbidden","message":"no"}' });
    const logged: string[] = [];
    const recorder = createEventRecorder({ client: createRestClient(fake), component: 'c', log: (m) => logged.push(m) });
    recorder.event({ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' } }, 'Normal', 'R', 'm');
    await recorder.flush();
    assert.equal(logged.length, 1);
  });
});
