/**
 * Bad input against the real server process: each gets kube-apiserver's Status (reason and code),
 * the process stays up, and nothing already stored changes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { startServer, type ServerProcess } from './harness.js';
import { clientFromKubeconfig, type RawClient } from './client.js';

describe('bad input', () => {
  let server: ServerProcess;
  let c: RawClient;
  const sas = '/api/v1/namespaces/default/serviceaccounts';
  let before1: string;

  before(async () => {
    server = await startServer({ args: ['--default-watch-cache-size', '5'] });
    c = clientFromKubeconfig(server.kubeconfig);
    const r = await c.request('POST', sas, { body: JSON.stringify({ metadata: { name: 'keep', labels: { a: 'b' } } }) });
    assert.equal(r.status, 201, r.body);
    before1 = JSON.stringify(r.json());
  });
  after(async () => {
    const r = await c.request('GET', `${sas}/keep`);
    assert.equal(JSON.stringify(r.json()), before1, 'the stored object is unchanged');
    c.agent.destroy();
    assert.equal(await server.stop(), 0);
  });

  const cases: Array<{ name: string; method: string; path?: string; body: string | Buffer; contentType?: string; code: number; reason: string; message?: RegExp }> = [
    { name: 'malformed JSON', method: 'POST', body: '{"metadata": {', code: 400, reason: 'BadRequest' },
    { name: 'malformed YAML', method: 'POST', body: 'metadata:\n  name: [x\n', contentType: 'application/yaml', code: 400, reason: 'BadRequest' },
    { name: 'JSON array body', method: 'POST', body: '[1,2]', code: 400, reason: 'BadRequest' },
    { name: 'apiVersion disagrees with the URL', method: 'POST', body: JSON.stringify({ apiVersion: 'v2', kind: 'ServiceAccount', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest', message: /the API version in the data \(v2\) does not match the expected API version \(v1\)/ },
    { name: 'kind disagrees with the URL', method: 'POST', body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest' },
    { name: 'namespace disagrees with the URL', method: 'POST', body: JSON.stringify({ metadata: { name: 'x', namespace: 'other' } }), code: 400, reason: 'BadRequest', message: /the namespace of the provided object does not match the namespace sent on the request/ },
    { name: 'invalid name Bad_Name', method: 'POST', body: JSON.stringify({ metadata: { name: 'Bad_Name' } }), code: 422, reason: 'Invalid', message: /^ServiceAccount "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/ },
    { name: '254-character name', method: 'POST', body: JSON.stringify({ metadata: { name: 'a'.repeat(254) } }), code: 422, reason: 'Invalid', message: /must be no more than 253 characters/ },
    { name: 'unknown field with fieldValidation=Strict', method: 'POST', path: `${sas}?fieldValidation=Strict`, body: JSON.stringify({ metadata: { name: 'x' }, foo: 1 }), code: 400, reason: 'BadRequest', message: /strict decoding error: unknown field "foo"/ },
    { name: 'wrong type', method: 'POST', body: JSON.stringify({ metadata: { name: 'x' }, secrets: 'nope' }), code: 400, reason: 'BadRequest' },
    { name: 'stale resourceVersion', method: 'PUT', path: `${sas}/keep`, body: JSON.stringify({ metadata: { name: 'keep', resourceVersion: '1' } }), code: 409, reason: 'Conflict', message: /Operation cannot be fulfilled on serviceaccounts "keep": the object has been modified/ },
    { name: 'non-numeric resourceVersion', method: 'PUT', path: `${sas}/keep`, body: JSON.stringify({ metadata: { name: 'keep', resourceVersion: 'abc' } }), code: 400, reason: 'BadRequest' },
    { name: '4 MiB body', method: 'POST', body: JSON.stringify({ metadata: { name: 'big', annotations: { a: 'x'.repeat(4 * 1024 * 1024) } } }), code: 413, reason: 'RequestEntityTooLarge' },
    { name: 'JSON nested 100,000 deep', method: 'POST', body: '{"metadata":{"name":"deep"},"x":' + '['.repeat(100000) + ']'.repeat(100000) + '}', code: 400, reason: 'BadRequest' },
    { name: 'token Secret without the account annotation', method: 'POST', path: '/api/v1/namespaces/default/secrets', body: JSON.stringify({ metadata: { name: 'tok' }, type: 'kubernetes.io/service-account-token' }), code: 422, reason: 'Invalid', message: /^Secret "tok" is invalid: metadata\.annotations\[kubernetes\.io\/service-account\.name\]: Required value$/ },
    { name: 'pod without containers', method: 'POST', path: '/api/v1/namespaces/default/pods', body: JSON.stringify({ metadata: { name: 'p' }, spec: {} }), code: 422, reason: 'Invalid', message: /spec\.containers: Required value/ },
    { name: 'create in a missing namespace', method: 'POST', path: '/api/v1/namespaces/nope/serviceaccounts', body: JSON.stringify({ metadata: { name: 'x' } }), code: 404, reason: 'NotFound', message: /^namespaces "nope" not found$/ },
    { name: 'unknown content type', method: 'POST', body: 'x', contentType: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
    { name: 'garbage protobuf', method: 'POST', body: Buffer.from('6b387300ffffffff', 'hex'), contentType: 'application/vnd.kubernetes.protobuf', code: 400, reason: 'BadRequest' },
    { name: 'unknown patch type', method: 'PATCH', path: `${sas}/keep`, body: '{}', contentType: 'application/x-patch', code: 415, reason: 'UnsupportedMediaType' },
  ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const r = await c.request(tc.method, tc.path ?? sas, { body: tc.body, contentType: tc.contentType });
      assert.equal(r.status, tc.code, r.body.slice(0, 500));
      const s = r.json();
      assert.equal(s.kind, 'Status');
      assert.equal(s.apiVersion, 'v1');
      assert.equal(s.status, 'Failure');
      assert.equal(s.reason, tc.reason);
      assert.equal(s.code, tc.code);
      if (tc.message) assert.match(s.message, tc.message);
    });
  }

  it('watch from a revision older than the watch window is 410 Expired', async () => {
    const first = (await c.request('POST', sas, { body: JSON.stringify({ metadata: { generateName: 'w-' } }) })).json();
    for (let i = 0; i < 8; i++) await c.request('POST', sas, { body: JSON.stringify({ metadata: { generateName: 'w-' } }) });
    const r = await c.request('GET', `${sas}?watch=1&resourceVersion=${first.metadata.resourceVersion}`);
    assert.equal(r.status, 200);
    const ev = JSON.parse(r.body.trim().split('\n')[0]!);
    assert.equal(ev.type, 'ERROR');
    assert.equal(ev.object.code, 410);
    assert.equal(ev.object.reason, 'Expired');
  });

  it('a plain LIST always reflects the latest writes (cached bodies are per revision)', async () => {
    const names = async () => (await c.request('GET', sas)).json().items.map((i: { metadata: { name: string } }) => i.metadata.name);
    const first = await names();
    assert.deepEqual(await names(), first);
    await c.request('POST', sas, { body: JSON.stringify({ metadata: { name: 'list-cache' } }) });
    assert.ok((await names()).includes('list-cache'));
    await c.request('DELETE', `${sas}/list-cache`);
    assert.ok(!(await names()).includes('list-cache'));
  });

  it('a client that disconnects mid-watch leaves the server healthy', async () => {
    const url = new URL(c.url);
    await new Promise<void>((resolve, reject) => {
      const req = https.request({ host: url.hostname, port: url.port, path: `${sas}?watch=1`, agent: c.agent }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? resolve() : reject(e)));
      req.end();
    });
    const r = await c.request('GET', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ok');
  });

  it('unauthenticated requests are anonymous and forbidden; health is public', async () => {
    const anon = clientFromKubeconfig(server.kubeconfig, { anonymous: true });
    const r = await anon.request('GET', sas);
    assert.equal(r.status, 403);
    assert.match(r.json().message, /User "system:anonymous" cannot list resource "serviceaccounts" in API group "" in the namespace "default"/);
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const h = await anon.request('GET', p);
      assert.equal(h.status, 200);
      assert.equal(h.body, 'ok');
    }
    anon.agent.destroy();
  });
});
