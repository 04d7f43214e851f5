import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { StatusError } from '../../api/status.js';
import type { AdmissionAttributes, Operation, UserInfo } from '../types.js';
import { createNodeRestriction, forbiddenLabelChanges, mirrorPodAnnotation } from './node-restriction.js';

const n1: UserInfo = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const admin: UserInfo = { username: 'admin', groups: ['system:masters'] };
const podOn = (name: string, node: string, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'a', uid: `uid-${name}` },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'i' }], ...extra },
});
const pods: Record<string, KubeObject> = { web: podOn('web', 'n1'), far: podOn('far', 'n2') };
const nodeObjects: Record<string, KubeObject> = { n1: { metadata: { name: 'n1', uid: 'node-uid' }, spec: {} } };
const plugin = createNodeRestriction({ getPod: (_ns, name) => pods[name], getNode: (name) => nodeObjects[name] });

const attrs = (operation: Operation, resource: string, name: string, object: KubeObject | null, oldObject: KubeObject | null = null, o: Partial<AdmissionAttributes> = {}): AdmissionAttributes => {
  const [res, subresource = ''] = resource.split('/');
  const [r, group = ''] = res!.split('.', 2) as [string, string?];
  const info = findResource(group === 'coordination' ? 'coordination.k8s.io' : '', 'v1', r)!;
  return { operation, resource: info, subresource, namespace: 'a', name, object, oldObject, user: n1, dryRun: false, ...o };
};
const node = (name: string, spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({ metadata: { name, labels }, spec });
const tokenRequest = (ref: Record<string, unknown> | undefined): KubeObject => ({ metadata: {}, spec: { audiences: ['x'], boundObjectRef: ref } });
const mirror = (extra: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject => ({
  metadata: {
    name: 'static-web',
    annotations: { [mirrorPodAnnotation]: 'h' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }],
    ...meta,
  },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }], ...extra },
});

async function run(a: AdmissionAttributes): Promise<string> {
  try {
    if (!plugin.handles(a)) return 'not handled';
    await plugin.admit!(a);
    await plugin.validate!(a);
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    return `${e.code} ${e.message}`;
  }
}

