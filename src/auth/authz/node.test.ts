import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../admission/types.js';
import { podReferences } from '../../api/pod-references.js';
import { NodeGraph } from './node-graph.js';
import { createNodeAuthorizer, nodeIdentity } from './node.js';
import type { Attributes } from './types.js';

const n1: UserInfo = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const pod = (namespace: string, name: string, nodeName: string, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { namespace, name },
  spec: { nodeName, serviceAccountName: 'sa-' + name, containers: [{ name: 'c', image: 'i' }], ...spec },
});

const graph = new NodeGraph();
graph.upsertPod(pod('a', 'web', 'n1', {
  imagePullSecrets: [{ name: 'pull' }],
  containers: [{ name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'env-cm' } }] }],
  volumes: [
    { name: 'v', secret: { secretName: 'vol-secret' } },
    { name: 'p', projected: { sources: [{ configMap: { name: 'proj-cm' } }, { serviceAccountToken: { path: 't' } }] } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'data' } },
  ],
}));
graph.upsertPod(pod('a', 'other', 'n2', { volumes: [{ name: 'v', secret: { secretName: 'n2-secret' } }] }));
graph.upsertPod(pod('a', 'pending', '', { volumes: [{ name: 'v', secret: { secretName: 'pending-secret' } }] }));

const authorizer = createNodeAuthorizer({ graph: () => graph });
const req = (verb: string, resource: string, namespace: string, name = '', extra: Partial<Attributes> = {}): Attributes => {
  const [res, subresource = ''] = resource.split('/');
  return { user: n1, verb, isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace, resource: res!, subresource, name, ...extra };
};
const lease = { apiGroup: 'coordination.k8s.io' };
const noRel = "no relationship found between node 'n1' and this object";

