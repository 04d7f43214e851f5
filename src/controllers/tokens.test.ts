import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createInformerFactory, type InformerFactory } from '../client/informer-factory.js';
import { createRestClient } from '../client/rest-client.js';
import { createFakeClock, type FakeClock } from '../client/testing/fake-clock.js';
import { createFakeTransport, type FakeTransport } from '../client/testing/fake-transport.js';
import type { Controller } from './runner.js';
import { createTokensController, type TokensControllerOptions } from './tokens.js';
import { serviceAccountNameKey, serviceAccountTokenType, serviceAccountUidKey } from './tokens-shared.js';

const SA = '/api/v1/serviceaccounts';
const SECRETS = '/api/v1/secrets';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

/** A signer whose tokens carry their claims readably (header.payload.signature). */
const fakeSigner = {
  sign: async (claims: Record<string, unknown>) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`,
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8');
const claimsOf = (secret: KubeObject) => JSON.parse(Buffer.from(unb64((secret.data as any).token).split('.')[1]!, 'base64url').toString('utf8'));

interface Env {
  transport: FakeTransport;
  clock: FakeClock;
  informers: InformerFactory;
  controller: Controller;
  settle(done: () => boolean): Promise<void>;
}

const running: Env[] = [];
afterEach(async () => {
  for (const env of running.splice(0)) {
    await env.controller.stop();
    env.informers.stop();
  }
});

async function start(seed: (t: FakeTransport) => void, opts: Partial<TokensControllerOptions> = {}): Promise<Env> {
  const transport = createFakeTransport();
  seed(transport);
  const clock = createFakeClock(Date.now());
  const client = createRestClient(transport);
  const informers = createInformerFactory({ client, clock });
  const controller = createTokensController({ informers, client, signer: fakeSigner, rootCa: CA, clock, workers: 1, ...opts });
  informers.start();
  await controller.start();
  const env: Env = {
    transport,
    clock,
    informers,
    controller,
    async settle(done) {
      for (let i = 0; i < 300 && !done(); i++) await clock.advance(50);
      assert.ok(done(), 'the controller did not converge');
      await clock.advance(50);
    },
  };
  running.push(env);
  return env;
}

const account = (name: string, extra: Partial<KubeObject> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default' }, ...extra });
const tokenSecret = (name: string, annotations: Record<string, string>, data?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'default', annotations },
  type: serviceAccountTokenType,
  ...(data ? { data } : {}),
});
const secret = (t: FakeTransport, name: string) => t.get(SECRETS, name);

describe('tokens controller: populating token Secrets', () => {
  it('fills token, ca.crt, namespace and the uid annotation of a Secret naming an account', async () => {
    let uid = '';
    const env = await start((t) => {
      uid = t.seed(SA, account('build-robot')).metadata.uid!;
      t.seed(SECRETS, tokenSecret('build-robot-secret', { [serviceAccountNameKey]: 'build-robot' }));
    });
    await env.settle(() => !!(secret(env.transport, 'build-robot-secret')?.data as any)?.token);
    const s = secret(env.transport, 'build-robot-secret')!;
    assert.equal(unb64((s.data as any)['ca.crt']), CA);
    assert.equal(unb64((s.data as any).namespace), 'default');
    assert.equal(s.metadata.annotations?.[serviceAccountUidKey], uid);
    assert.deepEqual(claimsOf(s), {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'build-robot-secret',
      'kubernetes.io/serviceaccount/service-account.name': 'build-robot',
      'kubernetes.io/serviceaccount/service-account.uid': uid,
      sub: 'system:serviceaccount:default:build-robot',
    });
  });

  const cases: { name: string; data: Record<string, string>; expect: (s: KubeObject) => void }[] = [
    {
      name: 'keeps a present token and namespace, rewrites a different ca.crt',
      data: { token: b64('kept-token'), namespace: b64('elsewhere'), 'ca.crt': b64('other CA') },
      expect: (s) => {
        assert.equal(unb64((s.data as any).token), 'kept-token');
        assert.equal(unb64((s.data as any).namespace), 'elsewhere');
        assert.equal(unb64((s.data as any)['ca.crt']), CA);
      },
    },
    {
      name: 'generates a token when data.token was cleared',
      data: { token: '', namespace: b64('default'), 'ca.crt': b64(CA) },
      expect: (s) => assert.equal(claimsOf(s).sub, 'system:serviceaccount:default:robot'),
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const env = await start((t) => {
        t.seed(SA, account('robot'));
        t.seed(SECRETS, tokenSecret('robot-token', { [serviceAccountNameKey]: 'robot' }, c.data));
      });
      await env.settle(() => !!secret(env.transport, 'robot-token')?.metadata.annotations?.[serviceAccountUidKey]);
      c.expect(secret(env.transport, 'robot-token')!);
    });
  }

  it('leaves a complete Secret alone (no write)', async () => {
    let uid = '';
    const env = await start((t) => {
      uid = t.seed(SA, account('robot')).metadata.uid!;
      t.seed(SECRETS, tokenSecret('robot-token', { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: uid }, { token: b64('t'), namespace: b64('default'), 'ca.crt': b64(CA) }));
    });
    await env.clock.advance(1000);
    assert.equal(env.transport.requests.filter((r) => r.method !== 'GET').length, 0);
  });
});

describe('tokens controller: deleting token Secrets', () => {
  const cases: { name: string; annotations: (uid: string) => Record<string, string>; deleted: boolean }[] = [
    { name: 'naming a missing account', annotations: () => ({ [serviceAccountNameKey]: 'ghost' }), deleted: true },
    { name: 'annotated with another uid', annotations: () => ({ [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: 'not-the-uid' }), deleted: true },
    { name: 'annotated with the right uid', annotations: (uid) => ({ [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: uid }), deleted: false },
  ];
  for (const c of cases) {
    it(`a token Secret ${c.name} is ${c.deleted ? '' : 'not '}deleted`, async () => {
      const env = await start((t) => {
        const uid = t.seed(SA, account('robot')).metadata.uid!;
        t.seed(SECRETS, tokenSecret('s', c.annotations(uid)));
      });
      if (c.deleted) await env.settle(() => !secret(env.transport, 's'));
      else await env.settle(() => !!(secret(env.transport, 's')?.data as any)?.token);
    });
  }

  it('deleting an account deletes its token Secrets (uid annotation empty or equal), nothing else', async () => {
    const env = await start((t) => {
      const uid = t.seed(SA, account('robot')).metadata.uid!;
      t.seed(SA, account('other'));
      t.seed(SECRETS, tokenSecret('a', { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: uid }));
      t.seed(SECRETS, tokenSecret('b', { [serviceAccountNameKey]: 'robot' }));
      t.seed(SECRETS, tokenSecret('c', { [serviceAccountNameKey]: 'other' }));
      t.seed(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque', namespace: 'default', annotations: { [serviceAccountNameKey]: 'robot' } }, type: 'Opaque' });
    });
    await env.settle(() => !!secret(env.transport, 'b')?.metadata.annotations?.[serviceAccountUidKey]);
    await env.transport.request({ method: 'DELETE', path: '/api/v1/namespaces/default/serviceaccounts/robot' });
    await env.settle(() => !secret(env.transport, 'a') && !secret(env.transport, 'b'));
    assert.ok(secret(env.transport, 'c'));
    assert.ok(secret(env.transport, 'opaque'));
  });

  it("removes a deleted Secret from its account's .secrets, retrying on conflict", async () => {
    const env = await start((t) => {
      t.seed(SA, account('robot', { secrets: [{ name: 'keep' }, { name: 'gone' }] }));
      t.seed(SECRETS, tokenSecret('gone', { [serviceAccountNameKey]: 'robot' }, { token: b64('t'), namespace: b64('default'), 'ca.crt': b64(CA) }));
    });
    await env.clock.advance(500);
    let conflicts = 0;
    env.transport.reactor = (req) => {
      if (req.method === 'PUT' && req.path.endsWith('/serviceaccounts/robot') && conflicts < 2) {
        conflicts++;
        return { status: 409, body: JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, message: 'conflict' }) };
      }
      return undefined;
    };
    await env.transport.request({ method: 'DELETE', path: '/api/v1/namespaces/default/secrets/gone' });
    await env.settle(() => (env.transport.get(SA, 'robot')?.secrets as unknown[]).length === 1);
    assert.equal(conflicts, 2);
    assert.deepEqual(env.transport.get(SA, 'robot')?.secrets, [{ name: 'keep' }]);
  });

  it('gives up on a key after maxRetries retriable failures', async () => {
    const env = await start(
      (t) => {
        t.seed(SA, account('robot'));
        t.seed(SECRETS, tokenSecret('s', { [serviceAccountNameKey]: 'robot' }));
        t.reactor = (req) =>
          req.method === 'GET' && req.path.endsWith('/secrets/s') ? { status: 500, body: '{"kind":"Status","code":500,"reason":"InternalError","message":"boom"}' } : undefined;
      },
      { maxRetries: 3 },
    );
    const gets = () => env.transport.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/secrets/s')).length;
    await env.settle(() => gets() >= 4);
    await env.clock.advance(10 * 60_000);
    assert.equal(gets(), 4);
  });
});

describe('tokens controller: legacy mode (auto-generated tokens)', () => {
  const generated = (t: FakeTransport) => t.list(SECRETS).filter((s) => /^robot-token-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(s.metadata.name!));
  const refs = (t: FakeTransport) => ((t.get(SA, 'robot')?.secrets as { name: string }[]) ?? []).map((r) => r.name);

  it('gives every account one referenced, populated `<name>-token-xxxxx` Secret, and replaces a deleted one', async () => {
    const env = await start((t) => void t.seed(SA, account('robot')), { autoGenerate: true });
    await env.settle(() => refs(env.transport).length === 1);
    const [first] = generated(env.transport);
    assert.deepEqual(refs(env.transport), [first!.metadata.name]);
    assert.equal(first!.metadata.annotations?.[serviceAccountUidKey], env.transport.get(SA, 'robot')!.metadata.uid);
    assert.equal(claimsOf(first!)['kubernetes.io/serviceaccount/secret.name'], first!.metadata.name);
    assert.equal(unb64((first!.data as any)['ca.crt']), CA);
    await env.clock.advance(2000);
    assert.equal(generated(env.transport).length, 1, 'no second token for the same account');

    await env.transport.request({ method: 'DELETE', path: `/api/v1/namespaces/default/secrets/${first!.metadata.name}` });
    await env.settle(() => refs(env.transport).length === 1 && refs(env.transport)[0] !== first!.metadata.name);
    assert.equal(generated(env.transport).length, 1);
    assert.notEqual(generated(env.transport)[0]!.metadata.name, first!.metadata.name);
  });

  it('adopts a token it created before a crash instead of creating another', async () => {
    let orphan = '';
    const env = await start(
      (t) => {
        const uid = t.seed(SA, account('robot')).metadata.uid!;
        const s = tokenSecret('robot-token-b2c4d', { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: uid }, { token: b64('t'), namespace: b64('default'), 'ca.crt': b64(CA) });
        s.metadata.managedFields = [{ manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1' }];
        orphan = t.seed(SECRETS, s).metadata.name!;
      },
      { autoGenerate: true },
    );
    await env.settle(() => refs(env.transport).length === 1);
    assert.deepEqual(refs(env.transport), [orphan]);
    assert.equal(generated(env.transport).length, 1);
  });

  it('does not adopt a user-created token Secret (other field manager)', async () => {
    const env = await start(
      (t) => {
        const uid = t.seed(SA, account('robot')).metadata.uid!;
        const s = tokenSecret('robot-token-b2c4d', { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: uid }, { token: b64('t'), namespace: b64('default'), 'ca.crt': b64(CA) });
        s.metadata.managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1' }];
        t.seed(SECRETS, s);
      },
      { autoGenerate: true },
    );
    await env.settle(() => refs(env.transport).length === 1);
    assert.notEqual(refs(env.transport)[0], 'robot-token-b2c4d');
  });

  it('creates nothing without legacy mode', async () => {
    const env = await start((t) => void t.seed(SA, account('robot')));
    await env.clock.advance(2000);
    assert.equal(env.transport.list(SECRETS).length, 0);
  });
});
