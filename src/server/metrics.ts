/**
 * Prometheus metrics served at /metrics (kube-apiserver's names where they exist):
 * apiserver_request_total and apiserver_request_duration_seconds by verb, group, version,
 * resource, subresource, scope and code (watches are counted, not timed); process and Node.js
 * runtime metrics.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

export interface ApiMetrics {
  registry: Registry;
  /** Records one finished request. */
  observe(labels: RequestLabels, code: number, seconds: number): void;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'code'] as const;
  const total = new Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.', labelNames: names, registers: [registry] });
  const duration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.',
    labelNames: names.filter((n) => n !== 'code'),
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    registry,
    observe(l, code, seconds) {
      total.inc({ ...l, code: String(code) });
      if (l.verb !== 'WATCH') duration.observe(l, seconds);
    },
  };
}
