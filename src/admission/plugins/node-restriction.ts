/**
 * NodeRestriction admission (upstream plugin/pkg/admission/noderestriction/admission.go, 1.32,
 * default feature gates): confines what a node identity (user `system:node:<name>` in group
 * `system:nodes`) may write, after the Node authorizer let the request through. Other users are
 * not affected. Upstream's Admit runs in the mutating phase; here it does too (CREATE, UPDATE),
 * and DELETE, which the Store only validates, is checked in the validating phase.
 *
 * Rejections are 403 `<resource> "<name>" is forbidden: <reason>` (admission.NewForbidden: the
 * name is the request's, else the object's name or generateName, else `Unknown`), with
 * upstream's reasons:
 * - pods: create only mirror pods bound to itself (owner reference to its Node, no service
 *   account, secrets, configmaps, claims or cluster trust bundles); delete only pods bound to
 *   itself; pods/status only of pods bound to itself, labels unchanged; pods/eviction of its pods;
 * - nodes (and nodes/status): only its own Node; on create no configSource and no forbidden
 *   labels; on update no taint changes, no new configSource and no forbidden label changes;
 * - serviceaccounts/token: bound to a Pod (v1) with a uid, that pod existing (404 otherwise),
 *   same uid, on this node;
 * - leases: only kube-node-lease/<own name>.
 */
import type { KubeObject } from '../../api/meta.js';
import { forbidden, notFound, type StatusError } from '../../api/status.js';
import { nodeIdentity } from '../../auth/authz/node.js';
import { podReferences } from '../../api/pod-references.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';

export interface NodeRestrictionOptions {
  /** The current pod, or undefined when it does not exist. */
  getPod(namespace: string, name: string): KubeObject | undefined;
  /** The current Node, or undefined when it does not exist. */
  getNode(name: string): KubeObject | undefined;
}

export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
const nodeLeaseNamespace = 'kube-node-lease';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Labels a kubelet may set on its Node (kubeletapis.IsKubeletLabel). */
const kubeletLabels = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const labelNamespace = (key: string): string => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, domain: string) => ns === domain || ns.endsWith('.' + domain);

export function isKubeletLabel(key: string): boolean {
  const ns = labelNamespace(key);
  return kubeletLabels.has(key) || inNamespace(ns, 'kubelet.kubernetes.io') || inNamespace(ns, 'node.kubernetes.io');
}

/** Upstream getForbiddenLabels over the keys that differ between two label maps, sorted. */
export function forbiddenLabelChanges(next: unknown, prev: unknown): string[] {
  const a = obj(next);
  const b = obj(prev);
  const modified = new Set<string>();
  for (const k of Object.keys(a)) if (!(k in b) || a[k] !== b[k]) modified.add(k);
  for (const k of Object.keys(b)) if (!(k in a) || a[k] !== b[k]) modified.add(k);
  const out: string[] = [];
  for (const k of modified) {
    const ns = labelNamespace(k);
    const restricted = inNamespace(ns, 'node-restriction.kubernetes.io');
    const kube = inNamespace(ns, 'kubernetes.io') || inNamespace(ns, 'k8s.io');
    if (restricted || (kube && !isKubeletLabel(k))) out.push(k);
  }
  return out.sort();
}

