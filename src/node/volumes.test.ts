import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { createTokenManager, type TokenRequestSpec } from './token-manager.js';
import { fsUserOf, MountError, volumePayload, type VolumeSources } from './volumes.js';
import { extractFieldPath, extractResourceValue, formatMap, goQuote, parseQuantity } from './volumes-downward.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function basePod(over: { spec?: Record<string, unknown>; labels?: Record<string, string>; annotations?: Record<string, string> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'pod-uid', labels: over.labels, annotations: over.annotations },
    spec: {
      serviceAccountName: 'sa',
      nodeName: 'n1',
      containers: [{ name: 'c', image: 'nginx', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }],
      ...over.spec,
    },
  };
}

function sources(): VolumeSources & { requests: TokenRequestSpec[] } {
  const clock = createFakeClock();
  const requests: TokenRequestSpec[] = [];
  const secrets: Record<string, KubeObject> = {
    s: { metadata: { name: 's' }, data: { user: b64('admin'), pass: b64('pw') } },
  };
  const configMaps: Record<string, KubeObject> = {
    cm: { metadata: { name: 'cm' }, data: { 'game.properties': 'lives=3' }, binaryData: { blob: b64('\x00\x01') } },
    'kube-root-ca.crt': { metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': 'CA PEM' } },
  };
  return {
    requests,
    getSecret: async (_ns, name) => secrets[name],
    getConfigMap: async (_ns, name) => {
      if (name === 'broken') throw new Error('connection refused');
      return configMaps[name];
    },
    nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
    tokens: createTokenManager({
      clock,
      async requestToken(_ns, sa, spec) {
        requests.push(spec);
        if (sa === 'missing') throw new Error('serviceaccounts "missing" not found');
        return { token: `jwt-for-${spec.audiences?.join(',') ?? 'api'}`, expirationTimestamp: new Date(clock.now() + 3600_000).toISOString(), spec };
      },
    }),
  };
}

type Files = Record<string, [string, number] | [string, number, { fsUser?: number; fsGroup?: number }]>;
const asFiles = (p: Awaited<ReturnType<typeof volumePayload>>): Files | unknown => {
  if (!(p instanceof Map)) return p;
  const out: Files = {};
  for (const [k, v] of p) {
    const owner: { fsUser?: number; fsGroup?: number } = {};
    if (v.fsUser !== undefined) owner.fsUser = v.fsUser;
    if (v.fsGroup !== undefined) owner.fsGroup = v.fsGroup;
    out[k] = Object.keys(owner).length ? [v.data.toString('latin1'), v.mode, owner] : [v.data.toString('latin1'), v.mode];
  }
  return out;
};

const kubeAPIAccess = {
  name: 'kube-api-access-x',
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};

describe('volumePayload', () => {
  const cases: { name: string; pod?: KubeObject; volume: object; want?: unknown; error?: string }[] = [
    { name: 'secret, all keys, defaultMode', volume: { name: 'v', secret: { secretName: 's', defaultMode: 0o400 } }, want: { user: ['admin', 0o400], pass: ['pw', 0o400] } },
    {
      name: 'secret items with path and mode',
      volume: { name: 'v', secret: { secretName: 's', items: [{ key: 'user', path: 'a/u', mode: 0o600 }, { key: 'pass', path: 'p' }] } },
      want: { 'a/u': ['admin', 0o600], p: ['pw', 0o644] },
    },
    { name: 'missing secret', volume: { name: 'v', secret: { secretName: 'nope' } }, error: 'secret "nope" not found' },
    { name: 'missing optional secret: empty', volume: { name: 'v', secret: { secretName: 'nope', optional: true } }, want: {} },
    { name: 'missing secret key', volume: { name: 'v', secret: { secretName: 's', items: [{ key: 'k', path: 'k' }] } }, error: 'references non-existent secret key: k' },
    { name: 'missing key of an optional secret is skipped', volume: { name: 'v', secret: { secretName: 's', optional: true, items: [{ key: 'k', path: 'k' }, { key: 'user', path: 'u' }] } }, want: { u: ['admin', 0o644] } },
    { name: 'configMap with binaryData', volume: { name: 'v', configMap: { name: 'cm' } }, want: { 'game.properties': ['lives=3', 0o644], blob: ['\x00\x01', 0o644] } },
    { name: 'configMap items (binary key)', volume: { name: 'v', configMap: { name: 'cm', items: [{ key: 'blob', path: 'b', mode: 0o755 }] } }, want: { b: ['\x00\x01', 0o755] } },
    { name: 'missing configMap', volume: { name: 'v', configMap: { name: 'x' } }, error: 'configmap "x" not found' },
    { name: 'missing configMap key', volume: { name: 'v', configMap: { name: 'cm', items: [{ key: 'k', path: 'k' }] } }, error: 'configmap references non-existent config key: k' },
    { name: 'configMap fetch failure', volume: { name: 'v', configMap: { name: 'broken' } }, error: 'connection refused' },
    {
      name: 'downwardAPI metadata',
      pod: basePod({ labels: { b: '2', a: 'x"y' }, annotations: { 'k8s.io/n': 'line\nnext' } }),
      volume: {
        name: 'v',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' }, mode: 0o600 },
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
            { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
            { path: 'label-b', fieldRef: { fieldPath: "metadata.labels['b']" } },
          ],
        },
      },
      want: { labels: ['a="x\\"y"\nb="2"', 0o644], annotations: ['k8s.io/n="line\\nnext"', 0o600], name: ['p', 0o644], uid: ['pod-uid', 0o644], 'label-b': ['2', 0o644] },
    },
    {
      name: 'downwardAPI resources with node allocatable defaults',
      volume: {
        name: 'v',
        downwardAPI: {
          items: [
            { path: 'cpu_limit', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu' } },
            { path: 'cpu_request', resourceFieldRef: { containerName: 'c', resource: 'requests.cpu', divisor: '1m' } },
            { path: 'mem_limit', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
            { path: 'mem_request', resourceFieldRef: { containerName: 'c', resource: 'requests.memory' } },
          ],
        },
      },
      want: { cpu_limit: ['4', 0o644], cpu_request: ['250', 0o644], mem_limit: ['64', 0o644], mem_request: ['0', 0o644] },
    },
    {
      name: 'downwardAPI errors are aggregated',
      volume: {
        name: 'v',
        downwardAPI: { items: [{ path: 'a', fieldRef: { fieldPath: 'spec.nodeName' } }, { path: 'b', resourceFieldRef: { containerName: 'x', resource: 'limits.cpu' } }] },
      },
      error: '[unsupported fieldPath: spec.nodeName, container x not found]',
    },
    {
      name: 'projected kube-api-access',
      volume: kubeAPIAccess,
      want: { token: ['jwt-for-api', 0o644], 'ca.crt': ['CA PEM', 0o644], namespace: ['ns', 0o644] },
    },
    {
      name: 'projected token with audience, defaultMode 0440',
      volume: { name: 'v', projected: { defaultMode: 0o440, sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 7200, path: 'vault-token' } }] } },
      want: { 'vault-token': ['jwt-for-vault', 0o440] },
    },
    {
      name: 'projected token, runAsUser only: 0600 owned by the user',
      pod: basePod({ spec: { securityContext: { runAsUser: 1000 } } }),
      volume: kubeAPIAccess,
      want: { token: ['jwt-for-api', 0o600, { fsUser: 1000 }], 'ca.crt': ['CA PEM', 0o644], namespace: ['ns', 0o644] },
    },
    {
      name: 'projected token, fsGroup only: 0640, group on every file',
      pod: basePod({ spec: { securityContext: { fsGroup: 2000 } } }),
      volume: kubeAPIAccess,
      want: { token: ['jwt-for-api', 0o640, { fsGroup: 2000 }], 'ca.crt': ['CA PEM', 0o644, { fsGroup: 2000 }], namespace: ['ns', 0o644, { fsGroup: 2000 }] },
    },
    {
      name: 'projected token, runAsUser and fsGroup',
      pod: basePod({ spec: { securityContext: { runAsUser: 1000, fsGroup: 2000 } } }),
      volume: { name: 'v', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token' } }] } },
      want: { token: ['jwt-for-api', 0o640, { fsUser: 1000, fsGroup: 2000 }] },
    },
    {
      name: 'projected: all source errors aggregated',
      pod: basePod({ spec: { serviceAccountName: 'missing' } }),
      volume: { name: 'v', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'token' } }, { secret: { name: 'nope' } }, { configMap: { name: 'nope', optional: true } }] } },
      error: '[failed to fetch token: serviceaccounts "missing" not found, secret "nope" not found]',
    },
    { name: 'projected clusterTrustBundle', volume: { name: 'v', projected: { sources: [{ clusterTrustBundle: { name: 'b', path: 'b' } }] } }, error: 'ClusterTrustBundle projection is not supported by this node' },
    { name: 'emptyDir', volume: { name: 'v', emptyDir: {} }, want: { emptyDir: true } },
    { name: 'no source: emptyDir', volume: { name: 'v' }, want: { emptyDir: true } },
    { name: 'hostPath: not materialized', volume: { name: 'v', hostPath: { path: '/tmp' } }, want: null },
    { name: 'persistentVolumeClaim: not materialized', volume: { name: 'v', persistentVolumeClaim: { claimName: 'c' } }, want: null },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const src = sources();
      const run = volumePayload(c.pod ?? basePod(), c.volume, src);
      if (c.error) {
        await assert.rejects(run, (err: Error) => {
          assert.ok(err instanceof MountError);
          assert.equal(err.message, c.error);
          return true;
        });
        return;
      }
      assert.deepEqual(asFiles(await run), c.want);
    });
  }

  it('requests tokens bound to the pod with the projection spec', async () => {
    const src = sources();
    await volumePayload(basePod(), kubeAPIAccess, src);
    await volumePayload(basePod(), { name: 'v', projected: { sources: [{ serviceAccountToken: { audience: 'vault', path: 't' } }] } }, src);
    const ref = { apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'pod-uid' };
    assert.deepEqual(src.requests, [
      { audiences: undefined, expirationSeconds: 3607, boundObjectRef: ref },
      { audiences: ['vault'], expirationSeconds: 3600, boundObjectRef: ref },
    ]);
    await volumePayload(basePod(), kubeAPIAccess, src);
    assert.equal(src.requests.length, 2, 'served from the token cache');
  });
});

