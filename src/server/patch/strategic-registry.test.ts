/**
 * Strategic merge patch against the real schema registry (src/api/schema/registry.ts): the merge
 * keys table of kubectl.md §7.8 and the bodies kubectl sends (§7.5, §7.9).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaRegistry } from '../../api/schema/registry.js';
import type { Schema } from '../../api/schema/types.js';
import { applyStrategicMergePatch } from './index.js';
import { deepFreeze } from './testing/helpers.js';

const kind = (definition: string): Schema => ({ type: 'ref', ref: definition });
const core = (k: string) => kind(`io.k8s.api.core.v1.${k}`);
const rbac = (k: string) => kind(`io.k8s.api.rbac.v1.${k}`);

const lastApplied = 'kubectl.kubernetes.io/last-applied-configuration';

const sa = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'app', namespace: 'default', uid: 'u', resourceVersion: '112', labels: { tier: 'api' } },
  secrets: [{ name: 's-one' }, { name: 's-two' }],
  imagePullSecrets: [{ name: 'regcred' }],
};

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {
    containers: [
      {
        name: 'c1',
        image: 'nginx:1.25',
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        volumeMounts: [{ name: 'v', mountPath: '/v' }],
      },
      { name: 'c2', image: 'busybox', command: ['sh'] },
    ],
    volumes: [{ name: 'v', secret: { secretName: 's' } }],
    imagePullSecrets: [{ name: 'r1' }],
    hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }],
    tolerations: [{ key: 'k', operator: 'Exists' }],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Initialized', status: 'True' }] },
};
const [c1, c2] = pod.spec.containers as [(typeof pod.spec.containers)[0], (typeof pod.spec.containers)[1]];
const withSpec = (spec: object) => ({ ...pod, spec: { ...pod.spec, ...spec } });

const cases: Array<{ name: string; schema: Schema; original: unknown; patch: unknown; want: unknown }> = [
  {
    name: 'kubectl apply (§7.5) on a ServiceAccount',
    schema: core('ServiceAccount'),
    original: sa,
    patch: {
      '$setElementOrder/secrets': [{ name: 's-two' }, { name: 's-three' }],
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred2' }],
      metadata: { annotations: { [lastApplied]: '{…}\n' } },
      secrets: [{ name: 's-three' }, { $patch: 'delete', name: 's-one' }],
    },
    want: {
      ...sa,
      metadata: { ...sa.metadata, annotations: { [lastApplied]: '{…}\n' } },
      secrets: [{ name: 's-two' }, { name: 's-three' }],
      imagePullSecrets: [{ name: 'regcred2' }],
      automountServiceAccountToken: false,
    },
  },
  {
    name: 'kubectl edit (§7.9) on a ServiceAccount',
    schema: core('ServiceAccount'),
    original: sa,
    patch: { '$setElementOrder/secrets': [{ name: 's-one' }], metadata: { labels: { edited: 'yes' } }, secrets: [{ $patch: 'delete', name: 's-two' }] },
    want: { ...sa, metadata: { ...sa.metadata, labels: { tier: 'api', edited: 'yes' } }, secrets: [{ name: 's-one' }] },
  },
  {
    name: 'ServiceAccount.imagePullSecrets is atomic (verified against kube-apiserver in §7.8)',
    schema: core('ServiceAccount'),
    original: sa,
    patch: { imagePullSecrets: [{ name: 'other' }] },
    want: { ...sa, imagePullSecrets: [{ name: 'other' }] },
  },
  {
    name: 'ServiceAccount.secrets merge by name',
    schema: core('ServiceAccount'),
    original: sa,
    patch: { secrets: [{ name: 's-two', namespace: 'default' }] },
    want: { ...sa, secrets: [{ name: 's-one' }, { name: 's-two', namespace: 'default' }] },
  },
  {
    name: 'ObjectMeta: labels per key, finalizers as a set, ownerReferences by uid',
    schema: core('ServiceAccount'),
    original: { ...sa, metadata: { ...sa.metadata, finalizers: ['a/x', 'b/y'], ownerReferences: [{ uid: 'o1', name: 'a', kind: 'K', apiVersion: 'v1' }] } },
    patch: {
      metadata: {
        labels: { tier: null, team: 't' },
        '$setElementOrder/finalizers': ['b/y', 'c/z'],
        '$deleteFromPrimitiveList/finalizers': ['a/x'],
        finalizers: ['c/z'],
        ownerReferences: [{ uid: 'o1', controller: true }],
      },
    },
    want: {
      ...sa,
      metadata: {
        ...sa.metadata,
        labels: { team: 't' },
        finalizers: ['b/y', 'c/z'],
        ownerReferences: [{ uid: 'o1', name: 'a', kind: 'K', apiVersion: 'v1', controller: true }],
      },
    },
  },
  {
    name: 'kubectl apply (§7.5) on a Pod: containers by name, env by name',
    schema: core('Pod'),
    original: pod,
    patch: {
      metadata: { annotations: { [lastApplied]: '{…}\n' } },
      spec: {
        '$setElementOrder/containers': [{ name: 'c1' }, { name: 'c2' }],
        containers: [{ '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '3' }, { $patch: 'delete', name: 'A' }], image: 'nginx:1.26', name: 'c1' }],
      },
    },
    want: {
      ...pod,
      metadata: { ...pod.metadata, annotations: { [lastApplied]: '{…}\n' } },
      spec: { ...pod.spec, containers: [{ ...c1, image: 'nginx:1.26', env: [{ name: 'B', value: '3' }] }, c2] },
    },
  },
  {
    name: 'Pod volumes: merge by name with $retainKeys (switching the source)',
    schema: core('Pod'),
    original: pod,
    patch: { spec: { '$setElementOrder/volumes': [{ name: 'v' }], volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'v' }] } },
    want: withSpec({ volumes: [{ name: 'v', configMap: { name: 'cm' } }] }),
  },
  {
    name: 'Container ports by containerPort, volumeMounts by mountPath; command atomic',
    schema: core('Pod'),
    original: pod,
    patch: {
      spec: {
        containers: [
          { name: 'c1', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ mountPath: '/v', readOnly: true }] },
          { name: 'c2', command: ['bash'] },
        ],
      },
    },
    want: withSpec({
      containers: [
        { ...c1, ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }], volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: true }] },
        { ...c2, command: ['bash'] },
      ],
    }),
  },
  {
    name: 'PodSpec.imagePullSecrets merge by name (unlike ServiceAccount.imagePullSecrets)',
    schema: core('Pod'),
    original: pod,
    patch: { spec: { '$setElementOrder/imagePullSecrets': [{ name: 'r1' }, { name: 'r2' }], imagePullSecrets: [{ name: 'r2' }] } },
    want: withSpec({ imagePullSecrets: [{ name: 'r1' }, { name: 'r2' }] }),
  },
  {
    name: 'PodSpec.hostAliases by ip; tolerations atomic',
    schema: core('Pod'),
    original: pod,
    patch: { spec: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }], tolerations: [{ key: 'x', operator: 'Equal', value: 'y' }] } },
    want: withSpec({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }], tolerations: [{ key: 'x', operator: 'Equal', value: 'y' }] }),
  },
  {
    name: 'PodStatus.conditions by type',
    schema: core('Pod'),
    original: pod,
    patch: { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
    want: { ...pod, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }, { type: 'Initialized', status: 'True' }] } },
  },
  {
    name: 'ConfigMap.data per key',
    schema: core('ConfigMap'),
    original: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } },
    patch: { data: { a: null, c: '3' } },
    want: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '2', c: '3' } },
  },
  {
    name: 'Secret.data per key',
    schema: core('Secret'),
    original: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } },
    patch: { data: { b: 'Mg==' } },
    want: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==', b: 'Mg==' } },
  },
  {
    name: 'NamespaceSpec.finalizers is atomic; NamespaceStatus.conditions by type',
    schema: core('Namespace'),
    original: { kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [{ type: 'A', status: 'True' }] } },
    patch: { spec: { finalizers: ['other'] }, status: { conditions: [{ type: 'B', status: 'False' }] } },
    want: { kind: 'Namespace', metadata: { name: 'n' }, spec: { finalizers: ['other'] }, status: { phase: 'Active', conditions: [{ type: 'B', status: 'False' }, { type: 'A', status: 'True' }] } },
  },
  {
    name: 'Role.rules and RoleBinding.subjects are atomic',
    schema: rbac('Role'),
    original: { kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    patch: { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
    want: { kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
  },
  {
    name: 'RoleBinding.subjects are atomic',
    schema: rbac('RoleBinding'),
    original: { kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'User', name: 'a' }] },
    patch: { subjects: [{ kind: 'User', name: 'b' }] },
    want: { kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'User', name: 'b' }] },
  },
];

describe('applyStrategicMergePatch: the real schema registry', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(schemaRegistry.definitions[(c.schema as { ref: string }).ref], 'definition exists');
      const out = applyStrategicMergePatch(deepFreeze(structuredClone(c.original)), deepFreeze(c.patch), c.schema, schemaRegistry);
      assert.deepEqual(out, c.want);
    });
  }
});
