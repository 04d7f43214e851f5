/**
 * The official Python client (Debian's python3-kubernetes 22.6) against the real server: create,
 * strategic and JSON patches, list, watch (`watch=True`), delete with both response shapes, and a
 * 404 ApiException. The package is installed with apt-get when missing, as the test setup does
 * for every system package.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot, startServer } from './harness.js';

function ensurePythonKubernetes(): void {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import kubernetes'], { stdio: 'ignore' });
  if (probe.status === 0) return;
  execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-kubernetes'], { stdio: 'ignore', timeout: 600_000 });
}

describe('python3-kubernetes client', () => {
  before(() => ensurePythonKubernetes());

  it('works against the server as written', async () => {
    const server = await startServer();
    try {
      const r = spawnSync('/usr/bin/python3', [join(projectRoot, 'test/e2e/clients/python-session.py'), server.kubeconfig], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.labels, { a: 'b', c: 'd' });
      assert.deepEqual(out.names, ['py-sa']);
      assert.deepEqual(out.watch, [['ADDED', 'py-sa']]);
      assert.equal(out.deleted, 'py-sa');
      assert.deepEqual(out.secret, { k: 'dg==' });
      assert.equal(out.secretDelete, 'V1Status');
      assert.deepEqual(out.missing, [404, 'serviceaccounts "nope" not found']);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