describe('node authorizer', () => {
  const cases: Array<[string, Attributes, 'allow' | 'no-opinion', string?]> = [
    ['secret in a volume of a pod on n1', req('get', 'secrets', 'a', 'vol-secret'), 'allow'],
    ['image pull secret', req('get', 'secrets', 'a', 'pull'), 'allow'],
    ['env secret', req('get', 'secrets', 'a', 'env-secret'), 'allow'],
    ['watch a referenced secret by name', req('watch', 'secrets', 'a', 'vol-secret'), 'allow'],
    ['configmap from envFrom', req('get', 'configmaps', 'a', 'env-cm'), 'allow'],
    ['configmap in a projected volume', req('list', 'configmaps', 'a', 'proj-cm'), 'allow'],
    ['secret of a pod on n2', req('get', 'secrets', 'a', 'n2-secret'), 'no-opinion', noRel],
    ['secret of an unscheduled pod', req('get', 'secrets', 'a', 'pending-secret'), 'no-opinion', noRel],
    ['same name in another namespace', req('get', 'secrets', 'b', 'vol-secret'), 'no-opinion', noRel],
    ['list all secrets', req('list', 'secrets', 'a'), 'no-opinion', 'No Object name found'],
    ['update a secret', req('update', 'secrets', 'a', 'vol-secret'), 'no-opinion', 'can only read resources of this type'],
    ['cluster-wide secrets', req('list', 'secrets', ''), 'no-opinion', 'can only read namespaced object of this type'],
    ['pvc of a pod on n1', req('get', 'persistentvolumeclaims', 'a', 'data'), 'allow'],
    ['list pvcs', req('list', 'persistentvolumeclaims', 'a', 'data'), 'no-opinion', 'can only get individual resources of this type'],
    ['token for the SA of a pod on n1', req('create', 'serviceaccounts/token', 'a', 'sa-web'), 'allow'],
    ['token for the SA of a pod on n2', req('create', 'serviceaccounts/token', 'a', 'sa-other'), 'no-opinion', noRel],
    ['get a service account', req('get', 'serviceaccounts', 'a', 'sa-web'), 'no-opinion', 'can only create tokens for individual service accounts'],
    ['create a service account', req('create', 'serviceaccounts', 'a', 'x'), 'no-opinion', 'can only create token subresource of serviceaccount'],
    ['own lease', req('update', 'leases', 'kube-node-lease', 'n1', lease), 'allow'],
    ['create a lease', req('create', 'leases', 'kube-node-lease', '', lease), 'allow'],
    ["another node's lease", req('get', 'leases', 'kube-node-lease', 'n2', lease), 'no-opinion', 'can only access node lease with the same name as the requesting node'],
    ['lease elsewhere', req('get', 'leases', 'kube-system', 'n1', lease), 'no-opinion', 'can only access leases in the "kube-node-lease" system namespace'],
    ['list leases', req('list', 'leases', 'kube-node-lease', '', lease), 'no-opinion', 'can only get, create, update, patch, or delete a node lease'],
    ['static: watch pods', req('watch', 'pods', ''), 'allow'],
    ['static: update pod status', req('update', 'pods/status', 'a', 'web'), 'allow'],
    ['static: create nodes', req('create', 'nodes', ''), 'allow'],
    ['static: patch node status', req('patch', 'nodes/status', '', 'n1'), 'allow'],
    ['static: events', req('create', 'events', 'a'), 'allow'],
    ['static: no pod binding', req('create', 'pods/binding', 'a', 'web'), 'no-opinion', ''],
    ['static: no namespaces', req('get', 'namespaces', '', 'a'), 'no-opinion', ''],
    ['not a node: no opinion', req('get', 'secrets', 'a', 'vol-secret', { user: { username: 'system:node:n1', groups: ['system:authenticated'] } }), 'no-opinion', ''],
    ['node without a name', req('get', 'nodes', '', 'x', { user: { username: 'system:node:', groups: ['system:nodes'] } }), 'no-opinion', 'unknown node for user "system:node:"'],
  ];
  for (const [title, attrs, decision, reason] of cases) {
    it(title, async () => {
      const r = await authorizer.authorize(attrs);
      assert.equal(r.decision, decision);
      if (reason !== undefined) assert.equal(r.reason, reason);
    });
  }

  it('follows pods: deleting or rebinding a pod removes its edges', () => {
    const g = new NodeGraph();
    const p = pod('x', 'p', 'n1', { volumes: [{ name: 'v', secret: { secretName: 's' } }] });
    g.upsertPod(p);
    assert.equal(g.hasPath('n1', 'secret', 'x', 's'), true);
    g.upsertPod(pod('x', 'p', 'n1'));
    assert.equal(g.hasPath('n1', 'secret', 'x', 's'), false);
    assert.equal(g.hasPath('n1', 'pod', 'x', 'p'), true);
    g.removePod(p);
    assert.equal(g.hasPath('n1', 'pod', 'x', 'p'), false);
    assert.equal(g.podCount, 0);
  });
});

describe('nodeIdentity', () => {
  const cases: Array<[UserInfo, string | undefined]> = [
    [n1, 'n1'],
    [{ username: 'system:node:n1', groups: [] }, undefined],
    [{ username: 'bob', groups: ['system:nodes'] }, undefined],
    [{ username: 'system:node:', groups: ['system:nodes'] }, ''],
  ];
  for (const [user, want] of cases) it(`${user.username} ${user.groups.join(',')}`, () => assert.equal(nodeIdentity(user), want));
});

describe('podReferences', () => {
  it('lists service account, secrets, configmaps and claims (ephemeral: <pod>-<volume>)', () => {
    const refs = podReferences(pod('a', 'p', 'n1', {
      initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'init-s' } }] }],
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }, { name: 'c', csi: { driver: 'd', nodePublishSecretRef: { name: 'csi-s' } } }],
    }));
    assert.deepEqual(refs, [['serviceaccount', 'sa-p'], ['secret', 'init-s'], ['persistentvolumeclaim', 'p-scratch'], ['secret', 'csi-s']]);
  });
});
