/**
 * The controller manager: the controllers of this folder (ServiceAccounts, root CA publisher,
 * namespace lifecycle, garbage collector, ClusterRole aggregation, node lifecycle, and the
 * scheduler, which upstream is its own binary kube-scheduler), selected by a
 * kube-controller-manager style `--controllers` list, sharing one set of informers. It knows nothing of where the server is:
 * `clientFor` supplies a client acting as each identity (the server's loopback certificates when
 * it runs inside `insignia serve`; a kubeconfig's credentials when it runs against a remote
 * server, like kube-controller-manager without --use-service-account-credentials).
 */
import type { Clock } from '../client/clock.js';
import { createEventRecorder, type EventRecorder } from '../client/events.js';
import { createInformerFactory, type InformerFactory } from '../client/informer-factory.js';
import type { RestClient } from '../client/rest-client.js';
import { createClusterRoleAggregationController } from './clusterrole-aggregation.js';
import { createGarbageCollector } from './garbage-collector.js';
import { createNamespaceController } from './namespace-lifecycle.js';
import { createNodeLifecycleController } from './node-lifecycle.js';
import { isControllerEnabled } from './options.js';
import { createRootCaPublisher } from './root-ca-publisher.js';
import type { Controller } from './runner.js';
import { createScheduler, defaultSchedulerName } from './scheduler.js';
import { createServiceAccountsController } from './serviceaccounts.js';

/** Who a controller acts as: its --controllers name (and older aliases) and its user. */
export interface ControllerIdentity {
  name: string;
  aliases: string[];
  /** Username (the CN of its client certificate). */
  user: string;
  groups: string[];
}

const saUser = (name: string) => `system:serviceaccount:kube-system:${name}`;
const saGroups = ['system:serviceaccounts', 'system:serviceaccounts:kube-system'];

/** Upstream's controller names and the kube-system ServiceAccounts they run as. */
export const controllerIdentities = {
  /** The shared informers: the controller manager's own identity. */
  informers: { name: 'shared-informers', aliases: [], user: 'system:kube-controller-manager', groups: [] },
  serviceAccounts: { name: 'serviceaccount-controller', aliases: ['serviceaccount'], user: saUser('service-account-controller'), groups: saGroups },
  rootCa: { name: 'root-ca-certificate-publisher-controller', aliases: ['root-ca-cert-publisher'], user: saUser('root-ca-cert-publisher'), groups: saGroups },
  namespace: { name: 'namespace-controller', aliases: ['namespace'], user: saUser('namespace-controller'), groups: saGroups },
  garbageCollector: { name: 'garbage-collector-controller', aliases: ['garbagecollector'], user: saUser('generic-garbage-collector'), groups: saGroups },
  clusterRoleAggregation: {
    name: 'clusterrole-aggregation-controller',
    aliases: ['clusterrole-aggregation'],
    user: saUser('clusterrole-aggregation-controller'),
    groups: saGroups,
  },
  nodeLifecycle: { name: 'node-lifecycle-controller', aliases: ['nodelifecycle'], user: saUser('node-controller'), groups: saGroups },
  /** Not a kube-controller-manager controller upstream: kube-scheduler's own identity. */
  scheduler: { name: 'scheduler', aliases: [], user: 'system:kube-scheduler', groups: [] },
} satisfies Record<string, ControllerIdentity>;

export interface ControllerManagerOptions {
  clientFor(id: ControllerIdentity): Promise<RestClient> | RestClient;
  /**
   * Shared informers owned by the caller, which other controllers of the process may use too:
   * started by `start`, never stopped here. Absent: the manager makes its own (as
   * controllerIdentities.informers) and stops them in `stop`.
   */
  informers?: InformerFactory;
  /** The root CA bundle (PEM) kube-root-ca.crt publishes. */
  rootCa: string;
  /** The --controllers list (default ['*']). */
  controllers?: string[];
  clock?: Clock;
  /** Node lifecycle timings (ms): --node-monitor-period (5 s), --node-monitor-grace-period (50 s), --node-startup-grace-period (60 s). */
  nodeLifecycle?: { monitorPeriodMs?: number; gracePeriodMs?: number; startupGracePeriodMs?: number };
  log?: (component: string, message: string, err?: unknown) => void;
  /** Called once a controller's caches have synced and its workers run. */
  started?: (name: string) => void;
}

