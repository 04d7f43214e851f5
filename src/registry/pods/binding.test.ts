import { describe, it, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { StatusError } from '../../api/status.js';
import { createAdmissionChain, type AdmissionAttributes } from '../../admission/types.js';
import { createMemoryBackend } from '../../storage/memory/memory-backend.js';
import { Store } from '../store.js';
import type { CacheEvent } from '../watch-cache.js';
import { createBindingREST, setPodScheduled, type BindingREST } from './binding.js';
import { podStrategy } from './strategy.js';

const now = Date.UTC(2026, 11, 3, 8, 0, 0);
const user = { username: 'system:kube-scheduler', groups: ['system:authenticated'] };
const ctx = { user, dryRun: false };
const pod = (name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, ...meta },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});
const binding = (name: string, node: string, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Binding',
  metadata: { name, ...extra },
  target: { kind: 'Node', name: node },
});

async function rejects(p: Promise<unknown>, code: number, message: string, reason?: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    if (reason !== undefined) assert.equal(e.reason, reason);
    return;
  }
  assert.fail('expected rejection');
}

describe('pods/binding (BindingREST)', () => {
  let pods: Store;
  let rest: BindingREST;
  beforeEach(async () => {
    pods = new Store({ backend: createMemoryBackend(), strategy: podStrategy, now: () => now });
    await pods.start();
    rest = createBindingREST({ pods, now: () => now + 5000 });
    await pods.create('default', pod('web'), ctx);
  });

  it('sets spec.nodeName, merges annotations, appends PodScheduled=True and answers Success 201', async () => {
    const events: CacheEvent[] = [];
    const stop = pods.cache.watch(pods.cache.revision, { onEvent: (e) => events.push(e), onError: () => {} });
    const out = await rest.create('default', 'web', binding('web', 'n1', { annotations: { 'a/b': 'c' } }), ctx);
    if (typeof stop === 'function') stop();
    assert.deepEqual(out, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const got = pods.get('default', 'web');
    assert.equal((got.spec as { nodeName: string }).nodeName, 'n1');
    assert.deepEqual(got.metadata.annotations, { 'a/b': 'c' });
    assert.deepEqual((got.status as { conditions: unknown[] }).conditions, [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-12-03T08:00:05Z' },
    ]);
    assert.deepEqual(events.map((e) => e.type), ['MODIFIED'], 'watchers see the bind');
  });

  const failures: Array<[string, () => Promise<unknown>, number, string, string?]> = [
    ['rebinding', async () => {
      await rest.create('default', 'web', binding('web', 'n1'), ctx);
      return rest.create('default', 'web', binding('web', 'n2'), ctx);
    }, 409, 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n1"', 'Conflict'],
    ['missing pod', () => rest.create('default', 'nope', binding('nope', 'n1'), ctx), 404, 'pods "nope" not found', 'NotFound'],
    ['name mismatch', () => rest.create('default', 'web', binding('other', 'n1'), ctx), 400, 'name in URL does not match name in Binding object'],
    ['no name in the body', () => rest.create('default', 'web', { metadata: {}, target: { name: 'n1' } }, ctx), 400, 'name in URL does not match name in Binding object'],
    ['namespace mismatch', () => rest.create('default', 'web', binding('web', 'n1', { namespace: 'x' }), ctx), 400,
      'the namespace of the provided object does not match the namespace sent on the request'],
    ['no target name', () => rest.create('default', 'web', { metadata: { name: 'web' }, target: {} }, ctx), 500, 'target.name: Required value', ''],
    ['target kind Pod', () => rest.create('default', 'web', { metadata: { name: 'web' }, target: { kind: 'Pod' } }, ctx), 500,
      '[target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>", target.name: Required value]', ''],
    ['uid precondition', () => rest.create('default', 'web', binding('web', 'n1', { uid: 'u-1' }), ctx), 409,
      `Operation cannot be fulfilled on pods "web": Precondition failed: UID in precondition: u-1, UID in object meta: <uid>`],
    ['scheduling gates', async () => {
      await pods.create('default', pod('gated', { schedulingGates: [{ name: 'wait' }] }), ctx);
      return rest.create('default', 'gated', binding('gated', 'n1'), ctx);
    }, 409, 'Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates'],
  ];
  for (const [title, run, code, message, reason] of failures) {
    it(title, async () => {
      const uid = pods.get('default', 'web').metadata.uid!;
      await rejects(run(), code, message.replace('<uid>', uid), reason);
    });
  }

  it('a pod being deleted cannot be bound', async () => {
    await pods.create('default', pod('going', {}, { finalizers: ['x/y'] }), ctx);
    await pods.delete('default', 'going', {}, ctx);
    await rejects(rest.create('default', 'going', binding('going', 'n1'), ctx), 409,
      'Operation cannot be fulfilled on pods/binding "going": pod going is being deleted, cannot be assigned to a host');
  });

  it('matching uid and resourceVersion preconditions bind', async () => {
    const p = pods.get('default', 'web');
    await rest.create('default', 'web', binding('web', 'n1', { uid: p.metadata.uid, resourceVersion: p.metadata.resourceVersion }), ctx);
    assert.equal((pods.get('default', 'web').spec as { nodeName: string }).nodeName, 'n1');
  });

  it('dryRun checks and writes nothing', async () => {
    const before = pods.get('default', 'web');
    await rest.create('default', 'web', binding('web', 'n1'), { ...ctx, dryRun: true });
    assert.equal(pods.get('default', 'web'), before);
  });

  it('runs admission as CREATE pods/binding with the Binding, mutating then validating', async () => {
    const seen: string[] = [];
    const admission = createAdmissionChain([{
      name: 'probe',
      handles: () => true,
      admit: (a: AdmissionAttributes) => void seen.push(`admit ${a.operation} ${a.resource.resource}/${a.subresource} ${a.object?.kind}`),
      validate: (a: AdmissionAttributes) => void seen.push(`validate ${a.operation} ${a.resource.resource}/${a.subresource} ${a.name}`),
    }]);
    await rest.create('default', 'web', binding('web', 'n1'), { ...ctx, admission });
    assert.deepEqual(seen, ['admit CREATE pods/binding Binding', 'validate CREATE pods/binding web']);
  });
});

describe('setPodScheduled (podutil.UpdatePodCondition)', () => {
  const t = '2026-12-03T08:00:00Z';
  const cases: Array<[string, Record<string, unknown>, unknown[]]> = [
    ['appends', { conditions: [{ type: 'Ready', status: 'False' }] }, [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t }]],
    ['replaces Unschedulable', { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'm', lastTransitionTime: 'old' }] },
      [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t }]],
    ['keeps the transition time of a True condition', { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 'old' }] },
      [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 'old' }]],
  ];
  for (const [title, status, want] of cases) {
    it(title, () => {
      setPodScheduled(status, t);
      assert.deepEqual(status.conditions, want);
    });
  }
});
