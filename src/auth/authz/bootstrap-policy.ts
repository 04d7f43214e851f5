/**
 * The bootstrap RBAC policy (upstream plugin/pkg/auth/authorizer/rbac/bootstrappolicy, 1.32):
 * policy.go's cluster roles and bindings that concern this subsystem (including system:node, whose
 * NodeRules the Node authorizer also applies, and system:kube-scheduler), and controller_policy.go /
 * namespace_policy.go's roles of the controllers we run (system:controller:<name>, bound to the
 * ServiceAccount kube-system/<name>), which the in-process controllers run as (nothing else: no
 * system:masters). Where our controllers do more than upstream's, the role grants it with a
 * comment saying so. Every object carries the label
 * kubernetes.io/bootstrapping=rbac-defaults and the annotation
 * rbac.authorization.kubernetes.io/autoupdate=true. Rules are sorted as upstream's builder sorts.
 */
import type { KubeObject } from '../../api/meta.js';
import { rbacGroup, storedRule, type PolicyRule } from './rbac-types.js';

const read = ['get', 'list', 'watch'];
const write = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const readWrite = [...read, ...write];
const legacy = '';
const authn = 'authentication.k8s.io';
const authz = 'authorization.k8s.io';

/** rbacv1helpers.NewRule(...).Groups(...).Resources(...).Names(...).RuleOrDie(): lists sorted. */
export function rule(verbs: string[], groups: string[], resources: string[], names: string[] = []): PolicyRule {
  const r: PolicyRule = { verbs: [...verbs].sort(), apiGroups: [...groups].sort(), resources: [...resources].sort() };
  if (names.length) r.resourceNames = [...names].sort();
  return r;
}

export function urlRule(verbs: string[], urls: string[]): PolicyRule {
  return { verbs: [...verbs].sort(), nonResourceURLs: [...urls].sort() };
}

const eventsRule = () => rule(['create', 'update', 'patch'], [legacy, 'events.k8s.io'], ['events']);

export const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const autoUpdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';

function meta(name: string, labels: Record<string, string> = {}, namespace?: string): KubeObject['metadata'] {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...labels, ...bootstrapLabels },
    annotations: { [autoUpdateAnnotation]: 'true' },
  };
}

function clusterRole(name: string, rules: PolicyRule[], extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): KubeObject {
  const obj: KubeObject = { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRole', metadata: meta(name, extra.labels) };
  if (extra.aggregateFrom) {
    obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${extra.aggregateFrom}`]: 'true' } }] };
  }
  obj.rules = rules.map(storedRule);
  return obj;
}

type SubjectSpec = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; namespace: string; name: string };

function subject(s: SubjectSpec): Record<string, string> {
  if (s.kind === 'ServiceAccount') return { kind: 'ServiceAccount', name: s.name, namespace: s.namespace };
  return { kind: s.kind, apiGroup: rbacGroup, name: s.name };
}

function clusterBinding(name: string, subjects: SubjectSpec[], role = name): KubeObject {
  return {
    apiVersion: `${rbacGroup}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role },
    subjects: subjects.map(subject),
  };
}

/** The subject-less `system:node` ClusterRoleBinding of policy.go. */
function nodeBinding(): KubeObject {
  const b = clusterBinding('system:node', []);
  delete b.subjects;
  return b;
}

const group = (name: string): SubjectSpec => ({ kind: 'Group', name });
const userSubject = (name: string): SubjectSpec => ({ kind: 'User', name });
const controllerSA = (name: string): SubjectSpec => ({ kind: 'ServiceAccount', namespace: 'kube-system', name });

export const controllerRolePrefix = 'system:controller:';
const coordination = 'coordination.k8s.io';
const storage = 'storage.k8s.io';
const certificates = 'certificates.k8s.io';

/**
 * policy.go NodeRules() (1.32, default feature gates): the `system:node` ClusterRole's rules, and
 * the static rules the Node authorizer applies to resources it does not subdivide.
 */
export function nodeRules(): PolicyRule[] {
  return [
    rule(['create'], [authn], ['tokenreviews']),
    rule(['create'], [authz], ['subjectaccessreviews', 'localsubjectaccessreviews']),
    rule(read, [legacy], ['services']),
    rule(['create', 'get', 'list', 'watch'], [legacy], ['nodes']),
    rule(['update', 'patch'], [legacy], ['nodes/status']),
    rule(['update', 'patch'], [legacy], ['nodes']),
    rule(['create', 'update', 'patch'], [legacy], ['events']),
    rule(read, [legacy], ['pods']),
    rule(['create', 'delete'], [legacy], ['pods']),
    rule(['update', 'patch'], [legacy], ['pods/status']),
    rule(['create'], [legacy], ['pods/eviction']),
    rule(['get', 'list', 'watch'], [legacy], ['secrets', 'configmaps']),
    rule(['get'], [legacy], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['get'], [legacy], ['endpoints']),
    rule(['create', 'get', 'list', 'watch'], [certificates], ['certificatesigningrequests']),
    rule(['get', 'create', 'update', 'patch', 'delete'], [coordination], ['leases']),
    rule(['get'], [storage], ['volumeattachments']),
    rule(['create'], [legacy], ['serviceaccounts/token']),
    rule(['get', 'update', 'patch'], [legacy], ['persistentvolumeclaims/status']),
    rule(['get', 'watch', 'list'], [storage], ['csidrivers']),
    rule(['get', 'create', 'update', 'patch', 'delete'], [storage], ['csinodes']),
    rule(['get', 'list', 'watch'], ['node.k8s.io'], ['runtimeclasses']),
  ];
}