/** apiequality.Semantic.DeepEqual for JSON values: absent, null, [] and {} are alike at any depth. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const empty = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
  if (empty(a) && empty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!semanticEqual((a as Json)[k], (b as Json)[k])) return false;
    return true;
  }
  return a === b;
}

export function createNodeRestriction(o: NodeRestrictionOptions): AdmissionPlugin {
  const reject = (a: AdmissionAttributes, reason: string): StatusError => {
    const name = a.name || a.object?.metadata?.name || a.object?.metadata?.generateName || 'Unknown';
    return forbidden({ group: a.resource.group, resource: a.resource.resource }, name, reason);
  };

  const podCreate = (node: string, a: AdmissionAttributes): void => {
    const pod = a.object!;
    if (!(mirrorPodAnnotation in (pod.metadata.annotations ?? {}))) {
      throw reject(a, `pod does not have "${mirrorPodAnnotation}" annotation, node "${node}" can only create mirror pods`);
    }
    const spec = obj(pod.spec);
    if (str(spec.nodeName) !== node) throw reject(a, `node "${node}" can only create pods with spec.nodeName set to itself`);
    const owners = arr(pod.metadata.ownerReferences).map(obj);
    if (owners.length > 1) throw reject(a, `node "${node}" can only create pods with a single owner reference set to itself`);
    if (owners.length === 0) throw reject(a, `node "${node}" can only create pods with an owner reference set to itself`);
    const owner = owners[0]!;
    if (owner.apiVersion !== 'v1' || owner.kind !== 'Node' || owner.name !== node) {
      throw reject(a, `node "${node}" can only create pods with an owner reference set to itself`);
    }
    if (owner.controller !== true) throw reject(a, `node "${node}" can only create pods with a controller owner reference set to itself`);
    if (owner.blockOwnerDeletion === true) throw reject(a, `node "${node}" must not set blockOwnerDeletion on an owner reference`);
    const nodeObject = o.getNode(node);
    if (!nodeObject) throw notFound({ group: '', resource: 'nodes' }, node);
    if (str(owner.uid) !== (nodeObject.metadata.uid ?? '')) {
      throw reject(a, `node ${node} UID mismatch: expected ${str(owner.uid)} got ${nodeObject.metadata.uid ?? ''}`);
    }
    if (str(spec.serviceAccountName) !== '') throw reject(a, `node "${node}" can not create pods that reference a service account`);
    const refs = podReferences(pod);
    if (refs.some(([t]) => t === 'secret')) throw reject(a, `node "${node}" can not create pods that reference secrets`);
    if (refs.some(([t]) => t === 'configmap')) throw reject(a, `node "${node}" can not create pods that reference configmaps`);
    const volumes = arr(spec.volumes).map(obj);
    if (volumes.some((v) => arr(obj(v.projected).sources).some((s) => obj(s).clusterTrustBundle))) {
      throw reject(a, `node "${node}" can not create pods that reference clustertrustbundles`);
    }
    if (volumes.some((v) => v.persistentVolumeClaim)) throw reject(a, `node "${node}" can not create pods that reference persistentvolumeclaims`);
  };

  const existingPod = (a: AdmissionAttributes, name: string): KubeObject => {
    const pod = o.getPod(a.namespace, name);
    if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
    return pod;
  };

  const pods = (node: string, a: AdmissionAttributes): void => {
    switch (a.subresource) {
      case '':
        if (a.operation === 'CREATE') return podCreate(node, a);
        if (a.operation === 'DELETE') {
          if (str(obj(existingPod(a, a.name).spec).nodeName) !== node) {
            throw reject(a, `node "${node}" can only delete pods with spec.nodeName set to itself`);
          }
          return;
        }
        throw reject(a, `unexpected operation "${a.operation}", node "${node}" can only create and delete mirror pods`);
      case 'status': {
        if (a.operation !== 'UPDATE') throw reject(a, `unexpected operation "${a.operation}"`);
        const old = a.oldObject!;
        if (str(obj(old.spec).nodeName) !== node) throw reject(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
        if (!semanticEqual(old.metadata.labels, a.object?.metadata.labels)) throw reject(a, `node "${node}" cannot update labels through pod status`);
        if (!semanticEqual(obj(old.status).resourceClaimStatuses, obj(a.object?.status).resourceClaimStatuses)) {
          throw reject(a, `node "${node}" cannot update resource claim statues`);
        }
        return;
      }
      case 'eviction': {
        if (a.operation !== 'CREATE') throw reject(a, `unexpected operation ${a.operation}`);
        const name = a.name || a.object?.metadata.name || '';
        if (!name) throw reject(a, 'could not determine pod from request data');
        if (str(obj(existingPod(a, name).spec).nodeName) !== node) throw reject(a, `node ${node} can only evict pods with spec.nodeName set to itself`);
        return;
      }
      default:
        throw reject(a, `unexpected pod subresource "${a.subresource}", only 'status' and 'eviction' are allowed`);
    }
  };

  const nodes = (node: string, a: AdmissionAttributes): void => {
    const requested = a.name || (a.operation === 'CREATE' ? a.object?.metadata.name ?? '' : '');
    if (requested !== node) throw reject(a, `node "${node}" is not allowed to modify node "${requested}"`);
    const spec = obj(a.object?.spec);
    if (a.operation === 'CREATE') {
      if (spec.configSource) throw reject(a, `node "${node}" is not allowed to create pods with a non-nil configSource`);
      const bad = forbiddenLabelChanges(a.object?.metadata.labels, undefined);
      if (bad.length) throw reject(a, `node "${node}" is not allowed to set the following labels: ${bad.join(', ')}`);
    }
    if (a.operation === 'UPDATE') {
      const oldSpec = obj(a.oldObject?.spec);
      if (spec.configSource && !semanticEqual(spec.configSource, oldSpec.configSource)) {
        throw reject(a, `node "${node}" is not allowed to update configSource to a new non-nil configSource`);
      }
      if (!semanticEqual(spec.taints, oldSpec.taints)) throw reject(a, `node "${node}" is not allowed to modify taints`);
      const bad = forbiddenLabelChanges(a.object?.metadata.labels, a.oldObject?.metadata.labels);
      if (bad.length) throw reject(a, `is not allowed to modify labels: ${bad.join(', ')}`);
    }
  };

  const tokenRequest = (node: string, a: AdmissionAttributes): void => {
    if (a.operation !== 'CREATE' || a.subresource !== 'token') return;
    const ref = obj(obj(a.object?.spec).boundObjectRef);
    if (!a.object || ref.apiVersion !== 'v1' || ref.kind !== 'Pod' || !str(ref.name)) throw reject(a, 'node requested token not bound to a pod');
    if (!str(ref.uid)) throw reject(a, 'node requested token with a pod binding without a uid');
    const pod = existingPod(a, str(ref.name));
    if (str(ref.uid) !== pod.metadata.uid) {
      throw reject(a, `the UID in the bound object reference (${str(ref.uid)}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
    if (str(obj(pod.spec).nodeName) !== node) throw reject(a, 'node requested token bound to a pod scheduled on a different node');
  };

  const leases = (node: string, a: AdmissionAttributes): void => {
    if (a.namespace !== nodeLeaseNamespace) throw reject(a, `can only access leases in the "${nodeLeaseNamespace}" system namespace`);
    const name = a.operation === 'CREATE' ? a.object?.metadata.name ?? '' : a.name;
    if (name !== node) throw reject(a, 'can only access node lease with the same name as the requesting node');
  };

  const check = (a: AdmissionAttributes): void => {
    const node = nodeIdentity(a.user);
    if (node === undefined) return;
    if (node === '') throw reject(a, `could not determine node from user "${a.user.username}"`);
    const { group, resource } = a.resource;
    if (group === '' && resource === 'pods') return pods(node, a);
    if (group === '' && resource === 'nodes') return nodes(node, a);
    if (group === '' && resource === 'persistentvolumeclaims' && a.subresource !== 'status') throw reject(a, 'may only update PVC status');
    if (group === '' && resource === 'serviceaccounts') return tokenRequest(node, a);
    if (group === 'coordination.k8s.io' && resource === 'leases') return leases(node, a);
  };

  return {
    name: 'NodeRestriction',
    handles: (a) => nodeIdentity(a.user) !== undefined,
    admit(a) {
      if (a.operation !== 'DELETE') check(a);
    },
    validate(a) {
      if (a.operation === 'DELETE') check(a);
    },
  };
}
