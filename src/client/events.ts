/**
 * An event recorder (client-go's record.EventRecorder over the core/v1 Events API): records what
 * a controller did to an object as an Event in the object's namespace ("default" for
 * cluster-scoped objects), named `<object name>.<hex nanoseconds>` as client-go names them. A
 * repeat of the same event (same object, type, reason and message) within the recorder's memory
 * increments `count` and `lastTimestamp` on the existing Event (merge patch), like the correlator.
 * Recording never throws and never blocks the caller: failures are only logged.
 */
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from './clock.js';
import { core, type RestClient } from './rest-client.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
  /** Resolves when every recording started so far has finished (for tests and shutdown). */
  flush(): Promise<void>;
}

export interface EventRecorderOptions {
  client: RestClient;
  /** source.component and reportingComponent, e.g. "namespace-controller". */
  component: string;
  host?: string;
  clock?: Clock;
  log?: (message: string, err?: unknown) => void;
}

const maxRemembered = 4096;

export function createEventRecorder(o: EventRecorderOptions): EventRecorder {
  const clock = o.clock ?? realClock;
  const events = o.client.resource(core('events'));
  const seen = new Map<string, { namespace: string; name: string; count: number }>();
  const inflight = new Set<Promise<void>>();
  let seq = 0;

  async function record(obj: KubeObject, type: EventType, reason: string, message: string): Promise<void> {
    const now = clock.now();
    const time = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const namespace = obj.metadata.namespace || 'default';
    const involved = {
      kind: obj.kind,
      namespace: obj.metadata.namespace || undefined,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
    };
    const key = JSON.stringify([involved.kind, involved.namespace, involved.name, involved.uid, type, reason, message]);
    const prior = seen.get(key);
    if (prior) {
      prior.count++;
      try {
        await events.patch(prior.namespace, prior.name, 'merge', { count: prior.count, lastTimestamp: time, message });
        return;
      } catch {
        seen.delete(key);
      }
    }
    const nanos = BigInt(now) * 1_000_000n + BigInt(seq++ % 1_000_000);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    await events.create(namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      source: { component: o.component, ...(o.host ? { host: o.host } : {}) },
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: o.component,
      reportingInstance: o.host ?? '',
    });
    if (seen.size >= maxRemembered) seen.delete(seen.keys().next().value!);
    seen.set(key, { namespace, name, count: 1 });
  }

  return {
    event(obj, type, reason, message) {
      const p = record(obj, type, reason, message)
        .catch((e) => o.log?.(`could not record event ${reason} for ${obj.kind} ${obj.metadata.name}`, e))
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    async flush() {
      await Promise.all([...inflight]);
    },
  };
}
