/**
 * Wiring of the controllers (issue 4) into `insignia serve`: the controller manager
 * (controllers/manager.ts: default ServiceAccounts, root CA publisher, namespace lifecycle,
 * garbage collector, ClusterRole aggregation, node lifecycle, and the scheduler as user
 * system:kube-scheduler) run after the server listens. The legacy token
 * machinery is wired by wiring/legacy-tokens.ts, which reads the flags registered here.
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
 * --legacy-service-account-token-clean-up-period (Go duration, default 8760h0m0s), and the node
 * lifecycle controller's --node-monitor-period (5s), --node-monitor-grace-period (50s, upstream
 * 1.32's default) and --node-startup-grace-period (1m0s), Go durations that must be positive.
 */
import type { Command } from 'commander';
import { aggregatedRules } from '../../auth/authz/aggregation.js';
import { bootstrapClusterRoles } from '../../auth/authz/bootstrap-policy.js';
import { controllerIdentities, createControllerManager, type ControllerManager } from '../../controllers/manager.js';
import { isControllerEnabled, parseFeatureGates, parseGoDuration } from '../../controllers/options.js';
import { controllerRuntime } from './controller-runtime.js';
import type { PartModule, ServeContext } from './part.js';

interface ControllerFlags {
  controllers?: string[];
  featureGates?: string;
  legacyServiceAccountTokenCleanUpPeriod?: string;
  nodeMonitorPeriod?: string;
  nodeMonitorGracePeriod?: string;
  nodeStartupGracePeriod?: string;
}

/** A positive Go duration flag, in ms; throws naming the flag otherwise. */
function positiveDuration(flag: string, value: string): number {
  const ms = parseGoDuration(value);
  if (ms <= 0) throw new Error(`--${flag} must be positive`);
  return ms;
}

const collectList = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), ...value.split(',')];

/** The namespaces serve.ts creates at start. */
const bootstrapNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Resolves true once `done()` holds (polled every 20 ms), or false at `deadline` (ms since the epoch). */
async function until(done: () => boolean, deadline: number): Promise<boolean> {
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** Whether every bootstrap namespace has its `default` ServiceAccount in the server's own Store (what admission reads). */
function defaultAccountsCreated(ctx: ServeContext): boolean {
  const serviceAccounts = ctx.store('serviceaccounts');
  return bootstrapNamespaces.every((ns) => serviceAccounts.find(ns, 'default'));
}

/** The bootstrap ClusterRoles with an aggregationRule (admin, edit, view). */
const aggregatedBootstrapRoles = bootstrapClusterRoles().filter((r) => r.aggregationRule).map((r) => r.metadata.name!);

/**
 * Whether every bootstrap aggregated ClusterRole holds the rules of the roles it aggregates, in
 * the server's own Store (what RBAC reads).
 */
function bootstrapRolesAggregated(ctx: ServeContext): boolean {
  const clusterRoles = ctx.store('clusterroles', 'rbac.authorization.k8s.io');
  const all = clusterRoles.cache.list('').map((e) => e.object);
  return aggregatedBootstrapRoles.every((name) => {
    const role = clusterRoles.find('', name);
    return !role || aggregatedRules(role, all) === undefined;
  });
}

export const controllersPart: PartModule = {
  addFlags: (cmd: Command) =>
    cmd
      .option('--controllers <names>', "controllers to run: '*' (all on by default), 'foo' (enable), '-foo' (disable); comma-separated, repeatable", collectList)
      .option('--feature-gates <gates>', 'feature gates, Key=bool pairs (LegacyServiceAccountTokenNoAutoGeneration=false restores auto-generated token Secrets)', '')
      .option('--legacy-service-account-token-clean-up-period <duration>', 'unused legacy token Secrets older than this are invalidated, then deleted (Go duration)', '8760h0m0s')
      .option('--node-monitor-period <duration>', 'how often the node lifecycle controller checks node heartbeats (Go duration)', '5s')
      .option('--node-monitor-grace-period <duration>', 'a node whose Ready heartbeat and Lease are both older than this is marked Unknown (Go duration)', '50s')
      .option('--node-startup-grace-period <duration>', 'grace period of a node that never posted Ready (Go duration)', '1m0s'),

  build(ctx: ServeContext) {
    const f = ctx.flags as unknown as ControllerFlags;
    // Parsed here so that a bad value fails at start; wiring/legacy-tokens.ts uses them.
    parseFeatureGates(f.featureGates ?? '');
    if (parseGoDuration(f.legacyServiceAccountTokenCleanUpPeriod ?? '8760h0m0s') <= 0) {
      throw new Error('--legacy-service-account-token-clean-up-period must be positive');
    }
    const nodeLifecycle = {
      monitorPeriodMs: positiveDuration('node-monitor-period', f.nodeMonitorPeriod ?? '5s'),
      gracePeriodMs: positiveDuration('node-monitor-grace-period', f.nodeMonitorGracePeriod ?? '50s'),
      startupGracePeriodMs: positiveDuration('node-startup-grace-period', f.nodeStartupGracePeriod ?? '1m0s'),
    };
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
          nodeLifecycle,
          log: (component, message, err) =>
            ctx.log.warn({ controller: component, err: err instanceof Error ? err.message : err === undefined ? undefined : String(err) }, message),
          started: (name) => ctx.log.info({ controller: name }, 'Started controller'),
        });
        // Readiness of the API does not wait for the controllers' caches, except that a fresh
        // server is ready (within 10 s at most) once its bootstrap namespaces have their
        // `default` account, so that a pod created at once in `default` is admitted, and once
        // admin, edit and view hold the rules they aggregate, so that a binding to them grants
        // at once what it will grant (each takes a few hundred ms).
        await manager.start();
        const deadline = Date.now() + 10_000;
        const waits: [string, () => boolean, string][] = [
          [controllerIdentities.serviceAccounts.name, () => defaultAccountsCreated(ctx), 'the bootstrap namespaces have no default ServiceAccount yet; ready anyway'],
          [controllerIdentities.clusterRoleAggregation.name, () => bootstrapRolesAggregated(ctx), 'the bootstrap ClusterRoles admin, edit and view are not aggregated yet; ready anyway'],
        ];
        for (const [name, done, warning] of waits) {
          if (manager.names.includes(name) && !(await until(done, deadline))) ctx.log.warn({ controller: name }, warning);
        }
      },
      async stop() {
        await manager?.stop();
        runtime.release();
      },
    };
  },
};
