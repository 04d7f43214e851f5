import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allResources } from '../resources.js';
import { definitionFor, definitionNameFor, directReferences, referenceClosure, registryGroupVersions, resolve, schemaRegistry } from './registry.js';
import type { ArraySchema, ObjectSchema, Schema } from './types.js';

const { definitions, kinds } = schemaRegistry;

/** The schema at a dotted field path below a definition, following refs and array items. */
function fieldAt(definition: string, path: string): Schema {
  let s: Schema | undefined = definitions[definition];
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    let r = resolve(s!);
    while (r?.type === 'array') r = resolve(r.items);
    assert.equal(r?.type, 'object', `${definition}.${parts.slice(0, i).join('.')} is not an object`);
    s = (r as ObjectSchema).properties[parts[i]!];
    assert.ok(s, `${definition}.${parts.slice(0, i + 1).join('.')} does not exist`);
  }
  return s!;
}
const arrayAt = (definition: string, path: string): ArraySchema => {
  const s = fieldAt(definition, path);
  assert.equal(s.type, 'array', `${definition}.${path} is not a list`);
  return s as ArraySchema;
};

describe('schema registry', () => {
  it('resolves every ref', () => {
    const missing: string[] = [];
    for (const [name, def] of Object.entries(definitions)) {
      for (const r of directReferences(def)) if (!definitions[r]) missing.push(`${name} -> ${r}`);
    }
    assert.deepEqual(missing, []);
  });

  it('has a definition for every kind of resources.ts, under the same name', () => {
    for (const r of allResources) {
      const gvk = { group: r.group, version: r.version, kind: r.kind };
      assert.equal(definitionNameFor(gvk), r.definition, r.kind);
      assert.ok(definitionFor(gvk), r.kind);
      // Create-only kinds (reviews) are never listed and have no List kind.
      if (r.verbs.includes('list')) assert.ok(definitionFor({ ...gvk, kind: r.listKind }), r.listKind);
      for (const sub of r.subresources ?? []) {
        assert.ok(definitionFor({ group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind }), `${r.resource}/${sub.name}`);
      }
    }
  });

  it('gives every top-level kind apiVersion, kind and metadata', () => {
    for (const k of kinds) {
      if (k.gvk.kind === 'DeleteOptions') continue; // upstream has no metadata on DeleteOptions
      const def = definitions[k.definition]!;
      for (const f of ['apiVersion', 'kind', 'metadata']) assert.ok(def.properties[f], `${k.definition}.${f}`);
      const meta = def.properties.metadata!;
      assert.equal(meta.type, 'ref');
      const wanted = k.gvk.kind.endsWith('List') || k.gvk.kind === 'Status' ? 'ListMeta' : 'ObjectMeta';
      assert.equal((meta as { ref: string }).ref, `io.k8s.apimachinery.pkg.apis.meta.v1.${wanted}`, k.definition);
    }
  });

  it('covers the kinds of later work', () => {
    const want = [
      ['', 'v1', 'ServiceAccount'], ['', 'v1', 'Secret'], ['', 'v1', 'ConfigMap'], ['', 'v1', 'Namespace'], ['', 'v1', 'Pod'],
      ['', 'v1', 'Node'], ['', 'v1', 'Event'], ['', 'v1', 'Service'], ['', 'v1', 'Binding'], ['', 'v1', 'Status'],
      ['rbac.authorization.k8s.io', 'v1', 'Role'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRole'],
      ['rbac.authorization.k8s.io', 'v1', 'RoleBinding'], ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding'],
      ['authentication.k8s.io', 'v1', 'TokenRequest'], ['authentication.k8s.io', 'v1', 'TokenReview'],
      ['authentication.k8s.io', 'v1', 'SelfSubjectReview'], ['authentication.k8s.io', 'v1beta1', 'SelfSubjectReview'],
      ['authorization.k8s.io', 'v1', 'SubjectAccessReview'], ['authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'],
      ['authorization.k8s.io', 'v1', 'LocalSubjectAccessReview'], ['authorization.k8s.io', 'v1', 'SelfSubjectRulesReview'],
      ['coordination.k8s.io', 'v1', 'Lease'],
    ];
    for (const [group, version, kind] of want) assert.ok(definitionFor({ group: group!, version: version!, kind: kind! }), `${group}/${version} ${kind}`);
    assert.equal(definitionFor({ group: 'nope', version: 'v1', kind: 'Pod' }), undefined);
    assert.ok(fieldAt('io.k8s.api.rbac.v1.ClusterRole', 'aggregationRule.clusterRoleSelectors.matchLabels'));
    assert.deepEqual(registryGroupVersions().map((g) => `${g.group}/${g.version}`), [
      '/v1', 'authentication.k8s.io/v1', 'authentication.k8s.io/v1beta1', 'authorization.k8s.io/v1', 'coordination.k8s.io/v1', 'rbac.authorization.k8s.io/v1',
    ]);
  });

  it('types the pod volume sources and status fields upstream has', () => {
    const pod = 'io.k8s.api.core.v1.Pod';
    for (const f of ['serviceAccountToken.audience', 'serviceAccountToken.expirationSeconds', 'serviceAccountToken.path', 'configMap.items.key', 'secret.name',
      'downwardAPI.items.fieldRef.fieldPath', 'clusterTrustBundle.signerName', 'clusterTrustBundle.labelSelector.matchLabels']) {
      assert.ok(fieldAt(pod, `spec.volumes.projected.sources.${f}`), f);
    }
    for (const f of ['secret.secretName', 'configMap.name', 'emptyDir.sizeLimit', 'hostPath.path', 'persistentVolumeClaim.claimName', 'downwardAPI.items.path', 'csi.driver', 'nfs.server']) {
      assert.ok(fieldAt(pod, `spec.volumes.${f}`), f);
    }
    for (const f of ['conditions.type', 'containerStatuses.state.running.startedAt', 'podIP', 'podIPs.ip', 'hostIP', 'hostIPs.ip', 'initContainerStatuses.name']) {
      assert.ok(fieldAt(pod, `status.${f}`), f);
    }
    assert.ok(fieldAt(pod, 'spec.ephemeralContainers.targetContainerName'));
    assert.ok(fieldAt(pod, 'spec.initContainers.restartPolicy'));
    assert.equal(fieldAt('io.k8s.api.core.v1.Node', 'status.capacity').type, 'map');
    assert.ok(fieldAt('io.k8s.api.core.v1.Node', 'status.daemonEndpoints.kubeletEndpoint.Port'));
    assert.ok(fieldAt('io.k8s.api.core.v1.Node', 'status.nodeInfo.kubeletVersion'));
    assert.equal(resolve(fieldAt('io.k8s.api.core.v1.Secret', 'data'))?.type, 'map');
  });

  const smp: Array<[string, string, { listType?: string; strategy?: string; key?: string; mapKeys?: string[] }]> = [
    ['io.k8s.api.core.v1.ServiceAccount', 'secrets', { listType: 'map', strategy: 'merge', key: 'name', mapKeys: ['name'] }],
    ['io.k8s.api.core.v1.ServiceAccount', 'imagePullSecrets', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'metadata.finalizers', { listType: 'set', strategy: 'merge' }],
    ['io.k8s.api.core.v1.Pod', 'metadata.ownerReferences', { listType: 'map', strategy: 'merge', key: 'uid', mapKeys: ['uid'] }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers', { listType: 'map', strategy: 'merge', key: 'name', mapKeys: ['name'] }],
    ['io.k8s.api.core.v1.Pod', 'spec.initContainers', { listType: 'map', strategy: 'merge', key: 'name' }],
    ['io.k8s.api.core.v1.Pod', 'spec.ephemeralContainers', { listType: 'map', strategy: 'merge', key: 'name' }],
    ['io.k8s.api.core.v1.Pod', 'spec.volumes', { listType: 'map', strategy: 'merge,retainKeys', key: 'name' }],
    ['io.k8s.api.core.v1.Pod', 'spec.imagePullSecrets', { listType: 'map', strategy: 'merge', key: 'name' }],
    ['io.k8s.api.core.v1.Pod', 'spec.hostAliases', { listType: 'map', strategy: 'merge', key: 'ip' }],
    ['io.k8s.api.core.v1.Pod', 'spec.topologySpreadConstraints', { listType: 'map', strategy: 'merge', key: 'topologyKey', mapKeys: ['topologyKey', 'whenUnsatisfiable'] }],
    ['io.k8s.api.core.v1.Pod', 'spec.tolerations', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'spec.readinessGates', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.env', { listType: 'map', strategy: 'merge', key: 'name' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.ports', { listType: 'map', strategy: 'merge', key: 'containerPort', mapKeys: ['containerPort', 'protocol'] }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.volumeMounts', { listType: 'map', strategy: 'merge', key: 'mountPath' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.volumeDevices', { listType: 'map', strategy: 'merge', key: 'devicePath' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.command', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.args', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'spec.containers.envFrom', { listType: 'atomic' }],
    ['io.k8s.api.core.v1.Pod', 'status.conditions', { listType: 'map', strategy: 'merge', key: 'type' }],
    ['io.k8s.api.core.v1.Namespace', 'status.conditions', { listType: 'map', strategy: 'merge', key: 'type' }],
    ['io.k8s.api.core.v1.Namespace', 'spec.finalizers', { listType: 'atomic' }],
    ['io.k8s.api.rbac.v1.Role', 'rules', { listType: 'atomic' }],
    ['io.k8s.api.rbac.v1.ClusterRole', 'rules.verbs', { listType: 'atomic' }],
    ['io.k8s.api.rbac.v1.RoleBinding', 'subjects', { listType: 'atomic' }],
    ['io.k8s.api.rbac.v1.ClusterRoleBinding', 'subjects', { listType: 'atomic' }],
  ];
  for (const [def, path, want] of smp) {
    it(`list semantics of ${def.split('.').pop()}.${path}`, () => {
      const a = arrayAt(def, path);
      assert.equal(a.listType ?? 'atomic', want.listType ?? 'atomic');
      assert.equal(a.patchStrategy, want.strategy);
      assert.equal(a.patchMergeKey, want.key);
      if (want.mapKeys) assert.deepEqual(a.listMapKeys, want.mapKeys);
    });
  }

  it('keeps maps as maps (labels, annotations, data)', () => {
    assert.equal(fieldAt('io.k8s.api.core.v1.ConfigMap', 'metadata.labels').type, 'map');
    assert.equal(fieldAt('io.k8s.api.core.v1.ConfigMap', 'data').type, 'map');
    assert.equal(fieldAt('io.k8s.api.core.v1.Secret', 'metadata.annotations').type, 'map');
  });

  it('computes reference closures', () => {
    const closure = referenceClosure(['io.k8s.api.core.v1.ServiceAccount']);
    for (const n of ['io.k8s.api.core.v1.ObjectReference', 'io.k8s.api.core.v1.LocalObjectReference', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry']) {
      assert.ok(closure.includes(n), n);
    }
    assert.ok(!closure.includes('io.k8s.api.core.v1.PodSpec'));
    assert.equal(resolve({ type: 'ref', ref: 'does.not.Exist' }), undefined);
  });
});
