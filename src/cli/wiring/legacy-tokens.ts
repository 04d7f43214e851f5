/**
 * Wiring of the legacy (Secret-based) token machinery (issue 4): the tokens controller (with
 * legacy mode when --feature-gates LegacyServiceAccountTokenNoAutoGeneration=false), legacy token
 * tracking (the kube-system ConfigMap), last-used recording, and the legacy token cleaner
 * (--legacy-service-account-token-clean-up-period).
 *
 * The flags are registered by the controllers part (wiring/controllers.ts); this part only reads
 * them. Like the other controllers, these talk to the server through src/client over loopback
 * HTTPS with client certificates from the cluster CA, kept under DATA/pki/controllers with the
 * same naming as wiring/controllers.ts (so both parts reuse the same files):
 * - informers and the tokens controller: system:kube-controller-manager;
 * - the cleaner's writes: system:serviceaccount:kube-system:legacy-service-account-token-cleaner;
 * - tracking and last-used patches (kube-apiserver's own controllers): system:apiserver.
 *
 * `legacyTokenUsage` is the last-used hook for the ServiceAccount authenticator: it forwards to
 * the recorder once this part has started (records before that are dropped: a use is recorded
 * again on a later request).
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, writeFileAtomic, type KeyPairPem } from '../../auth/pki.js';
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import { createHttpsTransport } from '../../client/https-transport.js';
import { createInformerFactory, type InformerFactory } from '../../client/informer-factory.js';
import { createRestClient, type RestClient } from '../../client/rest-client.js';
import { createLegacyTokenCleaner } from '../../controllers/legacy-token-cleaner.js';
import { createLegacyTokenTrackingController } from '../../controllers/legacy-token-tracking.js';
import { createLegacyTokenUsageRecorder, type LegacyTokenUsageRecorder } from '../../controllers/legacy-token-usage.js';
import { isControllerEnabled, parseFeatureGates, parseGoDuration } from '../../controllers/options.js';
import type { Controller } from '../../controllers/runner.js';
import { createTokensController } from '../../controllers/tokens.js';
import { loadOrCreateSigningKey } from '../../tokens/keys.js';
import { createTokenSigner } from '../../tokens/signer.js';
import type { PartModule, ServeContext } from './part.js';

/** Flags read here (registered by wiring/controllers.ts and wiring/tokens.ts). */
interface LegacyTokenFlags {
  controllers?: string[];
  featureGates?: string;
  legacyServiceAccountTokenCleanUpPeriod?: string;
  serviceAccountSigningKeyFile?: string;
}

interface Identity {
  /** --controllers name and aliases ('' for the API server's own controllers). */
  name: string;
  aliases: string[];
  user: string;
  groups: string[];
}

// TODO(rbac): drop 'system:masters' from every controller identity once the RBAC bootstrap policy
// grants the system:controller:<name> roles (and system:kube-controller-manager) their rights.
const interimGroups = ['system:masters'];

const identities = {
  controllerManager: { name: 'serviceaccount-token-controller', aliases: ['serviceaccount-token'], user: 'system:kube-controller-manager', groups: [] },
  cleaner: {
    name: 'legacy-serviceaccount-token-cleaner-controller',
    aliases: ['legacy-service-account-token-cleaner'],
    user: 'system:serviceaccount:kube-system:legacy-service-account-token-cleaner',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
  },
  // kube-apiserver's loopback identity (upstream: system:apiserver in system:masters).
  apiserver: { name: '', aliases: [], user: 'system:apiserver', groups: ['system:masters'] },
} satisfies Record<string, Identity>;

