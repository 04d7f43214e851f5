/**
 * The controllers of issue 4 against the real server process, driven with the real kubectl:
 * default ServiceAccounts, kube-root-ca.crt, namespace deletion (Terminating, content removed,
 * finalizer removed), convergence after a restart mid-deletion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOk, kubectl, readKubeconfigCa, startServer, useServerAndKubectl } from './harness.js';
import { eventually, getJson, controllerDenials } from './support.js';
import { issueCertificate } from '../../src/auth/pki.js';
import { createHttpsTransport } from '../../src/client/https-transport.js';
import { loadKubeconfig } from '../../src/client/kubeconfig.js';
import { createRestClient } from '../../src/client/rest-client.js';
import { createControllerManager } from '../../src/controllers/manager.js';

const ok = expectOk;

/** Subject groups (O) of every controller certificate under DATA/pki/controllers, by file. */
function controllerCertificateGroups(dataDir: string): Record<string, string[]> {
  const dir = join(dataDir, 'pki', 'controllers');
  const out: Record<string, string[]> = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.crt')).sort()) {
    const subject = new X509Certificate(readFileSync(join(dir, f), 'utf8')).subject.split('\n');
    out[f] = subject.filter((l) => l.startsWith('O=')).map((l) => l.slice(2));
  }
  return out;
}

const saGroups = ['system:serviceaccounts', 'system:serviceaccounts:kube-system'];

