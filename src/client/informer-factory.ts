/**
 * Shared informers (client-go's SharedInformerFactory, reduced): one informer per resource for
 * every controller in the process, so N controllers watching namespaces open one watch. Informers
 * created after `start` are started at once.
 */
import type { Clock } from './clock.js';
import { createInformer, type Informer } from './informer.js';
import type { GroupVersionResource, RestClient } from './rest-client.js';

export interface InformerFactory {
  readonly client: RestClient;
  /** The shared informer of a resource (all namespaces). */
  informer(gvr: GroupVersionResource): Informer;
  start(): void;
  stop(): void;
}

export interface InformerFactoryOptions {
  client: RestClient;
  clock?: Clock;
  /** Resync period of every informer (0: never). */
  resyncMs?: number;
  log?: (message: string, err?: unknown) => void;
}

export function createInformerFactory(o: InformerFactoryOptions): InformerFactory {
  const informers = new Map<string, Informer>();
  let started = false;
  return {
    client: o.client,
    informer(gvr) {
      const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
      let inf = informers.get(key);
      if (!inf) {
        inf = createInformer({ client: o.client.resource(gvr), clock: o.clock, resyncMs: o.resyncMs, log: o.log });
        informers.set(key, inf);
        if (started) inf.start();
      }
      return inf;
    },
    start() {
      started = true;
      for (const inf of informers.values()) inf.start();
    },
    stop() {
      for (const inf of informers.values()) inf.stop();
    },
  };
}
