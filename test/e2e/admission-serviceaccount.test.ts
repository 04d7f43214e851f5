/**
 * The ServiceAccount admission plugin and the token Secret rules against the real server, driven
 * with the real kubectl 1.32: the default account and the projected token volume on
 * `kubectl run`, image pull secrets copied from the account, missing accounts refused (403),
 * serviceAccountName immutable (422), automount opt-out, mirror pods, enforced mountable secrets,
 * and the blog walkthrough of ../shared/seeds/002 (namespace, account, dry-run manifest, apply,
 * `1/1 Running` on the embedded node, describe, the token on disk, clean up).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expectOk, useServerAndKubectl, type Kubectl } from './harness.js';
import { eventually, payloadOf } from './support.js';

const ok = expectOk;
const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const tokenVolume = {
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
};

interface Pod {
  spec: {
    serviceAccountName?: string;
    serviceAccount?: string;
    imagePullSecrets?: Array<{ name: string }>;
    volumes?: Array<{ name: string; projected?: unknown }>;
    containers: Array<{ name: string; volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }>;
  };
}

async function getPod(k: Kubectl, name: string, namespace: string): Promise<Pod> {
  return parseYaml(ok(await k(['get', 'pod', name, '-n', namespace, '-o', 'yaml']), `get pod ${name}`)) as Pod;
}

/**
 * Creates the `default` ServiceAccount of `namespace` when it is missing. The ServiceAccounts
 * controller creates it for every namespace; once it runs, this finds the account and does nothing.
 */
async function ensureDefaultServiceAccount(k: Kubectl, namespace: string): Promise<void> {
  if ((await k(['get', 'sa', 'default', '-n', namespace])).code === 0) return;
  const r = await k(['create', 'sa', 'default', '-n', namespace]);
  if (r.code !== 0 && !/AlreadyExists/.test(r.stderr)) ok(r, 'create sa default');
}

