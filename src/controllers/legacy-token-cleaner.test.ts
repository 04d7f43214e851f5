import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createInformerFactory, type InformerFactory } from '../client/informer-factory.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from '../client/testing/fake-transport.js';
import { podSecretNames } from '../api/pod-references.js';
import { createLegacyTokenCleaner, decideLegacyToken, type CleanerDecision, type LegacyTokenCleaner } from './legacy-token-cleaner.js';
import { invalidSinceLabelKey, lastUsedLabelKey, serviceAccountNameKey, serviceAccountTokenType, trackingConfigMapName } from './tokens-shared.js';

const day = 24 * 3600 * 1000;
const period = 365 * day;
const now = Date.UTC(2027, 5, 15, 12, 0, 0); // 2027-06-15T12:00Z; cutoff 2026-06-15T12:00Z, cutoff date "2026-06-15"

function token(o: { created?: string; labels?: Record<string, string>; type?: string; deleting?: boolean; name?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: o.name ?? 'robot-token-abcde',
      namespace: 'default',
      uid: 'secret-uid',
      resourceVersion: '7',
      creationTimestamp: o.created ?? '2025-01-01T00:00:00Z',
      annotations: { [serviceAccountNameKey]: 'robot' },
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.deleting ? { deletionTimestamp: '2027-06-15T11:00:00Z' } : {}),
    },
    type: o.type ?? serviceAccountTokenType,
  };
}
const referencing: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default', uid: 'sa-uid' }, secrets: [{ name: 'robot-token-abcde' }] };
const notReferencing: KubeObject = { ...referencing, secrets: [{ name: 'other' }] };

describe('decideLegacyToken (upstream order of checks)', () => {
  const skip = (reason: string): CleanerDecision => ({ action: 'skip', reason });
  const cases: { name: string; secret: KubeObject; sa?: KubeObject; mounted?: string[]; want: CleanerDecision }[] = [
    { name: 'old, never used, referenced, unmounted: label', secret: token(), want: { action: 'label', invalidSince: '2027-06-15' } },
    { name: 'not a token', secret: token({ type: 'Opaque' }), want: skip('not a service account token') },
    { name: 'created exactly at the cutoff', secret: token({ created: '2026-06-15T12:00:00Z' }), want: skip('created within the clean-up period') },
    { name: 'created a second before the cutoff', secret: token({ created: '2026-06-15T11:59:59Z' }), want: { action: 'label', invalidSince: '2027-06-15' } },
    { name: 'being deleted', secret: token({ deleting: true }), want: skip('being deleted') },
    { name: 'last used on the cutoff date', secret: token({ labels: { [lastUsedLabelKey]: '2026-06-15' } }), want: skip('used within the clean-up period') },
    { name: 'last used the day before the cutoff', secret: token({ labels: { [lastUsedLabelKey]: '2026-06-14' } }), want: { action: 'label', invalidSince: '2027-06-15' } },
    { name: 'unparseable last-used', secret: token({ labels: { [lastUsedLabelKey]: '2026-6-14' } }), want: skip('last-used label is not a date') },
    { name: 'empty last-used label', secret: token({ labels: { [lastUsedLabelKey]: '' } }), want: skip('last-used label is not a date') },
    { name: 'account missing', secret: token(), sa: undefined, want: skip('not auto-generated') },
    { name: 'not in the account .secrets (manual token)', secret: token(), sa: notReferencing, want: skip('not auto-generated') },
    { name: 'mounted by a pod', secret: token(), mounted: ['robot-token-abcde'], want: skip('still used by pods') },
    { name: 'bad invalid-since is relabelled', secret: token({ labels: { [invalidSinceLabelKey]: 'yesterday' } }), want: { action: 'label', invalidSince: '2027-06-15' } },
    { name: 'invalid since the cutoff date', secret: token({ labels: { [invalidSinceLabelKey]: '2026-06-15' } }), want: skip('invalidated within the clean-up period') },
    { name: 'invalid since before the cutoff: delete', secret: token({ labels: { [invalidSinceLabelKey]: '2026-06-14' } }), want: { action: 'delete' } },
    { name: 'Feb 30 is not a date', secret: token({ labels: { [invalidSinceLabelKey]: '2026-02-30' } }), want: { action: 'label', invalidSince: '2027-06-15' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const sa = 'sa' in c ? c.sa : referencing;
      assert.deepEqual(decideLegacyToken({ secret: c.secret, serviceAccount: sa, mountedSecretNames: new Set(c.mounted ?? []), nowMs: now, cleanUpPeriodMs: period }), c.want);
    });
  }
});

