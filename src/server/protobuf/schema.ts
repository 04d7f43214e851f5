/**
 * The protobuf schema of every kind Insignia decodes, parsed once (lazily) into one protobufjs
 * Root, and the table from the envelope's (apiVersion, kind) to the kind's message type.
 */
import protobuf from 'protobufjs';
import { authenticationV1Proto } from './proto-authentication.js';
import { authorizationV1Proto } from './proto-authorization.js';
import { coreV1Proto } from './proto-core.js';
import { metaV1Proto, runtimeProto } from './proto-meta.js';
import { rbacV1Proto } from './proto-rbac.js';

const core = 'k8s.io.api.core.v1';
const rbac = 'k8s.io.api.rbac.v1';
const authentication = 'k8s.io.api.authentication.v1';
const authorization = 'k8s.io.api.authorization.v1';

/** [apiVersion, kind, fully-qualified message name]; the kinds a protobuf body may carry. */
const kindMessages: readonly (readonly [string, string, string])[] = [
  ['v1', 'ServiceAccount', `${core}.ServiceAccount`],
  ['v1', 'Secret', `${core}.Secret`],
  ['v1', 'ConfigMap', `${core}.ConfigMap`],
  ['v1', 'Namespace', `${core}.Namespace`],
  ['rbac.authorization.k8s.io/v1', 'Role', `${rbac}.Role`],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', `${rbac}.ClusterRole`],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', `${rbac}.RoleBinding`],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', `${rbac}.ClusterRoleBinding`],
  ['authentication.k8s.io/v1', 'TokenRequest', `${authentication}.TokenRequest`],
  ['authentication.k8s.io/v1', 'TokenReview', `${authentication}.TokenReview`],
  ['authentication.k8s.io/v1', 'SelfSubjectReview', `${authentication}.SelfSubjectReview`],
  ['authentication.k8s.io/v1beta1', 'SelfSubjectReview', `${authentication}.SelfSubjectReview`],
  ['authentication.k8s.io/v1alpha1', 'SelfSubjectReview', `${authentication}.SelfSubjectReview`],
  ['authorization.k8s.io/v1', 'SubjectAccessReview', `${authorization}.SubjectAccessReview`],
  ['authorization.k8s.io/v1', 'LocalSubjectAccessReview', `${authorization}.LocalSubjectAccessReview`],
  ['authorization.k8s.io/v1', 'SelfSubjectAccessReview', `${authorization}.SelfSubjectAccessReview`],
  ['authorization.k8s.io/v1', 'SelfSubjectRulesReview', `${authorization}.SelfSubjectRulesReview`],
];

const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}\u0000${kind}`;
const messageNames = new Map(kindMessages.map(([v, k, name]) => [kindKey(v, k), name]));

/** True when a protobuf body of this apiVersion and kind can be decoded (exact, case-sensitive). */
export function isKubernetesProtobufKindSupported(apiVersion: string, kind: string): boolean {
  return messageNames.has(kindKey(apiVersion, kind));
}

/** Every (apiVersion, kind) pair {@link isKubernetesProtobufKindSupported} accepts, in table order. */
export function supportedKubernetesProtobufKinds(): { apiVersion: string; kind: string }[] {
  return kindMessages.map(([apiVersion, kind]) => ({ apiVersion, kind }));
}

/** The parsed schema: the runtime.Unknown envelope and each supported kind's message type. */
export interface KubernetesProtobufSchema {
  readonly root: protobuf.Root;
  readonly envelope: protobuf.Type;
  /** The message type for (apiVersion, kind), or undefined when the kind is not supported. */
  kindType(apiVersion: string, kind: string): protobuf.Type | undefined;
}

let schema: KubernetesProtobufSchema | undefined;

/** The schema, parsed on first use and shared afterwards; all types are resolved. */
export function kubernetesProtobufSchema(): KubernetesProtobufSchema {
  if (schema) return schema;
  const root = new protobuf.Root();
  for (const source of [runtimeProto, metaV1Proto, coreV1Proto, rbacV1Proto, authenticationV1Proto, authorizationV1Proto]) {
    protobuf.parse(source, root, { keepCase: true });
  }
  root.resolveAll();
  const types = new Map<string, protobuf.Type>();
  for (const [apiVersion, kind, name] of kindMessages) types.set(kindKey(apiVersion, kind), root.lookupType(name));
  schema = {
    root,
    envelope: root.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown'),
    kindType: (apiVersion, kind) => types.get(kindKey(apiVersion, kind)),
  };
  return schema;
}
