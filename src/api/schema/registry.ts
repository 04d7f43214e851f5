/**
 * The schema registry: every definition we serve, keyed by OpenAPI definition name, and the
 * GroupVersionKind of every top-level kind (including XList kinds, Status and DeleteOptions).
 * Built once at import; treat it as immutable.
 */
import type { GroupVersionKind, ObjectSchema, RefSchema, Schema, SchemaRegistry } from './types.js';
import { authenticationDefinitions } from './definitions/authentication.js';
import { authorizationDefinitions } from './definitions/authorization.js';
import { coordinationDefinitions } from './definitions/coordination.js';
import { coreDefinitions } from './definitions/core.js';
import { coreContainerDefinitions } from './definitions/core-container.js';
import { coreNodeDefinitions } from './definitions/core-node.js';
import { corePodDefinitions } from './definitions/core-pod.js';
import { corePodPolicyDefinitions } from './definitions/core-pod-policy.js';
import { coreVolumeDefinitions } from './definitions/core-volume.js';
import { corePrefix, listObj, metaPrefix } from './definitions/helpers.js';
import { metaDefinitions } from './definitions/meta.js';
import { rbacDefinitions } from './definitions/rbac.js';

interface KindEntry {
  group: string;
  version: string;
  kind: string;
  definition: string;
  /** Generate `${kind}List` too, with this items description. */
  list?: string;
}

const rbac = 'io.k8s.api.rbac.v1.';
const authn = 'io.k8s.api.authentication.v1.';
const authz = 'io.k8s.api.authorization.v1.';

const core = (kind: string, list?: string): KindEntry => ({ group: '', version: 'v1', kind, definition: corePrefix + kind, list });
const named = (group: string, version: string, prefix: string, kind: string, list?: string): KindEntry => ({ group, version, kind, definition: prefix + kind, list });

const entries: KindEntry[] = [
  core('ServiceAccount', 'List of ServiceAccounts. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'),
  core('Secret', 'Items is a list of secret objects. More info: https://kubernetes.io/docs/concepts/configuration/secret'),
  core('ConfigMap', 'Items is the list of ConfigMaps.'),
  core('Namespace', 'Items is the list of Namespace objects in the list. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'),
  core('Pod', 'List of pods. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md'),
  core('Node', 'List of nodes'),
  core('Event', 'List of events'),
  core('Service', 'List of services'),
  core('Binding'),
  named('rbac.authorization.k8s.io', 'v1', rbac, 'Role', 'Items is a list of Roles'),
  named('rbac.authorization.k8s.io', 'v1', rbac, 'ClusterRole', 'Items is a list of ClusterRoles'),
  named('rbac.authorization.k8s.io', 'v1', rbac, 'RoleBinding', 'Items is a list of RoleBindings'),
  named('rbac.authorization.k8s.io', 'v1', rbac, 'ClusterRoleBinding', 'Items is a list of ClusterRoleBindings'),
  named('authentication.k8s.io', 'v1', authn, 'TokenRequest'),
  named('authentication.k8s.io', 'v1', authn, 'TokenReview'),
  named('authentication.k8s.io', 'v1', authn, 'SelfSubjectReview'),
  named('authentication.k8s.io', 'v1beta1', 'io.k8s.api.authentication.v1beta1.', 'SelfSubjectReview'),
  named('authorization.k8s.io', 'v1', authz, 'SubjectAccessReview'),
  named('authorization.k8s.io', 'v1', authz, 'SelfSubjectAccessReview'),
  named('authorization.k8s.io', 'v1', authz, 'LocalSubjectAccessReview'),
  named('authorization.k8s.io', 'v1', authz, 'SelfSubjectRulesReview'),
  named('coordination.k8s.io', 'v1', 'io.k8s.api.coordination.v1.', 'Lease', 'items is a list of schema objects.'),
];

const listDescriptions: Record<string, string> = {
  ServiceAccount: 'ServiceAccountList is a list of ServiceAccount objects',
  Secret: 'SecretList is a list of Secret.',
  ConfigMap: 'ConfigMapList is a resource containing a list of ConfigMap objects.',
  Namespace: 'NamespaceList is a list of Namespaces.',
  Pod: 'PodList is a list of Pods.',
  Node: 'NodeList is the whole list of all Nodes which have been registered with master.',
  Event: 'EventList is a list of events.',
  Service: 'ServiceList holds a list of services.',
  Role: 'RoleList is a collection of Roles',
  ClusterRole: 'ClusterRoleList is a collection of ClusterRoles',
  RoleBinding: 'RoleBindingList is a collection of RoleBindings',
  ClusterRoleBinding: 'ClusterRoleBindingList is a collection of ClusterRoleBindings',
  Lease: 'LeaseList is a list of Lease objects.',
};

