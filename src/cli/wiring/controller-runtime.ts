/**
 * The controller runtime of one `insignia serve`, shared by the parts that run controllers
 * (wiring/controllers.ts: the controller manager; wiring/legacy-tokens.ts: the tokens controller,
 * legacy token tracking, last-used recording and the cleaner): the identities' client
 * certificates, clients over loopback HTTPS, and ONE set of shared informers, so that every
 * resource is listed and watched once however many controllers read it.
 *
 * Contract:
 * - `controllerRuntime(ctx)` returns the same runtime for the same ServeContext.
 * - Each user calls `register(ids)` during build (the identities it will act as), `start()` in
 *   its start, and `release()` in its stop. The first `start()` issues or reuses the
 *   certificates of every identity registered so far (controller-certificates.ts: one worker
 *   thread for all that are missing) and creates the informers; later calls share its promise.
 * - The informers run as system:kube-controller-manager (as kube-controller-manager's shared
 *   informers do), on their own connection pool; whoever adds an informer starts the factory
 *   (informers added after that start at once). The last `release()` stops them and closes
 *   every client.
 * - `clientFor(id)` (after start; `id` registered) returns a new client acting as `id`, with
 *   client-go's User-Agent of kube-controller-manager (or of kube-apiserver for
 *   system:apiserver), from which the server derives the field manager.
 */
import type { KeyPairPem } from '../../auth/pki.js';
import { createHttpsTransport } from '../../client/https-transport.js';
import { createInformerFactory, type InformerFactory } from '../../client/informer-factory.js';
import { createRestClient, type RestClient } from '../../client/rest-client.js';
import { controllerIdentities, type ControllerIdentity } from '../../controllers/manager.js';
import { ensureIdentityCertificates } from './controller-certificates.js';
import type { ServeContext } from './part.js';

/** See the module comment for the order of calls. */
export interface ControllerRuntime {
  /** Adds a user (during build) and the identities it will act as. */
  register(ids: ControllerIdentity[]): void;
  /** Certificates of every registered identity, then the informers; idempotent. */
  start(): Promise<void>;
  /** A new client acting as a registered identity (after start). */
  clientFor(id: ControllerIdentity): RestClient;
  /** The shared informers (after start). */
  readonly informers: InformerFactory;
  /** Ends one user's use; the last stops the informers and closes every client. */
  release(): void;
}

/** The API server's own loopback identity (upstream: system:apiserver in system:masters). */
export const apiserverIdentity: ControllerIdentity = { name: '', aliases: [], user: 'system:apiserver', groups: ['system:masters'] };

const platform = `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;

/** client-go's default User-Agent of the binary acting as `id` (kube-scheduler's names its component, `scheduler`). */
function userAgentOf(id: ControllerIdentity): string {
  if (id.user === apiserverIdentity.user) return `kube-apiserver/v1.32.0 (${platform}) kubernetes/0000000`;
  if (id.user === controllerIdentities.scheduler.user) return `kube-scheduler/v1.32.0 (${platform}) kubernetes/0000000/scheduler`;
  return `kube-controller-manager/v1.32.0 (${platform}) kubernetes/0000000/${id.user}`;
}

const runtimes = new WeakMap<ServeContext, ControllerRuntime>();

export function controllerRuntime(ctx: ServeContext): ControllerRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) runtimes.set(ctx, (runtime = createControllerRuntime(ctx)));
  return runtime;
}

function createControllerRuntime(ctx: ServeContext): ControllerRuntime {
  const registered = new Map<string, ControllerIdentity>([[controllerIdentities.informers.user, controllerIdentities.informers]]);
  const clients: RestClient[] = [];
  let users = 0;
  let starting: Promise<void> | undefined;
  let certificates = new Map<string, KeyPairPem>();
  let informers: InformerFactory | undefined;

  function newClient(id: ControllerIdentity, maxSockets?: number): RestClient {
    const pair = certificates.get(id.user);
    if (!pair) throw new Error(`no client certificate for ${id.user} (not registered before start)`);
    const client = createRestClient(
      createHttpsTransport({
        server: ctx.serverUrl(),
        caPem: ctx.pki.ca.certPem,
        clientCertPem: pair.certPem,
        clientKeyPem: pair.keyPem,
        userAgent: userAgentOf(id),
        maxSockets,
      }),
    );
    clients.push(client);
    return client;
  }

  return {
    register(ids) {
      users++;
      for (const id of ids) registered.set(id.user, id);
    },
    start() {
      starting ??= (async () => {
        certificates = await ensureIdentityCertificates(ctx, [...registered.values()]);
        informers = createInformerFactory({
          // One long-lived watch per resource: more sockets than a controller's client needs.
          client: newClient(controllerIdentities.informers, 64),
          log: (message, err) => ctx.log.warn({ controller: 'shared-informers', err: err instanceof Error ? err.message : err === undefined ? undefined : String(err) }, message),
        });
      })();
      return starting;
    },
    clientFor: (id) => newClient(id),
    get informers() {
      if (!informers) throw new Error('the controller runtime is not started');
      return informers;
    },
    release() {
      if (--users > 0) return;
      informers?.stop();
      for (const c of clients) c.transport.close?.();
    },
  };
}
