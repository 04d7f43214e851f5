import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { StatusError, badRequest } from '../../api/status.js';
import type { AdmissionAttributes, Operation } from '../types.js';
import { createServiceAccountAdmission, tokenVolumeSource, type ServiceAccountAdmissionOptions } from './service-account.js';

const pods = findResource('', 'v1', 'pods')!;
const secrets = findResource('', 'v1', 'secrets')!;
const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';

type Json = Record<string, unknown>;

function sa(name: string, extra: Json = {}, annotations?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'ns', ...(annotations ? { annotations } : {}) }, ...extra };
}

function pod(spec: Json, meta: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', ...meta }, spec };
}

const container = (name: string, extra: Json = {}) => ({ name, image: 'nginx', ...extra });

function attrs(object: KubeObject | null, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation: 'CREATE' as Operation,
    resource: pods,
    subresource: '',
    namespace: 'ns',
    name: '',
    object,
    oldObject: null,
    user: { username: 'admin', groups: ['system:masters'] },
    dryRun: false,
    ...over,
  };
}

/** A plugin over a fixed set of accounts, recording lookups and sleeps; random() is 0 (suffix `bbbbb`, 100 ms). */
function setup(accounts: KubeObject[], over: Partial<ServiceAccountAdmissionOptions> = {}) {
  const lookups: string[] = [];
  const sleeps: number[] = [];
  const plugin = createServiceAccountAdmission({
    getServiceAccount(ns, name) {
      lookups.push(`${ns}/${name}`);
      return accounts.find((a) => a.metadata.name === name && ns === 'ns');
    },
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...over,
  });
  /** Runs both phases like the Store: admit, then validate on the admitted object. */
  const run = async (a: AdmissionAttributes) => {
    if (!plugin.handles(a)) return a.object;
    await plugin.admit!(a);
    await plugin.validate!(a);
    return a.object;
  };
  return { plugin, run, lookups, sleeps };
}

async function rejection(p: Promise<unknown> | void): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a rejection');
}

const mount = (name = 'kube-api-access-bbbbb') => ({ name, readOnly: true, mountPath: tokenPath });
const volume = (name = 'kube-api-access-bbbbb') => ({ name, projected: tokenVolumeSource() });

describe('ServiceAccount admission: which requests it sees', () => {
  const { plugin } = setup([sa('default')]);
  const cases: Array<[string, AdmissionAttributes, boolean]> = [
    ['pod create', attrs(pod({})), true],
    ['pod update', attrs(pod({}), { operation: 'UPDATE' }), true],
    ['pods/ephemeralcontainers update', attrs(pod({}), { operation: 'UPDATE', subresource: 'ephemeralcontainers' }), true],
    ['pods/status update', attrs(pod({}), { operation: 'UPDATE', subresource: 'status' }), false],
    ['pod delete', attrs(pod({}), { operation: 'DELETE' }), false],
    ['another resource', attrs({ metadata: { name: 's' } }, { resource: secrets }), false],
    ['no object', attrs(null), false],
  ];
  for (const [title, a, want] of cases) it(title, () => assert.equal(plugin.handles(a), want));

  it('a plain pod update is left alone (serviceAccountName immutability is pod validation)', async () => {
    const { plugin: p, lookups } = setup([]);
    const a = attrs(pod({ serviceAccountName: 'other', containers: [container('c')] }), { operation: 'UPDATE', name: 'p' });
    const before = structuredClone(a.object);
    await p.admit!(a);
    await p.validate!(a);
    assert.deepEqual(a.object, before);
    assert.deepEqual(lookups, []);
  });
});