/** Same files and rules as wiring/controllers.ts identityCertificate (issued once, re-issued when stale). */
async function identityCertificate(ctx: ServeContext, id: Identity): Promise<KeyPairPem> {
  const dir = join(ctx.dataDir, 'pki', 'controllers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = join(dir, id.user.replace(/^system:serviceaccount:kube-system:/, '').replace(/[^a-z0-9.-]/gi, '_'));
  const groups = [...new Set([...id.groups, ...interimGroups])];
  const subject = JSON.stringify({ cn: id.user, o: groups });
  if (existsSync(`${base}.crt`) && existsSync(`${base}.key`) && existsSync(`${base}.subject`)) {
    try {
      const certPem = readFileSync(`${base}.crt`, 'utf8');
      const cert = new X509Certificate(certPem);
      const fresh = new Date(cert.validTo).getTime() > Date.now() + 24 * 3600 * 1000;
      const signed = cert.checkIssued(new X509Certificate(ctx.pki.ca.certPem));
      if (fresh && signed && readFileSync(`${base}.subject`, 'utf8') === subject) return { certPem, keyPem: readFileSync(`${base}.key`, 'utf8') };
    } catch {
      // unreadable: issue a new one
    }
  }
  const pair = await issueCertificate(ctx.pki.ca, { commonName: id.user, organizations: groups, usage: 'client' });
  writeFileAtomic(`${base}.key`, pair.keyPem, 0o600);
  writeFileAtomic(`${base}.crt`, pair.certPem, 0o644);
  writeFileAtomic(`${base}.subject`, subject, 0o644);
  return pair;
}

let activeRecorder: LegacyTokenUsageRecorder | undefined;

/** The last-used hook for the authenticator (see the module comment). Never throws, never blocks. */
export const legacyTokenUsage: LegacyTokenUsageRecorder = {
  record: (namespace, secretName, labels, uid) => activeRecorder?.record(namespace, secretName, labels, uid),
  flush: async () => activeRecorder?.flush(),
};

export const legacyTokensPart: PartModule = {
  addFlags: (cmd) => cmd,

  async build(ctx: ServeContext) {
    const f = ctx.flags as unknown as LegacyTokenFlags;
    const list = f.controllers && f.controllers.length ? f.controllers : ['*'];
    const autoGenerate = parseFeatureGates(f.featureGates ?? '').get('LegacyServiceAccountTokenNoAutoGeneration') === false;
    const cleanUpPeriodMs = parseGoDuration(f.legacyServiceAccountTokenCleanUpPeriod ?? '8760h0m0s');
    if (!(cleanUpPeriodMs > 0)) throw new Error('--legacy-service-account-token-clean-up-period must be positive');
    const signer = createTokenSigner(await loadOrCreateSigningKey({ keyFile: f.serviceAccountSigningKeyFile, dataDir: ctx.dataDir }));
    const log = (component: string) => (message: string, err?: unknown) =>
      ctx.log.warn({ controller: component, err: err instanceof Error ? err.message : err === undefined ? undefined : String(err) }, message);

    const clients: RestClient[] = [];
    const recorders: EventRecorder[] = [];
    const running: Controller[] = [];
    let informers: InformerFactory | undefined;
    let usage: LegacyTokenUsageRecorder | undefined;

    async function clientFor(id: Identity, agent: string): Promise<RestClient> {
      const pair = await identityCertificate(ctx, id);
      const client = createRestClient(
        createHttpsTransport({
          server: ctx.serverUrl(),
          caPem: ctx.pki.ca.certPem,
          clientCertPem: pair.certPem,
          clientKeyPem: pair.keyPem,
          userAgent: `insignia-controller-manager/v1.32.0 ${agent}`,
        }),
      );
      clients.push(client);
      return client;
    }
    const eventsFor = (client: RestClient, component: string) => {
      const r = createEventRecorder({ client, component, log: log(component) });
      recorders.push(r);
      return r;
    };

    return {
      async start() {
        const kcm = await clientFor(identities.controllerManager, 'shared-informers');
        const apiserver = await clientFor(identities.apiserver, 'legacy-token-tracking');
        informers = createInformerFactory({ client: kcm, log: log('legacy-token-informers') });
        usage = createLegacyTokenUsageRecorder({ client: apiserver, log: log('legacy-token-usage') });
        activeRecorder = usage;
        const controllers: Controller[] = [createLegacyTokenTrackingController({ informers, client: apiserver, log: log('legacy-token-tracking-controller') })];
        if (isControllerEnabled(identities.controllerManager.name, list, identities.controllerManager.aliases)) {
          controllers.push(
            createTokensController({
              informers,
              client: kcm,
              signer,
              rootCa: ctx.pki.ca.certPem,
              autoGenerate,
              events: eventsFor(kcm, 'serviceaccount-token-controller'),
              log: log('serviceaccount-token-controller'),
            }),
          );
        }
        if (isControllerEnabled(identities.cleaner.name, list, identities.cleaner.aliases)) {
          const client = await clientFor(identities.cleaner, identities.cleaner.name);
          controllers.push(
            createLegacyTokenCleaner({ informers, client, cleanUpPeriodMs, events: eventsFor(client, 'legacy-service-account-token-cleaner'), log: log('legacy-token-cleaner') }),
          );
        }
        informers.start();
        // In the background: readiness of the API does not wait for these caches.
        for (const c of controllers) {
          running.push(c);
          void c.start().then(
            () => ctx.log.info({ controller: c.name, autoGenerate }, 'Started controller'),
            (e) => ctx.log.error({ controller: c.name, err: String(e) }, 'controller failed to start'),
          );
        }
      },
      async stop() {
        if (activeRecorder === usage) activeRecorder = undefined;
        await Promise.all(running.map((c) => c.stop().catch(() => undefined)));
        informers?.stop();
        await Promise.all([...recorders.map((r) => r.flush()), usage?.flush()]);
        for (const c of clients) c.transport.close?.();
      },
    };
  },
};
