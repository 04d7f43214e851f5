import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport } from '../client/testing/fake-transport.js';
import { createReferencedObjects, volumeReferences } from './agent-objects.js';

const cmPath = '/api/v1/namespaces/ns/configmaps';

describe('referenced objects', () => {
  it("lists the ConfigMaps and Secrets of a pod's volumes, once each", () => {
    const pod = {
      metadata: { name: 'p', namespace: 'ns' },
      spec: {
        volumes: [
          { name: 'a', secret: { secretName: 's1' } },
          { name: 'b', configMap: { name: 'c1' } },
          { name: 'c', projected: { sources: [{ configMap: { name: 'c1' } }, { secret: { name: 's2' } }, { serviceAccountToken: { path: 't' } }] } },
          { name: 'd', emptyDir: {} },
        ],
      },
    };
    assert.deepEqual(volumeReferences(pod), [
      { resource: 'secrets', namespace: 'ns', name: 's1' },
      { resource: 'configmaps', namespace: 'ns', name: 'c1' },
      { resource: 'secrets', namespace: 'ns', name: 's2' },
    ]);
  });

  it('watches each object once by metadata.name, shared by its owners, and tells them of changes', async () => {
    const transport = createFakeTransport();
    const clock = createFakeClock();
    const changes: string[][] = [];
    const objects = createReferencedObjects({ client: createRestClient(transport), clock, onChange: (owners) => changes.push(owners.sort()) });
    const ref = { resource: 'configmaps' as const, namespace: 'ns', name: 'x' };
    assert.equal(await objects.get('configmaps', 'ns', 'x'), undefined, 'not found, by a GET before any watch');
    objects.setReferences('pod-a', [ref]);
    objects.setReferences('pod-b', [ref]);
    assert.equal(objects.watched, 1);
    await clock.advance(0);
    const list = transport.requests.find((r) => r.method === 'GET' && r.path === cmPath && !r.query?.watch);
    assert.equal(list?.query?.fieldSelector, 'metadata.name=x');
    transport.seed(cmPath, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { k: 'v' } });
    await clock.advance(0);
    assert.deepEqual(changes, [['pod-a', 'pod-b']]);
    assert.deepEqual((await objects.get('configmaps', 'ns', 'x'))?.data, { k: 'v' });
    const gets = transport.requests.filter((r) => r.path === `${cmPath}/x`).length;
    await objects.get('configmaps', 'ns', 'x');
    assert.equal(transport.requests.filter((r) => r.path === `${cmPath}/x`).length, gets, 'answered from the watch');
    objects.release('pod-a');
    assert.equal(objects.watched, 1);
    objects.setReferences('pod-b', []);
    assert.equal(objects.watched, 0, 'the last owner let go');
    objects.stop();
  });
});
