import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createInformerFactory } from '../client/informer-factory.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock, type FakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from '../client/testing/fake-transport.js';
import { createLegacyTokenTrackingController } from './legacy-token-tracking.js';
import { createLegacyTokenUsageRecorder } from './legacy-token-usage.js';
import { lastUsedLabelKey, parseDate, trackingConfigMapName } from './tokens-shared.js';

const CM = '/api/v1/configmaps';
const start = Date.UTC(2027, 2, 10, 23, 59, 0); // 2027-03-10T23:59Z

describe('legacy token tracking ConfigMap', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0)) await s();
  });

  async function run(seed?: Record<string, string>): Promise<{ t: FakeTransport; clock: FakeClock }> {
    const t = createFakeTransport();
    if (seed) t.seed(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: trackingConfigMapName, namespace: 'kube-system' }, data: seed });
    const clock = createFakeClock(start);
    const client = createRestClient(t);
    const informers = createInformerFactory({ client, clock });
    const c = createLegacyTokenTrackingController({ informers, client, clock });
    informers.start();
    await c.start();
    stops.push(async () => {
      await c.stop();
      informers.stop();
    });
    await clock.advance(10);
    return { t, clock };
  }
  const since = (t: FakeTransport) => (t.get(CM, trackingConfigMapName)?.data as Record<string, string> | undefined)?.since;

  const cases: { name: string; seed?: Record<string, string>; want: string; writes: number }[] = [
    { name: 'creates it with today (UTC) when missing', want: '2027-03-10', writes: 1 },
    { name: 'keeps a valid date', seed: { since: '2024-01-02' }, want: '2024-01-02', writes: 0 },
    { name: 'rewrites an unparseable date', seed: { since: '2024-13-01' }, want: '2027-03-10', writes: 1 },
    { name: 'adds a missing since', seed: { other: 'x' }, want: '2027-03-10', writes: 1 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const { t } = await run(c.seed);
      assert.equal(since(t), c.want);
      assert.equal(t.requests.filter((r) => r.method !== 'GET').length, c.writes);
    });
  }

  it('re-creates a deleted ConfigMap at most once per 30 minutes', async () => {
    const { t, clock } = await run();
    await t.request({ method: 'DELETE', path: `/api/v1/namespaces/kube-system/configmaps/${trackingConfigMapName}` });
    await clock.advance(29 * 60_000);
    assert.equal(since(t), undefined);
    await clock.advance(60_000 + 10);
    assert.equal(since(t), '2027-03-11');
  });
});

describe('legacy token usage recorder (last-used label)', () => {
  const secret = (labels?: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns', ...(labels ? { labels } : {}) }, type: 'kubernetes.io/service-account-token' });
  const cases: { name: string; label?: string; patched: boolean }[] = [
    { name: 'no label: patched', patched: true },
    { name: "today's date: left alone", label: '2027-03-10', patched: false },
    { name: "tomorrow's date: left alone", label: '2027-03-11', patched: false },
    { name: "yesterday's date: patched", label: '2027-03-09', patched: true },
    { name: 'garbage: patched', label: 'x', patched: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = createFakeTransport();
      const uid = t.seed('/api/v1/secrets', secret(c.label ? { [lastUsedLabelKey]: c.label } : undefined)).metadata.uid!;
      const r = createLegacyTokenUsageRecorder({ client: createRestClient(t), clock: createFakeClock(start) });
      r.record('ns', 's', c.label ? { [lastUsedLabelKey]: c.label } : undefined, uid);
      await r.flush();
      const patches = t.requests.filter((q) => q.method === 'PATCH');
      assert.equal(patches.length, c.patched ? 1 : 0);
      if (c.patched) {
        assert.deepEqual(JSON.parse(patches[0]!.body!), { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', namespace: 'ns', uid, labels: { [lastUsedLabelKey]: '2027-03-10' } } });
        assert.equal(patches[0]!.contentType, 'application/merge-patch+json');
        assert.equal(t.get('/api/v1/secrets', 's')!.metadata.labels?.[lastUsedLabelKey], '2027-03-10');
      }
    });
  }

  it('sends one patch per Secret and day however often the token is used, and retries after a failure', async () => {
    const t = createFakeTransport();
    t.seed('/api/v1/secrets', secret());
    const clock = createFakeClock(start);
    const r = createLegacyTokenUsageRecorder({ client: createRestClient(t), clock });
    let fail = true;
    t.reactor = (req) => (req.method === 'PATCH' && fail ? { status: 500, body: '{"kind":"Status","code":500,"message":"boom"}' } : undefined);
    r.record('ns', 's');
    await r.flush();
    fail = false;
    for (let i = 0; i < 5; i++) r.record('ns', 's');
    await r.flush();
    assert.equal(t.requests.filter((q) => q.method === 'PATCH').length, 2);
    await clock.advance(2 * 60_000); // next UTC day
    r.record('ns', 's', { [lastUsedLabelKey]: '2027-03-10' });
    await r.flush();
    assert.equal(t.requests.filter((q) => q.method === 'PATCH').length, 3);
    assert.equal(t.get('/api/v1/secrets', 's')!.metadata.labels?.[lastUsedLabelKey], '2027-03-11');
  });

  it('parseDate accepts exactly Go time.Parse("2006-01-02")', () => {
    const table: [string, boolean][] = [['2027-03-10', true], ['2024-02-29', true], ['2023-02-29', false], ['2027-3-10', false], ['2027-03-10 ', false], ['', false], ['0000-01-01', true]];
    for (const [s, ok] of table) assert.equal(parseDate(s) !== undefined, ok, s);
  });
});
