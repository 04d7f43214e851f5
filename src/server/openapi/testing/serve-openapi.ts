/**
 * Throwaway harness (never imported by the server): serves only /version, legacy discovery and
 * the OpenAPI documents over HTTPS, so the real kubectl binaries can be pointed at them:
 *
 *   node --import tsx src/server/openapi/testing/serve-openapi.ts [port] [workdir]
 *
 * It writes a self-signed cert (openssl CLI) and `kubeconfig` (insecure-skip-tls-verify) into
 * workdir, prints `listening <url>`, and logs every request to stderr. Everything else is 404.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { allResources } from '../../../api/resources.js';
import { apiGroupList, apiResourceList, apiVersions } from '../../discovery.js';
import { createOpenApiDocuments } from '../index.js';

const port = Number(process.argv[2] ?? 0);
const dir = process.argv[3] ?? '/tmp/serve-openapi';
mkdirSync(dir, { recursive: true });
const keyFile = join(dir, 'key.pem');
const certFile = join(dir, 'cert.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
  '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });

const docs = createOpenApiDocuments();
const json = (res: import('node:http').ServerResponse, code: number, body: unknown, type = 'application/json') => {
  const data = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': type, 'Cache-Control': 'no-cache, private' });
  res.end(data);
};

const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname;
  process.stderr.write(`${req.method} ${req.url} accept=${req.headers.accept ?? ''}\n`);
  if (req.method === 'GET' && path === '/version') {
    return json(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', gitCommit: 'insignia', gitTreeState: 'clean', buildDate: '2026-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64' });
  }
  if (req.method === 'GET' && path === '/api') return json(res, 200, apiVersions(`127.0.0.1:${(server.address() as { port: number }).port}`));
  if (req.method === 'GET' && path === '/apis') return json(res, 200, apiGroupList(allResources));
  if (req.method === 'GET' && path === '/api/v1') return json(res, 200, apiResourceList(allResources, '', 'v1'));
  if (req.method === 'GET' && path === '/openapi/v3') return json(res, 200, docs.v3Root());
  if (req.method === 'GET' && path.startsWith('/openapi/v3/')) {
    const doc = docs.v3Document(path.slice('/openapi/v3/'.length));
    if (doc) {
      res.setHeader('Etag', `"${doc.etag}"`);
      return json(res, 200, doc.body);
    }
  }
  if (req.method === 'GET' && path === '/openapi/v2') {
    if ((req.headers.accept ?? '').includes('protobuf')) return json(res, 200, docs.v2Protobuf(), 'application/octet-stream');
    return json(res, 200, docs.v2Json());
  }
  json(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
});

server.listen(port, '127.0.0.1', () => {
  const url = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters:
- name: fake
  cluster:
    server: ${url}
    insecure-skip-tls-verify: true
contexts:
- name: fake
  context:
    cluster: fake
    user: fake
    namespace: default
current-context: fake
users:
- name: fake
  user:
    token: fake-token
`);
  process.stdout.write(`listening ${url}\n`);
});
