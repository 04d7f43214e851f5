import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInformerFactory } from '../client/informer-factory.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport } from '../client/testing/fake-transport.js';
import { createControllerManager, type ControllerIdentity } from './manager.js';
import { activeNamespace, namespacesPath, nsPath } from './testing/setup.js';

describe('controller manager', () => {
  const all = [
    'serviceaccount-controller',
    'root-ca-certificate-publisher-controller',
    'namespace-controller',
    'garbage-collector-controller',
    'clusterrole-aggregation-controller',
    'node-lifecycle-controller',
    'scheduler',
  ];
  const cases: { controllers?: string[]; want: string[] }[] = [
    { want: all },
    { controllers: ['*'], want: all },
    {
      controllers: ['*', '-garbage-collector-controller', '-namespace'],
      want: ['serviceaccount-controller', 'root-ca-certificate-publisher-controller', 'clusterrole-aggregation-controller', 'node-lifecycle-controller', 'scheduler'],
    },
    { controllers: ['*', '-nodelifecycle', '-scheduler'], want: all.slice(0, 5) },
    { controllers: ['nodelifecycle', 'scheduler'], want: ['node-lifecycle-controller', 'scheduler'] },
    { controllers: ['serviceaccount-controller'], want: ['serviceaccount-controller'] },
    { controllers: ['*', '-clusterrole-aggregation'], want: all.filter((n) => n !== 'clusterrole-aggregation-controller') },
    { controllers: ['clusterrole-aggregation'], want: ['clusterrole-aggregation-controller'] },
    { controllers: ['nothing-known'], want: [] },
  ];
  for (const c of cases) {
    it(`--controllers=${c.controllers?.join(',') ?? '(default)'}`, async () => {
      const fake = createFakeTransport();
      const users: string[] = [];
      const manager = createControllerManager({
        clientFor: (id: ControllerIdentity) => {
          users.push(id.user);
          return createRestClient(fake);
        },
        rootCa: 'ca',
        controllers: c.controllers,
        clock: createFakeClock(),
      });
      await manager.start();
      assert.deepEqual(manager.names, c.want);
      assert.equal(users[0], 'system:kube-controller-manager', 'informers run as the controller manager');
      assert.equal(users.length, 1 + c.want.length, 'one client per controller identity');
      await manager.stop();
    });
  }

  it('runs the controllers with each its own identity', async () => {
    const fake = createFakeTransport();
    const clock = createFakeClock();
    fake.seed(namespacesPath, activeNamespace('a'));
    const users: string[] = [];
    const manager = createControllerManager({
      clientFor: (id) => {
        users.push(id.user);
        return createRestClient(fake);
      },
      rootCa: 'ca',
      controllers: ['serviceaccount-controller', 'root-ca-certificate-publisher-controller'],
      clock,
    });
    await manager.start();
    await manager.synced();
    await clock.advance(10);
    assert.ok(fake.get(nsPath('a', 'serviceaccounts'), 'default'));
    assert.deepEqual(fake.get(nsPath('a', 'configmaps'), 'kube-root-ca.crt')?.data, { 'ca.crt': 'ca' });
    assert.deepEqual(users, [
      'system:kube-controller-manager',
      'system:serviceaccount:kube-system:service-account-controller',
      'system:serviceaccount:kube-system:root-ca-cert-publisher',
    ]);
    await manager.stop();
  });

  it('runs the scheduler as system:kube-scheduler and the node lifecycle controller as node-controller', async () => {
    const fake = createFakeTransport();
    const ids: ControllerIdentity[] = [];
    const manager = createControllerManager({
      clientFor: (id) => {
        ids.push(id);
        return createRestClient(fake);
      },
      rootCa: 'ca',
      controllers: ['scheduler', 'node-lifecycle-controller'],
      clock: createFakeClock(),
      nodeLifecycle: { gracePeriodMs: 1000 },
    });
    await manager.start();
    assert.deepEqual(ids.slice(1).map((id) => [id.user, id.groups]), [
      ['system:serviceaccount:kube-system:node-controller', ['system:serviceaccounts', 'system:serviceaccounts:kube-system']],
      ['system:kube-scheduler', []],
    ]);
    await manager.stop();
  });

  it('uses shared informers given by the caller, starting them and leaving them running', async () => {
    const fake = createFakeTransport();
    const clock = createFakeClock();
    fake.seed(namespacesPath, activeNamespace('a'));
    const informers = createInformerFactory({ client: createRestClient(fake), clock });
    const users: string[] = [];
    const manager = createControllerManager({
      clientFor: (id) => {
        users.push(id.user);
        return createRestClient(fake);
      },
      informers,
      rootCa: 'ca',
      controllers: ['serviceaccount-controller'],
      clock,
    });
    await manager.start();
    await manager.synced();
    await clock.advance(10);
    assert.ok(fake.get(nsPath('a', 'serviceaccounts'), 'default'), 'the controller ran on the shared informers');
    assert.deepEqual(users, ['system:serviceaccount:kube-system:service-account-controller'], 'no informer client of its own');
    await manager.stop();
    const namespaces = informers.informer({ group: '', version: 'v1', resource: 'namespaces' });
    fake.seed(namespacesPath, activeNamespace('b'));
    await clock.advance(10);
    assert.ok(namespaces.lister.get('', 'b'), 'the shared informers still run after the manager stopped');
    informers.stop();
  });
});
