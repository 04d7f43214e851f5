/**
 * Legacy (Secret-based) ServiceAccount tokens against the real server process, driven with the real
 * kubectl: the documented build-robot-secret story (populated token, ca.crt and namespace; the
 * token authenticates and gets its last-used label; deleting the account deletes its Secrets), a
 * token Secret naming a missing account is deleted, one without the annotation is refused 422, the
 * tracking ConfigMap; legacy mode (--feature-gates LegacyServiceAccountTokenNoAutoGeneration=false:
 * SECRETS 1, a deleted token is replaced under a new name); convergence after kill -9 mid-reconcile.
 * (The cleaner needs a year of tracking: it is covered by unit tests with an injected clock.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOk, kubectl, readKubeconfigCa, startServer, useServerAndKubectl } from './harness.js';
import { eventually, getJson, controllerDenials, payloadOf, tokenKubeconfig } from './support.js';

const ok = expectOk;
const work = mkdtempSync(join(tmpdir(), 'insignia-legacy-tokens-'));
after(() => rmSync(work, { recursive: true, force: true }));

const decode = (b64: string | undefined) => Buffer.from(b64 ?? '', 'base64').toString('utf8');
const today = () => new Date().toISOString().slice(0, 10);

/** The documentation's example (tasks/configure-pod-container/configure-service-account). */
const buildRobot = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: build-robot
---
apiVersion: v1
kind: Secret
metadata:
  name: build-robot-secret
  annotations:
    kubernetes.io/service-account.name: build-robot
