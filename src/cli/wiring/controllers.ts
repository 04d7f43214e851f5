/**
 * Wiring of the controllers (issue 4) into `insignia serve`: the controller manager
 * (controllers/manager.ts: default ServiceAccounts, root CA publisher, namespace lifecycle,
 * garbage collector) run after the server listens. The legacy token machinery is wired by
 * wiring/legacy-tokens.ts, which reads the flags registered here.
 *
 * Every controller talks to the server only through src/client, over a loopback HTTPS connection
 * to the server's own URL, authenticated by a client certificate issued from the cluster CA for
 * the controller's own identity (upstream's controller ServiceAccounts in kube-system, as
 * kube-controller-manager --use-service-account-credentials uses them; the shared informers run
 * as system:kube-controller-manager). The certificates are kept under DATA/pki/controllers and
 * reused across restarts.
 *
 * Flags: --controllers (kube-controller-manager's list: `*`, `name`, `-name`), --feature-gates
 * (Go's Key=bool,... form; LegacyServiceAccountTokenNoAutoGeneration),
 * --legacy-service-account-token-clean-up-period (Go duration, default 8760h0m0s).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Worker } from 'node:worker_threads';
import type { KeyPairPem } from '../../auth/pki.js';
import { createHttpsTransport } from '../../client/https-transport.js';
import { createRestClient, type RestClient } from '../../client/rest-client.js';
import { controllerIdentities, createControllerManager, type ControllerIdentity, type ControllerManager } from '../../controllers/manager.js';
import { parseFeatureGates, parseGoDuration } from '../../controllers/options.js';
import type { PartModule, ServeContext } from './part.js';

interface ControllerFlags {
  controllers?: string[];
  featureGates?: string;
  legacyServiceAccountTokenCleanUpPeriod?: string;
}

// TODO(rbac): drop 'system:masters' from every controller identity once the RBAC bootstrap policy
// grants the system:controller:<name> roles (and system:kube-controller-manager) their rights.
const interimGroups = ['system:masters'];

const collectList = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',')];

interface CertificateRequest {
  base: string;
  cn: string;
  orgs: string[];
  subject: string;
}

function certificateRequest(ctx: ServeContext, id: ControllerIdentity): CertificateRequest {
  const dir = join(ctx.dataDir, 'pki', 'controllers');
  const base = join(dir, id.user.replace(/^system:serviceaccount:kube-system:/, '').replace(/[^a-z0-9.-]/gi, '_'));
  const orgs = [...new Set([...id.groups, ...interimGroups])];
  return { base, cn: id.user, orgs, subject: JSON.stringify({ cn: id.user, o: orgs }) };
}

/** The stored pair when it is present, signed by the current CA, valid for more than a day, and for this subject. */
function storedCertificate(ctx: ServeContext, r: CertificateRequest): KeyPairPem | undefined {
  if (!existsSync(`${r.base}.crt`) || !existsSync(`${r.base}.key`) || !existsSync(`${r.base}.subject`)) return undefined;
  try {
    const certPem = readFileSync(`${r.base}.crt`, 'utf8');
    const cert = new X509Certificate(certPem);
    const fresh = new Date(cert.validTo).getTime() > Date.now() + 24 * 3600 * 1000;
    const signed = cert.checkIssued(new X509Certificate(ctx.pki.ca.certPem));
    if (fresh && signed && readFileSync(`${r.base}.subject`, 'utf8') === r.subject) return { certPem, keyPem: readFileSync(`${r.base}.key`, 'utf8') };
  } catch {
    // unreadable: issue a new one
  }
  return undefined;
}

/**
 * Issues the missing certificates on a short-lived worker thread (like ensurePki), so that the
 * certificate library is never loaded into the server process: +20 MB of idle RSS otherwise.
 */
