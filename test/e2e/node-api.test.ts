/**
 * The server side of the node agent (issue 6), with the real kubectl 1.32 and raw HTTPS requests
 * against the real server: the pods/binding subresource (bind, 409 on rebinding, 404), Leases in
 * kube-node-lease (`kubectl get leases`), the Node authorizer (a node reads the secrets of its own
 * pods only, and requests tokens only for their ServiceAccounts), NodeRestriction (a node changes
 * its own Node and Lease only; tokens bound to pods on other nodes are refused), with upstream's
 * messages. Node identities are x509 client certificates issued from the cluster CA
 * (CN=system:node:<name>, O=system:nodes). Pods here name a scheduler that does not run, so the
 * default scheduler leaves them alone.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../../src/auth/pki.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { clientFromKubeconfig, type RawClient } from './client.js';
import { expectOk, kubectl, readKubeconfigCa, useServerAndKubectl, type Kubectl } from './harness.js';
import { getJson } from './support.js';

const ok = expectOk;
const forbiddenGet = (name: string, why: string) =>
  `Error from server (Forbidden): secrets "${name}" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "apps": ${why}`;

describe('node API: binding, leases, Node authorizer, NodeRestriction (kubectl 1.32)', () => {
  const t = useServerAndKubectl('1.32', { before, after });
  let n1: Kubectl;
  let n1Raw: RawClient;
  let admin: RawClient;

  const pod = (name: string, spec: Record<string, unknown>) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'apps' },
    spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx' }], ...spec },
  });
  const apply = async (k: Kubectl, objects: unknown[]) =>
    ok(await k(['create', '-f', '-'], { input: objects.map((o) => JSON.stringify(o)).join('\n') }), 'create objects');

  before(async () => {
    const pki = join(t.server.dataDir, 'pki');
    const ca = { certPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
    const cert = await issueCertificate(ca, { commonName: 'system:node:n1', organizations: ['system:nodes'], usage: 'client' });
    const path = join(t.dir, 'n1.kubeconfig');
    writeFileSync(path, renderKubeconfig({ server: t.server.url, caPem: readKubeconfigCa(t.server.kubeconfig), clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }));
    n1 = kubectl(path, '1.32');
    n1Raw = clientFromKubeconfig(path);
    admin = clientFromKubeconfig(t.server.kubeconfig);

    ok(await t.k(['create', 'namespace', 'apps']), 'create ns');
    ok(await t.k(['create', 'serviceaccount', 'robot', '-n', 'apps']), 'sa robot');
    ok(await t.k(['create', 'serviceaccount', 'robot2', '-n', 'apps']), 'sa robot2');
    ok(await t.k(['create', 'secret', 'generic', 'mine', '--from-literal=k=v', '-n', 'apps']), 'secret mine');
    ok(await t.k(['create', 'secret', 'generic', 'other', '--from-literal=k=v', '-n', 'apps']), 'secret other');
    ok(await t.k(['create', 'configmap', 'settings', '--from-literal=k=v', '-n', 'apps']), 'configmap');
    await apply(t.k, [
      pod('on-n1', { nodeName: 'n1', serviceAccountName: 'robot', volumes: [{ name: 's', secret: { secretName: 'mine' } }, { name: 'c', configMap: { name: 'settings' } }] }),
      pod('on-n2', { nodeName: 'n2', serviceAccountName: 'robot2', volumes: [{ name: 's', secret: { secretName: 'other' } }] }),
      pod('robot-on-n2', { nodeName: 'n2', serviceAccountName: 'robot' }),
      pod('pending', {}),
      pod('pending-legacy', {}),
    ]);
  });

  after(() => {
    n1Raw?.agent.destroy();
    admin?.agent.destroy();
  });

  it('bootstraps the node, scheduler and node-controller roles, and binds system:node to no one', async () => {
    const roles = ok(await t.k(['get', 'clusterroles', 'system:node', 'system:kube-scheduler', 'system:controller:node-controller', '-o', 'name']), 'roles');
    assert.deepEqual(roles.trim().split('\n'), [
      'clusterrole.rbac.authorization.k8s.io/system:node',
      'clusterrole.rbac.authorization.k8s.io/system:kube-scheduler',
      'clusterrole.rbac.authorization.k8s.io/system:controller:node-controller',
    ]);
    const nodeBinding = await getJson(t.k, ['clusterrolebinding', 'system:node']);
    assert.equal(nodeBinding.subjects, undefined);
    const scheduler = await getJson(t.k, ['clusterrolebinding', 'system:kube-scheduler']);
    assert.deepEqual(scheduler.subjects, [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:kube-scheduler' }]);
    const can = await t.k(['auth', 'can-i', 'create', 'pods', '--subresource=binding', '-n', 'apps', '--as=system:kube-scheduler']);
    assert.equal(can.stdout.trim(), 'yes');
  });

  it('binds a pod through pods/binding, then refuses to rebind it (409) and binds no missing pod (404)', async () => {
    const binding = join(t.dir, 'binding.json');
    writeFileSync(binding, JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n3' } }));
    const out = ok(await t.k(['create', '--raw', '/api/v1/namespaces/apps/pods/pending/binding', '-f', binding]), 'bind');
    assert.deepEqual(JSON.parse(out), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const bound = await getJson(t.k, ['pod', 'pending', '-n', 'apps']);
    assert.equal(bound.spec.nodeName, 'n3');
    const scheduled = bound.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled');
    assert.equal(scheduled.status, 'True');
    assert.match(scheduled.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const again = await t.k(['create', '--raw', '/api/v1/namespaces/apps/pods/pending/binding', '-f', binding]);
    assert.equal(again.code, 1);
    assert.equal(again.stderr.trim(), 'Error from server (Conflict): Operation cannot be fulfilled on pods/binding "pending": pod pending is already assigned to node "n3"');

    const missing = await admin.request('POST', '/api/v1/namespaces/apps/pods/ghost/binding', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'ghost' }, target: { name: 'n3' } }),
      contentType: 'application/json',
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().message, 'pods "ghost" not found');
    const mismatch = await admin.request('POST', '/api/v1/namespaces/apps/pods/on-n1/binding', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'other' }, target: { name: 'n3' } }),
      contentType: 'application/json',
    });
    assert.deepEqual([mismatch.status, mismatch.json().message], [400, 'name in URL does not match name in Binding object']);

    // The legacy collection form: POST .../bindings names the pod in the Binding.
    const legacy = await admin.request('POST', '/api/v1/namespaces/apps/bindings', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'pending-legacy' }, target: { kind: 'Node', name: 'n3' } }),
      contentType: 'application/json',
    });
    assert.deepEqual([legacy.status, legacy.json().status], [201, 'Success']);
    assert.equal((await getJson(t.k, ['pod', 'pending-legacy', '-n', 'apps'])).spec.nodeName, 'n3');
  });

  it('lets a node write only its own Lease, and kubectl lists leases with HOLDER', async () => {
    const lease = (name: string) => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace('Z', '000Z') },
    });
    assert.equal(ok(await n1(['create', '-f', '-'], { input: JSON.stringify(lease('n1')) }), 'create own lease').trim(), 'lease.coordination.k8s.io/n1 created');
    const other = await n1(['create', '-f', '-'], { input: JSON.stringify(lease('n2')) });
    assert.equal(other.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node');
    ok(await n1(['annotate', 'lease', 'n1', '-n', 'kube-node-lease', 'renewed=yes']), 'update own lease');
    const get = ok(await t.k(['get', 'leases', '-n', 'kube-node-lease']), 'get leases');
    // (An embedded node agent, when the server runs one, renews its own Lease here too.)
    assert.match(get, /^NAME\s+HOLDER\s+AGE\n/);
    assert.match(get, /^n1\s+n1\s+\d+s$/m);
    const invalid = await t.k(['create', '-f', '-'], { input: JSON.stringify({ ...lease('bad'), metadata: { name: 'bad', namespace: 'default' }, spec: { leaseDurationSeconds: 0 } }) });
    assert.match(invalid.stderr, /The Lease "bad" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0/);
  });

  it("lets a node read the secrets and configmaps of its own pods only (Node authorizer)", async () => {
    assert.match(ok(await n1(['get', 'secret', 'mine', '-n', 'apps']), 'own secret'), /^NAME\s+TYPE\s+DATA\s+AGE\nmine\s+Opaque\s+1\s+/);
    ok(await n1(['get', 'configmap', 'settings', '-n', 'apps']), 'own configmap');
    const other = await n1(['get', 'secret', 'other', '-n', 'apps']);
    assert.equal(other.stderr.trim(), forbiddenGet('other', "no relationship found between node 'n1' and this object"));
    const list = await n1(['get', 'secrets', '-n', 'apps']);
    assert.equal(list.stderr.trim(),
      'Error from server (Forbidden): secrets is forbidden: User "system:node:n1" cannot list resource "secrets" in API group "" in the namespace "apps": No Object name found');
    // A kubelet watches each referenced object by name (fieldSelector metadata.name=<name>).
    const byName = await n1Raw.request('GET', '/api/v1/namespaces/apps/secrets?fieldSelector=metadata.name%3Dmine');
    assert.equal(byName.status, 200, byName.body);
    assert.deepEqual(byName.json().items.map((i: any) => i.metadata.name), ['mine']);
    const otherByName = await n1Raw.request('GET', '/api/v1/namespaces/apps/secrets?fieldSelector=metadata.name%3Dother&watch=1&timeoutSeconds=1');
    assert.equal(otherByName.status, 403);
    assert.equal(otherByName.json().message, 'secrets "other" is forbidden: User "system:node:n1" cannot watch resource "secrets" in API group "" in the namespace "apps": no relationship found between node \'n1\' and this object');
    // Raw HTTPS with the node's certificate: its own pod's secret, nothing through pods/binding.
    const raw = await n1Raw.request('GET', '/api/v1/namespaces/apps/secrets/mine');
    assert.equal(raw.status, 200);
    const bind = await n1Raw.request('POST', '/api/v1/namespaces/apps/pods/on-n2/binding', {
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'on-n2' }, target: { name: 'n1' } }),
      contentType: 'application/json',
    });
    assert.equal(bind.status, 403);
    assert.equal(bind.json().message, 'pods "on-n2" is forbidden: User "system:node:n1" cannot create resource "pods/binding" in API group "" in the namespace "apps"');
  });

  it('issues tokens to a node only for pods bound to it (Node authorizer, NodeRestriction)', async () => {
    const uid = async (name: string) => (await getJson(t.k, ['pod', name, '-n', 'apps'])).metadata.uid as string;
    const own = await n1(['create', 'token', 'robot', '-n', 'apps', '--bound-object-kind=Pod', '--bound-object-name=on-n1', `--bound-object-uid=${await uid('on-n1')}`]);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const unrelated = await n1(['create', 'token', 'robot2', '-n', 'apps', '--bound-object-kind=Pod', '--bound-object-name=on-n2', `--bound-object-uid=${await uid('on-n2')}`]);
    assert.equal(unrelated.stderr.trim(),
      `error: failed to create token: serviceaccounts "robot2" is forbidden: User "system:node:n1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "apps": no relationship found between node 'n1' and this object`);

    const elsewhere = await n1(['create', 'token', 'robot', '-n', 'apps', '--bound-object-kind=Pod', '--bound-object-name=robot-on-n2', `--bound-object-uid=${await uid('robot-on-n2')}`]);
    assert.equal(elsewhere.stderr.trim(),
      'error: failed to create token: serviceaccounts "robot" is forbidden: node requested token bound to a pod scheduled on a different node');
    const unbound = await n1(['create', 'token', 'robot', '-n', 'apps']);
    assert.equal(unbound.stderr.trim(), 'error: failed to create token: serviceaccounts "robot" is forbidden: node requested token not bound to a pod');
  });

  it('lets a node change its own Node only (NodeRestriction)', async () => {
    const node = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
    ok(await n1(['create', '-f', '-'], { input: node('n1') }), 'register n1');
    ok(await t.k(['create', '-f', '-'], { input: node('n2') }), 'admin creates n2');
    ok(await n1(['label', 'node', 'n1', 'node.kubernetes.io/instance-type=small']), 'own label');
    const other = await n1(['label', 'node', 'n2', 'example.com/x=y']);
    assert.equal(other.stderr.trim(), 'Error from server (Forbidden): nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
    const role = await n1(['label', 'node', 'n1', 'node-role.kubernetes.io/control-plane=']);
    assert.equal(role.stderr.trim(), 'Error from server (Forbidden): nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane');
    const status = await n1Raw.request('PATCH', '/api/v1/nodes/n2/status', {
      body: JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }),
      contentType: 'application/merge-patch+json',
    });
    assert.deepEqual([status.status, status.json().message], [403, 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"']);
    const del = await n1(['delete', 'pod', 'on-n2', '-n', 'apps']);
    assert.equal(del.stderr.trim(), 'Error from server (Forbidden): pods "on-n2" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself');
  });
});