describe('ServiceAccount admission: pod create', () => {
  it('defaults the account, mounts the token volume in every container and appends the volume', async () => {
    const { run } = setup([sa('default')]);
    const out = await run(attrs(pod({ initContainers: [container('init')], containers: [container('a'), container('b')] })));
    assert.deepEqual(out!.spec, {
      initContainers: [container('init', { volumeMounts: [mount()] })],
      containers: [container('a', { volumeMounts: [mount()] }), container('b', { volumeMounts: [mount()] })],
      serviceAccountName: 'default',
      volumes: [volume()],
    });
  });

  it('injects exactly upstream\'s projected volume', () => {
    assert.deepEqual(tokenVolumeSource(), {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    });
  });

  it('names the volume kube-api-access- plus 5 characters of the name alphabet', async () => {
    const seq = [0.99, 0.5, 0.1, 0.7, 0.3];
    let i = 0;
    const { run } = setup([sa('default')], { random: () => seq[i++ % seq.length]! });
    const out = await run(attrs(pod({ containers: [container('a')] })));
    // random() is read once for the retry interval, then once per character.
    assert.match(String((out!.spec as Json & { volumes: Json[] }).volumes[0]!.name), /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('uses the deprecated spec.serviceAccount when serviceAccountName is empty', async () => {
    const { run, lookups } = setup([sa('robot')]);
    const out = await run(attrs(pod({ serviceAccount: 'robot', containers: [container('a')] })));
    assert.equal((out!.spec as Json).serviceAccountName, 'robot');
    assert.deepEqual([...new Set(lookups)], ['ns/robot']);
  });

  const mountCases: Array<[string, Json, Json]> = [
    [
      'a container that already mounts the path keeps its mount; others get the token volume',
      { containers: [container('a', { volumeMounts: [{ name: 'mine', mountPath: tokenPath }] }), container('b')], volumes: [{ name: 'mine', emptyDir: {} }] },
      {
        containers: [container('a', { volumeMounts: [{ name: 'mine', mountPath: tokenPath }] }), container('b', { volumeMounts: [mount()] })],
        volumes: [{ name: 'mine', emptyDir: {} }, volume()],
      },
    ],
    [
      'every container mounting the path: no volume is added',
      { containers: [container('a', { volumeMounts: [{ name: 'mine', mountPath: tokenPath }] })], volumes: [{ name: 'mine', emptyDir: {} }] },
      { containers: [container('a', { volumeMounts: [{ name: 'mine', mountPath: tokenPath }] })], volumes: [{ name: 'mine', emptyDir: {} }] },
    ],
    [
      'an existing kube-api-access-* volume is reused and not duplicated',
      { containers: [container('a')], volumes: [{ name: 'kube-api-access-e2e', emptyDir: {} }] },
      { containers: [container('a', { volumeMounts: [mount('kube-api-access-e2e')] })], volumes: [{ name: 'kube-api-access-e2e', emptyDir: {} }] },
    ],
    [
      'mounts are appended after existing ones',
      { containers: [container('a', { volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'data', emptyDir: {} }] },
      {
        containers: [container('a', { volumeMounts: [{ name: 'data', mountPath: '/data' }, mount()] })],
        volumes: [{ name: 'data', emptyDir: {} }, volume()],
      },
    ],
    ['no containers: nothing to mount, no volume', {}, {}],
    [
      'malformed lists are left for validation',
      { containers: [container('a', { volumeMounts: 'x' }), 'y'], volumes: [] },
      { containers: [container('a', { volumeMounts: 'x' }), 'y'], volumes: [] },
    ],
    [
      'a malformed volumes list is left for validation',
      { containers: [container('a')], volumes: 'x' },
      { containers: [container('a')], volumes: 'x' },
    ],
  ];
  for (const [title, spec, want] of mountCases) {
    it(title, async () => {
      const { run } = setup([sa('default')]);
      const out = await run(attrs(pod(spec)));
      assert.deepEqual(out!.spec, { ...want, serviceAccountName: 'default' });
    });
  }

  // test/e2e/auth/service_accounts.go "should allow opting out of API token automount".
  const automount: Array<[string, string, boolean | undefined, boolean]> = [
    ['defaultsa', 'default', undefined, true],
    ['mountsa', 'mount', undefined, true],
    ['nomountsa', 'nomount', undefined, false],
    ['defaultsa-mountspec', 'default', true, true],
    ['mountsa-mountspec', 'mount', true, true],
    ['nomountsa-mountspec', 'nomount', true, true],
    ['defaultsa-nomountspec', 'default', false, false],
    ['mountsa-nomountspec', 'mount', false, false],
    ['nomountsa-nomountspec', 'nomount', false, false],
  ];
  for (const [title, account, podSetting, want] of automount) {
    it(`automount: ${title}`, async () => {
      const { run } = setup([sa('default'), sa('mount', { automountServiceAccountToken: true }), sa('nomount', { automountServiceAccountToken: false })]);
      const spec: Json = { serviceAccountName: account, containers: [container('a')] };
      if (podSetting !== undefined) spec.automountServiceAccountToken = podSetting;
      const out = await run(attrs(pod(spec)));
      const mounted = ((out!.spec as Json).containers as Json[])[0]!.volumeMounts !== undefined;
      assert.equal(mounted, want);
      assert.equal(((out!.spec as Json).volumes as unknown[] | undefined)?.length ?? 0, want ? 1 : 0);
    });
  }

  const pullCases: Array<[string, Json, KubeObject, unknown]> = [
    ['copied from the account when the pod has none', {}, sa('default', { imagePullSecrets: [{ name: 'reg1' }, { name: 'reg2' }] }), [{ name: 'reg1' }, { name: 'reg2' }]],
    ['kept when the pod has its own', { imagePullSecrets: [{ name: 'mine' }] }, sa('default', { imagePullSecrets: [{ name: 'reg1' }] }), [{ name: 'mine' }]],
    ['absent when neither has any', {}, sa('default'), undefined],
  ];
  for (const [title, spec, account, want] of pullCases) {
    it(`imagePullSecrets ${title}`, async () => {
      const { run } = setup([account]);
      const out = await run(attrs(pod({ ...spec, automountServiceAccountToken: false, containers: [container('a')] })));
      assert.deepEqual((out!.spec as Json).imagePullSecrets, want);
    });
  }
});

describe('ServiceAccount admission: missing accounts', () => {
  const cases: Array<[string, Json, Json, string, string, number]> = [
    ['a named account', { serviceAccountName: 'missing' }, {}, 'p', 'error looking up service account ns/missing: serviceaccount "missing" not found', 1],
    ['the default account (retried)', {}, {}, 'p', 'error looking up service account ns/default: serviceaccount "default" not found', 10],
    ['named by generateName', { serviceAccountName: 'missing' }, { name: undefined, generateName: 'web-7d4f9-' }, 'web-7d4f9-', 'error looking up service account ns/missing: serviceaccount "missing" not found', 1],
    ['with neither name nor generateName', { serviceAccountName: 'missing' }, { name: undefined }, 'Unknown', 'error looking up service account ns/missing: serviceaccount "missing" not found', 1],
  ];
  for (const [title, spec, meta, name, reason, lookupsWanted] of cases) {
    it(title, async () => {
      const { run, lookups, sleeps } = setup([]);
      const err = await rejection(run(attrs(pod({ ...spec, containers: [container('a')] }, meta))));
      assert.deepEqual(err.status, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `pods "${name}" is forbidden: ${reason}`,
        reason: 'Forbidden',
        details: { name, kind: 'pods' },
        code: 403,
      });
      assert.equal(lookups.length, lookupsWanted);
      assert.deepEqual(sleeps, Array(lookupsWanted - 1).fill(100));
    });
  }

  it('admits once the default account appears while retrying', async () => {
    const accounts: KubeObject[] = [];
    const { run, lookups } = setup(accounts, {
      sleep: async () => {
        if (lookups.length === 3) accounts.push(sa('default'));
      },
    });
    const out = await run(attrs(pod({ containers: [container('a')] })));
    assert.equal((out!.spec as Json).serviceAccountName, 'default');
    assert.equal(lookups[3], 'ns/default');
  });

  it('the retry interval is 100 to 199 ms', async () => {
    const { run, sleeps } = setup([], { random: () => 0.999 });
    await rejection(run(attrs(pod({ containers: [container('a')] }))));
    assert.deepEqual(new Set(sleeps), new Set([199]));
  });

  it('wraps other lookup errors', async () => {
    const plugin = createServiceAccountAdmission({
      getServiceAccount() {
        throw badRequest('the server is on fire');
      },
    });
    const err = await rejection(plugin.admit!(attrs(pod({ serviceAccountName: 'x' }))));
    assert.equal(err.status.message, 'pods "p" is forbidden: error looking up service account ns/x: the server is on fire');
    assert.equal(err.code, 403);
  });

  it('an empty serviceAccountName at validation is refused (another plugin cleared it)', async () => {
    const { plugin } = setup([sa('default')]);
    const err = await rejection(plugin.validate!(attrs(pod({ containers: [container('a')] }), { name: 'p' })));
    assert.equal(err.status.message, 'pods "p" is forbidden: no service account specified for pod ns/p');
  });
});

describe('ServiceAccount admission: mirror pods', () => {
  const mirror = { annotations: { 'kubernetes.io/config.mirror': 'abc' } };
  const cases: Array<[string, Json, string | undefined]> = [
    ['plain: admitted unchanged, without a service account', { containers: [container('a')] }, undefined],
    ['naming an account', { serviceAccountName: 'default', containers: [container('a')] }, 'a mirror pod may not reference service accounts'],
    ['naming an account through the alias', { serviceAccount: 'default', containers: [container('a')] }, 'a mirror pod may not reference service accounts'],
    ['with a secret volume', { containers: [container('a')], volumes: [{ name: 's', secret: { secretName: 's' } }] }, 'a mirror pod may not reference secrets'],
    ['with a projected secret', { containers: [container('a')], volumes: [{ name: 's', projected: { sources: [{ secret: { name: 's' } }] } }] }, 'a mirror pod may not reference secrets'],
    ['with a CSI node publish secret', { containers: [container('a')], volumes: [{ name: 's', csi: { driver: 'd', nodePublishSecretRef: { name: 's' } } }] }, 'a mirror pod may not reference secrets'],
    ['with an env secretKeyRef', { containers: [container('a', { env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] })] }, 'a mirror pod may not reference secrets'],
    ['with an init container envFrom secretRef', { initContainers: [container('i', { envFrom: [{ secretRef: { name: 's' } }] })], containers: [container('a')] }, 'a mirror pod may not reference secrets'],
    ['with image pull secrets', { imagePullSecrets: [{ name: 'reg' }], containers: [container('a')] }, 'a mirror pod may not reference secrets'],
    ['with an empty secret name (skipped, as upstream)', { imagePullSecrets: [{ name: '' }], containers: [container('a')] }, undefined],
    [
      'with a ServiceAccountToken projection',
      { containers: [container('a')], volumes: [{ name: 't', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] },
      'a mirror pod may not use ServiceAccountToken volume projections',
    ],
  ];
  for (const [title, spec, reason] of cases) {
    it(title, async () => {
      const { run, lookups } = setup([sa('default')]);
      const a = attrs(pod(spec, mirror));
      const before = structuredClone(a.object);
      if (!reason) {
        assert.deepEqual(await run(a), before);
        assert.deepEqual(lookups, []);
        return;
      }
      const err = await rejection(run(a));
      assert.equal(err.status.message, `pods "p" is forbidden: ${reason}`);
      assert.deepEqual(a.object, before, 'mirror pods are never changed');
    });
  }
});

describe('ServiceAccount admission: enforced mountable secrets', () => {
  const enforcing = (value = 'true', extra: Json = {}) =>
    sa('robot', { secrets: [{ name: 'allowed' }], imagePullSecrets: [{ name: 'reg' }], ...extra }, { 'kubernetes.io/enforce-mountable-secrets': value });
  const env = (secret: string) => [{ name: 'E', valueFrom: { secretKeyRef: { name: secret, key: 'k' } } }];
  const tail = 'is not allowed because service account robot does not reference that secret';
  const cases: Array<[string, KubeObject, Json, string | undefined]> = [
    ['referenced secrets pass', enforcing(), { volumes: [{ name: 'v', secret: { secretName: 'allowed' } }], containers: [container('a', { env: env('allowed') })], imagePullSecrets: [{ name: 'reg' }] }, undefined],
    ['a secret volume', enforcing(), { volumes: [{ name: 'v', secret: { secretName: 'other' } }], containers: [container('a')] }, `volume with secret.secretName="other" ${tail}`],
    ['an init container env', enforcing(), { initContainers: [container('i', { env: env('other') })], containers: [container('a')] }, `init container i with envVar E referencing secret.secretName="other" ${tail}`],
    ['an init container envFrom', enforcing(), { initContainers: [container('i', { envFrom: [{ secretRef: { name: 'other' } }] })], containers: [container('a')] }, `init container i with envFrom referencing secret.secretName="other" ${tail}`],
    ['a container env', enforcing(), { containers: [container('a', { env: env('other') })] }, `container a with envVar E referencing secret.secretName="other" ${tail}`],
    ['a container envFrom', enforcing(), { containers: [container('a', { envFrom: [{ secretRef: { name: 'other' } }] })] }, `container a with envFrom referencing secret.secretName="other" ${tail}`],
    ['an image pull secret', enforcing(), { imagePullSecrets: [{ name: 'reg' }, { name: 'other' }], containers: [container('a')] }, 'imagePullSecrets[1].name="other" is not allowed because service account robot does not reference that imagePullSecret'],
    ['volumes are checked before containers', enforcing(), { volumes: [{ name: 'v', secret: { secretName: 'vol' } }], containers: [container('a', { env: env('other') })] }, `volume with secret.secretName="vol" ${tail}`],
    ['projected secret sources are not checked', enforcing(), { volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 'other' } }] } }], containers: [container('a')] }, undefined],
    ['annotation "1" enforces (Go ParseBool)', enforcing('1'), { containers: [container('a', { env: env('other') })] }, `container a with envVar E referencing secret.secretName="other" ${tail}`],
    ['annotation "false" does not enforce', enforcing('false'), { containers: [container('a', { env: env('other') })] }, undefined],
    ['annotation "yes" does not enforce (not a Go bool)', enforcing('yes'), { containers: [container('a', { env: env('other') })] }, undefined],
    ['copied image pull secrets always pass', enforcing('true', { imagePullSecrets: [{ name: 'reg' }] }), { containers: [container('a')] }, undefined],
  ];
  for (const [title, account, spec, reason] of cases) {
    it(title, async () => {
      const { run } = setup([account]);
      const p = run(attrs(pod({ serviceAccountName: 'robot', ...spec })));
      if (!reason) return void (await p);
      const err = await rejection(p);
      assert.equal(err.status.message, `pods "p" is forbidden: ${reason}`);
    });
  }

  it('the LimitSecretReferences option enforces for every account', async () => {
    const { run } = setup([sa('robot')], { limitSecretReferences: true });
    const err = await rejection(run(attrs(pod({ serviceAccountName: 'robot', volumes: [{ name: 'v', secret: { secretName: 's' } }], containers: [container('a')] }))));
    assert.equal(err.status.message, 'pods "p" is forbidden: volume with secret.secretName="s" is not allowed because service account robot does not reference that secret');
  });
});