function build(): SchemaRegistry {
  const definitions: Record<string, ObjectSchema> = {
    ...metaDefinitions,
    ...coreDefinitions,
    ...coreNodeDefinitions,
    ...corePodDefinitions,
    ...corePodPolicyDefinitions,
    ...coreContainerDefinitions,
    ...coreVolumeDefinitions,
    ...rbacDefinitions,
    ...authenticationDefinitions,
    ...authorizationDefinitions,
    ...coordinationDefinitions,
  };
  const kinds: SchemaRegistry['kinds'] = [];
  const groupVersions = new Map<string, { group: string; version: string }>();
  for (const e of entries) {
    kinds.push({ gvk: { group: e.group, version: e.version, kind: e.kind }, definition: e.definition });
    groupVersions.set(`${e.group}/${e.version}`, { group: e.group, version: e.version });
    if (e.list) {
      const name = `${e.definition}List`;
      definitions[name] = listObj(e.definition, listDescriptions[e.kind] ?? `${e.kind}List is a list of ${e.kind} objects.`, e.list);
      kinds.push({ gvk: { group: e.group, version: e.version, kind: `${e.kind}List` }, definition: name });
    }
  }
  kinds.push({ gvk: { group: '', version: 'v1', kind: 'Status' }, definition: metaPrefix + 'Status' });
  for (const gv of groupVersions.values()) {
    kinds.push({ gvk: { ...gv, kind: 'DeleteOptions' }, definition: metaPrefix + 'DeleteOptions' });
  }
  return { definitions, kinds };
}

export const schemaRegistry: SchemaRegistry = build();

const gvkKey = (g: GroupVersionKind) => `${g.group}/${g.version}/${g.kind}`;
const byGvk = new Map(schemaRegistry.kinds.map((k) => [gvkKey(k.gvk), k.definition]));

/** The OpenAPI definition name of a kind, e.g. `io.k8s.api.core.v1.ServiceAccount`. */
export function definitionNameFor(gvk: GroupVersionKind, registry: SchemaRegistry = schemaRegistry): string | undefined {
  if (registry === schemaRegistry) return byGvk.get(gvkKey(gvk));
  return registry.kinds.find((k) => gvkKey(k.gvk) === gvkKey(gvk))?.definition;
}

/** The top-level definition of a kind, or undefined when the kind is not in the registry. */
export function definitionFor(gvk: GroupVersionKind, registry: SchemaRegistry = schemaRegistry): ObjectSchema | undefined {
  const name = definitionNameFor(gvk, registry);
  return name ? registry.definitions[name] : undefined;
}

/**
 * Follows refs until a non-ref schema; undefined when a ref names no definition. A ref's own
 * description and patch strategy are not carried over (read them from the ref before resolving).
 */
export function resolve(schema: Schema, registry: SchemaRegistry = schemaRegistry): Exclude<Schema, RefSchema> | undefined {
  let s: Schema | undefined = schema;
  for (let hops = 0; s && s.type === 'ref'; hops++) {
    if (hops > 64) return undefined;
    s = registry.definitions[s.ref];
  }
  return s as Exclude<Schema, RefSchema> | undefined;
}

/** Every definition name referenced directly by `schema` (not transitively), in encounter order. */
export function directReferences(schema: Schema): string[] {
  const out: string[] = [];
  const stack: Schema[] = [schema];
  while (stack.length) {
    const s = stack.pop()!;
    switch (s.type) {
      case 'ref': out.push(s.ref); break;
      case 'array': stack.push(s.items); break;
      case 'map': stack.push(s.values); break;
      case 'object': for (const p of Object.values(s.properties).reverse()) stack.push(p); break;
      default: break;
    }
  }
  return out;
}

/** The named definitions plus everything they reference transitively (sorted; missing names skipped). */
export function referenceClosure(names: Iterable<string>, registry: SchemaRegistry = schemaRegistry): string[] {
  const seen = new Set<string>();
  const todo = [...names];
  while (todo.length) {
    const n = todo.pop()!;
    if (seen.has(n) || !registry.definitions[n]) continue;
    seen.add(n);
    todo.push(...directReferences(registry.definitions[n]));
  }
  return [...seen].sort();
}

/** The group-versions that have at least one kind in the registry, core first then by name. */
export function registryGroupVersions(registry: SchemaRegistry = schemaRegistry): Array<{ group: string; version: string }> {
  const m = new Map<string, { group: string; version: string }>();
  for (const k of registry.kinds) m.set(`${k.gvk.group}/${k.gvk.version}`, { group: k.gvk.group, version: k.gvk.version });
  return [...m.values()].sort((a, b) => (a.group === b.group ? a.version.localeCompare(b.version) : a.group === '' ? -1 : b.group === '' ? 1 : a.group.localeCompare(b.group)));
}
