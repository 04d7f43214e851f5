/**
 * --client-ca-file: client certificates are verified against the given CA bundle; CN is the user
 * and O the groups. A certificate from another CA is not trusted (the request is anonymous).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCertificate } from '../../src/auth/pki.js';
import { renderKubeconfig } from '../../src/cli/kubeconfig.js';
import { clientFromKubeconfig } from './client.js';
import { readKubeconfigCa, startServer } from './harness.js';

describe('--client-ca-file', () => {
  it('trusts client certificates of that CA only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insignia-clientca-'));
    const ca = await createCa('team-ca');
    writeFileSync(join(dir, 'team-ca.crt'), ca.certPem);
    const server = await startServer({ args: ['--client-ca-file', join(dir, 'team-ca.crt')] });
    try {
      const serverCa = readKubeconfigCa(server.kubeconfig);
      const write = (name: string, cert: { certPem: string; keyPem: string }) => {
        const path = join(dir, `${name}.kubeconfig`);
        writeFileSync(path, renderKubeconfig({ server: server.url, caPem: serverCa, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }));
        return path;
      };
      const alice = clientFromKubeconfig(write('alice', await issueCertificate(ca, { commonName: 'alice', organizations: ['system:masters', 'devs'], usage: 'client' })));
      const r = await alice.request('GET', '/api/v1/namespaces');
      assert.equal(r.status, 200, r.body);
      alice.agent.destroy();
      // The server's own admin certificate is signed by the cluster CA, which is not trusted now.
      const admin = clientFromKubeconfig(server.kubeconfig);
      const denied = await admin.request('GET', '/api/v1/namespaces');
      assert.equal(denied.status, 403);
      assert.match(denied.json().message, /User "system:anonymous" cannot list resource "namespaces"/);
      admin.agent.destroy();
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
