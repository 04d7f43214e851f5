/**
 * Unit-test scaffolding for controllers: a fake server (client/testing/fake-transport), a fake
 * clock, shared informers and a REST client over them, and helpers to let work settle.
 */
import type { KubeObject } from '../../api/meta.js';
import { createInformerFactory, type InformerFactory } from '../../client/informer-factory.js';
import { createRestClient, type RestClient } from '../../client/rest-client.js';
import { createFakeClock, type FakeClock } from '../../client/testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from '../../client/testing/fake-transport.js';
import type { TransportRequest } from '../../client/transport.js';
import type { Controller } from '../runner.js';

export interface ControllerTest {
  fake: FakeTransport;
  clock: FakeClock;
  client: RestClient;
  informers: InformerFactory;
  /** Starts the factory and the controller, waiting for its caches. */
  start(c: Controller): Promise<void>;
  /** Lets queued work run: advances the clock by `ms` (default 0) in small steps. */
  settle(ms?: number): Promise<void>;
  stop(): Promise<void>;
  /** Write requests (not GET) received so far, as `METHOD path`. */
  writes(): string[];
}

export const namespacesPath = '/api/v1/namespaces';
export const nsPath = (ns: string, resource: string) => `/api/v1/namespaces/${ns}/${resource}`;

export function activeNamespace(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...extra }, spec: { finalizers: ['kubernetes'] }, status: { phase: extra.deletionTimestamp ? 'Terminating' : 'Active' } };
}

export function statusResponse(code: number, reason: string, message: string, causes?: { reason: string; message: string }[]) {
  return { status: code, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, details: causes ? { causes } : undefined }) };
}

export function controllerTest(): ControllerTest {
  const fake = createFakeTransport();
  const clock = createFakeClock();
  const client = createRestClient(fake);
  const informers = createInformerFactory({ client, clock });
  let controller: Controller | undefined;
  return {
    fake,
    clock,
    client,
    informers,
    async start(c) {
      controller = c;
      informers.start();
      await c.start();
      await clock.advance(0);
    },
    async settle(ms = 0) {
      const step = Math.max(1, Math.min(ms, 50));
      await clock.advance(0);
      for (let t = 0; t < ms; t += step) await clock.advance(step);
    },
    async stop() {
      await controller?.stop();
      informers.stop();
    },
    writes: () => fake.requests.filter((r: TransportRequest) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
  };
}
