/**
 * The one seam between the client and a server: an HTTP-shaped request/response exchange plus a
 * line-delimited stream for watches. The HTTPS transport (https-transport.ts) speaks to a real
 * server; testing/fake-transport.ts implements the same interface in memory for unit tests.
 */

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute path, e.g. /api/v1/namespaces/default/serviceaccounts. */
  path: string;
  /** Query parameters (omitted when undefined). */
  query?: Record<string, string | undefined>;
  body?: string;
  /** Content-Type of `body` (default application/json). */
  contentType?: string;
}

export interface TransportResponse {
  status: number;
  body: string;
}

/** An open streaming response (a watch). Lines arrive without their newline. */
export interface TransportStream {
  status: number;
  /** The whole body when status is not 2xx (the stream is then already finished). */
  errorBody?: string;
  /** Line-by-line events; ends when the server ends the response or `close` is called. */
  lines: AsyncIterable<string>;
  close(): void;
}

export interface Transport {
  request(req: TransportRequest): Promise<TransportResponse>;
  stream(req: TransportRequest): Promise<TransportStream>;
  /** Releases connections. */
  close?(): void;
}

/** Encodes a request's path and query as sent on the wire. */
export function requestTarget(req: Pick<TransportRequest, 'path' | 'query'>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, v);
  const qs = params.toString();
  return qs ? `${req.path}?${qs}` : req.path;
}
