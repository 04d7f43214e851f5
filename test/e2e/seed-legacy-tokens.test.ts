/**
 * The older documents our users learn from (../shared/seeds/000, the 1.x "Service Accounts" user
 * guide, and 003, "Managing ServiceAccounts"), which describe auto-generated token Secrets: run
 * with `--feature-gates LegacyServiceAccountTokenNoAutoGeneration=false`, as README says, with
 * the real kubectl 1.32.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expectOk, useServerAndKubectl } from './harness.js';
import { eventually } from './support.js';

const ok = expectOk;

interface Sa {
  metadata: { name: string; uid: string };
  secrets?: Array<{ name: string }>;
  imagePullSecrets?: Array<{ name: string }>;
}

describe('seed: the legacy token documents (auto-generated token Secrets)', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--feature-gates', 'LegacyServiceAccountTokenNoAutoGeneration=false']);

  it('lists the default account with one Secret', async () => {
    await eventually('SECRETS 1 for default', async () => {
      const r = await t.k(['get', 'serviceAccounts']);
      return /^default\s+1\s+\S+$/m.test(r.stdout) ? true : undefined;
    });
  });

  it('a new account gets a token Secret it references', async () => {
    const file = join(t.dir, 'serviceaccount.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n');
    assert.equal(ok(await t.k(['create', '-f', file]), 'create'), 'serviceaccount/build-robot created\n');
    const sa = await eventually('a referenced token Secret', async () => {
      const s = parseYaml(ok(await t.k(['get', 'serviceaccounts/build-robot', '-o', 'yaml']), 'get')) as Sa;
      return s.secrets?.length ? s : undefined;
    });
    assert.match(sa.secrets![0]!.name, /^build-robot-token-[a-z0-9]{5}$/);
    const secret = parseYaml(ok(await t.k(['get', 'secret', sa.secrets![0]!.name, '-o', 'yaml']), 'get secret')) as { type: string; data: Record<string, string> };
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.ok(secret.data.token && secret.data['ca.crt'] && secret.data.namespace);
    ok(await t.k(['delete', 'serviceaccount/build-robot']), 'delete');
    await eventually('the generated Secret to go', async () => ((await t.k(['get', 'secret', sa.secrets![0]!.name])).code !== 0 ? true : undefined));
  });

  it('a manually created token Secret is populated', async () => {
    ok(await t.k(['create', 'serviceaccount', 'build-robot']), 'create sa');
    const file = join(t.dir, 'build-robot-secret.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\n  annotations:\n    kubernetes.io/service-account.name: build-robot\ntype: kubernetes.io/service-account-token\n');
    assert.equal(ok(await t.k(['create', '-f', file]), 'create'), 'secret/build-robot-secret created\n');
    const described = await eventually('the token', async () => {
      const d = ok(await t.k(['describe', 'secrets/build-robot-secret']), 'describe');
      return /^token:\s+\S+/m.test(d) ? d : undefined;
    });
    assert.match(described, /^ca\.crt:\s+\d+ bytes$/m);
    assert.match(described, /^namespace:\s+7 bytes$/m);
    assert.match(described, /kubernetes\.io\/service-account\.uid: [0-9a-f-]{36}/);
  });

  it('adds an image pull secret by editing a saved copy and replacing the account', async () => {
    ok(await t.k(['create', 'secret', 'docker-registry', 'myregistrykey', '--docker-server=registry.example', '--docker-username=u', '--docker-password=p']), 'pull secret');
    const file = join(t.dir, 'sa.yaml');
    writeFileSync(file, ok(await t.k(['get', 'serviceaccounts', 'default', '-o', 'yaml']), 'get sa'));
    // [delete line with key "resourceVersion"] [add lines with "imagePullSecrets:"]
    const edited = readFileSync(file, 'utf8').split('\n').filter((l) => !/^\s+resourceVersion:/.test(l)).join('\n').trimEnd() + '\nimagePullSecrets:\n- name: myregistrykey\n';
    writeFileSync(file, edited);
    ok(await t.k(['replace', '-f', file]), 'replace');
    const sa = parseYaml(ok(await t.k(['get', 'sa', 'default', '-o', 'yaml']), 'get')) as Sa;
    assert.deepEqual(sa.imagePullSecrets, [{ name: 'myregistrykey' }]);
    assert.equal(sa.secrets?.length, 1, 'the generated token stays referenced');
    ok(await t.k(['run', 'nginx', '--image=nginx', '--restart=Never']), 'run');
    assert.equal(ok(await t.k(['get', 'pod', 'nginx', '-o=jsonpath={.spec.imagePullSecrets[0].name}']), 'jsonpath'), 'myregistrykey');
  });

  it('Managing ServiceAccounts: additional tokens, and a deleted token is replaced', async () => {
    ok(await t.k(['create', 'namespace', 'examplens']), 'namespace');
    await eventually('the default account of examplens', async () => ((await t.k(['-n', 'examplens', 'get', 'sa', 'default'])).code === 0 ? true : undefined));
    ok(await t.k(['-n', 'examplens', 'create', 'serviceaccount', 'myserviceaccount']), 'myserviceaccount');
    const file = join(t.dir, 'mysecretname.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  name: mysecretname\n  annotations:\n    kubernetes.io/service-account.name: myserviceaccount\n');
    ok(await t.k(['-n', 'examplens', 'create', '-f', file]), 'create secret');
    const described = await eventually('the token', async () => {
      const d = ok(await t.k(['-n', 'examplens', 'describe', 'secret', 'mysecretname']), 'describe');
      return /^token:\s+\S+/m.test(d) ? d : undefined;
    });
    assert.match(described, /^namespace:\s+9 bytes$/m);

    ok(await t.k(['-n', 'examplens', 'apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: example-automated-thing\n' }), 'apply sa');
    const first = await eventually('a generated token', async () => {
      const s = parseYaml(ok(await t.k(['-n', 'examplens', 'get', 'serviceaccount/example-automated-thing', '-o', 'yaml']), 'get')) as Sa;
      return s.secrets?.[0]?.name;
    });
    assert.match(first, /^example-automated-thing-token-[a-z0-9]{5}$/);
    ok(await t.k(['-n', 'examplens', 'delete', `secret/${first}`]), 'delete token');
    const second = await eventually('a replacement token', async () => {
      const s = parseYaml(ok(await t.k(['-n', 'examplens', 'get', 'serviceaccount/example-automated-thing', '-o', 'yaml']), 'get')) as Sa;
      const name = s.secrets?.[0]?.name;
      return name && name !== first ? name : undefined;
    });
    assert.match(second, /^example-automated-thing-token-[a-z0-9]{5}$/);
    ok(await t.k(['delete', 'namespace', 'examplens']), 'delete namespace');
  });
});
