/**
 * Authorization benchmarks (issue 5): RBAC is asked on every request that is not system:masters.
 *
 *   A1 decisions per CPU-second of the RBAC authorizer in process, against a policy of 1,000 roles and 5,000
 *      bindings (users, groups and ServiceAccounts over 100 namespaces), half allowed and half
 *      denied; baseline: the same decisions by scanning every binding as upstream's resolver does
 *      (ratio = the subject index's gain).
 *   A2 the request path over HTTPS with that policy loaded into the server: GET of a
 *      ServiceAccount by a non-admin allowed through a RoleBinding, against the same GET by the
 *      admin (system:masters, no RBAC lookup), 64 connections; goal ratio >= 0.90.
 *   A3 TokenReview by a system:auth-delegator user (through RBAC) against the admin, same token
 *      (hot token cache), 64 connections; goal ratio >= 0.90.
 *
 * Nothing here asserts: it prints figures and ratios.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../src/api/meta.js';
import type { Attributes } from '../src/auth/authz/types.js';
import { createRbacAuthorizer } from '../src/auth/authz/rbac.js';
import { appliesToUser, BindingIndex, createRuleResolver, type RuleResolver } from '../src/auth/authz/rule-resolver.js';
import { roleRefOf, rulesOf, subjectsOf } from '../src/auth/authz/rbac-types.js';
import { ruleAllows } from '../src/auth/authz/rule-match.js';
import { issueCertificate } from '../src/auth/pki.js';
import { clientFromKubeconfig } from '../test/e2e/client.js';
import type { ServerProcess } from '../test/e2e/harness.js';
import { connect, targetFromKubeconfig, type Connection } from './load.js';

const g = 'rbac.authorization.k8s.io';
const resources = ['pods', 'secrets', 'configmaps', 'serviceaccounts', 'services', 'events', 'nodes', 'leases', 'roles', 'rolebindings'];

/** 1,000 roles (900 Roles over 100 namespaces, 100 ClusterRoles) and 5,000 bindings (4,500 RoleBindings, 500 ClusterRoleBindings). */
export function syntheticPolicy(): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < 900; i++) {
    const ns = `ns-${i % 100}`;
    out.push({ kind: 'Role', metadata: { namespace: ns, name: `role-${i}` }, rules: [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: [resources[i % 10]!, resources[(i + 3) % 10]!] }] });
  }
  for (let i = 0; i < 100; i++) {
    out.push({ kind: 'ClusterRole', metadata: { name: `cluster-role-${i}` }, rules: [{ verbs: ['get'], apiGroups: [''], resources: [resources[i % 10]!], resourceNames: [`name-${i}`] }] });
  }
  const subject = (i: number, ns: string): Record<string, string> => {
    switch (i % 3) {
      case 0: return { kind: 'User', apiGroup: g, name: `user-${i % 700}` };
      case 1: return { kind: 'Group', apiGroup: g, name: `group-${i % 300}` };
      default: return { kind: 'ServiceAccount', namespace: ns, name: `sa-${i % 50}` };
    }
  };
  for (let i = 0; i < 4500; i++) {
    const ns = `ns-${i % 100}`;
    const roleIndex = (i % 9) * 100 + (i % 100);
    out.push({ kind: 'RoleBinding', metadata: { namespace: ns, name: `rb-${i}` }, roleRef: { apiGroup: g, kind: 'Role', name: `role-${roleIndex}` }, subjects: [subject(i, ns)] });
  }
  for (let i = 0; i < 500; i++) {
    out.push({ kind: 'ClusterRoleBinding', metadata: { name: `crb-${i}` }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: `cluster-role-${i % 100}` }, subjects: [subject(i + 1, `ns-${i % 100}`)] });
  }
  return out;
}