/** policy.go's `system:kube-scheduler` rules (1.32, default feature gates). */
function schedulerRules(): PolicyRule[] {
  return [
    eventsRule(),
    rule(['create'], [coordination], ['leases']),
    rule(['get', 'update'], [coordination], ['leases'], ['kube-scheduler']),
    rule(read, [legacy], ['nodes']),
    rule(['get', 'list', 'watch', 'delete'], [legacy], ['pods']),
    rule(['create'], [legacy], ['pods/binding', 'bindings']),
    rule(['patch', 'update'], [legacy], ['pods/status']),
    rule(read, [legacy], ['services', 'replicationcontrollers']),
    rule(read, ['apps', 'extensions'], ['replicasets']),
    rule(read, ['apps'], ['statefulsets']),
    rule(read, ['policy'], ['poddisruptionbudgets']),
    rule(read, [legacy], ['persistentvolumeclaims', 'persistentvolumes']),
    rule(['create'], [authn], ['tokenreviews']),
    rule(['create'], [authz], ['subjectaccessreviews']),
    rule(read, [storage], ['csinodes']),
    rule(read, [legacy], ['namespaces']),
    rule(read, [storage], ['csidrivers']),
    rule(read, [storage], ['csistoragecapacities']),
  ];
}
export const legacyTokenTrackingConfigMap = 'kube-apiserver-legacy-service-account-token-tracking';

/** The controllers whose ClusterRoles (controller_policy.go) we bootstrap, with their rules. */
export const controllerRules: Record<string, PolicyRule[]> = {
  'clusterrole-aggregation-controller': [rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], [rbacGroup], ['clusterroles'])],
  'generic-garbage-collector': [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], ['*'], ['*']), eventsRule()],
  'namespace-controller': [
    rule(['get', 'list', 'watch', 'delete'], [legacy], ['namespaces']),
    rule(['update'], [legacy], ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'delete', 'deletecollection'], ['*'], ['*']),
    // Insignia deviation: our namespace controller records a Warning Event
    // (NamespaceDeletionFailed) when a deletion step fails; upstream's records none.
    eventsRule(),
  ],
  'service-account-controller': [rule(['create'], [legacy], ['serviceaccounts']), eventsRule()],
  'root-ca-cert-publisher': [rule(['create', 'update'], [legacy], ['configmaps']), eventsRule()],
  'node-controller': [
    rule(['get', 'list', 'update', 'delete', 'patch'], [legacy], ['nodes']),
    rule(['patch', 'update'], [legacy], ['nodes/status']),
    rule(['patch', 'update'], [legacy], ['pods/status']),
    rule(['list', 'delete'], [legacy], ['pods']),
    eventsRule(),
  ],
  'legacy-service-account-token-cleaner': [
    rule(['get'], [legacy], ['configmaps'], [legacyTokenTrackingConfigMap]),
    rule(['patch', 'delete'], [legacy], ['secrets']),
    // Insignia deviation: our cleaner records Events (LegacyTokenInvalidated, LegacyTokenDeleted)
    // on the Secrets it changes; upstream's records none.
    eventsRule(),
  ],
};