type: kubernetes.io/service-account-token
`;

describe('legacy token Secrets with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });

  it('kubectl apply -f build-robot-secret.yaml: describe shows token, ca.crt and namespace', async () => {
    const file = join(work, 'build-robot-secret.yaml');
    writeFileSync(file, buildRobot);
    ok(await t.k(['apply', '-f', file]), 'apply');
    const described = await eventually('a populated Secret', async () => {
      const out = ok(await t.k(['describe', 'secret', 'build-robot-secret']), 'describe');
      return /^token:\s+eyJ/m.test(out) && /^ca\.crt:\s+\d+ bytes/m.test(out) && /^namespace:\s+7 bytes/m.test(out) ? out : undefined;
    });
    assert.match(described, /kubernetes\.io\/service-account\.uid: [0-9a-f-]{36}/);
    const secret = await getJson(t.k, ['secret', 'build-robot-secret']);
    const sa = await getJson(t.k, ['serviceaccount', 'build-robot']);
    assert.equal(decode(secret.data['ca.crt']), readKubeconfigCa(t.server.kubeconfig));
    assert.equal(decode(secret.data.namespace), 'default');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], sa.metadata.uid);
    const claims = payloadOf(decode(secret.data.token));
    assert.deepEqual(claims, {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'build-robot-secret',
      'kubernetes.io/serviceaccount/service-account.name': 'build-robot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: 'system:serviceaccount:default:build-robot',
    });
    assert.equal((sa.secrets ?? []).length, 0, 'a manual token is not added to .secrets');
  });

  it('the token authenticates (auth whoami) and the Secret gets its last-used label', async () => {
    const secret = await getJson(t.k, ['secret', 'build-robot-secret']);
    const who = kubectl(tokenKubeconfig(t.server), '1.32');
    const out = ok(await who(['--token', decode(secret.data.token), 'auth', 'whoami', '-o', 'json']), 'auth whoami');
    const status = JSON.parse(out).status.userInfo;
    assert.equal(status.username, 'system:serviceaccount:default:build-robot');
    assert.deepEqual(status.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    await eventually('the last-used label', async () => {
      const s = await getJson(t.k, ['secret', 'build-robot-secret']);
      return s?.metadata.labels?.['kubernetes.io/legacy-token-last-used'] === today() ? true : undefined;
    });
  });

  it('kube-system has the tracking ConfigMap with since = today (UTC)', async () => {
    const cm = await eventually('the tracking ConfigMap', () => getJson(t.k, ['configmap', '-n', 'kube-system', 'kube-apiserver-legacy-service-account-token-tracking']));
    assert.deepEqual(cm.data, { since: today() });
  });

  it('kubectl delete sa build-robot deletes its token Secrets', async () => {
    ok(await t.k(['delete', 'serviceaccount', 'build-robot']), 'delete sa');
    await eventually('the Secret to go', async () => ((await t.k(['get', 'secret', 'build-robot-secret'])).code !== 0 ? true : undefined));
  });

  it('a token Secret naming a missing account is deleted by the controller', async () => {
    const file = join(work, 'ghost.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ghost-token\n  annotations:\n    kubernetes.io/service-account.name: ghost\ntype: kubernetes.io/service-account-token\n');
    assert.equal(ok(await t.k(['apply', '-f', file]), 'apply').trim(), 'secret/ghost-token created');
    await eventually('the Secret to go', async () => {
      const r = await t.k(['get', 'secret', 'ghost-token']);
      return r.code !== 0 && r.stderr.includes('secrets "ghost-token" not found') ? true : undefined;
    });
  });

  it('a token Secret without the account annotation is refused (422)', async () => {
    const r = await t.k(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: no-annotation\ntype: kubernetes.io/service-account-token\n' });
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr.trim(), 'The Secret "no-annotation" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value');
  });

  it('RBAC refused no controller request', () => {
    assert.deepEqual(controllerDenials(t.server.output()), []);
  });
});

const legacyMode = ['--feature-gates', 'LegacyServiceAccountTokenNoAutoGeneration=false'];
const generatedName = (sa: string) => new RegExp(`^${sa}-token-[bcdfghjklmnpqrstvwxz2456789]{5}$`);

describe('legacy mode (LegacyServiceAccountTokenNoAutoGeneration=false) with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after }, legacyMode);

  it('kubectl get serviceaccounts shows SECRETS 1', async () => {
    await eventually('SECRETS 1 for default', async () => {
      const out = ok(await t.k(['get', 'serviceaccounts']), 'get sa');
      return /^default\s+1\s+/m.test(out) ? out : undefined;
    });
    const sa = await getJson(t.k, ['serviceaccount', 'default']);
    assert.match(sa.secrets[0].name, generatedName('default'));
    const secret = await getJson(t.k, ['secret', sa.secrets[0].name]);
    assert.equal(secret.type, 'kubernetes.io/service-account-token');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], sa.metadata.uid);
    assert.equal(decode(secret.data.namespace), 'default');
  });

  it('a deleted token Secret is replaced under a new name', async () => {
    ok(await t.k(['create', 'serviceaccount', 'robot']), 'create sa');
    const first = await eventually('a token for robot', async () => (await getJson(t.k, ['serviceaccount', 'robot']))?.secrets?.[0]?.name as string | undefined);
    assert.match(first, generatedName('robot'));
    ok(await t.k(['delete', 'secret', first]), 'delete secret');
    const second = await eventually('a new token for robot', async () => {
      const name = (await getJson(t.k, ['serviceaccount', 'robot']))?.secrets?.[0]?.name as string | undefined;
      return name && name !== first ? name : undefined;
    });
    assert.match(second, generatedName('robot'));
    const sa = await getJson(t.k, ['serviceaccount', 'robot']);
    assert.deepEqual(sa.secrets, [{ name: second }]);
    const names = (await getJson(t.k, ['secrets'])).items.map((s: any) => s.metadata.name).filter((n: string) => generatedName('robot').test(n));
    assert.deepEqual(names, [second]);
  });

  it('RBAC refused no controller request', () => {
    assert.deepEqual(controllerDenials(t.server.output()), []);
  });
});

describe('legacy tokens after kill -9 mid-reconcile', () => {
  it('converges on restart: every account has exactly one referenced token, manual Secrets are populated', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'insignia-legacy-restart-'));
    try {
      const first = await startServer({ dataDir, args: legacyMode });
      const k = kubectl(first.kubeconfig, '1.32');
      const docs: string[] = [];
      for (let i = 0; i < 12; i++) {
        docs.push(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa-${i}\n`);
        docs.push(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: manual-${i}\n  annotations:\n    kubernetes.io/service-account.name: sa-${i}\ntype: kubernetes.io/service-account-token\n`);
      }
      ok(await k(['apply', '-f', '-'], { input: docs.join('---\n') }), 'apply');
      await first.kill();

      const second = await startServer({ dataDir, args: legacyMode });
      const k2 = kubectl(second.kubeconfig, '1.32');
      try {
        await eventually(
          'convergence',
          async () => {
            const sas = (await getJson(k2, ['serviceaccounts']))?.items ?? [];
            const secrets = (await getJson(k2, ['secrets']))?.items ?? [];
            const byName = new Map(secrets.map((s: any) => [s.metadata.name, s]));
            for (let i = 0; i < 12; i++) {
              const sa = sas.find((s: any) => s.metadata.name === `sa-${i}`);
              if (!sa || sa.secrets?.length !== 1) return undefined;
              const ref = byName.get(sa.secrets[0].name) as any;
              if (!ref || !generatedName(`sa-${i}`).test(ref.metadata.name) || !ref.data?.token) return undefined;
              if (secrets.filter((s: any) => generatedName(`sa-${i}`).test(s.metadata.name)).length !== 1) return undefined;
              const manual = byName.get(`manual-${i}`) as any;
              if (!manual?.data?.token || manual.metadata.annotations['kubernetes.io/service-account.uid'] !== sa.metadata.uid) return undefined;
            }
            return true;
          },
          60_000,
        );
      } finally {
        assert.equal(await second.stop(), 0);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
