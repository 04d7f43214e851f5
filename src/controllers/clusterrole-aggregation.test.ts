import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import type { TransportRequest, TransportResponse } from '../client/transport.js';
import { createClusterRoleAggregationController } from './clusterrole-aggregation.js';
import { controllerTest, statusResponse, type ControllerTest } from './testing/setup.js';

const clusterRolesPath = '/apis/rbac.authorization.k8s.io/v1/clusterroles';
const applyType = 'application/apply-patch+yaml';

const hammer = [{ verbs: ['hammer'], resources: ['nails'] }];
const chisel = [{ verbs: ['chisel'], resources: ['mortises'] }];
const saw = [{ verbs: ['saw'], resources: ['boards'] }];
const nodes = [{ verbs: ['get'], resources: ['nodes'] }];

const role = (name: string, labels: Record<string, string>, rules: unknown[]): KubeObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels },
  rules,
});
const aggregated = (name: string, selectLabel: string, labels: Record<string, string> = {}, rules: unknown[] = []): KubeObject => ({
  ...role(name, labels, rules),
  aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selectLabel]: 'true' } }] },
});

/** The chain of the bootstrap policy: view -> edit -> admin. */
const chain = (): KubeObject[] => [
  aggregated('admin', 'aggregate-to-admin'),
  aggregated('edit', 'aggregate-to-edit', { 'aggregate-to-admin': 'true' }),
  aggregated('view', 'aggregate-to-view', { 'aggregate-to-edit': 'true' }),
  role('to-admin', { 'aggregate-to-admin': 'true' }, hammer),
  role('to-edit', { 'aggregate-to-edit': 'true' }, chisel),
  role('to-view', { 'aggregate-to-view': 'true' }, saw),
];

const rulesOf = (t: ControllerTest, name: string) => t.fake.get(clusterRolesPath, name)?.rules;