function requests(): Attributes[] {
  const out: Attributes[] = [];
  for (let i = 0; i < 4096; i++) {
    const n = (i * 7919) % 4500;
    const ns = `ns-${n % 100}`;
    const user = n % 3 === 0
      ? { username: `user-${n % 700}`, groups: ['devs', 'system:authenticated'] }
      : n % 3 === 1
        ? { username: `someone-${i}`, groups: [`group-${n % 300}`, 'system:authenticated'] }
        : { username: `system:serviceaccount:${ns}:sa-${n % 50}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
    const resource = i % 2 === 0 ? resources[(n % 9 === 0 ? n : n) % 10]! : 'tokenreviews';
    out.push({ user, verb: 'list', isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace: ns, resource, subresource: '', name: '' });
  }
  return out;
}

/** Upstream's resolver shape: every ClusterRoleBinding, then every RoleBinding of the namespace. */
function scanningAuthorizer(objects: KubeObject[]) {
  const roles = new Map(objects.filter((o) => o.kind === 'Role').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, rulesOf(o)]));
  const clusterRoles = new Map(objects.filter((o) => o.kind === 'ClusterRole').map((o) => [o.metadata.name!, rulesOf(o)]));
  const crbs = objects.filter((o) => o.kind === 'ClusterRoleBinding').map((o) => ({ subjects: subjectsOf(o), ref: roleRefOf(o) }));
  const rbs = new Map<string, Array<{ subjects: ReturnType<typeof subjectsOf>; ref: ReturnType<typeof roleRefOf> }>>();
  for (const o of objects.filter((x) => x.kind === 'RoleBinding')) {
    const list = rbs.get(o.metadata.namespace!) ?? [];
    list.push({ subjects: subjectsOf(o), ref: roleRefOf(o) });
    rbs.set(o.metadata.namespace!, list);
  }
  return (a: Attributes): boolean => {
    for (const b of crbs) if (b.subjects.some((s) => appliesToUser(a.user, s, '')) && (clusterRoles.get(b.ref.name) ?? []).some((r) => ruleAllows(a, r))) return true;
    for (const b of rbs.get(a.namespace) ?? []) {
      if (!b.subjects.some((s) => appliesToUser(a.user, s, a.namespace))) continue;
      const rules = b.ref.kind === 'Role' ? roles.get(`${a.namespace}/${b.ref.name}`) : clusterRoles.get(b.ref.name);
      if ((rules ?? []).some((r) => ruleAllows(a, r))) return true;
    }
    return false;
  };
}

function indexedResolver(objects: KubeObject[]): RuleResolver {
  const roles = new Map<string, KubeObject>();
  const clusterRoles = new Map<string, KubeObject>();
  const crb = new BindingIndex(false);
  const rb = new BindingIndex(true);
  for (const o of objects) {
    if (o.kind === 'Role') roles.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
    else if (o.kind === 'ClusterRole') clusterRoles.set(o.metadata.name!, o);
    else if (o.kind === 'RoleBinding') rb.upsert(o);
    else crb.upsert(o);
  }
  return createRuleResolver({ roles: { role: (ns, n) => roles.get(`${ns}/${n}`), clusterRole: (n) => clusterRoles.get(n), generation: () => 0 }, clusterRoleBindings: crb, roleBindings: rb });
}

/** Decisions per CPU-second of this process (robust when other processes share the cores). */
function rate(seconds: number, decide: (a: Attributes) => unknown, reqs: Attributes[]): number {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1024; i++) decide(reqs[(n + i) & 4095]!);
    n += 1024;
  }
  const cpu = process.cpuUsage(cpu0);
  return n / ((cpu.user + cpu.system) / 1e6);
}

async function closedLoop(conns: Connection[], seconds: number, method: string, path: string, body: string | undefined, okStatus: number): Promise<{ rate: number; errors: number }> {
  let done = 0;
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(conns.map(async (c) => {
    while (performance.now() < end) {
      const r = await c.send(method, path, body);
      if (r.status === okStatus) done++;
      else errors++;
    }
  }));
  return { rate: done / seconds, errors };
}

export async function runAuthzBenchmarks(server: ServerProcess, seconds: number): Promise<void> {
  const objects = syntheticPolicy();
  const reqs = requests();
  const authorizer = createRbacAuthorizer(indexedResolver(objects));
  const scan = scanningAuthorizer(objects);
  let allowed = 0;
  for (const a of reqs) if ((authorizer.authorize(a) as { decision: string }).decision === 'allow') allowed++;
  const indexed = rate(seconds, (a) => authorizer.authorize(a), reqs);
  const scanned = rate(Math.max(1, seconds / 2), scan, reqs);
  console.log(
    `RBAC decisions in process, 1,000 roles and 5,000 bindings (${((allowed / reqs.length) * 100).toFixed(0)}% allowed): ${indexed.toFixed(0)} per CPU-second; scanning every binding as upstream's resolver: ${scanned.toFixed(0)}; ratio ${(indexed / scanned).toFixed(1)}x`,
  );

  // The same policy inside the server, then the request path with and without RBAC.
  const c = clientFromKubeconfig(server.kubeconfig, { maxSockets: 64 });
  const post = (path: string, body: unknown) => c.request('POST', path, { body: JSON.stringify(body) });
  for (let i = 0; i < 100; i++) await post('/api/v1/namespaces', { metadata: { name: `ns-${i}` } });
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    for (;;) {
      const o = objects[next++];
      if (!o) return;
      const plural = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' }[o.kind!]!;
      const path = o.metadata.namespace ? `/apis/${g}/v1/namespaces/${o.metadata.namespace}/${plural}` : `/apis/${g}/v1/${plural}`;
      await post(path, { apiVersion: `${g}/v1`, ...o });
    }
  }));
  await post('/api/v1/namespaces/ns-7/serviceaccounts', { metadata: { name: 'target' } });
  await post(`/apis/${g}/v1/namespaces/ns-7/roles`, { metadata: { name: 'bench-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['serviceaccounts'] }] });
  await post(`/apis/${g}/v1/namespaces/ns-7/rolebindings`, { metadata: { name: 'bench-reader' }, roleRef: { apiGroup: g, kind: 'Role', name: 'bench-reader' }, subjects: [{ kind: 'User', apiGroup: g, name: 'bench-user' }] });
  await post(`/apis/${g}/v1/clusterrolebindings`, { metadata: { name: 'bench-delegator' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'system:auth-delegator' }, subjects: [{ kind: 'User', apiGroup: g, name: 'bench-user' }] });
  const token = JSON.parse((await post('/api/v1/namespaces/ns-7/serviceaccounts/target/token', { spec: {} })).body)?.status?.token as string | undefined;

  const pki = join(server.dataDir, 'pki');
  const ca = { certPem: readFileSync(join(pki, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'ca.key'), 'utf8') };
  const userCert = await issueCertificate(ca, { commonName: 'bench-user', organizations: ['bench'], usage: 'client' });
  const adminTarget = targetFromKubeconfig(server.kubeconfig);
  const userTarget = { ...adminTarget, cert: Buffer.from(userCert.certPem), key: Buffer.from(userCert.keyPem) };
  const measure = async (target: typeof adminTarget, method: string, path: string, body: string | undefined, okStatus: number) => {
    const conns = await Promise.all(Array.from({ length: 64 }, () => connect(target)));
    await closedLoop(conns, 0.5, method, path, body, okStatus);
    const r = await closedLoop(conns, seconds / 2, method, path, body, okStatus);
    for (const conn of conns) conn.close();
    return r;
  };
  /** Alternates the two identities twice and keeps the best round of each (the cores are shared). */
  const compare = async (method: string, path: string, body: string | undefined, okStatus: number) => {
    const best = { user: { rate: 0, errors: 0 }, admin: { rate: 0, errors: 0 } };
    for (let round = 0; round < 2; round++) {
      const u = await measure(userTarget, method, path, body, okStatus);
      const a = await measure(adminTarget, method, path, body, okStatus);
      if (u.rate > best.user.rate) best.user = u;
      if (a.rate > best.admin.rate) best.admin = a;
    }
    return best;
  };
  const get = await compare('GET', '/api/v1/namespaces/ns-7/serviceaccounts/target', undefined, 200);
  console.log(
    `GET serviceaccount over HTTPS, 64 connections, with that policy loaded: through RBAC ${get.user.rate.toFixed(0)}/s (errors ${get.user.errors}), as system:masters ${get.admin.rate.toFixed(0)}/s; ratio ${(get.user.rate / get.admin.rate).toFixed(2)} (goal >= 0.90)`,
  );
  if (token) {
    const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
    const tr = await compare('POST', '/apis/authentication.k8s.io/v1/tokenreviews', body, 201);
    console.log(
      `TokenReview (hot cache), 64 connections: by a system:auth-delegator user through RBAC ${tr.user.rate.toFixed(0)}/s (errors ${tr.user.errors}), by system:masters ${tr.admin.rate.toFixed(0)}/s; ratio ${(tr.user.rate / tr.admin.rate).toFixed(2)} (goal >= 0.90)`,
    );
  } else console.log('TokenReview through RBAC: skipped (TokenRequest unavailable)');
  c.agent.destroy();
}
