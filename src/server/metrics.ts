/**
 * Prometheus metrics served at /metrics (kube-apiserver's names): apiserver_request_total and
 * apiserver_request_duration_seconds by verb, group, version, resource, subresource, scope (and
 * code for the counter; watches are counted, not timed), plus process and Node.js runtime metrics
 * from prom-client.
 *
 * The request path only bumps numbers in maps; prom-client (several MB of heap) is loaded on the
 * first scrape, so a server nobody scrapes does not pay for it.
 */

export interface RequestLabels {
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
}

export interface ApiMetrics {
  /** Records one finished request. */
  observe(labels: RequestLabels, code: number, seconds: number): void;
  /** The exposition: Prometheus text format 0.0.4. */
  render(): Promise<{ contentType: string; body: string }>;
}

const buckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 10, 30, 60];
const labelNames = ['verb', 'group', 'version', 'resource', 'subresource', 'scope'] as const;

interface Series {
  labels: string;
  counts: number[];
  sum: number;
  count: number;
}

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelText(l: RequestLabels, extra = ''): string {
  return labelNames.map((n) => `${n}="${escape(l[n])}"`).join(',') + extra;
}

export function createApiMetrics(): ApiMetrics {
  const totals = new Map<string, number>();
  const durations = new Map<string, Series>();
  // Label text per label tuple, so the request path escapes and joins each tuple once.
  const labelTexts = new Map<string, string>();
  const labelTextOf = (l: RequestLabels): string => {
    const id = `${l.verb}\0${l.group}\0${l.version}\0${l.resource}\0${l.subresource}\0${l.scope}`;
    let text = labelTexts.get(id);
    if (text === undefined) {
      if (labelTexts.size >= 4096) labelTexts.clear();
      labelTexts.set(id, (text = labelText(l)));
    }
    return text;
  };
  let defaults: { registry: { metrics(): Promise<string>; contentType: string } } | undefined;
  return {
    observe(l, code, seconds) {
      const base = labelTextOf(l);
      const key = `${base},code="${code}"`;
      totals.set(key, (totals.get(key) ?? 0) + 1);
      if (l.verb === 'WATCH') return;
      let s = durations.get(base);
      if (!s) durations.set(base, (s = { labels: base, counts: new Array(buckets.length).fill(0), sum: 0, count: 0 }));
      for (let i = 0; i < buckets.length; i++) if (seconds <= buckets[i]!) s.counts[i]!++;
      s.sum += seconds;
      s.count++;
    },
    async render() {
      if (!defaults) {
        const prom = await import('prom-client');
        const registry = new prom.Registry();
        prom.collectDefaultMetrics({ register: registry });
        defaults = { registry };
      }
      const lines: string[] = [
        '# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, group, version, resource, scope, component, and HTTP response code.',
        '# TYPE apiserver_request_total counter',
      ];
      for (const [k, v] of totals) lines.push(`apiserver_request_total{${k}} ${v}`);
      lines.push(
        '# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each verb, group, version, resource, subresource, scope and component.',
        '# TYPE apiserver_request_duration_seconds histogram',
      );
      for (const s of durations.values()) {
        for (let i = 0; i < buckets.length; i++) lines.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="${buckets[i]}"} ${s.counts[i]}`);
        lines.push(`apiserver_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
        lines.push(`apiserver_request_duration_seconds_sum{${s.labels}} ${s.sum}`);
        lines.push(`apiserver_request_duration_seconds_count{${s.labels}} ${s.count}`);
      }
      return { contentType: defaults.registry.contentType, body: (await defaults.registry.metrics()) + lines.join('\n') + '\n' };
    },
  };
}
