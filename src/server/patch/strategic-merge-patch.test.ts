import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Schema } from '../../api/schema/types.js';
import { applyStrategicMergePatch, PatchError, rejectedMessage, type PatchErrorCode } from './index.js';
import { assertPatchError, deepFreeze } from './testing/helpers.js';
import { configMapSchema, podSchema, saSchema, testRegistry } from './testing/schemas.js';

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

const sa = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'app', namespace: 'default', resourceVersion: '112', labels: { tier: 'api', y: 'n' }, finalizers: ['x/a', 'x/b'] },
  secrets: [{ name: 's-one' }, { name: 's-two' }],
  imagePullSecrets: [{ name: 'regcred' }],
};

const c1 = { name: 'c1', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] };
const c2 = { name: 'c2', image: 'busybox', args: ['sleep', '3600'] };

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    containers: [c1, c2] as object[],
    volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 420 } }, { name: 'w', emptyDir: {} }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
    nodeSelector: { disk: 'ssd' },
  },
};

const withMeta = (meta: object) => ({ ...sa, metadata: { ...sa.metadata, ...meta } });
const withSpec = (spec: object) => ({ ...pod, spec: { ...pod.spec, ...spec } });

interface Case {
  name: string;
  schema?: Schema;
  original: unknown;
  patch: unknown;
  want: unknown;
}

