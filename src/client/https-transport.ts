/**
 * The HTTPS transport: a kubeconfig-like configuration (server URL, CA bundle, client certificate
 * and key or bearer token) and a keep-alive agent. JSON in, JSON out; watches are read line by line.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { requestTarget, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';

export interface ClientConfig {
  /** https://host:port */
  server: string;
  /** PEM CA bundle trusted for the server's certificate. */
  caPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  bearerToken?: string;
  /**
   * Asked for the bearer token on every request (e.g. a projected token file that rotates:
   * workload/token-source.ts); takes precedence over `bearerToken`. When it throws, the request
   * fails with that error and nothing is sent.
   */
  bearerTokenSource?: () => string;
  /** Called when a request was answered 401 (a token source may then re-read its token, as client-go resets its file source). */
  onUnauthorized?: () => void;
  /** User-Agent header (like client-go's `<binary>/<version> ... <controller name>`). */
  userAgent?: string;
  /** Per-request timeout for non-watch requests (default 60 s). */
  timeoutMs?: number;
  maxSockets?: number;
}

export function createHttpsTransport(config: ClientConfig): Transport {
  const base = new URL(config.server);
  const agent = new https.Agent({
    ca: config.caPem,
    cert: config.clientCertPem,
    key: config.clientKeyPem,
    keepAlive: true,
    maxSockets: config.maxSockets ?? 16,
  });
  const timeoutMs = config.timeoutMs ?? 60_000;

  function open(req: TransportRequest, streaming: boolean): Promise<{ res: IncomingMessage; abort: () => void }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (config.userAgent) headers['User-Agent'] = config.userAgent;
      const token = config.bearerTokenSource ? config.bearerTokenSource() : config.bearerToken;
      if (token) headers.Authorization = `Bearer ${token}`;
      if (req.body !== undefined) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(req.body));
      }
      const r = https.request(
        { host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port || 443, method: req.method, path: requestTarget(req), agent, headers },
        (res) => {
          if (res.statusCode === 401) config.onUnauthorized?.();
          resolve({ res, abort: () => r.destroy() });
        },
      );
      r.on('error', reject);
      if (!streaming) r.setTimeout(timeoutMs, () => r.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
      r.end(req.body);
    });
  }

  async function readAll(res: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  return {
    async request(req): Promise<TransportResponse> {
      const { res } = await open(req, false);
      return { status: res.statusCode ?? 0, body: await readAll(res) };
    },
    async stream(req): Promise<TransportStream> {
      const { res, abort } = await open(req, true);
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) return { status, errorBody: await readAll(res), lines: (async function* () {})(), close: () => {} };
      async function* lines(): AsyncGenerator<string> {
        let buf = '';
        try {
          for await (const chunk of res) {
            buf += (chunk as Buffer).toString('utf8');
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (line.trim()) yield line;
            }
          }
        } catch {
          // connection reset or closed by us: the stream simply ends
        }
        if (buf.trim()) yield buf;
      }
      return { status, lines: lines(), close: abort };
    },
    close() {
      agent.destroy();
    },
  };
}
