import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { createCa, issueCertificate, type KeyPairPem } from '../../auth/pki.js';
import { certificateBase, ensureIdentityCertificates, subjectOf } from './controller-certificates.js';

const saGroups = ['system:serviceaccounts', 'system:serviceaccounts:kube-system'];
const namespaceController = { user: 'system:serviceaccount:kube-system:namespace-controller', groups: saGroups };

describe('controller identity certificates', () => {
  let ca: KeyPairPem;
  let otherCa: KeyPairPem;
  const dirs: string[] = [];
  before(async () => {
    ca = await createCa();
    otherCa = await createCa('another-ca');
  });
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  function dataDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'insignia-controller-certs-'));
    dirs.push(d);
    mkdirSync(join(d, 'pki', 'controllers'), { recursive: true });
    return d;
  }
  function store(dir: string, pair: KeyPairPem): void {
    const base = certificateBase(dir, namespaceController.user);
    writeFileSync(`${base}.crt`, pair.certPem);
    writeFileSync(`${base}.key`, pair.keyPem);
  }
  const issue = (signer: KeyPairPem, organizations: string[]) =>
    issueCertificate(signer, { commonName: namespaceController.user, organizations, usage: 'client' });

  const cases: Array<{ name: string; stored?: () => Promise<KeyPairPem>; want: 'reused' | 'issued' }> = [
    { name: 'none stored: issued', want: 'issued' },
    { name: 'stored with the same subject: reused', stored: () => issue(ca, saGroups), want: 'reused' },
    { name: 'stored with the groups in another order: reused', stored: () => issue(ca, [...saGroups].reverse()), want: 'reused' },
    { name: 'stored with O=system:masters (earlier versions): issued', stored: () => issue(ca, [...saGroups, 'system:masters']), want: 'issued' },
    { name: 'stored with a group missing: issued', stored: () => issue(ca, saGroups.slice(0, 1)), want: 'issued' },
    { name: 'stored for another user: issued', stored: () => issueCertificate(ca, { commonName: 'system:kube-controller-manager', organizations: saGroups, usage: 'client' }), want: 'issued' },
    { name: 'signed by another CA: issued', stored: () => issue(otherCa, saGroups), want: 'issued' },
    {
      name: 'expiring within a day: issued',
      stored: () => issueCertificate(ca, { commonName: namespaceController.user, organizations: saGroups, usage: 'client', days: 0.5 }),
      want: 'issued',
    },
    {
      name: 'key of another certificate: issued',
      stored: async () => ({ certPem: (await issue(ca, saGroups)).certPem, keyPem: (await issue(ca, saGroups)).keyPem }),
      want: 'issued',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = dataDir();
      const base = certificateBase(dir, namespaceController.user);
      const stored = c.stored ? await c.stored() : undefined;
      if (stored) store(dir, stored);
      writeFileSync(`${base}.subject`, 'side file of earlier versions');
      const got = (await ensureIdentityCertificates({ dataDir: dir, pki: { ca } }, [namespaceController])).get(namespaceController.user);
      assert.ok(got);
      assert.equal(got.certPem === stored?.certPem, c.want === 'reused');
      assert.equal(readFileSync(`${base}.crt`, 'utf8'), got.certPem, 'what is returned is what is on disk');
      assert.equal(readFileSync(`${base}.key`, 'utf8'), got.keyPem);
      const subject = subjectOf(got.certPem);
      assert.deepEqual(subject.cn, [namespaceController.user]);
      assert.deepEqual([...subject.o].sort(), [...saGroups].sort());
      assert.ok(new X509Certificate(got.certPem).checkIssued(new X509Certificate(ca.certPem)));
      assert.equal(existsSync(`${base}.subject`), false);
    });
  }

  it('issues every missing certificate at once; a second call reuses them all', async () => {
    const dir = dataDir();
    const ids = [
      namespaceController,
      { user: 'system:kube-controller-manager', groups: [] },
      { user: 'system:apiserver', groups: ['system:masters'] },
    ];
    const first = await ensureIdentityCertificates({ dataDir: dir, pki: { ca } }, ids);
    assert.deepEqual([...first.keys()], ids.map((i) => i.user));
    assert.deepEqual(subjectOf(first.get('system:kube-controller-manager')!.certPem), { cn: ['system:kube-controller-manager'], o: [] });
    assert.deepEqual(subjectOf(first.get('system:apiserver')!.certPem), { cn: ['system:apiserver'], o: ['system:masters'] });
    const second = await ensureIdentityCertificates({ dataDir: dir, pki: { ca } }, ids);
    for (const id of ids) assert.equal(second.get(id.user)!.certPem, first.get(id.user)!.certPem);
  });

  it('refuses one user with two sets of groups', async () => {
    await assert.rejects(
      ensureIdentityCertificates({ dataDir: dataDir(), pki: { ca } }, [namespaceController, { ...namespaceController, groups: ['system:masters'] }]),
      /two sets of groups/,
    );
  });

  it('reads escaped subject values', async () => {
    const pair = await issueCertificate(ca, { commonName: 'a,b+c', organizations: ['x\\y', 'p"q'], usage: 'client' });
    assert.deepEqual(subjectOf(pair.certPem), { cn: ['a,b+c'], o: ['x\\y', 'p"q'] });
  });
});