const cases: Case[] = [
  {
    name: 'kubectl apply on a ServiceAccount (§7.5): $setElementOrder, $patch delete, atomic imagePullSecrets',
    original: sa,
    patch: {
      '$setElementOrder/secrets': [{ name: 's-two' }, { name: 's-three' }],
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred2' }],
      metadata: { annotations: { [lastApplied]: '{…}\n' } },
      secrets: [{ name: 's-three' }, { $patch: 'delete', name: 's-one' }],
    },
    want: {
      ...withMeta({ annotations: { [lastApplied]: '{…}\n' } }),
      secrets: [{ name: 's-two' }, { name: 's-three' }],
      imagePullSecrets: [{ name: 'regcred2' }],
      automountServiceAccountToken: false,
    },
  },
  {
    name: 'kubectl apply on a Pod (§7.5): containers by name, env by name with delete and order',
    schema: podSchema,
    original: pod,
    patch: {
      metadata: { annotations: { [lastApplied]: '{…}\n' } },
      spec: {
        '$setElementOrder/containers': [{ name: 'c1' }, { name: 'c2' }],
        containers: [
          { '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '3' }, { $patch: 'delete', name: 'A' }], image: 'nginx:1.26', name: 'c1' },
        ],
      },
    },
    want: {
      ...pod,
      metadata: { ...pod.metadata, annotations: { [lastApplied]: '{…}\n' } },
      spec: { ...pod.spec, containers: [{ ...c1, image: 'nginx:1.26', env: [{ name: 'B', value: '3' }] }, c2] },
    },
  },
  {
    name: 'kubectl edit (§7.9): label added, secret deleted',
    original: sa,
    patch: { '$setElementOrder/secrets': [{ name: 's-one' }], metadata: { labels: { edited: 'yes' } }, secrets: [{ $patch: 'delete', name: 's-two' }] },
    want: { ...withMeta({ labels: { tier: 'api', y: 'n', edited: 'yes' } }), secrets: [{ name: 's-one' }] },
  },
  {
    name: 'kubectl apply adding the last-applied annotation and a label (§12.6)',
    original: sa,
    patch: { metadata: { annotations: { [lastApplied]: '{"apiVersion":"v1"}\n' }, labels: { tier: 'api' } } },
    want: withMeta({ annotations: { [lastApplied]: '{"apiVersion":"v1"}\n' } }),
  },
  {
    name: 'kubectl diff (§7.7): a resourceVersion in the patch is stored (the caller checks it first)',
    original: sa,
    patch: { metadata: { resourceVersion: '112', labels: { tier: 'web' } } },
    want: withMeta({ labels: { tier: 'web', y: 'n' } }),
  },
  {
    name: 'ServiceAccount.imagePullSecrets is atomic: replaced whole',
    original: sa,
    patch: { imagePullSecrets: [{ name: 'other' }] },
    want: { ...sa, imagePullSecrets: [{ name: 'other' }] },
  },
  {
    name: 'labels: null removes a key, others merge',
    original: sa,
    patch: { metadata: { labels: { y: null, z: '1' } } },
    want: withMeta({ labels: { tier: 'api', z: '1' } }),
  },
  { name: 'null removes a whole field', original: sa, patch: { secrets: null, imagePullSecrets: null }, want: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: sa.metadata } },
  { name: 'an empty patch changes nothing', original: sa, patch: {}, want: sa },
  { name: 'a null patch changes nothing (Go decodes it to a nil map)', original: sa, patch: null, want: sa },
  {
    name: 'containers merge by name; untouched containers and their order stay',
    schema: podSchema,
    original: pod,
    patch: { spec: { containers: [{ name: 'c2', image: 'busybox:1.36' }] } },
    want: withSpec({ containers: [c1, { ...c2, image: 'busybox:1.36' }] }),
  },
  {
    name: 'Container.args is atomic',
    schema: podSchema,
    original: pod,
    patch: { spec: { containers: [{ name: 'c2', args: ['true'] }] } },
    want: withSpec({ containers: [c1, { ...c2, args: ['true'] }] }),
  },
  {
    name: 'a new env var without $setElementOrder goes first (upstream mergeSortedSlice)',
    schema: podSchema,
    original: pod,
    patch: { spec: { containers: [{ name: 'c1', env: [{ name: 'C', value: '3' }] }] } },
    want: withSpec({ containers: [{ ...c1, env: [{ name: 'C', value: '3' }, ...c1.env] }, c2] }),
  },
  {
    name: 'a new env var with $setElementOrder goes where the order says',
    schema: podSchema,
    original: pod,
    patch: { spec: { containers: [{ name: 'c1', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }], env: [{ name: 'C', value: '3' }] }] } },
    want: withSpec({ containers: [{ ...c1, env: [...c1.env, { name: 'C', value: '3' }] }, c2] }),
  },
  {
    name: 'ports merge by containerPort (an integer merge key)',
    schema: podSchema,
    original: pod,
    patch: { spec: { containers: [{ name: 'c1', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, protocol: 'TCP' }] }] } },
    want: withSpec({ containers: [{ ...c1, ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443, protocol: 'TCP' }] }, c2] }),
  },
  {
    name: 'kubectl apply switching a volume from secret to configMap: $retainKeys clears the old source',
    schema: podSchema,
    original: pod,
    patch: { spec: { '$setElementOrder/volumes': [{ name: 'v' }, { name: 'w' }], volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'v' }] } },
    want: withSpec({ volumes: [{ name: 'v', configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] }),
  },
  {
    name: 'volumes without $retainKeys merge like any keyed list',
    schema: podSchema,
    original: pod,
    patch: { spec: { volumes: [{ name: 'v', configMap: { name: 'cm' } }] } },
    want: withSpec({ volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 420 }, configMap: { name: 'cm' } }, { name: 'w', emptyDir: {} }] }),
  },
  {
    name: 'tolerations are atomic',
    schema: podSchema,
    original: pod,
    patch: { spec: { tolerations: [{ key: 'other', operator: 'Equal' }] } },
    want: withSpec({ tolerations: [{ key: 'other', operator: 'Equal' }] }),
  },
  {
    name: '$setElementOrder alone reorders',
    schema: podSchema,
    original: pod,
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c2' }, { name: 'c1' }] } },
    want: withSpec({ containers: [c2, c1] }),
  },
  {
    name: '$setElementOrder: an element it omits keeps its place relative to the live list',
    schema: podSchema,
    original: withSpec({ containers: [c1, c2, { name: 'c3' }] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c3' }, { name: 'c1' }] } },
    want: withSpec({ containers: [c2, { name: 'c3' }, c1] }),
  },
  {
    name: '$deleteFromPrimitiveList on finalizers',
    original: sa,
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['x/a'] } },
    want: withMeta({ finalizers: ['x/b'] }),
  },
  {
    name: 'finalizers: add and delete with $setElementOrder (what kubectl apply sends)',
    original: sa,
    patch: { metadata: { '$setElementOrder/finalizers': ['x/b', 'x/c'], '$deleteFromPrimitiveList/finalizers': ['x/a'], finalizers: ['x/c'] } },
    want: withMeta({ finalizers: ['x/b', 'x/c'] }),
  },
  {
    name: 'finalizers are a set: union, patch order first for new values',
    original: sa,
    patch: { metadata: { finalizers: ['x/b', 'x/c', 'x/c'] } },
    want: withMeta({ finalizers: ['x/a', 'x/b', 'x/c'] }),
  },
  {
    name: '$deleteFromPrimitiveList of a list the object lacks adds nothing',
    original: sa,
    patch: { metadata: { '$deleteFromPrimitiveList/ownerless': ['x'] }, '$deleteFromPrimitiveList/finalizers': ['x'] },
    want: sa,
  },
  {
    name: 'ownerReferences merge by uid',
    original: withMeta({ ownerReferences: [{ uid: 'u1', name: 'a', kind: 'Deployment' }] }),
    patch: { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', name: 'b', kind: 'Job' }] } },
    want: withMeta({ ownerReferences: [{ uid: 'u1', name: 'a', kind: 'Deployment', controller: true }, { uid: 'u2', name: 'b', kind: 'Job' }] }),
  },
  {
    name: '$patch: replace on a map replaces it by the rest of the patch map',
    original: sa,
    patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
    want: withMeta({ labels: { c: '3' } }),
  },
  {
    name: '$patch: delete on a map leaves {} (as upstream)',
    original: sa,
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: withMeta({ labels: {} }),
  },
  {
    name: '$patch: delete on a map the object lacks stores nothing',
    original: sa,
    patch: { metadata: { annotations: { $patch: 'delete' } } },
    want: sa,
  },
  {
    name: '$patch: replace in a merge list: the other elements become the list',
    original: sa,
    patch: { secrets: [{ name: 'only' }, { $patch: 'replace' }] },
    want: { ...sa, secrets: [{ name: 'only' }] },
  },
  {
    name: '$patch: replace alone empties a merge list',
    original: sa,
    patch: { secrets: [{ $patch: 'replace' }] },
    want: { ...sa, secrets: [] },
  },
  {
    name: '$patch: delete at the top empties the object',
    original: sa,
    patch: { $patch: 'delete', kind: 'x' },
    want: {},
  },
  {
    name: '$patch: replace at the top',
    original: sa,
    patch: { $patch: 'replace', kind: 'ServiceAccount', metadata: { name: 'x', labels: { a: null } } },
    want: { kind: 'ServiceAccount', metadata: { name: 'x', labels: {} } },
  },
  {
    name: 'a new merge list drops $patch elements (upstream removeDirectives)',
    original: { ...sa, secrets: undefined },
    patch: { secrets: [{ name: 's-three' }, { $patch: 'delete', name: 's-one' }] },
    want: { ...sa, secrets: [{ name: 's-three' }] },
  },
  {
    name: 'new values lose nulls and every directive key',
    original: sa,
    patch: { extra: { x: 1, gone: null, $retainKeys: ['x'], '$setElementOrder/list': [], list: [{ name: 'a', $patch: 'delete' }, { name: 'b', v: null }] } },
    want: { ...sa, extra: { x: 1, list: [{ name: 'b' }] } },
  },
  {
    name: 'unknown fields merge like a JSON merge patch: maps merge, lists are replaced',
    original: { ...sa, extra: { a: 1, b: { c: 2 }, list: [1, 2] } },
    patch: { extra: { a: null, b: { d: 3 }, list: [3] } },
    want: { ...sa, extra: { b: { c: 2, d: 3 }, list: [3] } },
  },
  {
    name: 'a value of another type replaces (map over string, string over list)',
    original: sa,
    patch: { metadata: { name: { weird: true } }, secrets: 'none' },
    want: { ...withMeta({ name: { weird: true } }), secrets: 'none' },
  },
  {
    name: 'nodeSelector (a Go map) merges per key',
    schema: podSchema,
    original: pod,
    patch: { spec: { nodeSelector: { disk: null, zone: 'a' } } },
    want: withSpec({ nodeSelector: { zone: 'a' } }),
  },
  {
    name: 'ConfigMap.data merges per key, null deletes',
    schema: configMapSchema,
    original: { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1', b: '2' } },
    patch: { data: { a: null, c: '3' } },
    want: { kind: 'ConfigMap', metadata: { name: 'cm' }, data: { b: '2', c: '3' } },
  },
];

describe('applyStrategicMergePatch: hand-written schemas', () => {
  for (const c of cases) {
    it(c.name, () => {
      const original = deepFreeze(JSON.parse(JSON.stringify(c.original)) as unknown);
      const out = applyStrategicMergePatch(original, deepFreeze(c.patch), c.schema ?? saSchema, testRegistry);
      assert.deepEqual(out, JSON.parse(JSON.stringify(c.want)));
      assert.notEqual(out, original);
    });
  }
  it('keeps the key order of the live object, appending new keys', () => {
    const out = applyStrategicMergePatch(sa, { automountServiceAccountToken: true, metadata: { labels: { a: 'b' } } }, saSchema, testRegistry) as typeof sa;
    assert.deepEqual(Object.keys(out), ['apiVersion', 'kind', 'metadata', 'secrets', 'imagePullSecrets', 'automountServiceAccountToken']);
    assert.deepEqual(Object.keys(out.metadata.labels), ['tier', 'y', 'a']);
  });
});

describe('applyStrategicMergePatch: errors (upstream text and HTTP mapping)', () => {
  const errors: Array<[string, unknown, PatchErrorCode, string | RegExp]> = [
    ['$patch: bogus in a map', { metadata: { $patch: 'bogus' } }, 500, 'unknown patch type: bogus in map: map[$patch:bogus]'],
    ['$patch: merge in a map (rejected upstream too)', { metadata: { $patch: 'merge', name: 'x' } }, 500, 'unknown patch type: merge in map: map[$patch:merge name:x]'],
    ['$patch with a number', { metadata: { $patch: 1 } }, 500, 'unknown patch type: %!s(int64=1) in map: map[$patch:1]'],
    ['$patch: bogus in a merge list', { secrets: [{ $patch: 'bogus', name: 's-one' }] }, 500, 'unknown patch type: bogus in map: map[$patch:bogus name:s-one]'],
    ['$patch: merge in a merge list', { secrets: [{ $patch: 'merge' }] }, 500, 'merging lists cannot yet be specified in the patch'],
    ['$patch: delete without the merge key', { secrets: [{ $patch: 'delete' }] }, 500, 'map: map[$patch:delete] does not contain declared merge key: name'],
    ['a merge-list element without the merge key', { secrets: [{ nameless: true }] }, 500, 'map: map[nameless:true] does not contain declared merge key: name'],
    ['element types differ', { metadata: { finalizers: [1] } }, 500, 'list element types are not identical: [[x/a x/b] [1]]'],
    ['maps in a merge list without merge key', { metadata: { finalizers: [{ a: 1 }] } }, 500, /^list element types are not identical/],
    ['$setElementOrder that is not a list', { '$setElementOrder/secrets': 's' }, 500, 'expected a []interface {}, but received a string'],
    ['$setElementOrder of a field that is not a list here', { secrets: { name: 'x' }, '$setElementOrder/secrets': [] }, 500, 'expected a []interface {}, but received a map[string]interface {}'],
    ['$setElementOrder of an unknown field', { '$setElementOrder/bogus': [] }, 500, 'unable to find api field in struct ServiceAccount for the json field "bogus"'],
    ['$setElementOrder of a scalar field', { '$setElementOrder/automountServiceAccountToken': [] }, 500, 'expected slice or array type, but got: struct'],
    ['$setElementOrder disagreeing with the patch list', { '$setElementOrder/secrets': [{ name: 'a' }, { name: 'b' }], secrets: [{ name: 'b' }, { name: 'a' }] }, 500, 'The order in patch list:\n[map[name:b] map[name:a]]\n doesn\'t match $setElementOrder list:\n[map[name:a] map[name:b]]\n'],
    ['$setElementOrder entries without the merge key', { '$setElementOrder/secrets': [{ id: 'a' }], secrets: [{ name: 'a' }] }, 500, 'map: map[id:a] does not contain declared merge key: name'],
    ['a malformed $setElementOrder key', { '$setElementOrderX/secrets': [] }, 400, 'invalid patch format of setElementOrder list'],
    ['$setElementOrder without a field', { $setElementOrder: [] }, 400, 'invalid patch format of setElementOrder list'],
    ['a malformed $deleteFromPrimitiveList key', { metadata: { $deleteFromPrimitiveList: ['x'] } }, 400, 'invalid patch format of primitive list'],
    ['$retainKeys that is not a list', { metadata: { $retainKeys: 'name' } }, 400, 'invalid patch format of retainKeys'],
    ['$retainKeys omitting a patched key', { metadata: { $retainKeys: ['name'], labels: { a: 'b' } } }, 400, 'invalid patch format of retainKeys'],
    ['an array patch', [], 400, 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['a string patch', 'x', 400, 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
  ];
  for (const [name, patch, code, message] of errors) {
    it(`${name} -> ${code}`, () => {
      assertPatchError(() => applyStrategicMergePatch(sa, patch, saSchema, testRegistry), code, message);
    });
  }
  it('a list of lists -> 422 Invalid with the fixed message', () => {
    const e = assertPatchError(() => applyStrategicMergePatch({ ...sa, secrets: [] }, { secrets: [['s']] }, saSchema, testRegistry), 422, rejectedMessage);
    assert.equal(e.detail, 'lists of lists are not supported');
  });
  it('plain upstream errors become a 500 Status without a reason (ErrorToAPIStatus)', () => {
    const e = assertPatchError(() => applyStrategicMergePatch(sa, { metadata: { $patch: 'x' } }, saSchema, testRegistry), 500);
    assert.deepEqual(e.toStatusError().status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'unknown patch type: x in map: map[$patch:x]',
      code: 500,
    });
  });
  it('format errors become 400 BadRequest', () => {
    const e = assertPatchError(() => applyStrategicMergePatch(sa, { metadata: { $retainKeys: 1 } }, saSchema, testRegistry), 400);
    assert.ok(e instanceof PatchError);
    assert.equal(e.toStatusError().status.reason, 'BadRequest');
  });
  it('an unknown schema reference means no metadata: lists are replaced', () => {
    const out = applyStrategicMergePatch(sa, { secrets: [{ name: 'z' }] }, { type: 'ref', ref: 'nope' }, testRegistry);
    assert.deepEqual(out, { ...sa, secrets: [{ name: 'z' }] });
  });
});
