/**
 * OIDC discovery for ServiceAccount tokens (upstream pkg/routes/openidmetadata.go):
 * `GET /.well-known/openid-configuration` (application/json) and `GET /openid/v1/jwks`
 * (application/jwk-set+json), both with `Cache-Control: public, max-age=3600`. The bodies are
 * built once, on first use (the default issuer is only known once the server listens), by the
 * functions given (tokens/discovery.ts). Who may read them is the authorizer's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NonResourceHandler } from './non-resource.js';

export const openIdConfigurationPath = '/.well-known/openid-configuration';
export const jwksPath = '/openid/v1/jwks';

export interface OidcDocuments {
  /** The discovery document, compact JSON. */
  configuration(): string;
  /** The JWKS document, compact JSON. */
  jwks(): string;
}

function once(f: () => string): () => string {
  let v: string | undefined;
  return () => (v ??= f());
}

function serve(body: () => string, contentType: string): NonResourceHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const text = body();
    res.statusCode = 200;
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(req.method === 'HEAD' ? undefined : text);
  };
}

/** The two routes, keyed by path, for ApiServerOptions.extraRoutes. */
export function createOidcRoutes(docs: OidcDocuments): Record<string, NonResourceHandler> {
  return {
    [openIdConfigurationPath]: serve(once(docs.configuration), 'application/json'),
    [jwksPath]: serve(once(docs.jwks), 'application/jwk-set+json'),
  };
}