describe('controllers with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });

  it('a new namespace gets ServiceAccount default and ConfigMap kube-root-ca.crt', async () => {
    assert.equal(ok(await t.k(['create', 'namespace', 'examplens']), 'create ns').trim(), 'namespace/examplens created');
    const sa = await eventually('default sa', () => getJson(t.k, ['sa', 'default', '-n', 'examplens']));
    assert.deepEqual(Object.keys(sa).sort(), ['apiVersion', 'kind', 'metadata']);
    assert.equal(sa.metadata.labels, undefined);
    const cm = await eventually('kube-root-ca.crt', () => getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'examplens']));
    assert.deepEqual(cm.data, { 'ca.crt': readKubeconfigCa(t.server.kubeconfig) });
    assert.match(cm.metadata.annotations['kubernetes.io/description'], /^Contains a CA bundle that can be used to verify the kube-apiserver/);
    // Written as kube-controller-manager writes it (the field manager comes from its User-Agent).
    const withFields = await getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'examplens', '--show-managed-fields']);
    assert.deepEqual(withFields.metadata.managedFields.map((m: any) => [m.manager, m.operation]), [['kube-controller-manager', 'Update']]);
    // The system namespaces have theirs too.
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      await eventually(`default sa in ${ns}`, () => getJson(t.k, ['sa', 'default', '-n', ns]));
    }
  });

  it('a deleted default ServiceAccount comes back with a new uid', async () => {
    const before = await eventually('default sa', () => getJson(t.k, ['sa', 'default', '-n', 'examplens']));
    assert.equal(ok(await t.k(['delete', 'sa', 'default', '-n', 'examplens']), 'delete sa').trim(), 'serviceaccount "default" deleted');
    const again = await eventually('recreated default sa', async () => {
      const sa = await getJson(t.k, ['sa', 'default', '-n', 'examplens']);
      return sa && sa.metadata.uid !== before.metadata.uid ? sa : undefined;
    });
    assert.match(again.metadata.uid, /^[0-9a-f-]{36}$/);
  });

  it('kube-root-ca.crt is reconciled after an edit and recreated after deletion', async () => {
    const ca = readKubeconfigCa(t.server.kubeconfig);
    const file = join(t.dir, 'cm.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-root-ca.crt\n  namespace: examplens\ndata:\n  ca.crt: ""\n  extra: x\n');
    ok(await t.k(['replace', '-f', file]), 'replace cm');
    await eventually('reconciled ca.crt', async () => {
      const cm = await getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'examplens']);
      return cm && cm.data['ca.crt'] === ca && !('extra' in cm.data) ? cm : undefined;
    });
    const before = await getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'examplens']);
    ok(await t.k(['delete', 'configmap', 'kube-root-ca.crt', '-n', 'examplens', '--grace-period=0']), 'delete cm');
    await eventually('recreated kube-root-ca.crt', async () => {
      const cm = await getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'examplens']);
      return cm && cm.metadata.uid !== before.metadata.uid && cm.data['ca.crt'] === ca ? cm : undefined;
    });
  });

  it('deleting a namespace removes everything in it, then the namespace', async () => {
    ok(await t.k(['create', 'namespace', 'doomed']), 'create ns');
    ok(await t.k(['create', 'sa', 'build-robot', '-n', 'doomed']), 'create sa');
    ok(await t.k(['create', 'secret', 'generic', 's1', '--from-literal=a=b', '-n', 'doomed']), 'create secret');
    ok(await t.k(['create', 'configmap', 'c1', '--from-literal=a=b', '-n', 'doomed']), 'create cm');
    ok(await t.k(['run', 'nginx', '--image=nginx', '--restart=Never', '-n', 'doomed']), 'run pod');
    assert.equal(ok(await t.k(['delete', 'namespace', 'doomed']), 'delete ns').trim(), 'namespace "doomed" deleted');
    const r = await t.k(['get', 'namespace', 'doomed']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /namespaces "doomed" not found/);
    // Nothing of it is left anywhere.
    for (const kind of ['sa', 'secrets', 'configmaps', 'pods']) {
      const all = await getJson(t.k, [kind, '-A']);
      assert.equal(all.items.filter((i: any) => i.metadata.namespace === 'doomed').length, 0, kind);
    }
    // A namespace of the same name starts afresh.
    ok(await t.k(['create', 'namespace', 'doomed']), 'create again');
    await eventually('default sa in the new namespace', () => getJson(t.k, ['sa', 'default', '-n', 'doomed']));
    assert.equal((await t.k(['get', 'sa', 'build-robot', '-n', 'doomed'])).code, 1);
  });

  it('a namespace is Terminating while content with finalizers remains, with conditions saying so', async () => {
    ok(await t.k(['create', 'namespace', 'stuck']), 'create ns');
    const file = join(t.dir, 'blocked.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blocked\n  namespace: stuck\n  finalizers: ["example.com/hold"]\n');
    ok(await t.k(['create', '-f', file]), 'create blocked cm');
    ok(await t.k(['delete', 'namespace', 'stuck', '--wait=false']), 'delete ns');
    assert.match(ok(await t.k(['get', 'namespace', 'stuck']), 'get ns'), /^stuck\s+Terminating\s+/m);
    const ns = await eventually('conditions', async () => {
      const ns = await getJson(t.k, ['namespace', 'stuck']);
      return ns?.status?.conditions?.find((c: any) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? ns : undefined;
    });
    const byType = Object.fromEntries(ns.status.conditions.map((c: any) => [c.type, c]));
    assert.equal(byType.NamespaceFinalizersRemaining.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.equal(byType.NamespaceContentRemaining.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.equal(byType.NamespaceDeletionDiscoveryFailure.status, 'False');
    assert.equal(byType.NamespaceDeletionDiscoveryFailure.reason, 'ResourcesDiscovered');
    // Nothing is recreated in a terminating namespace.
    assert.equal((await t.k(['get', 'sa', 'default', '-n', 'stuck'])).code, 1);
    ok(await t.k(['patch', 'configmap', 'blocked', '-n', 'stuck', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'release');
    await eventually('namespace gone', async () => ((await t.k(['get', 'namespace', 'stuck'])).code === 1 ? true : undefined), 60_000);
  });

  it('runs every controller as its own identity, without system:masters, and RBAC refused none of them', async () => {
    assert.deepEqual(controllerCertificateGroups(t.server.dataDir), {
      'clusterrole-aggregation-controller.crt': saGroups,
      'generic-garbage-collector.crt': saGroups,
      'legacy-service-account-token-cleaner.crt': saGroups,
      'namespace-controller.crt': saGroups,
      'node-controller.crt': saGroups,
      'root-ca-cert-publisher.crt': saGroups,
      'service-account-controller.crt': saGroups,
      'system_apiserver.crt': ['system:masters'],
      'system_kube-controller-manager.crt': [],
      'system_kube-scheduler.crt': [],
      'system_node_insignia-node.crt': ['system:nodes'],
    });
    assert.deepEqual(controllerDenials(t.server.output()), []);
  });
});

describe('controllers after a restart', () => {
  it('a namespace deletion and a foreground deletion interrupted by a restart complete', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-e2e-ctl-'));
    try {
      const first = await startServer({ dataDir });
      const k = kubectl(first.kubeconfig, '1.32');
      ok(await k(['create', 'namespace', 'halfway']), 'create ns');
      const file = join(dataDir, 'blocked.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: blocked\n  namespace: halfway\n  finalizers: ["example.com/hold"]\n');
      ok(await k(['create', '-f', file]), 'create blocked cm');
      ok(await k(['create', 'sa', 'robot', '-n', 'halfway']), 'create sa');
      ok(await k(['delete', 'namespace', 'halfway', '--wait=false']), 'delete ns');
      await eventually('content deleted', async () => ((await k(['get', 'sa', 'robot', '-n', 'halfway'])).code === 1 ? true : undefined));
      // A foreground deletion held back by a dependent, also interrupted.
      ok(await k(['create', 'configmap', 'fg-owner']), 'create owner');
      const ownerUid = JSON.parse(ok(await k(['get', 'configmap', 'fg-owner', '-o', 'json']), 'get owner')).metadata.uid;
      const dep = join(dataDir, 'dep.yaml');
      writeFileSync(dep, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: fg-dep\n  finalizers: ["example.com/hold"]\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: fg-owner\n    uid: ${ownerUid}\n    blockOwnerDeletion: true\n`);
      ok(await k(['create', '-f', dep]), 'create dependent');
      ok(await k(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false']), 'delete owner');
      await eventually('dependent marked', async () => (JSON.parse((await k(['get', 'secret', 'fg-dep', '-o', 'json'])).stdout || '{}').metadata?.deletionTimestamp ? true : undefined));
      assert.equal(await first.stop(), 0);
      // Certificates of earlier versions carried O=system:masters: the restart re-issues them.
      const ca = { certPem: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dataDir, 'pki', 'ca.key'), 'utf8') };
      for (const name of ['namespace-controller', 'generic-garbage-collector']) {
        const stale = await issueCertificate(ca, { commonName: `system:serviceaccount:kube-system:${name}`, organizations: [...saGroups, 'system:masters'], usage: 'client' });
        writeFileSync(join(dataDir, 'pki', 'controllers', `${name}.crt`), stale.certPem);
        writeFileSync(join(dataDir, 'pki', 'controllers', `${name}.key`), stale.keyPem);
      }

      const second = await startServer({ dataDir });
      const groups = controllerCertificateGroups(dataDir);
      assert.deepEqual([groups['namespace-controller.crt'], groups['generic-garbage-collector.crt']], [saGroups, saGroups]);
      const k2 = kubectl(second.kubeconfig, '1.32');
      assert.match(ok(await k2(['get', 'namespace', 'halfway']), 'get ns'), /Terminating/);
      ok(await k2(['patch', 'configmap', 'blocked', '-n', 'halfway', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'release');
      await eventually('namespace gone', async () => ((await k2(['get', 'namespace', 'halfway'])).code === 1 ? true : undefined), 60_000);
      assert.ok(JSON.parse(ok(await k2(['get', 'configmap', 'fg-owner', '-o', 'json']), 'owner still held')).metadata.deletionTimestamp);
      ok(await k2(['patch', 'secret', 'fg-dep', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'release dependent');
      await eventually('owner gone', async () => ((await k2(['get', 'configmap', 'fg-owner'])).code === 1 ? true : undefined));
      assert.deepEqual(controllerDenials(second.output()), []);
      assert.equal(await second.stop(), 0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('--controllers', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--controllers', '*,-serviceaccount-controller']);

  it('a disabled controller does not run; the others do', async () => {
    ok(await t.k(['create', 'namespace', 'no-sa']), 'create ns');
    await eventually('kube-root-ca.crt', () => getJson(t.k, ['configmap', 'kube-root-ca.crt', '-n', 'no-sa']));
    assert.equal((await t.k(['get', 'sa', 'default', '-n', 'no-sa'])).code, 1);
  });

  it('the missing controller can run remotely, against the server URL, through a kubeconfig', async () => {
    const config = loadKubeconfig(t.server.kubeconfig);
    const transport = createHttpsTransport(config);
    const manager = createControllerManager({
      clientFor: () => createRestClient(transport),
      rootCa: readKubeconfigCa(t.server.kubeconfig),
      controllers: ['serviceaccount-controller'],
    });
    try {
      await manager.start();
      assert.deepEqual(manager.names, ['serviceaccount-controller']);
      await manager.synced();
      await eventually('default sa made by the remote controller', () => getJson(t.k, ['sa', 'default', '-n', 'no-sa']));
    } finally {
      await manager.stop();
      transport.close?.();
    }
  });
});