describe('ServiceAccount admission with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });
  const ns = 'adm';
  const file = (name: string, text: string) => {
    const path = join(t.dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(async () => {
    ok(await t.k(['create', 'namespace', ns]), 'create namespace');
    await ensureDefaultServiceAccount(t.k, ns);
  });

  it('kubectl run: the default account, the projected token volume and image pull secrets from the account', async () => {
    ok(await t.k(['create', 'secret', 'docker-registry', 'myregistrykey', '-n', ns, '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p']), 'registry secret');
    ok(await t.k(['patch', 'serviceaccount', 'default', '-n', ns, '-p', '{"imagePullSecrets": [{"name": "myregistrykey"}]}']), 'patch sa');
    assert.equal(ok(await t.k(['run', 'nginx', '-n', ns, '--image=nginx', '--restart=Never']), 'run').trim(), 'pod/nginx created');
    const pod = await getPod(t.k, 'nginx', ns);
    assert.equal(pod.spec.serviceAccountName, 'default');
    assert.equal(pod.spec.serviceAccount, 'default');
    assert.deepEqual(pod.spec.imagePullSecrets, [{ name: 'myregistrykey' }]);
    assert.equal(pod.spec.volumes?.length, 1);
    const volume = pod.spec.volumes![0]!;
    assert.match(volume.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(volume.projected, tokenVolume);
    assert.deepEqual(pod.spec.containers[0]!.volumeMounts, [{ name: volume.name, mountPath: tokenPath, readOnly: true }]);
    const jsonpath = ok(await t.k(['get', 'pod', 'nginx', '-n', ns, '-o=jsonpath={.spec.imagePullSecrets[0].name}{"\\n"}']), 'jsonpath');
    assert.equal(jsonpath, 'myregistrykey\n');
  });

  it('refuses a pod naming a missing account with 403 and upstream\'s message', async () => {
    const r = await t.k(['run', 'orphan', '-n', ns, '--image=nginx', '--restart=Never', '--overrides={"spec":{"serviceAccountName":"missing"}}']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      `Error from server (Forbidden): pods "orphan" is forbidden: error looking up service account ${ns}/missing: serviceaccount "missing" not found`,
    );
    const generated = file('generated.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: web-\nspec:\n  serviceAccountName: missing\n  containers:\n  - name: c\n    image: nginx\n');
    const g = await t.k(['create', '-n', ns, '-f', generated]);
    assert.equal(g.code, 1);
    assert.match(g.stderr, /Error from server \(Forbidden\).*pods "web-" is forbidden: error looking up service account adm\/missing: serviceaccount "missing" not found/);
    assert.equal((await t.k(['get', 'pod', 'orphan', '-n', ns])).code, 1);
  });

  it('a pod\'s serviceAccountName cannot be changed (422)', async () => {
    ok(await t.k(['create', 'sa', 'first', '-n', ns]), 'sa first');
    ok(await t.k(['create', 'sa', 'second', '-n', ns]), 'sa second');
    const manifest = (sa: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: fixed\nspec:\n  serviceAccountName: ${sa}\n  containers:\n  - name: c\n    image: nginx\n`;
    const path = file('fixed.yaml', manifest('first'));
    assert.equal(ok(await t.k(['apply', '-n', ns, '-f', path]), 'apply').trim(), 'pod/fixed created');
    writeFileSync(path, manifest('second'));
    const applied = await t.k(['apply', '-n', ns, '-f', path]);
    assert.equal(applied.code, 1);
    const forbidden =
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';
    assert.ok(applied.stderr.includes(`The Pod "fixed" is invalid: ${forbidden}`), applied.stderr);
    assert.match(applied.stderr, /-\s+ServiceAccountName: "first",\n\+\s+ServiceAccountName: "second",/);
    const patched = await t.k(['patch', 'pod', 'fixed', '-n', ns, '-p', '{"spec":{"serviceAccountName":"second"}}']);
    assert.equal(patched.code, 1);
    assert.ok(patched.stderr.includes(`The Pod "fixed" is invalid: ${forbidden}`), patched.stderr);
    assert.equal((await getPod(t.k, 'fixed', ns)).spec.serviceAccountName, 'first');
  });

  it('automountServiceAccountToken: false on the account stops the volume unless the pod says true', async () => {
    ok(await t.k(['apply', '-n', ns, '-f', file('nomount.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\nautomountServiceAccountToken: false\n')]), 'sa');
    const podYaml = (name: string, automount: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  serviceAccountName: build-robot\n${automount}  containers:\n  - name: c\n    image: nginx\n`;
    ok(await t.k(['apply', '-n', ns, '-f', file('off.yaml', podYaml('opted-out', ''))]), 'pod off');
    ok(await t.k(['apply', '-n', ns, '-f', file('on.yaml', podYaml('opted-in', '  automountServiceAccountToken: true\n'))]), 'pod on');
    const off = await getPod(t.k, 'opted-out', ns);
    assert.equal(off.spec.volumes, undefined);
    assert.equal(off.spec.containers[0]!.volumeMounts, undefined);
    const on = await getPod(t.k, 'opted-in', ns);
    assert.match(on.spec.volumes![0]!.name, /^kube-api-access-/);
    assert.deepEqual(on.spec.containers[0]!.volumeMounts, [{ name: on.spec.volumes![0]!.name, mountPath: tokenPath, readOnly: true }]);
  });

  it('mirror pods and enforced mountable secrets', async () => {
    const mirror = file('mirror.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: mirror\n  annotations:\n    kubernetes.io/config.mirror: x\nspec:\n  containers:\n  - name: c\n    image: nginx\n    envFrom:\n    - secretRef:\n        name: db\n');
    const m = await t.k(['create', '-n', ns, '-f', mirror]);
    assert.equal(m.code, 1);
    assert.match(m.stderr, /Error from server \(Forbidden\).*pods "mirror" is forbidden: a mirror pod may not reference secrets/);
    ok(await t.k(['apply', '-n', ns, '-f', file('enforcing.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: locked\n  annotations:\n    kubernetes.io/enforce-mountable-secrets: "true"\nsecrets:\n- name: allowed\n')]), 'sa locked');
    const env = (secret: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: env-${secret}\nspec:\n  serviceAccountName: locked\n  containers:\n  - name: app\n    image: nginx\n    env:\n    - name: PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: ${secret}\n          key: password\n`;
    ok(await t.k(['create', '-n', ns, '-f', file('allowed.yaml', env('allowed'))]), 'allowed secret');
    const denied = await t.k(['create', '-n', ns, '-f', file('denied.yaml', env('other'))]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /pods "env-other" is forbidden: container app with envVar PASSWORD referencing secret\.secretName="other" is not allowed because service account locked does not reference that secret/);
  });

  it('a service-account-token Secret needs the service-account.name annotation (422)', async () => {
    const bad = file('token-bad.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\ntype: kubernetes.io/service-account-token\n');
    const r = await t.k(['create', '-n', ns, '-f', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The Secret "build-robot-secret" is invalid: metadata\.annotations\[kubernetes\.io\/service-account\.name\]: Required value/);
    const good = file('token.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\n  annotations:\n    kubernetes.io/service-account.name: build-robot\ntype: kubernetes.io/service-account-token\n');
    assert.equal(ok(await t.k(['apply', '-n', ns, '-f', good]), 'apply token secret').trim(), 'secret/build-robot-secret created');
    const retyped = await t.k(['patch', 'secret', 'build-robot-secret', '-n', ns, '-p', '{"type":"Opaque"}']);
    assert.equal(retyped.code, 1);
    assert.match(retyped.stderr, /The Secret "build-robot-secret" is invalid: type: Invalid value: "Opaque": field is immutable/);
  });

  it('the blog walkthrough: namespace, account, dry-run manifest with serviceAccountName, apply, describe, clean up', async () => {
    assert.equal(ok(await t.k(['create', 'ns', 'my-ns']), 'create ns').trim(), 'namespace/my-ns created');
    assert.equal(ok(await t.k(['create', 'serviceaccount', 'my-sa', '-n=my-ns']), 'create sa').trim(), 'serviceaccount/my-sa created');
    const manifest = ok(await t.k(['run', 'my-pod', '--image=nginx', '-n=my-ns', '--dry-run=client', '-oyaml']), 'dry-run');
    assert.match(manifest, /^spec:$/m);
    const path = join(t.dir, 'pod-with-service-account.yaml');
    writeFileSync(path, manifest.replace(/^spec:$/m, 'spec:\n  serviceAccountName: my-sa # add this line'));
    assert.match(readFileSync(path, 'utf8'), /serviceAccountName: my-sa/);
    assert.equal(ok(await t.k(['apply', '-f', path]), 'apply').trim(), 'pod/my-pod created');
    // The embedded node agent runs it: `my-pod   1/1     Running   0          3m33s` in the post.
    await eventually('my-pod 1/1 Running', async () => {
      const out = ok(await t.k(['get', 'po', 'my-pod', '-n=my-ns']), 'get po');
      return /^my-pod\s+1\/1\s+Running\s+0\s+\d+s$/m.test(out) ? out : undefined;
    });
    const described = ok(await t.k(['describe', 'po', 'my-pod', '-n=my-ns']), 'describe');
    assert.match(described, /^Name:\s+my-pod$/m);
    assert.match(described, /^Namespace:\s+my-ns$/m);
    assert.match(described, /^Priority:\s+0$/m);
    assert.match(described, /^Service Account:  my-sa$/m);
    assert.match(described, /^Node:\s+insignia-node\/\S+$/m);
    assert.match(described, /^Status:\s+Running$/m);
    assert.match(described, /kube-api-access-[a-z0-9]{5}:\n\s+Type:\s+Projected/);
    // The pod's identity on disk: its kube-api-access volume holds a token for my-sa.
    const pod = JSON.parse(ok(await t.k(['get', 'po', 'my-pod', '-n=my-ns', '-o', 'json']), 'get -o json')) as { metadata: { uid: string }; spec: { volumes: { name: string }[] } };
    const podDir = join(t.server.dataDir, 'kubelet', 'pods', pod.metadata.uid);
    const volume = join(podDir, 'volumes', pod.spec.volumes.find((v) => v.name.startsWith('kube-api-access-'))!.name);
    const claims = payloadOf(readFileSync(join(volume, 'token'), 'utf8'));
    assert.equal(claims.sub, 'system:serviceaccount:my-ns:my-sa');
    assert.equal(claims['kubernetes.io'].pod.name, 'my-pod');
    assert.equal(readFileSync(join(volume, 'namespace'), 'utf8'), 'my-ns');
    assert.equal(ok(await t.k(['delete', 'po', 'my-pod', '-n=my-ns']), 'delete pod').trim(), 'pod "my-pod" deleted');
    assert.equal((await t.k(['get', 'po', 'my-pod', '-n=my-ns'])).code, 1);
    await eventually('the pod folder removed', async () => (existsSync(podDir) ? undefined : true));
    assert.equal(ok(await t.k(['delete', 'ns', 'my-ns']), 'delete ns').trim(), 'namespace "my-ns" deleted');
  });
});