describe('ClusterRole aggregation controller', () => {
  const cases: {
    name: string;
    roles: KubeObject[];
    /** Answers for writes (PATCH or PUT) of clusterroles, in order (undefined: let the fake do it). */
    answers?: (TransportResponse | undefined)[];
    settleMs?: number;
    /** Writes expected, as `METHOD name` (absent: not checked). */
    wantWrites?: string[];
    wantRules: Record<string, unknown>;
  }[] = [
    {
      name: 'writes the aggregated rules of a role with an aggregationRule',
      roles: [aggregated('combined', 'foo'), role('b-chisel', { foo: 'true' }, chisel), role('a-hammer', { foo: 'true' }, hammer), role('saw', {}, saw)],
      wantWrites: ['PATCH combined'],
      wantRules: { combined: [...hammer, ...chisel], 'a-hammer': hammer, saw },
    },
    {
      name: 'removes rules no selected role grants',
      roles: [aggregated('combined', 'foo', {}, [...saw, ...hammer]), role('hammer', { foo: 'true' }, hammer)],
      wantWrites: ['PATCH combined'],
      wantRules: { combined: hammer },
    },
    {
      name: 'empties the rules when nothing is selected',
      roles: [aggregated('combined', 'foo', {}, saw)],
      wantWrites: ['PATCH combined'],
      wantRules: { combined: [] },
    },
    {
      name: 'does not write a role that already has its rules',
      roles: [aggregated('combined', 'foo', {}, hammer), role('hammer', { foo: 'true' }, hammer)],
      wantWrites: [],
      wantRules: { combined: hammer },
    },
    {
      name: 'never writes a role without an aggregationRule',
      roles: [role('plain', { foo: 'true' }, saw), role('other', {}, hammer)],
      wantWrites: [],
      wantRules: { plain: saw, other: hammer },
    },
    {
      name: 'converges a chain (view into edit into admin)',
      roles: chain(),
      wantRules: { view: saw, edit: [...chisel, ...saw], admin: [...chisel, ...saw, ...hammer], 'to-view': saw },
    },
    {
      name: 'falls back to an update when the server does not support apply (415)',
      roles: [aggregated('combined', 'foo'), role('hammer', { foo: 'true' }, hammer)],
      answers: [statusResponse(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format')],
      wantWrites: ['PATCH combined', 'PUT combined'],
      wantRules: { combined: hammer },
    },
    {
      name: 'a conflict requeues the role, which is written on the retry',
      roles: [aggregated('combined', 'foo'), role('hammer', { foo: 'true' }, hammer)],
      answers: [statusResponse(415, 'UnsupportedMediaType', 'unsupported'), statusResponse(409, 'Conflict', 'the object has been modified')],
      settleMs: 100,
      wantWrites: ['PATCH combined', 'PUT combined', 'PATCH combined'],
      wantRules: { combined: hammer },
    },
    {
      name: 'other errors are retried with backoff until they succeed',
      roles: [aggregated('combined', 'foo'), role('hammer', { foo: 'true' }, hammer)],
      answers: [statusResponse(500, 'InternalError', 'boom'), statusResponse(403, 'Forbidden', 'no')],
      settleMs: 100,
      wantWrites: ['PATCH combined', 'PATCH combined', 'PATCH combined'],
      wantRules: { combined: hammer },
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const t = controllerTest();
      for (const r of c.roles) t.fake.seed(clusterRolesPath, r);
      const answers = [...(c.answers ?? [])];
      t.fake.reactor = (req: TransportRequest) => (req.method !== 'GET' && req.path.startsWith(clusterRolesPath) && answers.length ? answers.shift() : undefined);
      const seededWrites = t.writes().length;
      await t.start(createClusterRoleAggregationController({ informers: t.informers, client: t.client, clock: t.clock }));
      await t.settle(c.settleMs ?? 0);
      const writes = t.writes().slice(seededWrites).map((w) => w.replace(`${clusterRolesPath}/`, ''));
      if (c.wantWrites) assert.deepEqual(writes.sort(), [...c.wantWrites].sort());
      else assert.ok(writes.every((w) => w.startsWith('PATCH ')), writes.join('\n'));
      for (const [name, rules] of Object.entries(c.wantRules)) assert.deepEqual(rulesOf(t, name), rules, name);
      await t.stop();
    });
  }

  it('applies exactly the rules, forced, as the field manager clusterrole-aggregation-controller', async () => {
    const t = controllerTest();
    t.fake.seed(clusterRolesPath, aggregated('combined', 'foo', { keep: 'me' }, saw));
    t.fake.seed(clusterRolesPath, role('hammer', { foo: 'true' }, hammer));
    await t.start(createClusterRoleAggregationController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle();
    const patches = t.fake.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1);
    const p = patches[0]!;
    assert.equal(p.contentType, applyType);
    assert.deepEqual(p.query, { fieldManager: 'clusterrole-aggregation-controller', dryRun: undefined, force: 'true' });
    assert.deepEqual(JSON.parse(p.body!), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'combined' }, rules: hammer });
    assert.deepEqual(t.fake.get(clusterRolesPath, 'combined')?.metadata.labels, { keep: 'me' }, 'only the rules are applied');
    await t.stop();
  });

  it('the update fallback keeps the rest of the object and sends its resourceVersion', async () => {
    const t = controllerTest();
    const seeded = t.fake.seed(clusterRolesPath, aggregated('combined', 'foo', { keep: 'me' }, saw));
    t.fake.seed(clusterRolesPath, role('hammer', { foo: 'true' }, hammer));
    t.fake.reactor = (req) => (req.method === 'PATCH' ? statusResponse(415, 'UnsupportedMediaType', 'unsupported') : undefined);
    await t.start(createClusterRoleAggregationController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle();
    const put = t.fake.requests.find((r) => r.method === 'PUT')!;
    const body = JSON.parse(put.body!) as KubeObject;
    assert.equal(put.query?.fieldManager, undefined, 'no field manager: the server derives it from the User-Agent');
    assert.equal(body.metadata.resourceVersion, seeded.metadata.resourceVersion);
    assert.equal(body.metadata.uid, seeded.metadata.uid);
    assert.deepEqual(body.aggregationRule, seeded.aggregationRule);
    assert.deepEqual(body.rules, hammer);
    await t.stop();
  });

  const changes: { name: string; change(t: ControllerTest): Promise<unknown>; wantRules: Record<string, unknown> }[] = [
    {
      name: 'a labelled role created later reaches view, edit and admin',
      change: async (t) => t.fake.seed(clusterRolesPath, role('node-viewer', { 'aggregate-to-view': 'true' }, nodes)),
      wantRules: { view: [...nodes, ...saw], edit: [...chisel, ...nodes, ...saw], admin: [...chisel, ...nodes, ...saw, ...hammer] },
    },
    {
      name: 'a selected role deleted later leaves view, edit and admin',
      change: (t) => t.fake.request({ method: 'DELETE', path: `${clusterRolesPath}/to-view` }),
      wantRules: { view: [], edit: chisel, admin: [...chisel, ...hammer] },
    },
    {
      name: 'a label removed later takes the role out',
      change: async (t) => {
        const r = structuredClone(t.fake.get(clusterRolesPath, 'to-edit')!);
        r.metadata.labels = {};
        return t.fake.request({ method: 'PUT', path: `${clusterRolesPath}/to-edit`, body: JSON.stringify(r) });
      },
      wantRules: { edit: saw, admin: [...saw, ...hammer] },
    },
    {
      name: 'rules edited by hand in an aggregated role are put back',
      change: async (t) => {
        const r = structuredClone(t.fake.get(clusterRolesPath, 'edit')!);
        r.rules = [{ verbs: ['*'], resources: ['*'] }];
        return t.fake.request({ method: 'PUT', path: `${clusterRolesPath}/edit`, body: JSON.stringify(r) });
      },
      wantRules: { edit: [...chisel, ...saw], admin: [...chisel, ...saw, ...hammer] },
    },
  ];
  for (const c of changes) {
    it(c.name, async () => {
      const t = controllerTest();
      for (const r of chain()) t.fake.seed(clusterRolesPath, r);
      await t.start(createClusterRoleAggregationController({ informers: t.informers, client: t.client, clock: t.clock }));
      await t.settle();
      assert.deepEqual(rulesOf(t, 'admin'), [...chisel, ...saw, ...hammer], 'converged before the change');
      await c.change(t);
      await t.settle();
      for (const [name, rules] of Object.entries(c.wantRules)) assert.deepEqual(rulesOf(t, name), rules, name);
      await t.stop();
    });
  }

  it('a role deleted while queued is not written (nor recreated)', async () => {
    const t = controllerTest();
    t.fake.seed(clusterRolesPath, aggregated('combined', 'foo'));
    t.fake.seed(clusterRolesPath, role('hammer', { foo: 'true' }, hammer));
    let calls = 0;
    // The first write fails; meanwhile the role is deleted, so the retry finds nothing to do.
    t.fake.reactor = (req) => (req.method === 'PATCH' && calls++ === 0 ? statusResponse(500, 'InternalError', 'boom') : undefined);
    await t.start(createClusterRoleAggregationController({ informers: t.informers, client: t.client, clock: t.clock }));
    await t.settle();
    await t.fake.request({ method: 'DELETE', path: `${clusterRolesPath}/combined` });
    await t.settle(100);
    assert.equal(calls, 1);
    assert.equal(t.fake.get(clusterRolesPath, 'combined'), undefined);
    await t.stop();
  });
});
