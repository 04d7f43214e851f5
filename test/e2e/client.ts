/**
 * A minimal HTTPS client for end-to-end tests that need exact requests (bad input, raw bodies):
 * authenticates with the admin client certificate from the server's kubeconfig.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

export interface RawClient {
  request(method: string, path: string, opts?: { body?: string | Buffer; contentType?: string; accept?: string; headers?: Record<string, string> }): Promise<RawResponse>;
  /** Like request, but only counts the response bytes (for benchmarks). */
  drain(method: string, path: string): Promise<{ status: number; bytes: number }>;
  agent: https.Agent;
  url: string;
}

export function clientFromKubeconfig(kubeconfigPath: string, opts: { anonymous?: boolean; maxSockets?: number } = {}): RawClient {
  const kc = parseYaml(readFileSync(kubeconfigPath, 'utf8'));
  const cluster = kc.clusters[0].cluster;
  const user = kc.users[0].user;
  const ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
  const agent = new https.Agent({
    ca,
    cert: opts.anonymous ? undefined : Buffer.from(user['client-certificate-data'], 'base64'),
    key: opts.anonymous ? undefined : Buffer.from(user['client-key-data'], 'base64'),
    keepAlive: true,
    maxSockets: opts.maxSockets ?? 8,
  });
  const base = new URL(cluster.server);
  return {
    agent,
    url: cluster.server,
    drain(method, path) {
      return new Promise((resolve, reject) => {
        const req = https.request({ host: base.hostname, port: base.port, path, method, agent, headers: { Accept: 'application/json' } }, (res) => {
          let bytes = 0;
          res.on('data', (c: Buffer) => (bytes += c.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    request(method, path, o = {}) {
      return new Promise((resolve, reject) => {
        const headers: Record<string, string> = { Accept: o.accept ?? 'application/json', ...(o.headers ?? {}) };
        if (o.body !== undefined) headers['Content-Type'] = o.contentType ?? 'application/json';
        const req = https.request(
          { host: base.hostname, port: base.port, path, method, agent, headers },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => {
              const body = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        if (o.body !== undefined) req.end(o.body);
        else req.end();
      });
    },
  };
}
