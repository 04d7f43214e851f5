/**
 * The ServiceAccount plugin inside the real write path: the Store with the pod and ServiceAccount
 * strategies on the in-memory backend, the chain as serve.ts builds it (NamespaceLifecycle first).
 * Checks that what the plugin adds passes pod validation and defaulting, that serviceAccountName
 * is immutable afterwards, and which writes reach it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { StatusError } from '../../api/status.js';
import { Store, type WriteContext } from '../../registry/store.js';
import { podStrategy } from '../../registry/pods/strategy.js';
import { serviceAccountStrategy } from '../../registry/serviceaccounts/strategy.js';
import { createMemoryBackend } from '../../storage/memory/memory-backend.js';
import { createAdmissionChain } from '../types.js';
import { createNamespaceLifecycle } from './namespace-lifecycle.js';
import { createServiceAccountAdmission } from './service-account.js';

type Json = Record<string, unknown>;

async function setup() {
  const backend = createMemoryBackend();
  const pods = new Store({ backend, strategy: podStrategy });
  const accounts = new Store({ backend, strategy: serviceAccountStrategy });
  await Promise.all([pods.start(), accounts.start()]);
  const seen: string[] = [];
  const plugin = createServiceAccountAdmission({ getServiceAccount: (ns, name) => accounts.find(ns, name), sleep: async () => {} });
  const chain = createAdmissionChain([
    createNamespaceLifecycle({ getNamespace: (name) => (name === 'gone' ? undefined : { metadata: { name } }) }),
    {
      name: 'Recorder',
      handles: () => true,
      validate: (a) => void seen.push(`${a.operation} ${a.resource.resource}${a.subresource ? '/' + a.subresource : ''} ${plugin.handles(a)}`),
    },
    plugin,
  ]);
  const ctx: WriteContext = { user: { username: 'admin', groups: ['system:masters'] }, dryRun: false, admission: chain };
  await accounts.create('ns', { metadata: { name: 'default' } } as KubeObject, ctx);
  return { pods, accounts, ctx, seen };
}

const podOf = (spec: Json, name = 'p'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });

async function rejection(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a rejection');
}

describe('ServiceAccount admission in the Store', () => {
  it('a created pod gets the account, the token volume and mount, and passes validation', async () => {
    const s = await setup();
    const p = await s.pods.create('ns', podOf({ containers: [{ name: 'c', image: 'nginx' }] }), s.ctx);
    const spec = p.spec as Json & { volumes: Json[]; containers: Json[] };
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.serviceAccount, 'default', 'defaulting mirrors the admitted name');
    assert.match(String(spec.volumes[0]!.name), /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(spec.containers[0]!.volumeMounts, [{ name: spec.volumes[0]!.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('the deprecated serviceAccount alias names the account', async () => {
    const s = await setup();
    await s.accounts.create('ns', { metadata: { name: 'robot' }, automountServiceAccountToken: false } as KubeObject, s.ctx);
    const p = await s.pods.create('ns', podOf({ serviceAccount: 'robot', containers: [{ name: 'c', image: 'nginx' }] }), s.ctx);
    const spec = p.spec as Json;
    assert.equal(spec.serviceAccountName, 'robot');
    assert.equal(spec.serviceAccount, 'robot');
    assert.equal(spec.volumes, undefined);
  });

  it('a missing account is a 403 and nothing is stored; a missing namespace is a 404 first', async () => {
    const s = await setup();
    const err = await rejection(s.pods.create('ns', podOf({ serviceAccountName: 'nope', containers: [{ name: 'c', image: 'nginx' }] }), s.ctx));
    assert.equal(err.code, 403);
    assert.equal(err.status.message, 'pods "p" is forbidden: error looking up service account ns/nope: serviceaccount "nope" not found');
    assert.equal(s.pods.find('ns', 'p'), undefined);
    const gone = await rejection(s.pods.create('gone', podOf({ containers: [{ name: 'c', image: 'nginx' }] }), s.ctx));
    assert.equal(gone.status.message, 'namespaces "gone" not found');
  });

  it('serviceAccountName cannot change on update (pod validation, 422); a no-op update passes', async () => {
    const s = await setup();
    await s.accounts.create('ns', { metadata: { name: 'other' } } as KubeObject, s.ctx);
    const created = await s.pods.create('ns', podOf({ containers: [{ name: 'c', image: 'nginx' }] }), s.ctx);
    const same = await s.pods.update('ns', 'p', structuredClone(created), s.ctx);
    assert.equal(same.object.metadata.resourceVersion, created.metadata.resourceVersion);
    const changed = structuredClone(created);
    (changed.spec as Json).serviceAccountName = 'other';
    const err = await rejection(s.pods.update('ns', 'p', changed, s.ctx));
    assert.equal(err.code, 422);
    assert.match(err.status.message!, /^Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
    assert.match(err.status.message!, /-\s+ServiceAccountName: "default",\n\+\s+ServiceAccountName: "other",/);
  });

  it('which writes reach the plugin: creates and updates of pods (not status, not deletes, not other resources)', async () => {
    const s = await setup();
    await s.pods.create('ns', podOf({ containers: [{ name: 'c', image: 'nginx' }] }), s.ctx);
    await s.pods.guaranteedUpdate('ns', 'p', s.ctx, (cur) => ({ ...cur, status: { ...(cur.status as Json), phase: 'Running' } }), { subresource: 'status' });
    await s.pods.guaranteedUpdate('ns', 'p', s.ctx, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { a: 'b' } } }));
    await s.pods.delete('ns', 'p', {}, s.ctx);
    assert.deepEqual(s.seen, [
      'CREATE serviceaccounts false',
      'CREATE pods true',
      'UPDATE pods/status false',
      'UPDATE pods true',
      'DELETE pods false',
    ]);
  });
});
