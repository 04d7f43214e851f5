/**
 * Wiring of the controllers (issue 4) into `insignia serve`: the controller manager
 * (controllers/manager.ts: default ServiceAccounts, root CA publisher, namespace lifecycle,
 * garbage collector) run after the server listens. The legacy token machinery is wired by
 * wiring/legacy-tokens.ts, which reads the flags registered here.
 *
 * Every controller talks to the server only through src/client, over a loopback HTTPS connection
 * to the server's own URL, authenticated by a client certificate issued from the cluster CA for
 * the controller's own identity (upstream's controller ServiceAccounts in kube-system, as
 * kube-controller-manager --use-service-account-credentials uses them), with no other group than
 * the ServiceAccount groups: each may do exactly what its bootstrap role
 * system:controller:<name> grants (auth/authz/bootstrap-policy.ts). Certificates, clients and the
 * shared informers (system:kube-controller-manager) come from the controller runtime
 * (controller-runtime.ts) shared with wiring/legacy-tokens.ts.
 *
 * Flags: --controllers (kube-controller-manager's list: `*`, `name`, `-name`), --feature-gates
 * (Go's Key=bool,... form; LegacyServiceAccountTokenNoAutoGeneration),
 * --legacy-service-account-token-clean-up-period (Go duration, default 8760h0m0s).
 */
import type { Command } from 'commander';
import { controllerIdentities, createControllerManager, type ControllerManager } from '../../controllers/manager.js';
import { isControllerEnabled, parseFeatureGates, parseGoDuration } from '../../controllers/options.js';
import { controllerRuntime } from './controller-runtime.js';
import type { PartModule, ServeContext } from './part.js';

interface ControllerFlags {
  controllers?: string[];
  featureGates?: string;
  legacyServiceAccountTokenCleanUpPeriod?: string;
}

const collectList = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',')];

/** The namespaces serve.ts creates at start. */
const bootstrapNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Resolves once every bootstrap namespace has its `default` ServiceAccount in the server's own
 * serviceaccounts Store (what pod admission reads), or after `timeoutMs`; returns which.
 */
async function defaultAccountsCreated(ctx: ServeContext, timeoutMs: number): Promise<boolean> {
  const serviceAccounts = ctx.store('serviceaccounts');
  const deadline = Date.now() + timeoutMs;
  while (bootstrapNamespaces.some((ns) => !serviceAccounts.find(ns, 'default'))) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
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
    const list = f.controllers?.length ? f.controllers : ['*'];
    const runtime = controllerRuntime(ctx);
    runtime.register(Object.values(controllerIdentities).filter((id) => isControllerEnabled(id.name, list, id.aliases)));
    let manager: ControllerManager | undefined;

    return {
      async start() {
        await runtime.start();
        manager = createControllerManager({
          clientFor: (id) => runtime.clientFor(id),
          informers: runtime.informers,
          rootCa: ctx.pki.ca.certPem,
          controllers: list,
          log: (component, message, err) =>
            ctx.log.warn({ controller: component, err: err instanceof Error ? err.message : err === undefined ? undefined : String(err) }, message),
          started: (name) => ctx.log.info({ controller: name }, 'Started controller'),
        });
        // Readiness of the API does not wait for the controllers' caches, except that a fresh
        // server is ready once its bootstrap namespaces have their `default` account (a few
        // hundred ms), so that a pod created at once in `default` is admitted.
        await manager.start();
        if (manager.names.includes(controllerIdentities.serviceAccounts.name) && !(await defaultAccountsCreated(ctx, 10_000))) {
          ctx.log.warn({ controller: controllerIdentities.serviceAccounts.name }, 'the bootstrap namespaces have no default ServiceAccount yet; ready anyway');
        }
      },
      async stop() {
        await manager?.stop();
        runtime.release();
      },
    };
  },
};
