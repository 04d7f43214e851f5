import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TransportRequest, TransportResponse } from '../client/transport.js';
import { createServiceAccountsController } from './serviceaccounts.js';
import { activeNamespace, controllerTest, namespacesPath, nsPath, statusResponse } from './testing/setup.js';

const terminating = { reason: 'NamespaceTerminating', message: 'unable to create new content in namespace x because it is being terminated' };

describe('ServiceAccounts controller', () => {
  const cases: {
    name: string;
    namespaces: ReturnType<typeof activeNamespace>[];
    accounts?: string[];
    /** Answers for POSTs of serviceaccounts, in order (undefined: let the fake create it). */
    createAnswers?: (TransportResponse | undefined)[];
    settleMs?: number;
    wantCreates: number;
    wantAccounts: string[];
  }[] = [
    { name: 'creates default in an Active namespace', namespaces: [activeNamespace('a')], wantCreates: 1, wantAccounts: ['a/default'] },
    { name: 'leaves an existing default alone', namespaces: [activeNamespace('a')], accounts: ['a'], wantCreates: 0, wantAccounts: ['a/default'] },
    { name: 'does nothing in a Terminating namespace', namespaces: [activeNamespace('t', { deletionTimestamp: '2026-01-01T00:00:00Z' })], wantCreates: 0, wantAccounts: [] },
    { name: 'AlreadyExists is success', namespaces: [activeNamespace('a')], createAnswers: [statusResponse(409, 'AlreadyExists', 'serviceaccounts "default" already exists')], settleMs: 2000, wantCreates: 1, wantAccounts: [] },
    { name: 'NamespaceTerminating is success', namespaces: [activeNamespace('a')], createAnswers: [statusResponse(403, 'Forbidden', terminating.message, [terminating])], settleMs: 2000, wantCreates: 1, wantAccounts: [] },
    {
      name: 'other errors are retried with backoff until they succeed',
      namespaces: [activeNamespace('a')],
      createAnswers: [statusResponse(500, 'InternalError', 'boom'), statusResponse(409, 'Conflict', 'conflict')],
      settleMs: 100,
      wantCreates: 3,
      wantAccounts: ['a/default'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = controllerTest();
      for (const ns of c.namespaces) t.fake.seed(namespacesPath, ns);
      for (const ns of c.accounts ?? []) t.fake.seed(nsPath(ns, 'serviceaccounts'), { metadata: { name: 'default', namespace: ns } });
      const answers = [...(c.createAnswers ?? [])];
      t.fake.reactor = (req: TransportRequest) => (req.method === 'POST' && req.path.endsWith('/serviceaccounts') && answers.length ? answers.shift() : undefined);
      const seededWrites = t.writes().length;
      await t.start(createServiceAccountsController({ informers: t.informers, client: t.client, clock: t.clock }));
      await t.settle(c.settleMs ?? 0);
      const creates = t.writes().slice(seededWrites).filter((w) => w.startsWith('POST'));
      assert.equal(creates.length, c.wantCreates, creates.join('\n'));
      const accounts = t.fake.list('/api/v1/serviceaccounts').map((sa) => `${sa.metadata.namespace}/${sa.metadata.name}`);
      assert.deepEqual(accounts.sort(), c.wantAccounts);
      await t.stop();
    });
  }

  it('recreates a deleted default account, with a new uid', async () => {
    const t = controllerTest();
    t.fake.seed(namespacesPath, activeNamespace('a'));
    await t.start(createServiceAccountsController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle();
    const first = t.fake.get(nsPath('a', 'serviceaccounts'), 'default')!;
    await t.fake.request({ method: 'DELETE', path: `${nsPath('a', 'serviceaccounts')}/default` });
    await t.settle();
    const second = t.fake.get(nsPath('a', 'serviceaccounts'), 'default');
    assert.ok(second);
    assert.notEqual(second.metadata.uid, first.metadata.uid);
    assert.deepEqual(Object.keys(second).sort(), ['apiVersion', 'kind', 'metadata']);
    await t.stop();
  });

  it('handles namespaces added after start', async () => {
    const t = controllerTest();
    await t.start(createServiceAccountsController({ informers: t.informers, client: t.client, clock: t.clock }));
    t.fake.seed(namespacesPath, activeNamespace('late'));
    await t.settle();
    assert.ok(t.fake.get(nsPath('late', 'serviceaccounts'), 'default'));
    await t.stop();
  });
});