function issueOnWorker(ctx: ServeContext, requests: CertificateRequest[]): Promise<void> {
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
        pki.writeFileAtomic(r.base + '.subject', r.subject, 0o644);
      }
    })().then(() => parentPort.postMessage({ ok: true }), (e) => parentPort.postMessage({ ok: false, error: String((e && e.message) || e) }));`;
  const worker = new Worker(code, { eval: true, workerData: { pkiUrl, ca: ctx.pki.ca, requests } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: boolean; error?: string }) => (m.ok ? resolve() : reject(new Error(`issuing controller certificates: ${m.error}`))));
    worker.once('error', reject);
    worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`controller certificate issuance exited with ${code}`))));
  });
}

/**
 * The client certificates of `ids`, issued from the cluster CA and kept under
 * DATA/pki/controllers/<name>.{crt,key,subject} (CN = the user, O = its groups). A certificate
 * is re-issued when missing, expiring within a day, not signed by the current CA, or issued for
 * another subject; otherwise a restart reuses it. Keyed by user.
 */
export async function ensureIdentityCertificates(ctx: ServeContext, ids: ControllerIdentity[]): Promise<Map<string, KeyPairPem>> {
  mkdirSync(join(ctx.dataDir, 'pki', 'controllers'), { recursive: true, mode: 0o700 });
  const requests = [...new Map(ids.map((id) => [id.user, certificateRequest(ctx, id)])).values()];
  const missing = requests.filter((r) => !storedCertificate(ctx, r));
  if (missing.length) await issueOnWorker(ctx, missing);
  const out = new Map<string, KeyPairPem>();
  for (const r of requests) {
    const pair = storedCertificate(ctx, r);
    if (!pair) throw new Error(`no usable client certificate for ${r.cn} under ${r.base}.crt`);
    out.set(r.cn, pair);
  }
  return out;
}

export const controllersPart: PartModule = {
  addFlags: (cmd: Command) =>
    cmd
      .option('--controllers <names>', "controllers to run: '*' (all on by default), 'foo' (enable), '-foo' (disable); comma-separated, repeatable", collectList)
      .option('--feature-gates <gates>', 'feature gates, Key=bool pairs (LegacyServiceAccountTokenNoAutoGeneration=false restores auto-generated token Secrets)', '')
      .option('--legacy-service-account-token-clean-up-period <duration>', 'unused legacy token Secrets older than this are invalidated, then deleted (Go duration)', '8760h0m0s'),

  build(ctx: ServeContext) {
    const f = ctx.flags as unknown as ControllerFlags;
    // Parsed here so that a bad value fails at start; wiring/legacy-tokens.ts uses them.
    parseFeatureGates(f.featureGates ?? '');
    if (parseGoDuration(f.legacyServiceAccountTokenCleanUpPeriod ?? '8760h0m0s') <= 0) {
      throw new Error('--legacy-service-account-token-clean-up-period must be positive');
    }
    const clients: RestClient[] = [];
    let manager: ControllerManager | undefined;

    let certificates = new Map<string, KeyPairPem>();

    function clientFor(id: ControllerIdentity): RestClient {
      const pair = certificates.get(id.user);
      if (!pair) throw new Error(`no client certificate for ${id.user}`);
      const client = createRestClient(
        createHttpsTransport({
          server: ctx.serverUrl(),
          caPem: ctx.pki.ca.certPem,
          clientCertPem: pair.certPem,
          clientKeyPem: pair.keyPem,
          // client-go's default User-Agent of kube-controller-manager with service account credentials:
          // the server derives the field manager `kube-controller-manager` from it.
          userAgent: `kube-controller-manager/v1.32.0 (${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}) kubernetes/0000000/${id.user}`,
        }),
      );
      clients.push(client);
      return client;
    }

    return {
      async start() {
        certificates = await ensureIdentityCertificates(ctx, Object.values(controllerIdentities));
        manager = createControllerManager({
          clientFor,
          rootCa: ctx.pki.ca.certPem,
          controllers: f.controllers,
          log: (component, message, err) =>
            ctx.log.warn({ controller: component, err: err instanceof Error ? err.message : err === undefined ? undefined : String(err) }, message),
          started: (name) => ctx.log.info({ controller: name }, 'Started controller'),
        });
        // Readiness of the API does not wait for the controllers' caches.
        await manager.start();
      },
      async stop() {
        await manager?.stop();
        for (const c of clients) c.transport.close?.();
      },
    };
  },
};