/** policy.go ClusterRoles() (the part relevant here) plus the controller roles. */
export function bootstrapClusterRoles(): KubeObject[] {
  const roles = [
    clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), urlRule(['*'], ['*'])]),
    clusterRole('system:discovery', [
      urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/', '/openapi', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*']),
    ]),
    clusterRole('system:monitoring', [
      urlRule(['get'], ['/metrics', '/metrics/slis', '/livez', '/readyz', '/healthz', '/livez/*', '/readyz/*', '/healthz/*']),
    ]),
    clusterRole('system:basic-user', [
      rule(['create'], [authz], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], [authn], ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urlRule(['get'], ['/livez', '/readyz', '/healthz', '/version', '/version/'])]),
    clusterRole('admin', [], { aggregateFrom: 'admin' }),
    clusterRole('edit', [], { aggregateFrom: 'edit', labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }),
    clusterRole('view', [], { aggregateFrom: 'view', labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
    clusterRole('system:aggregate-to-admin', [
      rule(['create'], [authz], ['localsubjectaccessreviews']),
      rule(readWrite, [rbacGroup], ['roles', 'rolebindings']),
    ], { labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }),
    clusterRole('system:aggregate-to-edit', [
      rule(read, [legacy], ['pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward', 'secrets', 'services/proxy']),
      rule(['impersonate'], [legacy], ['serviceaccounts']),
      rule(write, [legacy], ['pods', 'pods/attach', 'pods/proxy', 'pods/exec', 'pods/portforward']),
      rule(['create'], [legacy], ['pods/eviction']),
      rule(write, [legacy], ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'configmaps', 'secrets', 'events']),
      rule(['create'], [legacy], ['serviceaccounts/token']),
      rule(write, ['apps'], ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale']),
      rule(write, ['autoscaling'], ['horizontalpodautoscalers']),
      rule(write, ['batch'], ['jobs', 'cronjobs']),
      rule(write, ['extensions'], ['daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'ingresses', 'replicasets', 'replicasets/scale', 'replicationcontrollers/scale', 'networkpolicies']),
      rule(write, ['policy'], ['poddisruptionbudgets']),
      rule(write, ['networking.k8s.io'], ['networkpolicies', 'ingresses']),
      rule(readWrite, ['coordination.k8s.io'], ['leases']),
    ], { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
    clusterRole('system:aggregate-to-view', [
      rule(read, [legacy], ['pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'configmaps']),
      rule(read, [legacy], ['limitranges', 'resourcequotas', 'bindings', 'events', 'pods/status', 'resourcequotas/status', 'namespaces/status', 'replicationcontrollers/status', 'pods/log']),
      rule(read, [legacy], ['namespaces']),
      rule(read, ['discovery.k8s.io'], ['endpointslices']),
      rule(read, ['apps'], ['controllerrevisions', 'statefulsets', 'statefulsets/status', 'statefulsets/scale', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'deployments/scale', 'replicasets', 'replicasets/status', 'replicasets/scale']),
      rule(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
      rule(read, ['batch'], ['jobs', 'cronjobs', 'cronjobs/status', 'jobs/status']),
      rule(read, ['extensions'], ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale', 'networkpolicies']),
      rule(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
      rule(read, ['networking.k8s.io'], ['networkpolicies', 'ingresses', 'ingresses/status']),
    ], { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
    clusterRole('system:auth-delegator', [rule(['create'], [authn], ['tokenreviews']), rule(['create'], [authz], ['subjectaccessreviews'])]),
    clusterRole('system:kube-controller-manager', [
      eventsRule(),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      rule(['create'], [legacy], ['secrets', 'serviceaccounts']),
      rule(['delete'], [legacy], ['secrets']),
      rule(['get'], [legacy], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts']),
      rule(['update'], [legacy], ['secrets', 'serviceaccounts']),
      rule(['create'], [authn], ['tokenreviews']),
      rule(['create'], [authz], ['subjectaccessreviews']),
      rule(['list', 'watch'], ['*'], ['*']),
      rule(['create'], [legacy], ['serviceaccounts/token']),
    ]),
    clusterRole('system:node', nodeRules()),
    clusterRole('system:kube-scheduler', schedulerRules()),
    clusterRole('system:service-account-issuer-discovery', [
      urlRule(['get'], ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/']),
    ]),
  ];
  for (const [name, rules] of Object.entries(controllerRules)) roles.push(clusterRole(controllerRolePrefix + name, rules));
  return roles;
}

/** policy.go ClusterRoleBindings() (the part relevant here) plus the controller bindings. */
export function bootstrapClusterRoleBindings(): KubeObject[] {
  const bindings = [
    clusterBinding('cluster-admin', [group('system:masters')]),
    clusterBinding('system:monitoring', [group('system:monitoring')]),
    clusterBinding('system:discovery', [group('system:authenticated')]),
    clusterBinding('system:basic-user', [group('system:authenticated')]),
    clusterBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterBinding('system:kube-controller-manager', [userSubject('system:kube-controller-manager')]),
    clusterBinding('system:kube-scheduler', [userSubject('system:kube-scheduler')]),
    // Upstream keeps this binding with no subjects (deprecated since the Node authorizer, node.ts).
    nodeBinding(),
    clusterBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  ];
  for (const name of Object.keys(controllerRules)) bindings.push(clusterBinding(controllerRolePrefix + name, [controllerSA(name)]));
  return bindings;
}

/** namespace_policy.go: Roles in system namespaces (the bootstrap token cleaner in kube-system). */
export function bootstrapRoles(): KubeObject[] {
  return [
    {
      apiVersion: `${rbacGroup}/v1`,
      kind: 'Role',
      metadata: meta(`${controllerRolePrefix}token-cleaner`, {}, 'kube-system'),
      rules: [rule(['get', 'list', 'watch', 'delete'], [legacy], ['secrets']), rule(['create', 'patch', 'update'], [legacy, 'events.k8s.io'], ['events'])].map(storedRule),
    },
  ];
}

export function bootstrapRoleBindings(): KubeObject[] {
  return [
    {
      apiVersion: `${rbacGroup}/v1`,
      kind: 'RoleBinding',
      metadata: meta(`${controllerRolePrefix}token-cleaner`, {}, 'kube-system'),
      roleRef: { apiGroup: rbacGroup, kind: 'Role', name: `${controllerRolePrefix}token-cleaner` },
      subjects: [subject(controllerSA('token-cleaner'))],
    },
  ];
}
