/**
 * RBAC end to end (issue 5), with the real kubectl 1.32 against the real server: the issue's
 * commands (create role / rolebinding / clusterrolebinding, auth can-i, can-i --list, a
 * ServiceAccount token refused what its bindings do not grant), non-admin identities through x509
 * client certificates issued from the cluster CA and through impersonation, and the bad inputs:
 * escalation, binding to cluster-admin without bind, a binding to a missing role, impersonation
 * without the verb, malformed rules, wildcards in the wrong place.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate } from '../../src/auth/pki.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { clientFromKubeconfig } from './client.js';
import { expectOk, kubectl, readKubeconfigCa, useServerAndKubectl, type Kubectl } from './harness.js';
import { eventually, getJson } from './support.js';

const ok = expectOk;

describe('RBAC with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });
  const users: Record<string, Kubectl> = {};

  /** kubectl as a user with an x509 client certificate (CN = user, O = groups) from the cluster CA. */
  async function as(user: string, groups: string[] = []): Promise<Kubectl> {
    const key = `${user}|${groups.join(',')}`;
    if (users[key]) return users[key]!;
    const pki = join(t.server.dataDir, 'pki');
    const ca = { certPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
    const cert = await issueCertificate(ca, { commonName: user, organizations: groups, usage: 'client' });
    const path = join(t.dir, `${user.replace(/[^a-z0-9]/gi, '_')}.kubeconfig`);
    writeFileSync(path, renderKubeconfig({ server: t.server.url, caPem: readKubeconfigCa(t.server.kubeconfig), clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }));
    return (users[key] = kubectl(path, '1.32'));
  }

  it('has admin, edit and view aggregated as soon as the server is ready', async () => {
    // The first request after readiness: the system:aggregate-to-* rules are already there.
    const [view, edit, admin] = await Promise.all(['view', 'edit', 'admin'].map((r) => getJson(t.k, ['clusterrole', r, '--show-managed-fields'])));
    const grants = (role: any, verb: string, resource: string) => role.rules.some((r: any) => r.resources?.includes(resource) && r.verbs.includes(verb));
    assert.ok(grants(view, 'list', 'pods') && !grants(view, 'create', 'pods'), 'view: system:aggregate-to-view');
    assert.ok(grants(edit, 'create', 'pods') && grants(edit, 'list', 'pods'), 'edit: system:aggregate-to-edit and view');
    assert.ok(grants(admin, 'create', 'rolebindings') && grants(admin, 'create', 'pods') && grants(admin, 'list', 'pods'), 'admin: system:aggregate-to-admin, edit and view');
    // Written by the aggregation controller's server-side apply, as upstream's.
    for (const role of [view, edit, admin]) {
      assert.ok(role.metadata.managedFields.some((m: any) => m.manager === 'clusterrole-aggregation-controller' && m.operation === 'Apply'), JSON.stringify(role.metadata.managedFields));
    }
  });

  it('runs the commands of the issue', async () => {
    ok(await t.k(['create', 'namespace', 'dev']), 'create ns');
    ok(await t.k(['create', 'serviceaccount', 'build-robot', '-n', 'dev']), 'create sa');
    assert.equal(ok(await t.k(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', 'dev']), 'create role').trim(),
      'role.rbac.authorization.k8s.io/pod-reader created');
    assert.equal(ok(await t.k(['create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=dev:build-robot', '-n', 'dev']), 'create rb').trim(),
      'rolebinding.rbac.authorization.k8s.io/read-pods created');
    assert.equal(
      ok(await t.k(['create', 'clusterrolebinding', 'oidc-anon', '--clusterrole=system:service-account-issuer-discovery', '--group=system:unauthenticated']), 'create crb').trim(),
      'clusterrolebinding.rbac.authorization.k8s.io/oidc-anon created',
    );
    const sa = '--as=system:serviceaccount:dev:build-robot';
    const yes = await t.k(['auth', 'can-i', 'list', 'pods', '-n', 'dev', sa]);
    assert.deepEqual([yes.code, yes.stdout.trim()], [0, 'yes']);
    const no = await t.k(['auth', 'can-i', 'list', 'secrets', '-n', 'dev', sa]);
    assert.deepEqual([no.code, no.stdout.trim()], [1, 'no']);
    const list = ok(await t.k(['auth', 'can-i', '--list', '-n', 'dev', sa]), 'can-i --list');
    assert.match(list, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
    assert.match(list, /^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
    assert.match(list, /^\s+\[\/openid\/v1\/jwks\]\s+\[\]\s+\[get\]$/m);
    assert.doesNotMatch(list, /secrets/);
  });

  it('refuses a ServiceAccount token what its bindings do not grant, and allows what they do', async () => {
    const token = ok(await t.k(['create', 'token', 'build-robot', '-n', 'dev']), 'create token').trim();
    // A kubeconfig with only the token (the admin one carries a client certificate).
    const path = join(t.dir, 'token.kubeconfig');
    writeFileSync(path, renderKubeconfig({ server: t.server.url, caPem: readKubeconfigCa(t.server.kubeconfig), token }));
    const k = kubectl(path, '1.32');
    const secrets = await k(['get', 'secrets', '-n', 'dev']);
    assert.equal(secrets.code, 1);
    assert.equal(secrets.stderr.trim(), 'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:dev:build-robot" cannot list resource "secrets" in API group "" in the namespace "dev"');
    const pods = await k(['get', 'pods', '-n', 'dev']);
    assert.equal(pods.code, 0, pods.stderr);
    const other = await k(['get', 'pods', '-n', 'default']);
    assert.match(other.stderr, /pods is forbidden: User "system:serviceaccount:dev:build-robot" cannot list resource "pods" in API group "" in the namespace "default"/);
    // Discovery, /version and the OIDC documents come from the bootstrap policy.
    assert.match(ok(await k(['version']), 'version as SA'), /Server Version: v1\.32\.0/);
    assert.match(ok(await k(['get', '--raw', '/.well-known/openid-configuration']), 'oidc as SA'), /"jwks_uri"/);
  });

  it('gives an authenticated non-admin discovery, /version and self reviews, nothing else', async () => {
    const alice = await as('alice', ['devs']);
    assert.match(ok(await alice(['version']), 'version'), /Server Version: v1\.32\.0/);
    assert.match(ok(await alice(['api-resources']), 'api-resources'), /^roles\s+rbac\.authorization\.k8s\.io\/v1\s+true\s+Role$/m);
    assert.equal(ok(await alice(['auth', 'can-i', 'create', 'selfsubjectaccessreviews']), 'can-i').trim(), 'yes');
    assert.match(ok(await alice(['auth', 'whoami']), 'whoami'), /alice/);
    const r = await alice(['get', 'serviceaccounts', '-n', 'dev']);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): serviceaccounts is forbidden: User "alice" cannot list resource "serviceaccounts" in API group "" in the namespace "dev"');
  });

  it('lets anonymous read /version and (with the issue\'s binding) the OIDC documents, not discovery', async () => {
    const anon = clientFromKubeconfig(t.server.kubeconfig, { anonymous: true });
    try {
      assert.equal((await anon.request('GET', '/version')).status, 200);
      assert.equal((await anon.request('GET', '/.well-known/openid-configuration')).status, 200);
      assert.equal((await anon.request('GET', '/openid/v1/jwks')).status, 200);
      const api = await anon.request('GET', '/api');
      assert.equal(api.status, 403);
      assert.equal(api.json().message, 'forbidden: User "system:anonymous" cannot get path "/api"');
    } finally {
      anon.agent.destroy();
    }
  });

  it('prints RBAC tables', async () => {
    const rb = ok(await t.k(['get', 'rolebindings', '-n', 'dev', '-o', 'wide']), 'get rb');
    assert.match(rb, /^NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS$/m);
    assert.match(rb, /^read-pods\s+Role\/pod-reader\s+\S+\s+dev\/build-robot$/m);
    assert.match(ok(await t.k(['get', 'roles', '-n', 'dev']), 'get roles'), /^NAME\s+CREATED AT\npod-reader\s+\d{4}-\d\d-\d\dT/m);
    const crb = ok(await t.k(['get', 'clusterrolebinding', 'system:service-account-issuer-discovery', '-o', 'wide']), 'get crb');
    assert.match(crb, /ClusterRole\/system:service-account-issuer-discovery\s+\S+\s+system:serviceaccounts/);
  });

  it('prevents escalation: a Role granting what the creator lacks, a binding to cluster-admin without bind', async () => {
    ok(await t.k(['create', 'clusterrole', 'rbac-writer', '--verb=create,update,get', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io,clusterrolebindings.rbac.authorization.k8s.io']), 'clusterrole');
    ok(await t.k(['create', 'clusterrolebinding', 'bob-rbac', '--clusterrole=rbac-writer', '--user=bob']), 'crb bob');
    ok(await t.k(['create', 'rolebinding', 'bob-pods', '--role=pod-reader', '--user=bob', '-n', 'dev']), 'rb bob');
    const bob = await as('bob');
    // Within what bob holds: allowed.
    assert.equal(ok(await bob(['create', 'role', 'pods-get', '--verb=get', '--resource=pods', '-n', 'dev']), 'small role').trim(), 'role.rbac.authorization.k8s.io/pods-get created');
    const big = await bob(['create', 'role', 'secrets-get', '--verb=get,list', '--resource=secrets', '-n', 'dev']);
    assert.equal(big.code, 1);
    assert.equal(
      big.stderr.trim(),
      'Error from server (Forbidden): roles.rbac.authorization.k8s.io "secrets-get" is forbidden: user "bob" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
    );
    const admin = await bob(['create', 'clusterrolebinding', 'bob-admin', '--clusterrole=cluster-admin', '--user=bob']);
    assert.equal(admin.code, 1);
    assert.match(admin.stderr, /clusterrolebindings\.rbac\.authorization\.k8s\.io "bob-admin" is forbidden: user "bob" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}\n\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}/);
    // With the bind verb on that role, the same binding is allowed.
    ok(await t.k(['create', 'clusterrole', 'bind-admin', '--verb=bind', '--resource=clusterroles.rbac.authorization.k8s.io', '--resource-name=cluster-admin']), 'bind role');
    ok(await t.k(['create', 'clusterrolebinding', 'bob-bind', '--clusterrole=bind-admin', '--user=bob']), 'bind crb');
    ok(await bob(['create', 'clusterrolebinding', 'carol-admin', '--clusterrole=cluster-admin', '--user=carol']), 'binding with bind');
    // With escalate, any Role.
    ok(await t.k(['create', 'clusterrole', 'escalator', '--verb=escalate', '--resource=roles.rbac.authorization.k8s.io']), 'escalate role');
    ok(await t.k(['create', 'clusterrolebinding', 'bob-escalate', '--clusterrole=escalator', '--user=bob']), 'escalate crb');
    ok(await bob(['create', 'role', 'secrets-get', '--verb=get,list', '--resource=secrets', '-n', 'dev']), 'role with escalate');
  });

  it('allows a binding to a missing role, which grants nothing', async () => {
    ok(await t.k(['create', 'sa', 'ghosted', '-n', 'dev']), 'sa');
    assert.equal(ok(await t.k(['create', 'rolebinding', 'ghost', '--role=ghost', '--serviceaccount=dev:ghosted', '-n', 'dev']), 'rb').trim(),
      'rolebinding.rbac.authorization.k8s.io/ghost created');
    const r = await t.k(['get', 'pods', '-n', 'dev', '--as=system:serviceaccount:dev:ghosted']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:dev:ghosted" cannot list resource "pods" in API group "" in the namespace "dev": RBAC: role.rbac.authorization.k8s.io "ghost" not found');
    // A non-admin without bind may not bind a missing role (upstream looks the role up: 404).
    const bob = await as('bob');
    const missing = await bob(['create', 'rolebinding', 'ghost2', '--role=ghost', '--user=x', '-n', 'dev']);
    assert.match(missing.stderr, /roles\.rbac\.authorization\.k8s\.io "ghost" not found/);
  });

  it('refuses impersonation without the impersonate verb', async () => {
    const alice = await as('alice', ['devs']);
    const r = await alice(['get', 'pods', '-n', 'dev', '--as=bob']);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
    const s = await alice(['get', 'pods', '-n', 'dev', '--as=system:serviceaccount:dev:build-robot']);
    assert.equal(s.stderr.trim(), 'Error from server (Forbidden): serviceaccounts "build-robot" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "dev"');
    // edit (through aggregation) grants impersonate on serviceaccounts in its namespace.
    ok(await t.k(['create', 'rolebinding', 'alice-edit', '--clusterrole=edit', '--user=alice', '-n', 'dev']), 'rb edit');
    assert.equal(ok(await alice(['auth', 'can-i', 'list', 'pods', '-n', 'dev', '--as=system:serviceaccount:dev:build-robot']), 'impersonated can-i').trim(), 'yes');
    const groups = await alice(['get', 'pods', '-n', 'dev', '--as=system:serviceaccount:dev:build-robot', '--as-group=system:masters']);
    assert.match(groups.stderr, /groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope/);
  });

  it('rejects malformed rules with 422 and treats misplaced wildcards literally', async () => {
    const c = clientFromKubeconfig(t.server.kubeconfig);
    try {
      const post = (path: string, body: unknown) => c.request('POST', path, { body: JSON.stringify(body) });
      const urls = await post('/apis/rbac.authorization.k8s.io/v1/namespaces/dev/roles', { metadata: { name: 'bad' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] });
      assert.equal(urls.status, 422);
      assert.equal(urls.json().message, 'Role.rbac.authorization.k8s.io "bad" is invalid: rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs');
      const noVerbs = await post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'bad' }, rules: [{ apiGroups: [''], resources: ['pods'] }] });
      assert.equal(noVerbs.status, 422);
      assert.deepEqual(noVerbs.json().details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: verbs must contain at least one value', field: 'rules[0].verbs' }]);
      const badRef = await post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { metadata: { name: 'bad' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' } });
      assert.equal(badRef.status, 422);
      assert.match(badRef.json().message, /roleRef\.kind: Unsupported value: "Role": supported values: "ClusterRole"/);
      // Wildcards only mean "all" as a whole entry (or a trailing * in a URL): `pod*` is a literal.
      const wild = await post('/apis/rbac.authorization.k8s.io/v1/namespaces/dev/roles', { metadata: { name: 'wild' }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['pod*', 'secrets/*'] }] });
      assert.equal(wild.status, 201, wild.body);
      ok(await t.k(['create', 'sa', 'wild', '-n', 'dev']), 'sa wild');
      ok(await t.k(['create', 'rolebinding', 'wild', '--role=wild', '--serviceaccount=dev:wild', '-n', 'dev']), 'rb wild');
      for (const what of [['get', 'pods'], ['get', 'secrets']]) {
        const r = await t.k(['auth', 'can-i', ...what, '-n', 'dev', '--as=system:serviceaccount:dev:wild']);
        assert.equal(r.stdout.trim(), 'no', what.join(' '));
      }
      // A SubjectAccessReview (system:auth-delegator's power) answers for another user.
      const sar = await post('/apis/authorization.k8s.io/v1/subjectaccessreviews', {
        spec: { user: 'system:serviceaccount:dev:build-robot', groups: ['system:serviceaccounts'], resourceAttributes: { namespace: 'dev', verb: 'list', resource: 'pods' } },
      });
      assert.equal(sar.status, 201);
      assert.deepEqual(sar.json().status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to ServiceAccount "build-robot/dev"' });
    } finally {
      c.agent.destroy();
    }
  });

  it('aggregates labelled ClusterRoles into view, edit and admin', async () => {
    ok(await t.k(['create', 'clusterrole', 'node-viewer', '--verb=get,list', '--resource=nodes']), 'create');
    ok(await t.k(['label', 'clusterrole', 'node-viewer', 'rbac.authorization.k8s.io/aggregate-to-view=true']), 'label');
    for (const role of ['view', 'edit', 'admin']) {
      await eventually(`${role} aggregates node-viewer`, async () => (ok(await t.k(['get', 'clusterrole', role, '-o', 'yaml']), 'get').includes('- nodes') ? true : undefined), 10_000);
    }
    assert.equal(ok(await t.k(['auth', 'can-i', 'list', 'nodes', '-n', 'dev', '--as=alice']), 'can-i').trim(), 'yes');
    // Unlabelled, it leaves them again.
    ok(await t.k(['label', 'clusterrole', 'node-viewer', 'rbac.authorization.k8s.io/aggregate-to-view-']), 'unlabel');
    for (const role of ['view', 'edit', 'admin']) {
      await eventually(`${role} drops node-viewer`, async () => (ok(await t.k(['get', 'clusterrole', role, '-o', 'yaml']), 'get').includes('- nodes') ? undefined : true), 10_000);
    }
    assert.equal((await t.k(['auth', 'can-i', 'list', 'nodes', '-n', 'dev', '--as=alice'])).stdout.trim(), 'no');
  });

  it('gives our controllers least privilege under their own identities', async () => {
    const can = async (user: string, ...args: string[]) => (await t.k(['auth', 'can-i', ...args, `--as=${user}`])).stdout.trim();
    const sac = 'system:serviceaccount:kube-system:service-account-controller';
    assert.equal(await can(sac, 'create', 'serviceaccounts', '-n', 'dev'), 'yes');
    assert.equal(await can(sac, 'delete', 'serviceaccounts', '-n', 'dev'), 'no');
    assert.equal(await can('system:serviceaccount:kube-system:root-ca-cert-publisher', 'update', 'configmaps', '-n', 'dev'), 'yes');
    assert.equal(await can('system:serviceaccount:kube-system:root-ca-cert-publisher', 'get', 'secrets', '-n', 'dev'), 'no');
    assert.equal(await can('system:serviceaccount:kube-system:namespace-controller', 'update', 'namespaces', '--subresource=finalize'), 'yes');
    assert.equal(await can('system:kube-controller-manager', 'create', 'serviceaccounts', '--subresource=token', '-n', 'dev'), 'yes');
    const crac = 'system:serviceaccount:kube-system:clusterrole-aggregation-controller';
    for (const verb of ['escalate', 'get', 'list', 'patch', 'update', 'watch']) assert.equal(await can(crac, verb, 'clusterroles'), 'yes', verb);
    assert.equal(await can(crac, 'delete', 'clusterroles'), 'no');
    assert.equal(await can(crac, 'update', 'roles', '-n', 'dev'), 'no');
  });
});

describe('bootstrap policy reconciliation across restarts', () => {
  it('restores missing rules and keeps user additions', async () => {
    const { startServer } = await import('./harness.js');
    const first = await startServer({ keepDataDir: true });
    const dataDir = first.dataDir;
    const k = kubectl(first.kubeconfig, '1.32');
    const json = ok(await k(['get', 'clusterrole', 'system:basic-user', '-o', 'json']), 'get');
    const role = JSON.parse(json);
    role.rules = [{ verbs: ['get'], apiGroups: [''], resources: ['configmaps'] }];
    const file = join(dataDir, 'basic-user.json');
    writeFileSync(file, JSON.stringify(role));
    ok(await k(['replace', '-f', file]), 'replace');
    ok(await k(['delete', 'clusterrolebinding', 'system:discovery']), 'delete crb');
    assert.equal(await first.stop(), 0);
    const second = await startServer({ dataDir });
    try {
      const k2 = kubectl(second.kubeconfig, '1.32');
      const rules = JSON.parse(ok(await k2(['get', 'clusterrole', 'system:basic-user', '-o', 'json']), 'get')).rules;
      assert.deepEqual(rules[0], { verbs: ['get'], apiGroups: [''], resources: ['configmaps'] });
      assert.ok(rules.some((r: { resources?: string[] }) => r.resources?.includes('selfsubjectaccessreviews')));
      ok(await k2(['get', 'clusterrolebinding', 'system:discovery']), 'recreated');
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});

for (const version of ['1.27', '1.33']) {
  describe(`RBAC commands with kubectl ${version}`, () => {
    const t = useServerAndKubectl(version, { before, after });
    it('create role / rolebinding, auth can-i, can-i --list, impersonation', async () => {
      ok(await t.k(['create', 'namespace', 'dev']), 'ns');
      ok(await t.k(['create', 'serviceaccount', 'build-robot', '-n', 'dev']), 'sa');
      ok(await t.k(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods', '-n', 'dev']), 'role');
      ok(await t.k(['create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=dev:build-robot', '-n', 'dev']), 'rb');
      const sa = '--as=system:serviceaccount:dev:build-robot';
      assert.equal(ok(await t.k(['auth', 'can-i', 'list', 'pods', '-n', 'dev', sa]), 'yes').trim(), 'yes');
      const no = await t.k(['auth', 'can-i', 'list', 'secrets', '-n', 'dev', sa]);
      assert.deepEqual([no.code, no.stdout.trim()], [1, 'no']);
      assert.match(ok(await t.k(['auth', 'can-i', '--list', '-n', 'dev', sa]), 'list'), /^pods\s+\[\]\s+\[\]\s+\[get list watch\]$/m);
      const denied = await t.k(['get', 'secrets', '-n', 'dev', sa]);
      assert.match(denied.stderr, /secrets is forbidden: User "system:serviceaccount:dev:build-robot" cannot list resource "secrets" in API group "" in the namespace "dev"/);
    });
  });
}
