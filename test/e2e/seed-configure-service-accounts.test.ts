/**
 * The walkthrough of Kubernetes' task page "Configure Service Accounts for Pods" (our users'
 * document, ../shared/seeds/001), command by command, with the real kubectl 1.32 against the
 * real server: the default account, a second account, `kubectl create token` (plain and bound to
 * a Node), a long-lived token Secret filled in by the control plane and cleaned up with its
 * account, image pull secrets on the default account (patch and edit) copied into a new pod, a
 * pod with a projected token for audience vault, and issuer discovery.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expectOk, useServerAndKubectl } from './harness.js';
import { eventually, payloadOf } from './support.js';
import { clientFromKubeconfig } from './client.js';

const ok = expectOk;

describe('seed: Configure Service Accounts for Pods (kubectl 1.32)', () => {
  const t = useServerAndKubectl('1.32', { before, after });

  it('every namespace has a default ServiceAccount', async () => {
    const out = await eventually('the default account', async () => {
      const r = await t.k(['get', 'serviceaccounts']);
      return r.code === 0 && /^default\s+0\s+\S+$/m.test(r.stdout) ? r.stdout : undefined;
    });
    assert.match(out, /^NAME\s+SECRETS\s+AGE$/m);
  });

  it('creates, shows and deletes a second ServiceAccount', async () => {
    ok(await t.k(['apply', '-f', '-'], { input: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: build-robot\n' }), 'apply');
    const sa = parseYaml(ok(await t.k(['get', 'serviceaccounts/build-robot', '-o', 'yaml']), 'get -o yaml')) as { apiVersion: string; kind: string; metadata: Record<string, string> };
    assert.equal(sa.apiVersion, 'v1');
    assert.equal(sa.kind, 'ServiceAccount');
    assert.equal(sa.metadata.name, 'build-robot');
    assert.equal(sa.metadata.namespace, 'default');
    assert.match(sa.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.match(sa.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(sa.metadata.resourceVersion!, /^\d+$/);
    assert.equal(ok(await t.k(['delete', 'serviceaccount/build-robot']), 'delete'), 'serviceaccount "build-robot" deleted\n');
  });

  it('manually creates API tokens, plain and bound to a Node', async () => {
    ok(await t.k(['create', 'serviceaccount', 'build-robot']), 'create sa');
    const token = ok(await t.k(['create', 'token', 'build-robot']), 'create token');
    const claims = payloadOf(token);
    assert.equal(claims.sub, 'system:serviceaccount:default:build-robot');
    assert.equal(Number(claims.exp) - Number(claims.iat), 3600);

    const node = JSON.parse(ok(await t.k(['create', '-f', '-', '-o', 'json'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-001' } }) }), 'create node')) as { metadata: { uid: string } };
    const bound = ok(await t.k(['create', 'token', 'build-robot', '--bound-object-kind', 'Node', '--bound-object-name', 'node-001', '--bound-object-uid', node.metadata.uid]), 'create bound token');
    const k8s = payloadOf(bound)['kubernetes.io'] as { node?: { name: string; uid: string } };
    assert.deepEqual(k8s.node, { name: 'node-001', uid: node.metadata.uid });
    // "valid until it expires or either the associated Node or service account are deleted"
    const c = clientFromKubeconfig(t.server.kubeconfig);
    const review = async (tok: string) => {
      const r = await c.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: tok.trim() } }),
      });
      return (r.json() as { status: { authenticated?: boolean } }).status.authenticated === true;
    };
    assert.equal(await review(bound), true);
    ok(await t.k(['delete', 'node', 'node-001']), 'delete node');
    assert.equal(await review(bound), false);
    assert.equal(await review(token), true);
  });

  it('a long-lived token Secret is filled in, and cleaned up with its account', async () => {
    ok(await t.k(['apply', '-f', '-'], {
      input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: build-robot-secret\n  annotations:\n    kubernetes.io/service-account.name: build-robot\ntype: kubernetes.io/service-account-token\n',
    }), 'apply secret');
    const secret = await eventually('the token in the Secret', async () => {
      const s = parseYaml(ok(await t.k(['get', 'secret/build-robot-secret', '-o', 'yaml']), 'get secret')) as { data?: Record<string, string> };
      return s.data?.token ? s : undefined;
    });
    assert.equal(Buffer.from(secret.data!.namespace!, 'base64').toString(), 'default');
    assert.match(Buffer.from(secret.data!['ca.crt']!, 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.equal(payloadOf(Buffer.from(secret.data!.token!, 'base64').toString()).sub, 'system:serviceaccount:default:build-robot');

    const described = ok(await t.k(['describe', 'secrets/build-robot-secret']), 'describe');
    assert.match(described, /^Name:\s+build-robot-secret$/m);
    assert.match(described, /^Annotations:\s+kubernetes\.io\/service-account\.name: build-robot$/m);
    assert.match(described, /^\s+kubernetes\.io\/service-account\.uid: [0-9a-f-]{36}$/m);
    assert.match(described, /^Type:\s+kubernetes\.io\/service-account-token$/m);
    assert.match(described, /^ca\.crt:\s+\d+ bytes$/m);
    assert.match(described, /^namespace:\s+7 bytes$/m);
    assert.match(described, /^token:\s+\S+$/m);

    // The account's .secrets lists only auto-generated Secrets.
    const sa = parseYaml(ok(await t.k(['get', 'serviceaccount', 'build-robot', '-o', 'yaml']), 'get sa')) as { secrets?: unknown[] };
    assert.equal(sa.secrets, undefined);

    ok(await t.k(['delete', 'serviceaccount', 'build-robot']), 'delete sa');
    await eventually('the token Secret to be deleted', async () => ((await t.k(['get', 'secret', 'build-robot-secret'])).code !== 0 ? true : undefined));
  });

  it('adds image pull secrets to the default account, by patch and by edit, and new pods get them', async () => {
    ok(await t.k(['create', 'secret', 'docker-registry', 'myregistrykey', '--docker-server=registry.example', '--docker-username=DUMMY_USERNAME', '--docker-password=DUMMY_DOCKER_PASSWORD', '--docker-email=DUMMY_DOCKER_EMAIL']), 'create docker-registry secret');
    assert.match(ok(await t.k(['get', 'secrets', 'myregistrykey']), 'get secret'), /^myregistrykey\s+kubernetes\.io\/dockerconfigjson\s+1\s+\S+$/m);
    ok(await t.k(['patch', 'serviceaccount', 'default', '-p', '{"imagePullSecrets": [{"name": "myregistrykey"}]}']), 'patch');

    // `kubectl edit`: the editor deletes resourceVersion and adds a second pull secret.
    const editor = join(t.dir, 'editor.sh');
    writeFileSync(editor, `#!/bin/sh\nsed -i -e '/resourceVersion:/d' -e 's/^- name: myregistrykey$/- name: myregistrykey\\n- name: otherkey/' "$1"\n`);
    chmodSync(editor, 0o755);
    ok(await t.k(['edit', 'serviceaccount/default'], { env: { KUBE_EDITOR: editor, EDITOR: editor } }), 'edit');
    const sa = parseYaml(ok(await t.k(['get', 'sa', 'default', '-o', 'yaml']), 'get sa')) as { imagePullSecrets: Array<{ name: string }> };
    assert.deepEqual(sa.imagePullSecrets, [{ name: 'myregistrykey' }, { name: 'otherkey' }]);

    ok(await t.k(['run', 'nginx', '--image=registry.example/nginx', '--restart=Never']), 'run');
    assert.equal(ok(await t.k(['get', 'pod', 'nginx', '-o=jsonpath={.spec.imagePullSecrets[0].name}{"\\n"}']), 'jsonpath'), 'myregistrykey\n');
  });

  it('launches a pod with a projected token for audience vault', async () => {
    ok(await t.k(['create', 'serviceaccount', 'build-robot']), 'create sa');
    const manifest = [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: nginx-vault', 'spec:', '  containers:', '  - image: nginx', '    name: nginx', '    volumeMounts:',
      '    - mountPath: /var/run/secrets/tokens', '      name: vault-token', '  serviceAccountName: build-robot', '  volumes:', '  - name: vault-token', '    projected:',
      '      sources:', '      - serviceAccountToken:', '          path: vault-token', '          expirationSeconds: 7200', '          audience: vault', '',
    ].join('\n');
    const path = join(t.dir, 'pod-projected-svc-token.yaml');
    writeFileSync(path, manifest);
    assert.equal(ok(await t.k(['create', '-f', path]), 'create pod'), 'pod/nginx-vault created\n');
    const pod = parseYaml(ok(await t.k(['get', 'pod', 'nginx-vault', '-o', 'yaml']), 'get pod')) as {
      spec: { serviceAccountName: string; volumes: Array<{ name: string; projected?: { sources: Array<{ serviceAccountToken?: unknown }> } }> };
    };
    assert.equal(pod.spec.serviceAccountName, 'build-robot');
    const vault = pod.spec.volumes.find((v) => v.name === 'vault-token');
    assert.deepEqual(vault?.projected?.sources[0]?.serviceAccountToken, { audience: 'vault', expirationSeconds: 7200, path: 'vault-token' });
    assert.ok(pod.spec.volumes.some((v) => v.name.startsWith('kube-api-access-')), 'the default token volume is added too');
  });

  it('publishes the discovery document and the JWKS', async () => {
    const c = clientFromKubeconfig(t.server.kubeconfig);
    const config = (await c.request('GET', '/.well-known/openid-configuration')).json() as { issuer: string; jwks_uri: string };
    assert.equal(config.issuer, t.server.url);
    assert.equal(config.jwks_uri, `${t.server.url}/openid/v1/jwks`);
    const jwks = (await c.request('GET', '/openid/v1/jwks')).json() as { keys: Array<{ kty: string; use: string }> };
    assert.ok(jwks.keys.length >= 1);
    assert.equal(jwks.keys[0]!.use, 'sig');
  });
});