describe('ServiceAccount admission: pods/ephemeralcontainers', () => {
  const enforcing = sa('robot', { secrets: [{ name: 'allowed' }] }, { 'kubernetes.io/enforce-mountable-secrets': 'true' });
  const tail = 'is not allowed because service account robot does not reference that secret';
  const eph = (extra: Json) => [{ name: 'debug', image: 'busybox', ...extra }];
  const cases: Array<[string, KubeObject[], Json, string | undefined]> = [
    ['no account on the pod', [enforcing], { ephemeralContainers: eph({}) }, 'no service account specified for pod ns/p'],
    ['a missing account', [], { serviceAccountName: 'gone', ephemeralContainers: eph({}) }, 'error looking up service account ns/gone: serviceaccount "gone" not found'],
    ['not enforcing: anything goes', [sa('robot')], { serviceAccountName: 'robot', ephemeralContainers: eph({ envFrom: [{ secretRef: { name: 'x' } }] }) }, undefined],
    ['enforcing: referenced secret', [enforcing], { serviceAccountName: 'robot', ephemeralContainers: eph({ envFrom: [{ secretRef: { name: 'allowed' } }] }) }, undefined],
    [
      'enforcing: env',
      [enforcing],
      { serviceAccountName: 'robot', ephemeralContainers: eph({ env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'x', key: 'k' } } }] }) },
      `ephemeral container debug with envVar E referencing secret.secretName="x" ${tail}`,
    ],
    [
      'enforcing: envFrom',
      [enforcing],
      { serviceAccountName: 'robot', ephemeralContainers: eph({ envFrom: [{ secretRef: { name: 'x' } }] }) },
      `ephemeral container debug with envFrom referencing secret.secretName="x" ${tail}`,
    ],
  ];
  for (const [title, accounts, spec, reason] of cases) {
    it(title, async () => {
      const { run } = setup(accounts);
      const a = attrs(pod({ containers: [container('a')], ...spec }), { operation: 'UPDATE', subresource: 'ephemeralcontainers', name: 'p' });
      const before = structuredClone(a.object);
      const p = run(a);
      if (!reason) {
        await p;
        assert.deepEqual(a.object, before, 'ephemeral container updates are not mutated');
        return;
      }
      const err = await rejection(p);
      assert.equal(err.status.message, `pods "p" is forbidden: ${reason}`);
    });
  }
});
