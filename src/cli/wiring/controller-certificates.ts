/**
 * Client certificates of the identities the in-process controllers act as (see
 * controller-runtime.ts), issued from the cluster CA and kept under
 * DATA/pki/controllers/<name>.{crt,key}: CN = the user, O = exactly its groups. <name> is the
 * ServiceAccount name for kube-system ServiceAccounts, else the user with unsafe characters
 * replaced (system_kube-controller-manager, system_apiserver).
 *
 * A stored certificate is reused only when it is signed by the current CA, valid for more than
 * a day, matches its key, and its own subject (read from the certificate, not from any side
 * file) names exactly the expected user and groups. Anything else is re-issued: in particular
 * certificates of earlier versions, which carried O=system:masters for every controller.
 *
 * Issuing runs on a short-lived worker thread (like ensurePki), so the certificate library is
 * never loaded into the server process (+20 MB of idle RSS otherwise). Reading and checking
 * stored certificates uses node:crypto only.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KeyPairPem } from '../../auth/pki.js';

/** Who a certificate is for: CN and O (the x509 authenticator's user and groups). */
export interface CertificateIdentity {
  user: string;
  groups: string[];
}

/** What ensureIdentityCertificates needs of the server: the data directory and the cluster CA. */
export interface CertificateContext {
  dataDir: string;
  pki: { ca: KeyPairPem };
}

interface CertificateRequest {
  base: string;
  cn: string;
  orgs: string[];
}

const dayMs = 24 * 3600 * 1000;

/** DATA/pki/controllers/<name> (without extension) of a user. */
export function certificateBase(dataDir: string, user: string): string {
  const name = user.replace(/^system:serviceaccount:kube-system:/, '').replace(/[^a-z0-9.-]/gi, '_');
  return join(dataDir, 'pki', 'controllers', name);
}

/**
 * CN and O values of a certificate's subject, from node:crypto's one-attribute-per-line form
 * (`O=a\nO=b\nCN=c`, special characters backslash-escaped).
 */
export function subjectOf(certPem: string): { cn: string[]; o: string[] } {
  const out = { cn: [] as string[], o: [] as string[] };
  for (const line of new X509Certificate(certPem).subject.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const value = line.slice(i + 1).replace(/\\(.)/g, '$1');
    const key = line.slice(0, i);
    if (key === 'CN') out.cn.push(value);
    else if (key === 'O') out.o.push(value);
  }
  return out;
}

/** Whether `a` and `b` hold the same values, each once. */
function sameSet(a: string[], b: string[]): boolean {
  const s = new Set(a);
  return a.length === s.size && b.length === s.size && b.every((x) => s.has(x));
}

/** The stored pair of `r` when it may be reused (see the module comment), else undefined. */
function storedCertificate(caPem: string, r: CertificateRequest): KeyPairPem | undefined {
  if (!existsSync(`${r.base}.crt`) || !existsSync(`${r.base}.key`)) return undefined;
  try {
    const certPem = readFileSync(`${r.base}.crt`, 'utf8');
    const keyPem = readFileSync(`${r.base}.key`, 'utf8');
    const cert = new X509Certificate(certPem);
    if (new Date(cert.validTo).getTime() <= Date.now() + dayMs) return undefined;
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return undefined;
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    const subject = subjectOf(certPem);
    if (subject.cn.length !== 1 || subject.cn[0] !== r.cn || !sameSet(subject.o, r.orgs)) return undefined;
    return { certPem, keyPem };
  } catch {
    return undefined; // unreadable: issue a new one
  }
}

/** Issues `requests` on a worker thread, writing each .key and .crt atomically. */
function issueOnWorker(ca: KeyPairPem, requests: CertificateRequest[]): Promise<void> {
  const fromSource = import.meta.url.endsWith('.ts');
  const pkiUrl = new URL(`../../auth/pki${fromSource ? '.ts' : '.js'}`, import.meta.url).href;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      ${fromSource ? "(await import('tsx/esm/api')).register();" : ''}
      const pki = await import(workerData.pkiUrl);
      for (const r of workerData.requests) {
        const pair = await pki.issueCertificate(workerData.ca, { commonName: r.cn, organizations: r.orgs, usage: 'client' });
        pki.writeFileAtomic(r.base + '.key', pair.keyPem, 0o600);
        pki.writeFileAtomic(r.base + '.crt', pair.certPem, 0o644);
      }
    })().then(() => parentPort.postMessage({ ok: true }), (e) => parentPort.postMessage({ ok: false, error: String((e && e.message) || e) }));`;
  const worker = new Worker(code, { eval: true, workerData: { pkiUrl, ca, requests } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(`issuing controller certificates: ${m.error}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`controller certificate issuance exited with ${code}`))));
  });
}

/**
 * The client certificates of `ids`, keyed by user: stored ones reused, the others (missing or
 * not reusable, see the module comment) issued together on one worker thread. Identities with
 * the same user must have the same groups. Throws when a certificate cannot be made.
 */
export async function ensureIdentityCertificates(ctx: CertificateContext, ids: CertificateIdentity[]): Promise<Map<string, KeyPairPem>> {
  mkdirSync(join(ctx.dataDir, 'pki', 'controllers'), { recursive: true, mode: 0o700 });
  const byUser = new Map<string, CertificateRequest>();
  for (const id of ids) {
    const orgs = [...new Set(id.groups)];
    const prior = byUser.get(id.user);
    if (prior && !sameSet(prior.orgs, orgs)) throw new Error(`identity ${id.user} is given two sets of groups`);
    byUser.set(id.user, { base: certificateBase(ctx.dataDir, id.user), cn: id.user, orgs });
  }
  const requests = [...byUser.values()];
  const missing = requests.filter((r) => !storedCertificate(ctx.pki.ca.certPem, r));
  if (missing.length) await issueOnWorker(ctx.pki.ca, missing);
  const out = new Map<string, KeyPairPem>();
  for (const r of requests) {
    const pair = storedCertificate(ctx.pki.ca.certPem, r);
    if (!pair) throw new Error(`no usable client certificate for ${r.cn} under ${r.base}.crt`);
    // Earlier versions kept the expected subject in a side file; the certificate's own subject decides now.
    rmSync(`${r.base}.subject`, { force: true });
    out.set(r.cn, pair);
  }
  return out;
}
