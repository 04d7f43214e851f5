/**
 * The Node authorizer (upstream plugin/pkg/auth/authorizer/node/node_authorizer.go, 1.32), asked
 * after system:masters and before RBAC (--authorization-mode=Node,RBAC). It has an opinion only
 * for node identities (user `system:node:<name>` in group `system:nodes`); it allows or has no
 * opinion (never denies), with upstream's reasons:
 * - secrets, configmaps: get/list/watch of a named object (list/watch carry the name when the
 *   request's fieldSelector is metadata.name=<name>) referenced by a pod bound to the node;
 * - persistentvolumeclaims: get when referenced (status: update/patch when referenced);
 * - serviceaccounts: only create of the `token` subresource, for accounts of pods bound to the node;
 * - leases: get/create/update/patch/delete in kube-node-lease, named after the node (create: any
 *   name; NodeRestriction checks it);
 * - pods, nodes and everything else: the static rules of the `system:node` ClusterRole
 *   (bootstrap-policy nodeRules; NodeRestriction confines writes to the node's own objects).
 *   This is upstream with the AuthorizeNodeWithSelectors gate off: the request attributes here
 *   carry no field selector, so pods/nodes list and watch are not narrowed by selector.
 * "No relationship" answers: `no relationship found between node '<n>' and this object`.
 */
import type { UserInfo } from '../../admission/types.js';
import { nodeRules } from './bootstrap-policy.js';
import type { NodeGraph, VertexType } from './node-graph.js';
import { rulesAllow } from './rule-match.js';
import type { Attributes, AuthorizationResult, Authorizer } from './types.js';

export const nodeUserPrefix = 'system:node:';
export const nodesGroup = 'system:nodes';
export const nodeLeaseNamespace = 'kube-node-lease';

/** Upstream nodeidentifier.NodeIdentity: the node name, or undefined when the user is not a node. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.username.startsWith(nodeUserPrefix) || !user.groups.includes(nodesGroup)) return undefined;
  return user.username.slice(nodeUserPrefix.length);
}

export interface NodeAuthorizerOptions {
  /** The pod relationships; throws when unavailable (an error is a denial in the union). */
  graph(): NodeGraph;
}

const allow: AuthorizationResult = { decision: 'allow', reason: '' };
const noOpinion = (reason: string): AuthorizationResult => ({ decision: 'no-opinion', reason });

export function createNodeAuthorizer(o: NodeAuthorizerOptions): Authorizer {
  const staticRules = nodeRules();

  const related = (node: string, type: VertexType, a: Attributes): AuthorizationResult => {
    if (!a.name) return noOpinion('No Object name found');
    if (o.graph().hasPath(node, type, a.namespace, a.name)) return allow;
    return noOpinion(`no relationship found between node '${node}' and this object`);
  };

  const readNamespaced = (node: string, type: VertexType, a: Attributes): AuthorizationResult => {
    if (!['get', 'list', 'watch'].includes(a.verb)) return noOpinion('can only read resources of this type');
    if (a.subresource) return noOpinion('cannot read subresource');
    if (!a.namespace) return noOpinion('can only read namespaced object of this type');
    return related(node, type, a);
  };

  const getOnly = (node: string, type: VertexType, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (a.subresource) return noOpinion('cannot get subresource');
    return related(node, type, a);
  };

  const statusUpdate = (node: string, type: VertexType, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    return related(node, type, a);
  };

  const createToken = (node: string, a: Attributes): AuthorizationResult => {
    if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return related(node, 'serviceaccount', a);
  };

  const lease = (node: string, a: Attributes): AuthorizationResult => {
    if (!['get', 'create', 'update', 'patch', 'delete'].includes(a.verb)) {
      return noOpinion('can only get, create, update, patch, or delete a node lease');
    }
    if (a.namespace !== nodeLeaseNamespace) return noOpinion(`can only access leases in the "${nodeLeaseNamespace}" system namespace`);
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
    return allow;
  };

  return {
    authorize(a) {
      const node = nodeIdentity(a.user);
      if (node === undefined) return noOpinion('');
      if (node === '') return noOpinion(`unknown node for user "${a.user.username}"`);
      if (a.isResourceRequest) {
        const core = a.apiGroup === '';
        if (core && a.resource === 'secrets') return readNamespaced(node, 'secret', a);
        if (core && a.resource === 'configmaps') return readNamespaced(node, 'configmap', a);
        if (core && a.resource === 'persistentvolumeclaims') {
          return a.subresource === 'status' ? statusUpdate(node, 'persistentvolumeclaim', a) : getOnly(node, 'persistentvolumeclaim', a);
        }
        if (core && a.resource === 'serviceaccounts') return createToken(node, a);
        if (a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') return lease(node, a);
      }
      return rulesAllow(a, staticRules) ? allow : noOpinion('');
    },
  };
}