describe('podSecretNames (VisitPodSecretNames)', () => {
  const cases: { name: string; spec: Record<string, unknown>; want: string[] }[] = [
    { name: 'imagePullSecrets', spec: { imagePullSecrets: [{ name: 'pull' }] }, want: ['pull'] },
    { name: 'env and envFrom in every container kind', spec: { initContainers: [{ envFrom: [{ secretRef: { name: 'a' } }] }], containers: [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'b', key: 'k' } } }] }], ephemeralContainers: [{ envFrom: [{ configMapRef: { name: 'cm' } }, { secretRef: { name: 'c' } }] }] }, want: ['a', 'b', 'c'] },
    { name: 'secret and projected volumes', spec: { volumes: [{ name: 'v', secret: { secretName: 's' } }, { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }, { secret: { name: 'ps' } }] } }] }, want: ['s', 'ps'] },
    { name: 'plugin volumes', spec: { volumes: [{ azureFile: { secretName: 'az' } }, { cephfs: { secretRef: { name: 'ceph' } } }, { csi: { driver: 'd', nodePublishSecretRef: { name: 'csi' } } }, { iscsi: { secretRef: { name: 'is' } } }] }, want: ['az', 'ceph', 'csi', 'is'] },
    { name: 'nothing', spec: { containers: [{ name: 'c' }], volumes: [{ name: 'e', emptyDir: {} }] }, want: [] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(podSecretNames({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: c.spec }), c.want));
});

describe('legacy token cleaner runs', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });
  const hour = 3600 * 1000;

  async function setup(since: string | undefined): Promise<{ t: FakeTransport; cleaner: LegacyTokenCleaner; clock: ReturnType<typeof createFakeClock>; informers: InformerFactory }> {
    const t = createFakeTransport();
    if (since !== undefined) t.seed('/api/v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: trackingConfigMapName, namespace: 'kube-system' }, data: { since } });
    t.seed('/api/v1/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'robot', namespace: 'default' }, secrets: [{ name: 'auto' }, { name: 'mounted' }] });
    for (const name of ['auto', 'mounted', 'manual']) {
      t.seed('/api/v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'default', annotations: { [serviceAccountNameKey]: 'robot' } }, type: serviceAccountTokenType });
    }
    t.seed('/api/v1/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { volumes: [{ name: 'v', secret: { secretName: 'mounted' } }] } });
    // Objects are created "now" (real time); the clock runs two hours later with a one-hour period.
    const clock = createFakeClock(Date.now() + 2 * hour);
    const client = createRestClient(t);
    const informers = createInformerFactory({ client, clock });
    const cleaner = createLegacyTokenCleaner({ informers, client, clock, cleanUpPeriodMs: hour });
    informers.start();
    stops.push(async () => {
      await cleaner.stop();
      informers.stop();
    });
    return { t, cleaner, clock, informers };
  }
  const labels = (t: FakeTransport, name: string) => t.get('/api/v1/secrets', name)?.metadata.labels ?? {};

  it('labels, keeps the label, then deletes only the unused auto-generated token', async () => {
    const { t, cleaner, clock } = await setup(new Date(Date.now() - 3 * day).toISOString().slice(0, 10));
    await cleaner.start();
    await clock.advance(10);
    const today = new Date(clock.now()).toISOString().slice(0, 10);
    assert.deepEqual(labels(t, 'auto'), { [invalidSinceLabelKey]: today });
    assert.deepEqual(labels(t, 'mounted'), {});
    assert.deepEqual(labels(t, 'manual'), {});
    const patches = () => t.requests.filter((r) => r.method === 'PATCH').length;
    await cleaner.evaluate();
    assert.equal(patches(), 1, 'an invalid-since label of today is kept');
    await clock.advance(2 * day); // the periodic runs (every 24 h) see the label older than the period
    assert.equal(t.get('/api/v1/secrets', 'auto'), undefined);
    assert.ok(t.get('/api/v1/secrets', 'mounted'));
    assert.ok(t.get('/api/v1/secrets', 'manual'));
    const del = t.requests.find((r) => r.method === 'DELETE')!;
    assert.ok(JSON.parse(del.body!).preconditions.resourceVersion);
  });

  const quiet: { name: string; since: string | undefined }[] = [
    { name: 'no tracking ConfigMap', since: undefined },
    { name: 'an unparseable since', since: 'not-a-date' },
    { name: 'tracking began less than a period ago (since = today)', since: new Date(Date.now() + 2 * hour).toISOString().slice(0, 10) },
  ];
  for (const c of quiet) {
    it(`does nothing with ${c.name}`, async () => {
      const { t, cleaner, clock } = await setup(c.since);
      await cleaner.start();
      await clock.advance(10);
      assert.equal(t.requests.filter((r) => r.method !== 'GET').length, 0);
    });
  }
});
