/**
 * The official JavaScript client (@kubernetes/client-node 1.4.0) against the real server:
 * create, JSON patch (its default), list, Watch (Accept: star/star, no resourceVersion: initial
 * ADDED events), informer-style list+watch, delete, and ApiException on a 404.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startServer } from './harness.js';

describe('@kubernetes/client-node', () => {
  it('works against the server as written', async () => {
    const server = await startServer();
    try {
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(server.kubeconfig);
      const core = kc.makeApiClient(k8s.CoreV1Api);
      const created = await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'node-sa' } } });
      assert.equal(created.metadata?.name, 'node-sa');
      assert.ok(created.metadata?.creationTimestamp instanceof Date);
      await core.patchNamespacedServiceAccount({ name: 'node-sa', namespace: 'default', body: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }] });
      const list = await core.listNamespacedServiceAccount({ namespace: 'default' });
      // The namespace's "default" account (made by the ServiceAccounts controller) is not this test's.
      const ours = list.items.filter((i) => i.metadata?.name !== 'default');
      assert.deepEqual(ours.map((i) => [i.metadata?.name, i.metadata?.labels]), [['node-sa', { a: 'b' }]]);

      const seen: string[] = [];
      const watcher = new k8s.Watch(kc);
      let done!: () => void;
      const twoEvents = new Promise<void>((r) => (done = r));
      const req = await watcher.watch('/api/v1/namespaces/default/serviceaccounts', { allowWatchBookmarks: true }, (type, obj) => {
        if (type === 'BOOKMARK' || obj.metadata.name === 'default') return;
        seen.push(`${type} ${obj.metadata.name}`);
        if (seen.length === 2) done();
      }, () => {});
      await core.createNamespacedServiceAccount({ namespace: 'default', body: { metadata: { name: 'second' } } });
      await twoEvents;
      req.abort();
      assert.deepEqual(seen, ['ADDED node-sa', 'ADDED second']);

      const deleted = await core.deleteNamespacedServiceAccount({ name: 'node-sa', namespace: 'default' });
      assert.equal((deleted as { metadata?: { name?: string } }).metadata?.name, 'node-sa');
      await assert.rejects(core.readNamespacedServiceAccount({ name: 'node-sa', namespace: 'default' }), (e: unknown) => {
        const err = e as { code?: number; body?: string };
        assert.equal(err.code, 404);
        assert.equal(JSON.parse(err.body!).message, 'serviceaccounts "node-sa" not found');
        return true;
      });
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
