import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createRootCaPublisher, descriptionAnnotation, rootCaConfigMapName, rootCaDescription } from './root-ca-publisher.js';
import { activeNamespace, controllerTest, namespacesPath, nsPath, statusResponse } from './testing/setup.js';

const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const cm = (data: Record<string, string>, annotations?: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: rootCaConfigMapName, annotations, labels },
  data,
});

describe('root CA publisher', () => {
  const cases: { name: string; existing?: KubeObject; namespace?: KubeObject; want: 'create' | 'update' | 'none'; wantAnnotations?: Record<string, string>; wantLabels?: Record<string, string> }[] = [
    { name: 'creates the ConfigMap when missing', want: 'create', wantAnnotations: { [descriptionAnnotation]: rootCaDescription } },
    { name: 'leaves a correct ConfigMap alone', existing: cm({ 'ca.crt': ca }, { [descriptionAnnotation]: 'anything' }), want: 'none' },
    {
      name: 'rewrites data with an extra key, keeping other annotations and labels',
      existing: cm({ 'ca.crt': ca, extra: 'x' }, { [descriptionAnnotation]: 'd', mine: 'kept' }, { l: 'v' }),
      want: 'update',
      wantAnnotations: { [descriptionAnnotation]: rootCaDescription, mine: 'kept' },
      wantLabels: { l: 'v' },
    },
    { name: 'rewrites an emptied ca.crt', existing: cm({ 'ca.crt': '' }, { [descriptionAnnotation]: rootCaDescription }), want: 'update' },
    { name: 'adds a missing description', existing: cm({ 'ca.crt': ca }), want: 'update', wantAnnotations: { [descriptionAnnotation]: rootCaDescription } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = controllerTest();
      t.fake.seed(namespacesPath, c.namespace ?? activeNamespace('a'));
      if (c.existing) t.fake.seed(nsPath('a', 'configmaps'), c.existing);
      const before = t.writes().length;
      await t.start(createRootCaPublisher({ informers: t.informers, client: t.client, rootCa: ca, clock: t.clock }));
      await t.settle();
      const writes = t.writes().slice(before);
      const expected = { create: ['POST /api/v1/namespaces/a/configmaps'], update: [`PUT /api/v1/namespaces/a/configmaps/${rootCaConfigMapName}`], none: [] }[c.want];
      assert.deepEqual(writes, expected);
      const got = t.fake.get(nsPath('a', 'configmaps'), rootCaConfigMapName)!;
      assert.deepEqual(got.data, { 'ca.crt': ca });
      if (c.wantAnnotations) assert.deepEqual(got.metadata.annotations, c.wantAnnotations);
      if (c.wantLabels) assert.deepEqual(got.metadata.labels, c.wantLabels);
      await t.stop();
    });
  }

  it('recreates the ConfigMap after deletion and reconciles an edit', async () => {
    const t = controllerTest();
    t.fake.seed(namespacesPath, activeNamespace('a'));
    await t.start(createRootCaPublisher({ informers: t.informers, client: t.client, rootCa: ca, clock: t.clock }));
    await t.settle();
    await t.fake.request({ method: 'DELETE', path: `${nsPath('a', 'configmaps')}/${rootCaConfigMapName}` });
    await t.settle();
    const recreated = t.fake.get(nsPath('a', 'configmaps'), rootCaConfigMapName)!;
    assert.deepEqual(recreated.data, { 'ca.crt': ca });
    await t.fake.request({ method: 'PATCH', path: `${nsPath('a', 'configmaps')}/${rootCaConfigMapName}`, body: JSON.stringify({ data: { 'ca.crt': '' } }) });
    await t.settle();
    assert.deepEqual(t.fake.get(nsPath('a', 'configmaps'), rootCaConfigMapName)!.data, { 'ca.crt': ca });
    await t.stop();
  });

  it('gives up silently in a terminating namespace; retries other failures', async () => {
    const t = controllerTest();
    t.fake.seed(namespacesPath, activeNamespace('a'));
    const cause = { reason: 'NamespaceTerminating', message: 'being terminated' };
    const answers = [statusResponse(403, 'Forbidden', 'being terminated', [cause])];
    t.fake.reactor = (req) => (req.method === 'POST' ? answers.shift() : undefined);
    await t.start(createRootCaPublisher({ informers: t.informers, client: t.client, rootCa: ca, clock: t.clock }));
    await t.settle(5000);
    assert.equal(t.writes().filter((w) => w.startsWith('POST /api/v1/namespaces/a/configmaps')).length, 1);
    assert.equal(t.fake.get(nsPath('a', 'configmaps'), rootCaConfigMapName), undefined);

    answers.push(statusResponse(500, 'InternalError', 'boom'));
    t.fake.seed(namespacesPath, activeNamespace('b'));
    await t.settle(100);
    assert.equal(t.writes().filter((w) => w.startsWith('POST /api/v1/namespaces/b/configmaps')).length, 2, 'retried after the 500');
    assert.ok(t.fake.get(nsPath('b', 'configmaps'), rootCaConfigMapName));
    await t.stop();
  });
});
