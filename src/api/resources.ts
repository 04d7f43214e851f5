/**
 * The resources this server serves, with their discovery facts (names, kinds, scope, verbs,
 * short names, categories, subresources) exactly as kube-apiserver 1.32 advertises them.
 * Discovery, OpenAPI, request routing and the registry all read this one table.
 */

export interface SubresourceInfo {
  /** e.g. 'status', 'token', 'binding', 'finalize'. */
  name: string;
  /** Kind accepted/returned by the subresource, when it differs from the parent's. */
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural resource name, e.g. 'serviceaccounts'. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceInfo[];
  /** OpenAPI definition name, e.g. io.k8s.api.core.v1.ServiceAccount. */
  definition: string;
}

export const standardVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const groupVersion = (r: { group: string; version: string }): string =>
  r.group ? `${r.group}/${r.version}` : r.version;

const core = (r: Omit<ResourceInfo, 'group' | 'version' | 'listKind' | 'definition'> & { listKind?: string }): ResourceInfo => ({
  group: '',
  version: 'v1',
  listKind: r.listKind ?? `${r.kind}List`,
  definition: `io.k8s.api.core.v1.${r.kind}`,
  ...r,
});

/** Core (legacy group) resources served under /api/v1. */
export const coreResources: ResourceInfo[] = [
  // Create-only: the legacy form of pods/binding (the pod named by the Binding's metadata.name).
  core({ resource: 'bindings', singular: 'binding', kind: 'Binding', namespaced: true, verbs: ['create'] }),
  core({
    resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true,
    verbs: standardVerbs, shortNames: ['cm'],
  }),
  core({
    resource: 'events', singular: 'event', kind: 'Event', namespaced: true,
    verbs: standardVerbs, shortNames: ['ev'],
  }),
  core({
    resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'],
    subresources: [
      { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
      { name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  core({
    resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false,
    verbs: standardVerbs, shortNames: ['no'],
    subresources: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
  }),
  core({
    resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true,
    verbs: standardVerbs, shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    ],
  }),
  core({
    resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true,
    verbs: standardVerbs,
  }),
  core({
    resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true,
    verbs: standardVerbs, shortNames: ['sa'],
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
  }),
  core({
    resource: 'services', singular: 'service', kind: 'Service', namespaced: true,
    verbs: standardVerbs, shortNames: ['svc'], categories: ['all'],
    subresources: [{ name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }],
  }),
];

const inGroup = (group: string, version: string, pkg: string) =>
  (r: Omit<ResourceInfo, 'group' | 'version' | 'listKind' | 'definition'> & { listKind?: string }): ResourceInfo => ({
    group,
    version,
    listKind: r.listKind ?? `${r.kind}List`,
    definition: `io.k8s.api.${pkg}.${version}.${r.kind}`,
    ...r,
  });

const rbac = inGroup('rbac.authorization.k8s.io', 'v1', 'rbac');
/** rbac.authorization.k8s.io/v1, stored like any resource. */
export const rbacResources: ResourceInfo[] = [
  rbac({ resource: 'clusterrolebindings', singular: 'clusterrolebinding', kind: 'ClusterRoleBinding', namespaced: false, verbs: standardVerbs }),
  rbac({ resource: 'clusterroles', singular: 'clusterrole', kind: 'ClusterRole', namespaced: false, verbs: standardVerbs }),
  rbac({ resource: 'rolebindings', singular: 'rolebinding', kind: 'RoleBinding', namespaced: true, verbs: standardVerbs }),
  rbac({ resource: 'roles', singular: 'role', kind: 'Role', namespaced: true, verbs: standardVerbs }),
];

const coordination = inGroup('coordination.k8s.io', 'v1', 'coordination');
/** coordination.k8s.io/v1: Leases (node heartbeats in kube-node-lease, leader election). */
export const coordinationResources: ResourceInfo[] = [
  coordination({ resource: 'leases', singular: 'lease', kind: 'Lease', namespaced: true, verbs: standardVerbs }),
];

const authn = inGroup('authentication.k8s.io', 'v1', 'authentication');
const authnBeta = inGroup('authentication.k8s.io', 'v1beta1', 'authentication');
/**
 * authentication.k8s.io: create-only review kinds, answered by handlers and never stored.
 * v1beta1 SelfSubjectReview is served too, because kubectl 1.27's `auth whoami` asks for it.
 */
export const authenticationResources: ResourceInfo[] = [
  authn({ resource: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] }),
  authn({ resource: 'tokenreviews', singular: 'tokenreview', kind: 'TokenReview', namespaced: false, verbs: ['create'] }),
  authnBeta({ resource: 'selfsubjectreviews', singular: 'selfsubjectreview', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] }),
];

const authz = inGroup('authorization.k8s.io', 'v1', 'authorization');
/** authorization.k8s.io/v1: create-only access reviews, answered by handlers and never stored. */
export const authorizationResources: ResourceInfo[] = [
  authz({ resource: 'localsubjectaccessreviews', singular: 'localsubjectaccessreview', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: ['create'] }),
  authz({ resource: 'selfsubjectaccessreviews', singular: 'selfsubjectaccessreview', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] }),
  authz({ resource: 'selfsubjectrulesreviews', singular: 'selfsubjectrulesreview', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] }),
  authz({ resource: 'subjectaccessreviews', singular: 'subjectaccessreview', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'] }),
];

/**
 * Every resource this server knows, core first, then named groups. Routing looks resources up
 * here; a resource is served when the server has a Store or a create handler for it.
 */
export const allResources: ResourceInfo[] = [
  ...coreResources,
  ...rbacResources,
  ...authenticationResources,
  ...authorizationResources,
  ...coordinationResources,
];

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return allResources.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function findKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return allResources.find((r) => r.group === group && r.version === version && r.kind === kind);
}
