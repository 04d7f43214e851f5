/**
 * Everyday kubectl workflows beyond CRUD, against the real server: edit, server-side apply, diff,
 * chunked lists, label and field selectors, delete by label, server dry-run, TLS secrets,
 * describe, strategic patches of pods, YAML bodies and Strict field validation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expectOk, useServerAndKubectl } from './harness.js';

const ok = expectOk;

for (const version of ['1.28', '1.32']) {
  describe(`kubectl ${version} workflows`, () => {
    const t = useServerAndKubectl(version, { before, after });
    before(async () => {
      for (let i = 1; i <= 5; i++) ok(await t.k(['create', 'sa', `c${i}`]), `create c${i}`);
    });

    it('chunked lists, label and field selectors, delete by label', async () => {
      const chunked = ok(await t.k(['get', 'sa', '--chunk-size=2']), 'chunked');
      assert.deepEqual(chunked.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter((n) => n !== 'default'), ['c1', 'c2', 'c3', 'c4', 'c5']);
      ok(await t.k(['label', 'sa', 'c1', 'c2', 'grp=x']), 'label');
      assert.equal(ok(await t.k(['get', 'sa', '-l', 'grp=x', '-o', 'name']), 'get -l'), 'serviceaccount/c1\nserviceaccount/c2\n');
      // The namespace's own "default" account (created by the ServiceAccounts controller) is not ours to count.
      assert.equal(ok(await t.k(['get', 'sa', '-l', 'grp notin (x)', '-o', 'name']), 'notin').replace('serviceaccount/default\n', ''), 'serviceaccount/c3\nserviceaccount/c4\nserviceaccount/c5\n');
      assert.match(ok(await t.k(['get', 'sa', '--field-selector', 'metadata.name=c3']), 'field selector'), /^c3\s+0\s+\d+s$/m);
      const bad = await t.k(['get', 'sa', '--field-selector', 'spec.nope=1']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /field label not supported: spec\.nope/);
      assert.equal(ok(await t.k(['delete', 'sa', '-l', 'grp=x']), 'delete -l'), 'serviceaccount "c1" deleted\nserviceaccount "c2" deleted\n');
    });

    it('edit, server-side apply and diff', async () => {
      const editor = join(t.dir, 'editor.sh');
      writeFileSync(editor, '#!/bin/sh\nsed -i "s/^  name: c4$/  name: c4\\n  labels:\\n    edited: \\"yes\\"/" "$1"\n');
      chmodSync(editor, 0o755);
      assert.equal(ok(await t.k(['edit', 'sa', 'c4'], { env: { KUBE_EDITOR: editor } }), 'edit').trim(), 'serviceaccount/c4 edited');
      assert.match(ok(await t.k(['get', 'sa', 'c4', '--show-labels']), 'labels'), /edited=yes/);
      const file = join(t.dir, 'ssa.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ssa\n  labels:\n    tier: web\n');
      assert.equal(ok(await t.k(['apply', '--server-side', '-f', file]), 'ssa create').trim(), 'serviceaccount/ssa serverside-applied');
      assert.equal(ok(await t.k(['apply', '--server-side', '-f', file]), 'ssa again').trim(), 'serviceaccount/ssa serverside-applied');
      const same = await t.k(['diff', '-f', file]);
      assert.equal(same.code, 0, same.stdout + same.stderr);
      writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ssa\n  labels:\n    tier: db\n');
      const changed = await t.k(['diff', '-f', file]);
      assert.equal(changed.code, 1, changed.stderr);
      assert.match(changed.stdout, /-    tier: web\n\+    tier: db/);
      assert.equal(parseYaml(ok(await t.k(['get', 'sa', 'ssa', '-o', 'yaml']), 'get')).metadata.labels.tier, 'web', 'diff changed nothing');
    });

    it('server dry-run persists nothing; TLS secrets; describe', async () => {
      assert.equal(ok(await t.k(['create', 'sa', 'dry', '--dry-run=server', '-o', 'name']), 'dry-run').trim(), 'serviceaccount/dry');
      assert.equal((await t.k(['get', 'sa', 'dry'])).code, 1);
      const crt = join(t.server.dataDir, 'pki', 'apiserver.crt');
      const key = join(t.server.dataDir, 'pki', 'apiserver.key');
      ok(await t.k(['create', 'secret', 'tls', 't1', `--cert=${crt}`, `--key=${key}`]), 'tls secret');
      assert.match(ok(await t.k(['get', 'secret', 't1']), 'get tls'), /^t1\s+kubernetes\.io\/tls\s+2\s+\d+s$/m);
      const d = ok(await t.k(['describe', 'sa', 'c5']), 'describe sa');
      assert.match(d, /^Name:\s+c5$/m);
      assert.match(d, /^Namespace:\s+default$/m);
      assert.match(d, /^Tokens:\s+<none>$/m);
    });

    it('server-side apply: managed fields, conflicts, force, and fields dropped from the configuration', async () => {
      const file = join(t.dir, 'owned.yaml');
      writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: owned\n  labels:\n    tier: web\n    keep: "1"\n');
      ok(await t.k(['apply', '--server-side', '-f', file]), 'apply');
      const y = parseYaml(ok(await t.k(['get', 'sa', 'owned', '-o', 'yaml', '--show-managed-fields']), 'get'));
      assert.deepEqual(y.metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`), ['kubectl/Apply']);
      assert.deepEqual(y.metadata.managedFields[0].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:keep': {}, 'f:tier': {} } } });
      ok(await t.k(['label', 'sa', 'owned', 'tier=db', '--overwrite']), 'label');
      const conflict = await t.k(['apply', '--server-side', '-f', file]);
      assert.equal(conflict.code, 1);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl-label" using v1: \.metadata\.labels\.tier/);
      ok(await t.k(['apply', '--server-side', '--force-conflicts', '-f', file]), 'force');
      writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: owned\n  labels:\n    tier: web\n');
      ok(await t.k(['apply', '--server-side', '-f', file]), 'apply without keep');
      assert.deepEqual(parseYaml(ok(await t.k(['get', 'sa', 'owned', '-o', 'yaml']), 'get')).metadata.labels, { tier: 'web' });
    });

    it('serves Prometheus metrics to admins', async () => {
      ok(await t.k(['get', 'sa']), 'get sa');
      const m = ok(await t.k(['get', '--raw', '/metrics']), 'metrics');
      assert.match(m, /^apiserver_request_total\{verb="LIST",group="",version="v1",resource="serviceaccounts",subresource="",scope="namespace",code="200"\} \d+$/m);
      assert.match(m, /^apiserver_request_duration_seconds_bucket\{.*resource="serviceaccounts".*\} \d+$/m);
      assert.match(m, /^process_resident_memory_bytes \d+/m);
    });

    it('strategic patches of pod containers and strict field validation', async () => {
      const pod = join(t.dir, 'pod.yaml');
      writeFileSync(
        pod,
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c1\n    image: nginx:1.25\n    env:\n    - name: A\n      value: "1"\n  - name: c2\n    image: busybox\n',
      );
      assert.equal(ok(await t.k(['apply', '-f', pod]), 'apply pod').trim(), 'pod/web created');
      ok(await t.k(['patch', 'pod', 'web', '-p', '{"spec":{"containers":[{"name":"c1","image":"nginx:1.26"}]}}']), 'smp');
      const p = parseYaml(ok(await t.k(['get', 'pod', 'web', '-o', 'yaml']), 'get pod'));
      assert.deepEqual(p.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['c1=nginx:1.26', 'c2=busybox']);
      assert.deepEqual(p.spec.containers[0].env, [{ name: 'A', value: '1' }]);
      const change = await t.k(['patch', 'pod', 'web', '-p', '{"spec":{"serviceAccountName":"other"}}']);
      assert.equal(change.code, 1);
      assert.match(change.stderr, /Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);
      const bad = join(t.dir, 'bad.yaml');
      writeFileSync(bad, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: strict\nfoo: bar\n');
      const strict = await t.k(['create', '-f', bad]);
      assert.equal(strict.code, 1);
      assert.match(strict.stderr, /strict decoding error: unknown field "foo"/);
    });
  });
}