describe('NodeRestriction', () => {
  const cases: Array<[string, AdmissionAttributes, string]> = [
    ['other users are not handled', attrs('UPDATE', 'nodes', 'n2', node('n2'), node('n2'), { user: admin }), 'not handled'],
    ['update own node', attrs('UPDATE', 'nodes', 'n1', node('n1'), node('n1')), 'ok'],
    ['update own node status', attrs('UPDATE', 'nodes/status', 'n1', node('n1'), node('n1')), 'ok'],
    ['update another node', attrs('UPDATE', 'nodes', 'n2', node('n2'), node('n2')), '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"'],
    ['delete another node', attrs('DELETE', 'nodes', 'n2', node('n2'), node('n2')), '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"'],
    ['create another node', attrs('CREATE', 'nodes', 'n2', node('n2')), '403 nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"'],
    ['register with kubelet labels', attrs('CREATE', 'nodes', 'n1', node('n1', {}, { 'kubernetes.io/hostname': 'n1', 'node.kubernetes.io/exclude-from-external-load-balancers': '' })), 'ok'],
    ['register with a restricted label', attrs('CREATE', 'nodes', 'n1', node('n1', {}, { 'node-restriction.kubernetes.io/x': 'y', 'foo.k8s.io/b': '1' })),
      '403 nodes "n1" is forbidden: node "n1" is not allowed to set the following labels: foo.k8s.io/b, node-restriction.kubernetes.io/x'],
    ['change own taints', attrs('UPDATE', 'nodes', 'n1', node('n1', { taints: [] }), node('n1', { taints: [{ key: 'k', effect: 'NoSchedule' }] })),
      '403 nodes "n1" is forbidden: node "n1" is not allowed to modify taints'],
    ['absent and empty taints are equal', attrs('UPDATE', 'nodes', 'n1', node('n1', { taints: [] }), node('n1')), 'ok'],
    ['relabel with a role', attrs('UPDATE', 'nodes', 'n1', node('n1', {}, { 'node-role.kubernetes.io/master': '' }), node('n1')),
      '403 nodes "n1" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/master'],
    ['pod status of own pod', attrs('UPDATE', 'pods/status', 'web', pods.web!, pods.web!), 'ok'],
    ['pod status of a pod elsewhere', attrs('UPDATE', 'pods/status', 'far', pods.far!, pods.far!),
      '403 pods "far" is forbidden: node "n1" can only update pod status for pods with spec.nodeName set to itself'],
    ['labels through pod status', attrs('UPDATE', 'pods/status', 'web', { ...pods.web!, metadata: { ...pods.web!.metadata, labels: { a: 'b' } } }, pods.web!),
      '403 pods "web" is forbidden: node "n1" cannot update labels through pod status'],
    ['delete own pod', attrs('DELETE', 'pods', 'web', pods.web!, pods.web!), 'ok'],
    ['delete a pod elsewhere', attrs('DELETE', 'pods', 'far', pods.far!, pods.far!), '403 pods "far" is forbidden: node "n1" can only delete pods with spec.nodeName set to itself'],
    ['update a pod', attrs('UPDATE', 'pods', 'web', pods.web!, pods.web!), '403 pods "web" is forbidden: unexpected operation "UPDATE", node "n1" can only create and delete mirror pods'],
    ['bind a pod', attrs('CREATE', 'pods/binding', 'web', { metadata: { name: 'web' } }),
      `403 pods "web" is forbidden: unexpected pod subresource "binding", only 'status' and 'eviction' are allowed`],
    ['create a mirror pod', attrs('CREATE', 'pods', 'static-web', mirror()), 'ok'],
    ['create a plain pod', attrs('CREATE', 'pods', 'p', podOn('p', 'n1')),
      `403 pods "p" is forbidden: pod does not have "${mirrorPodAnnotation}" annotation, node "n1" can only create mirror pods`],
    ['mirror pod elsewhere', attrs('CREATE', 'pods', 'static-web', mirror({ nodeName: 'n2' })),
      '403 pods "static-web" is forbidden: node "n1" can only create pods with spec.nodeName set to itself'],
    ['mirror pod with a service account', attrs('CREATE', 'pods', 'static-web', mirror({ serviceAccountName: 'x' })),
      '403 pods "static-web" is forbidden: node "n1" can not create pods that reference a service account'],
    ['mirror pod with a secret', attrs('CREATE', 'pods', 'static-web', mirror({ volumes: [{ name: 'v', secret: { secretName: 's' } }] })),
      '403 pods "static-web" is forbidden: node "n1" can not create pods that reference secrets'],
    ['mirror pod with a stale node uid', attrs('CREATE', 'pods', 'static-web', mirror({}, { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'old', controller: true }] })),
      '403 pods "static-web" is forbidden: node n1 UID mismatch: expected old got node-uid'],
    ['token for own pod', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'uid-web' })), 'ok'],
    ['token not bound', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest(undefined)), '403 serviceaccounts "sa" is forbidden: node requested token not bound to a pod'],
    ['token bound to a secret', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Secret', name: 's', uid: 'u' })),
      '403 serviceaccounts "sa" is forbidden: node requested token not bound to a pod'],
    ['token without a uid', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Pod', name: 'web' })),
      '403 serviceaccounts "sa" is forbidden: node requested token with a pod binding without a uid'],
    ['token for a missing pod', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Pod', name: 'gone', uid: 'u' })), '404 pods "gone" not found'],
    ['token with a stale uid', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Pod', name: 'web', uid: 'old' })),
      '403 serviceaccounts "sa" is forbidden: the UID in the bound object reference (old) does not match the UID in record. The object might have been deleted and then recreated'],
    ['token for a pod elsewhere', attrs('CREATE', 'serviceaccounts/token', 'sa', tokenRequest({ apiVersion: 'v1', kind: 'Pod', name: 'far', uid: 'uid-far' })),
      '403 serviceaccounts "sa" is forbidden: node requested token bound to a pod scheduled on a different node'],
    ['own lease', attrs('UPDATE', 'leases.coordination', 'n1', null, null, { namespace: 'kube-node-lease' }), 'ok'],
    ['create own lease', attrs('CREATE', 'leases.coordination', 'n1', { metadata: { name: 'n1' } }, null, { namespace: 'kube-node-lease' }), 'ok'],
    ["create another node's lease", attrs('CREATE', 'leases.coordination', 'n2', { metadata: { name: 'n2' } }, null, { namespace: 'kube-node-lease' }),
      '403 leases.coordination.k8s.io "n2" is forbidden: can only access node lease with the same name as the requesting node'],
    ['lease elsewhere', attrs('UPDATE', 'leases.coordination', 'n1', null, null, { namespace: 'kube-system' }),
      '403 leases.coordination.k8s.io "n1" is forbidden: can only access leases in the "kube-node-lease" system namespace'],
    ['unnamed node', attrs('UPDATE', 'nodes', 'x', node('x'), node('x'), { user: { username: 'system:node:', groups: ['system:nodes'] } }),
      '403 nodes "x" is forbidden: could not determine node from user "system:node:"'],
    ['configmaps are not restricted', attrs('CREATE', 'configmaps', 'c', { metadata: { name: 'c' } }), 'ok'],
  ];
  for (const [title, a, want] of cases) it(title, async () => assert.equal(await run(a), want));
});

describe('forbiddenLabelChanges', () => {
  const cases: Array<[Record<string, string> | undefined, Record<string, string> | undefined, string[]]> = [
    [{ 'kubernetes.io/hostname': 'a' }, undefined, []],
    [{ 'kubelet.kubernetes.io/x': '1', 'example.com/y': '2' }, {}, []],
    [{ 'kubernetes.io/hostname': 'a' }, { 'kubernetes.io/hostname': 'a', 'a.k8s.io/z': '1' }, ['a.k8s.io/z']],
    [{ 'x.node-restriction.kubernetes.io/a': '1' }, undefined, ['x.node-restriction.kubernetes.io/a']],
  ];
  for (const [next, prev, want] of cases) it(JSON.stringify([next, prev]), () => assert.deepEqual(forbiddenLabelChanges(next, prev), want));
});
