import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createOidcRoutes } from './oidc.js';

function call(handler: ReturnType<typeof createOidcRoutes>[string], method = 'GET') {
  const headers: Record<string, unknown> = {};
  const res = { statusCode: 0, body: undefined as unknown, setHeader: (k: string, v: unknown) => (headers[k] = v), end: (b?: unknown) => (res.body = b) };
  void handler({ method } as IncomingMessage, res as unknown as ServerResponse, new URLSearchParams());
  return { status: res.statusCode, headers, body: res.body };
}

describe('OIDC discovery routes', () => {
  it('serve both documents with upstream content types and Cache-Control, built once', () => {
    let built = 0;
    const routes = createOidcRoutes({ configuration: () => (built++, '{"issuer":"x"}'), jwks: () => '{"keys":[]}' });
    const conf = call(routes['/.well-known/openid-configuration']!);
    assert.deepEqual(conf, { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=3600', 'Content-Length': 14 }, body: '{"issuer":"x"}' });
    call(routes['/.well-known/openid-configuration']!);
    assert.equal(built, 1);
    const jwks = call(routes['/openid/v1/jwks']!);
    assert.equal(jwks.headers['Content-Type'], 'application/jwk-set+json');
    assert.equal(jwks.headers['Cache-Control'], 'public, max-age=3600');
    assert.equal(call(routes['/openid/v1/jwks']!, 'HEAD').body, undefined);
  });
});
