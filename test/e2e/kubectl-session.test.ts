/**
 * The user session of the API-core issue, driven with the real kubectl 1.27, 1.32 and 1.33 against
 * the real server process: namespaces, serviceaccounts (create, apply twice, get -o yaml/wide,
 * patch, replace, watch, delete), secrets, configmaps, pods, nodes, events, discovery commands.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { expectOk, kubectlDirectory, useServerAndKubectl, type Kubectl } from './harness.js';
import { eventually } from './support.js';

const versions = ['1.27', '1.32', '1.33'];

const ok = expectOk;

for (const version of versions) {
  describe(`kubectl ${version} session`, () => {
    const t = useServerAndKubectl(version, { before, after });

    it('reports version and discovery', async () => {
      assert.match(ok(await t.k(['version']), 'version'), /Server Version: (version\.Info\{.*GitVersion:")?v1\.32\.0/);
      const resources = ok(await t.k(['api-resources']), 'api-resources');
      for (const line of [/^serviceaccounts\s+sa\s+v1\s+true\s+ServiceAccount$/m, /^pods\s+po\s+v1\s+true\s+Pod$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m, /^secrets\s+v1\s+true\s+Secret$/m]) {
        assert.match(resources, line);
      }
      assert.match(ok(await t.k(['api-versions']), 'api-versions'), /^v1$/m);
      assert.match(ok(await t.k(['cluster-info']), 'cluster-info').replace(/\x1b\[[0-9;]*m/g, ''), /Kubernetes control plane is running at https:\/\/127\.0\.0\.1:\d+/);
      const explain = ok(await t.k(['explain', 'serviceaccount']), 'explain');
      assert.match(explain, /KIND:\s+ServiceAccount/);
      assert.match(explain, /automountServiceAccountToken/);
    });

    it('creates namespaces and serviceaccounts and prints tables', async () => {
      assert.equal(ok(await t.k(['create', 'namespace', 'my-ns']), 'create ns').trim(), 'namespace/my-ns created');
      assert.equal(ok(await t.k(['create', 'serviceaccount', 'my-sa', '-n', 'my-ns']), 'create sa').trim(), 'serviceaccount/my-sa created');
      const file = join(t.dir, 'build-robot.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n');
      assert.equal(ok(await t.k(['apply', '-f', file]), 'apply 1').trim(), 'serviceaccount/build-robot created');
      assert.equal(ok(await t.k(['apply', '-f', file]), 'apply 2').trim(), 'serviceaccount/build-robot unchanged');
      const wide = ok(await t.k(['get', 'serviceaccounts', '-A', '-o', 'wide']), 'get -A');
      const lines = wide.trim().split('\n');
      assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+SECRETS\s+AGE$/);
      assert.ok(lines.some((l) => /^my-ns\s+my-sa\s+0\s+\d+s$/.test(l)), wide);
      assert.ok(lines.some((l) => /^default\s+build-robot\s+0\s+\d+s$/.test(l)), wide);
      const y = parseYaml(ok(await t.k(['get', 'serviceaccounts/build-robot', '-o', 'yaml']), 'get -o yaml'));
      assert.equal(y.apiVersion, 'v1');
      assert.equal(y.kind, 'ServiceAccount');
      assert.equal(y.metadata.name, 'build-robot');
      assert.equal(y.metadata.namespace, 'default');
      assert.match(y.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.match(y.metadata.resourceVersion, /^\d+$/);
      assert.match(y.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(y.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    });

    it('patches, replaces and deletes a serviceaccount', async () => {
      assert.equal(
        ok(await t.k(['patch', 'serviceaccount', 'build-robot', '-p', '{"imagePullSecrets": [{"name": "myregistrykey"}]}']), 'patch').trim(),
        'serviceaccount/build-robot patched',
      );
      assert.equal(
        ok(await t.k(['patch', 'serviceaccount', 'build-robot', '-p', '{"imagePullSecrets": [{"name": "myregistrykey"}]}']), 'patch again').trim(),
        'serviceaccount/build-robot patched (no change)',
      );
      const sa = parseYaml(ok(await t.k(['get', 'sa', 'build-robot', '-o', 'yaml']), 'get'));
      assert.deepEqual(sa.imagePullSecrets, [{ name: 'myregistrykey' }]);
      sa.metadata.labels = { edited: 'yes' };
      const file = join(t.dir, 'sa.yaml');
      writeFileSync(file, JSON.stringify(sa));
      assert.equal(ok(await t.k(['replace', '-f', file]), 'replace').trim(), 'serviceaccount/build-robot replaced');
      // The same file again carries a stale resourceVersion: 409 Conflict.
      const stale = await t.k(['replace', '-f', file]);
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /Error from server \(Conflict\): error when replacing ".*sa\.yaml": Operation cannot be fulfilled on serviceaccounts "build-robot": the object has been modified; please apply your changes to the latest version and try again/);
      assert.equal(ok(await t.k(['delete', 'serviceaccount/build-robot']), 'delete').trim(), 'serviceaccount "build-robot" deleted');
      const gone = await t.k(['get', 'sa', 'build-robot']);
      assert.equal(gone.code, 1);
      assert.match(gone.stderr, /Error from server \(NotFound\): serviceaccounts "build-robot" not found/);
    });

    it('watch sees changes made by another client', async () => {
      ok(await t.k(['create', 'sa', 'before-watch']), 'create before-watch');
      const w = spawnKubectl(t.k, t.server.kubeconfig, ['get', 'sa', '-w', '--request-timeout=30s']);
      await w.waitFor(/before-watch\s+0/);
      ok(await t.k(['create', 'sa', 'watched']), 'create watched');
      await w.waitFor(/watched\s+0/);
      w.stop();
    });

    it('secrets, configmaps, pods, nodes and events', async () => {
      ok(await t.k(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cret']), 'secret generic');
      ok(await t.k(['create', 'secret', 'docker-registry', 'myregistrykey', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p']), 'docker-registry');
      const secrets = ok(await t.k(['get', 'secrets']), 'get secrets');
      assert.match(secrets, /^db\s+Opaque\s+1\s+\d+s$/m);
      assert.match(secrets, /^myregistrykey\s+kubernetes\.io\/dockerconfigjson\s+1\s+\d+s$/m);
      const described = ok(await t.k(['describe', 'secret', 'db']), 'describe secret');
      assert.match(described, /Type:\s+Opaque/);
      assert.match(described, /password:\s+6 bytes/);
      ok(await t.k(['create', 'configmap', 'cfg', '--from-literal=a=b']), 'configmap');
      assert.match(ok(await t.k(['get', 'cm', 'cfg']), 'get cm'), /^cfg\s+1\s+\d+s$/m);
      assert.equal(ok(await t.k(['run', 'nginx', '--image=nginx', '--restart=Never']), 'run').trim(), 'pod/nginx created');
      assert.match(ok(await t.k(['get', 'pod', 'nginx', '-o', 'jsonpath={.spec.containers[0].image} {.status.phase} {.spec.restartPolicy}']), 'jsonpath'), /^nginx (Pending|Running) Never$/);
      // The embedded node agent runs it.
      await eventually('nginx 1/1 Running', async () => (/^nginx\s+1\/1\s+Running\s+0\s+\d+s$/m.test(ok(await t.k(['get', 'pods']), 'get pods')) ? true : undefined));
      assert.equal(ok(await t.k(['delete', 'pod', 'nginx']), 'delete pod').trim(), 'pod "nginx" deleted');
      const node = join(t.dir, 'node.yaml');
      writeFileSync(node, 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-001\n');
      ok(await t.k(['create', '-f', node]), 'create node');
      assert.match(ok(await t.k(['get', 'nodes']), 'get nodes'), /^node-001\s+/m);
      assert.match(ok(await t.k(['get', 'events']), 'get events') + (await t.k(['get', 'events'])).stderr, /No resources found|LAST SEEN/);
      ok(await t.k(['delete', 'namespace', 'my-ns']), 'delete namespace');
      const ns = await t.k(['get', 'ns', 'my-ns']);
      assert.equal(ns.code, 1);
    });
  });
}

function spawnKubectl(k: Kubectl, kubeconfig: string, args: string[]) {
  const bin = k.version === 'dispatcher' ? 'kubectl' : `${kubectlDirectory()}/kubectl.${k.version}`;
  const child = spawn(bin, ['--kubeconfig', kubeconfig, '--cache-dir', k.cacheDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return {
    waitFor(re: RegExp, ms = 20_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timed out waiting for ${re} in:\n${out}`)), ms);
        const check = () => {
          if (re.test(out)) {
            clearTimeout(t);
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
      });
    },
    stop() {
      child.kill();
    },
  };
}
