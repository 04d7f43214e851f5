/**
 * Wiring of the legacy (Secret-based) token machinery (issue 4): the tokens controller (with
 * legacy mode when --feature-gates LegacyServiceAccountTokenNoAutoGeneration=false), legacy token
 * tracking (the kube-system ConfigMap), last-used recording, and the legacy token cleaner
 * (--legacy-service-account-token-clean-up-period).
 *
 * The flags are registered by the controllers part (wiring/controllers.ts); this part only reads
 * them. Like the other controllers, these talk to the server through src/client over loopback
 * HTTPS, with the certificates, clients and shared informers of the controller runtime
 * (controller-runtime.ts) that wiring/controllers.ts uses too, as:
 * - the tokens controller: system:kube-controller-manager (upstream runs it with the controller
 *   manager's own credentials, since it makes the ServiceAccount credentials of the others);
 * - the cleaner: system:serviceaccount:kube-system:legacy-service-account-token-cleaner;
 * - tracking and last-used patches (kube-apiserver's own controllers): system:apiserver.
 *
 * `legacyTokenUsage` is the last-used hook for the ServiceAccount authenticator: it forwards to
 * the recorder once this part has started (records before that are dropped: a use is recorded
 * again on a later request).
 */
import { createEventRecorder, type EventRecorder } from '../../client/events.js';
import type { RestClient } from '../../client/rest-client.js';
import { createLegacyTokenCleaner } from '../../controllers/legacy-token-cleaner.js';
import { createLegacyTokenTrackingController } from '../../controllers/legacy-token-tracking.js';
import { createLegacyTokenUsageRecorder, type LegacyTokenUsageRecorder } from '../../controllers/legacy-token-usage.js';
import type { ControllerIdentity } from '../../controllers/manager.js';
import { isControllerEnabled, parseFeatureGates, parseGoDuration } from '../../controllers/options.js';
import type { Controller } from '../../controllers/runner.js';
import { createTokensController } from '../../controllers/tokens.js';
import { loadOrCreateSigningKey } from '../../tokens/keys.js';
import { createTokenSigner } from '../../tokens/signer.js';
import { apiserverIdentity, controllerRuntime } from './controller-runtime.js';
import type { PartModule, ServeContext } from './part.js';

/** Flags read here (registered by wiring/controllers.ts and wiring/tokens.ts). */
interface LegacyTokenFlags {
  controllers?: string[];
  featureGates?: string;
  legacyServiceAccountTokenCleanUpPeriod?: string;
  serviceAccountSigningKeyFile?: string;
}

const identities = {
  tokens: { name: 'serviceaccount-token-controller', aliases: ['serviceaccount-token'], user: 'system:kube-controller-manager', groups: [] },
  cleaner: {
    name: 'legacy-serviceaccount-token-cleaner-controller',
    aliases: ['legacy-service-account-token-cleaner'],
    user: 'system:serviceaccount:kube-system:legacy-service-account-token-cleaner',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
  },
} satisfies Record<string, ControllerIdentity>;

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

    const tokensEnabled = isControllerEnabled(identities.tokens.name, list, identities.tokens.aliases);
    const cleanerEnabled = isControllerEnabled(identities.cleaner.name, list, identities.cleaner.aliases);
    const runtime = controllerRuntime(ctx);
    runtime.register([apiserverIdentity, ...(tokensEnabled ? [identities.tokens] : []), ...(cleanerEnabled ? [identities.cleaner] : [])]);

    const recorders: EventRecorder[] = [];
    const running: Controller[] = [];
    let usage: LegacyTokenUsageRecorder | undefined;
    const eventsFor = (client: RestClient, component: string) => {
      const r = createEventRecorder({ client, component, log: log(component) });
      recorders.push(r);
      return r;
    };

    return {
      async start() {
        await runtime.start();
        const informers = runtime.informers;
        const apiserver = runtime.clientFor(apiserverIdentity);
        usage = createLegacyTokenUsageRecorder({ client: apiserver, log: log('legacy-token-usage') });
        activeRecorder = usage;
        const controllers: Controller[] = [createLegacyTokenTrackingController({ informers, client: apiserver, log: log('legacy-token-tracking-controller') })];
        if (tokensEnabled) {
          const client = runtime.clientFor(identities.tokens);
          controllers.push(
            createTokensController({
              informers,
              client,
              signer,
              rootCa: ctx.pki.ca.certPem,
              autoGenerate,
              events: eventsFor(client, 'serviceaccount-token-controller'),
              log: log('serviceaccount-token-controller'),
            }),
          );
        }
        if (cleanerEnabled) {
          const client = runtime.clientFor(identities.cleaner);
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
        await Promise.all([...recorders.map((r) => r.flush()), usage?.flush()]);
        runtime.release();
      },
    };
  },
};
