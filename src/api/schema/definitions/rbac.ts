/** rbac.authorization.k8s.io/v1 definitions (k8s.io/api/rbac/v1, v0.32). */
import type { ObjectSchema } from '../types.js';
import { kindObj, list, metaRef, obj, ref, str, strList } from './helpers.js';

const r = 'io.k8s.api.rbac.v1.';

const rules = (description: string) => list(ref(r + 'PolicyRule'), description);
const subjects = list(ref(r + 'Subject'), 'Subjects holds references to the objects the role applies to.');

export const rbacDefinitions: Record<string, ObjectSchema> = {
  [r + 'Role']: kindObj('Role is a namespaced, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding.', {
    rules: rules('Rules holds all the PolicyRules for this Role'),
  }, undefined, 'Standard object\'s metadata.'),
  [r + 'ClusterRole']: kindObj('ClusterRole is a cluster level, logical grouping of PolicyRules that can be referenced as a unit by a RoleBinding or ClusterRoleBinding.', {
    aggregationRule: ref(r + 'AggregationRule', 'AggregationRule is an optional field that describes how to build the Rules for this ClusterRole. If AggregationRule is set, then the Rules are controller managed and direct changes to Rules will be stomped by the controller.'),
    rules: rules('Rules holds all the PolicyRules for this ClusterRole'),
  }, undefined, 'Standard object\'s metadata.'),
  [r + 'RoleBinding']: kindObj('RoleBinding references a role, but does not contain it.  It can reference a Role in the same namespace or a ClusterRole in the global namespace. It adds who information via Subjects and namespace information by which namespace it exists in.  RoleBindings in a given namespace only have effect in that namespace.', {
    roleRef: ref(r + 'RoleRef', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.'),
    subjects,
  }, ['roleRef'], 'Standard object\'s metadata.'),
  [r + 'ClusterRoleBinding']: kindObj('ClusterRoleBinding references a ClusterRole, but not contain it.  It can reference a ClusterRole in the global namespace, and adds who information via Subject.', {
    roleRef: ref(r + 'RoleRef', 'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.'),
    subjects,
  }, ['roleRef'], 'Standard object\'s metadata.'),
  [r + 'AggregationRule']: obj('AggregationRule describes how to locate ClusterRoles to aggregate into the ClusterRole', {
    clusterRoleSelectors: list(metaRef('LabelSelector'), "ClusterRoleSelectors holds a list of selectors which will be used to find ClusterRoles and create the rules. If any of the selectors match, then the ClusterRole's permissions will be added"),
  }),
  [r + 'PolicyRule']: obj('PolicyRule holds information that describes a policy rule, but does not contain information about who the rule applies to or which namespace the rule applies to.', {
    apiGroups: strList('APIGroups is the name of the APIGroup that contains the resources.  If multiple API groups are specified, any action requested against one of the enumerated resources in any API group will be allowed. "" represents the core API group and "*" represents all API groups.'),
    nonResourceURLs: strList('NonResourceURLs is a set of partial urls that a user should have access to.  *s are allowed, but only as the full, final step in the path Since non-resource URLs are not namespaced, this field is only applicable for ClusterRoles referenced from a ClusterRoleBinding. Rules can either apply to API resources (such as "pods" or "secrets") or non-resource URL paths (such as "/api"),  but not both.'),
    resourceNames: strList('ResourceNames is an optional white list of names that the rule applies to.  An empty set means that everything is allowed.'),
    resources: strList("Resources is a list of resources this rule applies to. '*' represents all resources."),
    verbs: strList("Verbs is a list of Verbs that apply to ALL the ResourceKinds contained in this rule. '*' represents all verbs."),
  }, ['verbs']),
  [r + 'Subject']: obj('Subject contains a reference to the object or user identities a role binding applies to.  This can either hold a direct API object reference, or a value for non-objects such as user and group names.', {
    apiGroup: str('APIGroup holds the API group of the referenced subject. Defaults to "" for ServiceAccount subjects. Defaults to "rbac.authorization.k8s.io" for User and Group subjects.'),
    kind: str('Kind of object being referenced. Values defined by this API group are "User", "Group", and "ServiceAccount". If the Authorizer does not recognized the kind value, the Authorizer should report an error.'),
    name: str('Name of the object being referenced.'),
    namespace: str('Namespace of the referenced object.  If the object kind is non-namespace, such as "User" or "Group", and this value is not empty the Authorizer should report an error.'),
  }, ['kind', 'name']),
  [r + 'RoleRef']: obj('RoleRef contains information that points to the role being used', {
    apiGroup: str('APIGroup is the group for the resource being referenced'),
    kind: str('Kind is the type of resource being referenced'),
    name: str('Name is the name of resource being referenced'),
  }, ['apiGroup', 'kind', 'name']),
};
