/**
 * The workload library against the real server: a folder laid out as the node agent writes a
 * kube-api-access volume (atomic-writer layout: `..<stamp>` directory, `..data` link, `token ->
 * ..data/token`, plus ca.crt and namespace), read by inClusterConfig; a client built from it calls
 * the API as the ServiceAccount, and after the token file rotates the next requests carry the new
 * token (proved by deleting the Secret the old token was bound to: the old token stops working).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOk, useServerAndKubectl } from './harness.js';
import { payloadOf } from './support.js';
import { createHttpsTransport, createRestClient, ApiError, type RestClient } from '../../src/client/index.js';
import { inClusterConfig } from '../../src/client/workload/index.js';
import { writeAtomicLayout } from '../../src/client/workload/testing.js';

const reviews = { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews' };

async function whoami(client: RestClient): Promise<string> {
  const r = await client.resource(reviews).create('', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {} });
  return (r as { status?: { userInfo?: { username?: string } } }).status?.userInfo?.username ?? '';
}

describe('workload library: inClusterConfig from a projected folder', () => {
  const t = useServerAndKubectl('1.32', { before, after });
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'workload-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('calls the API as the ServiceAccount and follows token rotations', async () => {
    const k = t.k;
    expectOk(await k(['create', 'namespace', 'apps']), 'create ns');
    expectOk(await k(['create', 'serviceaccount', 'robot', '-n', 'apps']), 'create sa');
    for (const s of ['s1', 's2']) expectOk(await k(['create', 'secret', 'generic', s, '-n', 'apps']), `create secret ${s}`);
    const tokenFor = async (secret: string) =>
      expectOk(await k(['create', 'token', 'robot', '-n', 'apps', '--bound-object-kind', 'Secret', '--bound-object-name', secret]), 'create token').trim();
    const ca = readFileSync(join(t.server.dataDir, 'pki', 'ca.crt'), 'utf8');
    const files = (token: string) => ({ token, 'ca.crt': ca, namespace: 'apps' });

    const first = await tokenFor('s1');
    writeAtomicLayout(dir, files(first));
    let offset = 0;
    const logs: string[] = [];
    const config = inClusterConfig({ dir, server: t.server.url, env: {}, clock: { now: () => Date.now() + offset }, log: (m) => logs.push(m) });
    assert.equal(config.namespace, 'apps');
    const transport = createHttpsTransport(config);
    const client = createRestClient(transport);
    try {
      assert.equal(await whoami(client), 'system:serviceaccount:apps:robot');
      const sa = await client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }).get(config.namespace, 'robot').catch((e: unknown) => e);
      assert.ok(sa instanceof ApiError && sa.status.code === 403, 'the ServiceAccount has no RBAC rights: 403 from the real authorizer');

      // Rotation picked up after the reload period (a minute, on the source's clock).
      const second = await tokenFor('s2');
      writeAtomicLayout(dir, files(second));
      offset += 60_000;
      assert.equal(await whoami(client), 'system:serviceaccount:apps:robot');
      assert.equal(config.tokenSource.token(), second);
      assert.equal(payloadOf(second)['kubernetes.io'].secret.name, 's2');
      expectOk(await k(['delete', 'secret', 's1', '-n', 'apps']), 'delete s1');
      assert.equal(await whoami(client), 'system:serviceaccount:apps:robot', 'the old token (bound to s1) is no longer sent');

      // A rotation inside the reload period: the 401 of the stale token makes the source re-read.
      const third = expectOk(await k(['create', 'token', 'robot', '-n', 'apps']), 'create token').trim();
      writeAtomicLayout(dir, files(third));
      expectOk(await k(['delete', 'secret', 's2', '-n', 'apps']), 'delete s2');
      const refused = await whoami(client).catch((e: unknown) => e);
      assert.ok(refused instanceof ApiError && refused.status.code === 401, `stale token refused: ${String(refused)}`);
      assert.equal(await whoami(client), 'system:serviceaccount:apps:robot');
      assert.equal(config.tokenSource.token(), third);
      assert.ok(logs.some((l) => l.includes('rotated')), logs.join('\n'));
    } finally {
      transport.close?.();
    }
  });
});
