/**
 * The cluster PKI: a CA, the API server's serving certificate and client certificates, generated
 * with @peculiar/x509 on WebCrypto (no OpenSSL). Keys are ECDSA P-256, PEM (PKCS#8) encoded.
 *
 * `ensurePki(dir, ...)` creates what is missing under `dir` and reuses what exists, so a restart
 * on the same data directory keeps the CA, the serving certificate and the admin credentials.
 */
import { webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as X509 from '@peculiar/x509';

let x509Module: typeof X509 | undefined;
/**
 * @peculiar/x509 (with its reflect-metadata dependency) is loaded only when a certificate is
 * issued: a restart on an existing data directory never pays for it.
 */
async function loadX509(): Promise<typeof X509> {
  if (!x509Module) {
    await import('reflect-metadata');
    x509Module = await import('@peculiar/x509');
    x509Module.cryptoProvider.set(webcrypto as unknown as Crypto);
  }
  return x509Module;
}

const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface KeyPairPem {
  certPem: string;
  keyPem: string;
}

export interface Pki {
  ca: KeyPairPem;
  serving: KeyPairPem;
  admin: KeyPairPem;
  caFile: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function derOf(pemText: string): Buffer {
  return Buffer.from(pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

/** Writes atomically (temp file + rename) with the given mode. */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

async function importCaKey(keyPem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', derOf(keyPem), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']) as Promise<CryptoKey>;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

export async function createCa(commonName = 'insignia-ca'): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600 * 1000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', keyDer) };
}

export interface LeafOptions {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client';
  days?: number;
}

/** Issues a leaf certificate signed by `ca`. */
export async function issueCertificate(ca: KeyPairPem, opts: LeafOptions): Promise<KeyPairPem> {
  const x509 = await loadX509();
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importCaKey(ca.keyPem);
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const subject = [
    ...(opts.organizations ?? []).map((o) => `O=${escapeDn(o)}`),
    `CN=${escapeDn(opts.commonName)}`,
  ].join(', ');
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  const names: X509.JsonGeneralName[] = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + (opts.days ?? 365) * 24 * 3600 * 1000),
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions,
  });
  const keyDer = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: pem('PRIVATE KEY', keyDer) };
}

function escapeDn(v: string): string {
  return v.replace(/([,+"\\<>;=])/g, '\\$1');
}

function readPair(dir: string, base: string): KeyPairPem | undefined {
  const c = join(dir, `${base}.crt`);
  const k = join(dir, `${base}.key`);
  if (!existsSync(c) || !existsSync(k)) return undefined;
  return { certPem: readFileSync(c, 'utf8'), keyPem: readFileSync(k, 'utf8') };
}

function writePair(dir: string, base: string, pair: KeyPairPem): void {
  writeFileAtomic(join(dir, `${base}.crt`), pair.certPem, 0o644);
  writeFileAtomic(join(dir, `${base}.key`), pair.keyPem, 0o600);
}

/** SANs a serving certificate must carry for `bindAddress` and `extraSans`. */
export function servingSans(bindAddress: string, extraSans: string[] = []): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
  const ips = new Set(['127.0.0.1', '::1']);
  for (const s of [bindAddress, ...extraSans]) {
    if (!s || s === '0.0.0.0' || s === '::') continue;
    if (/^[0-9.]+$/.test(s) || s.includes(':')) ips.add(s);
    else dns.add(s);
  }
  return { dns: [...dns], ips: [...ips] };
}

function certCovers(certPem: string, sans: { dns: string[]; ips: string[] }): boolean {
  try {
    const c = new NodeX509(certPem);
    const alt = c.subjectAltName ?? '';
    if (new Date(c.validTo).getTime() < Date.now() + 24 * 3600 * 1000) return false;
    return sans.dns.every((d) => alt.includes(`DNS:${d}`)) && sans.ips.every((ip) => c.checkIP(ip) !== undefined);
  } catch {
    return false;
  }
}

/**
 * Loads or creates the PKI under `dir` (ca, apiserver serving cert, admin client cert with
 * O=system:masters). A serving certificate that does not cover the bind address is re-issued.
 * Generation runs on a short-lived worker thread, so the certificate library's memory is returned
 * when it is done; a restart with everything in place never loads it.
 */
export async function ensurePki(dir: string, bindAddress: string, extraSans: string[] = []): Promise<Pki> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sans = servingSans(bindAddress, extraSans);
  const complete = () => {
    const ca = readPair(dir, 'ca');
    const serving = readPair(dir, 'apiserver');
    const admin = readPair(dir, 'admin');
    if (!ca || !serving || !admin || !certCovers(serving.certPem, sans)) return undefined;
    return { ca, serving, admin, caFile: join(dir, 'ca.crt') };
  };
  const existing = complete();
  if (existing) return existing;
  await runPkiWorker({ dir, bindAddress, extraSans });
  const made = complete();
  if (!made) throw new Error(`could not create the PKI in ${dir}`);
  return made;
}

/** Creates whatever is missing under `dir` (the body of ensurePki, run on the worker thread). */
export async function generatePki(dir: string, bindAddress: string, extraSans: string[] = []): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = readPair(dir, 'ca');
  if (!ca) {
    ca = await createCa();
    writePair(dir, 'ca', ca);
  }
  const sans = servingSans(bindAddress, extraSans);
  const serving = readPair(dir, 'apiserver');
  if (!serving || !certCovers(serving.certPem, sans)) {
    writePair(dir, 'apiserver', await issueCertificate(ca, { commonName: 'kube-apiserver', dnsNames: sans.dns, ipAddresses: sans.ips, usage: 'server' }));
  }
  if (!readPair(dir, 'admin')) {
    writePair(dir, 'admin', await issueCertificate(ca, { commonName: 'kubernetes-admin', organizations: ['system:masters'], usage: 'client' }));
  }
}

function runPkiWorker(data: { dir: string; bindAddress: string; extraSans: string[] }): Promise<void> {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`./pki-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
  const worker = fromSource
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: data })
    : new Worker(url, { workerData: data });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(m.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`PKI generation exited with ${code}`))));
  });
}
