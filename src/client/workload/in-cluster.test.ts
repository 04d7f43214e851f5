import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeClock } from '../testing/fake-clock.js';
import { inClusterConfig, joinHostPort, NotInClusterError, notInClusterMessage, type InClusterOptions } from './in-cluster.js';
import { writeAtomicLayout } from './testing.js';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('inClusterConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'in-cluster-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const serverCases: { name: string; options: Omit<InClusterOptions, 'dir'>; server?: string; error?: string }[] = [
    { name: 'from the service environment', options: { env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' } }, server: 'https://10.96.0.1:443' },
    { name: 'an IPv6 service host is bracketed', options: { env: { KUBERNETES_SERVICE_HOST: 'fd00:10:96::1', KUBERNETES_SERVICE_PORT: '6443' } }, server: 'https://[fd00:10:96::1]:6443' },
    { name: 'an explicit server wins over the environment', options: { server: 'https://127.0.0.1:9443', env: { KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' } }, server: 'https://127.0.0.1:9443' },
    { name: 'an explicit server needs no environment', options: { server: 'https://x:1', env: {} }, server: 'https://x:1' },
    { name: 'no host', options: { env: { KUBERNETES_SERVICE_PORT: '443' } }, error: notInClusterMessage },
    { name: 'no port', options: { env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' } }, error: notInClusterMessage },
    { name: 'empty values', options: { env: { KUBERNETES_SERVICE_HOST: '', KUBERNETES_SERVICE_PORT: '' } }, error: notInClusterMessage },
  ];
  for (const c of serverCases) {
    it(`server: ${c.name}`, () => {
      writeAtomicLayout(dir, { token: 'tok', 'ca.crt': caPem, namespace: 'ns1' });
      if (c.error) {
        assert.throws(() => inClusterConfig({ dir, ...c.options }), (e: unknown) => e instanceof NotInClusterError && e.message === c.error);
        return;
      }
      assert.equal(inClusterConfig({ dir, ...c.options }).server, c.server);
    });
  }

  const namespaceCases: { name: string; files: Record<string, string>; env?: Record<string, string>; namespace: string }[] = [
    { name: 'from the namespace file (trimmed)', files: { namespace: 'team-a\n' }, namespace: 'team-a' },
    { name: 'POD_NAMESPACE wins', files: { namespace: 'team-a' }, env: { POD_NAMESPACE: 'override' }, namespace: 'override' },
    { name: 'default without a file', files: {}, namespace: 'default' },
    { name: 'default with an empty file', files: { namespace: ' \n' }, namespace: 'default' },
  ];
  for (const c of namespaceCases) {
    it(`namespace: ${c.name}`, () => {
      writeAtomicLayout(dir, { token: 'tok', 'ca.crt': caPem, ...c.files });
      assert.equal(inClusterConfig({ dir, server: 'https://s:1', env: c.env ?? {} }).namespace, c.namespace);
    });
  }

  it('reads ca.crt and the token', () => {
    writeAtomicLayout(dir, { token: 'tok\n', 'ca.crt': caPem, namespace: 'ns1' });
    const config = inClusterConfig({ dir, server: 'https://s:1', env: {}, userAgent: 'app/1' });
    assert.equal(config.caPem, caPem);
    assert.equal(config.bearerToken, 'tok');
    assert.equal(config.bearerTokenSource?.(), 'tok');
    assert.equal(config.userAgent, 'app/1');
  });

  it('a missing or invalid ca.crt is logged and left out (client-go goes on with the system trust store)', () => {
    const layouts: Record<string, string>[] = [{ token: 't' }, { token: 't', 'ca.crt': 'not a pem' }];
    for (const files of layouts) {
      rmSync(dir, { recursive: true, force: true });
      writeAtomicLayout(dir, files);
      const logs: string[] = [];
      const config = inClusterConfig({ dir, server: 'https://s:1', env: {}, log: (m) => logs.push(m) });
      assert.equal(config.caPem, undefined);
      assert.match(logs.join('\n'), /^Expected to load root CA config from .*ca\.crt, but got err: /);
    }
  });

  it('fails when the token cannot be read', () => {
    writeFileSync(join(dir, 'ca.crt'), caPem);
    assert.throws(() => inClusterConfig({ dir, server: 'https://s:1', env: {} }), /failed to read token file ".*\/token"/);
  });

  it('the token source follows rotations; a 401 makes it re-read at once', async () => {
    const clock = createFakeClock();
    writeAtomicLayout(dir, { token: 'one', 'ca.crt': caPem, namespace: 'ns1' });
    const config = inClusterConfig({ dir, server: 'https://s:1', env: {}, clock });
    assert.equal(config.bearerTokenSource?.(), 'one');
    writeAtomicLayout(dir, { token: 'two', 'ca.crt': caPem, namespace: 'ns1' });
    assert.equal(config.bearerTokenSource?.(), 'one', 'cached until the reload period');
    config.onUnauthorized?.();
    assert.equal(config.bearerTokenSource?.(), 'two');
    writeAtomicLayout(dir, { token: 'three', 'ca.crt': caPem, namespace: 'ns1' });
    await clock.advance(60_000);
    assert.equal(config.bearerTokenSource?.(), 'three');
    assert.equal(config.tokenSource.reads, 3);
  });
});

describe('joinHostPort', () => {
  const table: [string, string, string][] = [
    ['10.0.0.1', '443', '10.0.0.1:443'],
    ['::1', '443', '[::1]:443'],
    ['[::1]', '443', '[::1]:443'],
    ['kubernetes.default.svc', '443', 'kubernetes.default.svc:443'],
  ];
  for (const [host, port, want] of table) it(`${host} ${port}`, () => assert.equal(joinHostPort(host, port), want));
});
