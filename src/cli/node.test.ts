import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa } from '../auth/pki.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { subjectOf } from './wiring/controller-certificates.js';
import { writeKubeconfig } from './kubeconfig.js';
import { runKubeconfig } from './node.js';
import { validateNodeName } from './wiring/node.js';

describe('insignia kubeconfig', () => {
  it('issues a client certificate from DATA/pki and writes a kubeconfig with the admin kubeconfig\'s server', async () => {
    const data = mkdtempSync(join(tmpdir(), 'insignia-kubeconfig-'));
    try {
      const ca = await createCa();
      mkdirSync(join(data, 'pki'));
      writeFileSync(join(data, 'pki', 'ca.crt'), ca.certPem);
      writeFileSync(join(data, 'pki', 'ca.key'), ca.keyPem);
      writeKubeconfig(join(data, 'admin.kubeconfig'), { server: 'https://127.0.0.1:7443', caPem: ca.certPem, clientCertPem: ca.certPem, clientKeyPem: ca.keyPem });
      const out = join(data, 'node.kubeconfig');
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        await runKubeconfig({ dataDir: data, user: 'system:node:n1', group: ['system:nodes', 'system:nodes'], out, days: '30' });
      } finally {
        process.stdout.write = write;
      }
      assert.equal(statSync(out).mode & 0o777, 0o600);
      const config = loadKubeconfig(out);
      assert.equal(config.server, 'https://127.0.0.1:7443');
      assert.equal(config.caPem, ca.certPem);
      assert.deepEqual(subjectOf(config.clientCertPem!), { cn: ['system:node:n1'], o: ['system:nodes'] });
      const cert = new X509Certificate(config.clientCertPem!);
      assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
      const days = (Date.parse(cert.validTo) - Date.now()) / 86_400_000;
      assert.ok(days > 29 && days <= 30, `valid for ${days} days`);
      await assert.rejects(runKubeconfig({ dataDir: join(data, 'missing'), user: 'u', group: [], out, days: '1' }), /no CA under/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('node names are DNS subdomains', () => {
    assert.equal(validateNodeName('insignia-node'), 'insignia-node');
    for (const bad of ['Node_1', '-a', 'a..b', '']) assert.throws(() => validateNodeName(bad), /invalid node name/, bad);
  });
});