describe('downward API helpers', () => {
  const quotes: [string, string][] = [
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['tab\there\r\n', '"tab\\there\\r\\n"'],
    ['\x00\x7f', '"\\x00\\x7f"'],
    ['héllo ✓ 日本', '"héllo ✓ 日本"'],
    ['\u200b\u00ad', '"\\u200b\\u00ad"'],
    ['\u{1F600}', '"\u{1F600}"'],
    ['\u{E0001}', '"\\U000e0001"'],
  ];
  for (const [input, want] of quotes) it(`goQuote ${JSON.stringify(input)}`, () => assert.equal(goQuote(input), want));

  it('extracts subscripted labels and annotations like fieldpath', () => {
    const pod = basePod({ labels: { app: 'web' }, annotations: { 'example.com/Key': 'v' } });
    const one = (fieldPath: string) => extractFieldPath(pod, fieldPath);
    assert.equal(one("metadata.labels['app']"), 'web');
    assert.equal(one("metadata.labels['missing']"), '');
    assert.equal(one("metadata.annotations['example.com/Key']"), 'v');
    assert.throws(() => one("metadata.name['x']"), { message: 'fieldPath "metadata.name[\'x\']" does not support subscript' });
    assert.throws(() => one("metadata.labels['bad key']"), /^Error: invalid key subscript in metadata.labels\['bad key'\]: /);
    assert.throws(() => one('status.podIP'), { message: 'unsupported fieldPath: status.podIP' });
  });

  it('formatMap sorts keys bytewise and has no trailing newline', () => {
    assert.equal(formatMap({ b: '1', B: '2', a: '' }), 'B="2"\na=""\nb="1"');
    assert.equal(formatMap(undefined), '');
  });

  const quantities: [string, string, string | undefined, string][] = [
    // [resource, quantity in limits/requests, divisor, result]
    ['limits.cpu', '250m', undefined, '1'],
    ['limits.cpu', '250m', '1m', '250'],
    ['limits.cpu', '1.5', '100m', '15'],
    ['limits.cpu', '0.1', '1m', '100'],
    ['limits.memory', '1Gi', '1Mi', '1024'],
    ['limits.memory', '1G', '1Mi', '954'],
    ['limits.memory', '1e3', undefined, '1000'],
    ['limits.ephemeral-storage', '1.5Ki', '1k', '2'],
    ['limits.hugepages-2Mi', '4Mi', '1Mi', '4'],
  ];
  for (const [resource, q, divisor, want] of quantities) {
    it(`${resource} ${q} / ${divisor ?? '1'} = ${want}`, () => {
      const name = resource.split('.')[1];
      const pod = basePod({ spec: { containers: [{ name: 'c', resources: { limits: { [name]: q } } }] } });
      assert.equal(extractResourceValue(pod, { containerName: 'c', resource, divisor }), want);
    });
  }

  it('rejects unsupported resources and bad quantities', () => {
    assert.throws(() => extractResourceValue(basePod(), { containerName: 'c', resource: 'limits.nvidia.com/gpu' }), { message: 'unsupported container resource : limits.nvidia.com/gpu' });
    assert.throws(() => parseQuantity('abc'));
  });

  it('fsUserOf needs every container to agree', () => {
    const pod = (containers: object[], podUser?: number) => basePod({ spec: { securityContext: { runAsUser: podUser }, containers } });
    assert.equal(fsUserOf(pod([{ name: 'a' }], 7)), 7);
    assert.equal(fsUserOf(pod([{ name: 'a', securityContext: { runAsUser: 8 } }, { name: 'b' }], 8)), 8);
    assert.equal(fsUserOf(pod([{ name: 'a', securityContext: { runAsUser: 8 } }, { name: 'b' }], 7)), undefined);
    assert.equal(fsUserOf(pod([{ name: 'a', securityContext: { runAsUser: 8 } }, { name: 'b' }])), undefined);
  });
});