export interface ControllerManager {
  /** Builds the enabled controllers and starts them; resolves before their caches sync. */
  start(): Promise<void>;
  /** Resolves once every enabled controller has started. */
  synced(): Promise<void>;
  stop(): Promise<void>;
  /** Names of the enabled controllers. */
  readonly names: string[];
}

export function createControllerManager(o: ControllerManagerOptions): ControllerManager {
  const list = o.controllers?.length ? o.controllers : ['*'];
  const enabled = (id: ControllerIdentity) => isControllerEnabled(id.name, list, id.aliases);
  const log = (component: string) => (message: string, err?: unknown) => o.log?.(component, message, err);
  const controllers: Controller[] = [];
  const recorders: EventRecorder[] = [];
  const starts: Promise<void>[] = [];
  let informers: InformerFactory | undefined;

  /** `component`: the events' source (default: the controller's name). */
  async function build(
    id: ControllerIdentity,
    make: (client: RestClient, recorder: EventRecorder, informers: InformerFactory) => Controller,
    component = id.name,
  ): Promise<void> {
    if (!enabled(id)) return;
    const client = await o.clientFor(id);
    const recorder = createEventRecorder({ client, component, clock: o.clock, log: log(id.name) });
    recorders.push(recorder);
    controllers.push(make(client, recorder, informers!));
  }

  return {
    get names() {
      return controllers.map((c) => c.name);
    },
    async start() {
      informers = o.informers ?? createInformerFactory({ client: await o.clientFor(controllerIdentities.informers), clock: o.clock, log: log('informers') });
      const clock = o.clock;
      await build(controllerIdentities.serviceAccounts, (client, recorder, informers) =>
        createServiceAccountsController({ informers, client, recorder, clock, log: log('serviceaccount-controller') }));
      await build(controllerIdentities.rootCa, (client, recorder, informers) =>
        createRootCaPublisher({ informers, client, recorder, clock, rootCa: o.rootCa, log: log('root-ca-cert-publisher') }));
      await build(controllerIdentities.namespace, (client, recorder, informers) =>
        createNamespaceController({ informers, client, recorder, clock, log: log('namespace-controller') }));
      await build(controllerIdentities.garbageCollector, (client, recorder, informers) =>
        createGarbageCollector({ informers, client, recorder, clock, log: log('garbage-collector') }));
      await build(controllerIdentities.clusterRoleAggregation, (client, _recorder, informers) =>
        createClusterRoleAggregationController({ informers, client, clock, log: log('clusterrole-aggregation-controller') }));
      await build(
        controllerIdentities.nodeLifecycle,
        (client, recorder, informers) => createNodeLifecycleController({ informers, client, recorder, clock, ...o.nodeLifecycle, log: log('node-lifecycle-controller') }),
        'node-controller',
      );
      await build(
        controllerIdentities.scheduler,
        (client, recorder, informers) => createScheduler({ informers, client, recorder, clock, log: log('scheduler') }),
        defaultSchedulerName,
      );
      informers.start();
      for (const c of controllers) {
        starts.push(
          c.start().then(
            () => o.started?.(c.name),
            (e) => o.log?.(c.name, 'controller failed to start', e),
          ),
        );
      }
    },
    async synced() {
      await Promise.all(starts);
    },
    async stop() {
      await Promise.all(controllers.map((c) => c.stop().catch(() => undefined)));
      if (!o.informers) informers?.stop();
      await Promise.all(recorders.map((r) => r.flush()));
    },
  };
}
