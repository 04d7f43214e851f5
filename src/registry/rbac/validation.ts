/**
 * RBAC validation (upstream pkg/apis/rbac/validation/validation.go, 1.32): policy rules, role
 * references, subjects and aggregation rules, with upstream's field paths and wording. Names of
 * roles and bindings are path segments (ValidateRBACName), checked by the Store.
 */
import { child, index, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isDNS1123Subdomain, isValidPathSegmentName } from '../../api/validation/names.js';
import { goStringSlice } from '../../api/validation/helpers.js';
import { asArray, asObject, str } from '../common.js';
import { labelSelectorConvertible, validateLabelSelector } from './label-selector.js';

export const rbacGroupName = 'rbac.authorization.k8s.io';

const strList = (v: unknown): string[] => asArray(v).map(str);

/**
 * An Invalid error whose value Go prints with %#v (`[]string{"/x"}`, `rbac.RoleRef{...}`): the
 * value is carried in the detail so the message reads exactly as upstream's.
 */
const invalidGoValue = (field: string, goValue: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, detail: `${goValue}: ${detail}` });

/** validatePolicyRule: verbs required; non-resource URLs only in cluster roles and never with resources. */
export function validatePolicyRule(rule: unknown, namespaced: boolean, path: string): FieldError[] {
  const r = asObject(rule);
  const errs: FieldError[] = [];
  const verbs = strList(r.verbs);
  const urls = strList(r.nonResourceURLs);
  const groups = strList(r.apiGroups);
  const resources = strList(r.resources);
  const names = strList(r.resourceNames);
  if (verbs.length === 0) errs.push(required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (urls.length > 0) {
    if (namespaced) errs.push(invalidGoValue(child(path, 'nonResourceURLs'), goStringSlice(urls), 'namespaced rules cannot apply to non-resource URLs'));
    if (groups.length > 0 || resources.length > 0 || names.length > 0) {
      errs.push(invalidGoValue(child(path, 'nonResourceURLs'), goStringSlice(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (groups.length === 0) errs.push(required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (resources.length === 0) errs.push(required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  if (names.length > 0 && resources.length > 1) {
    errs.push(required(child(path, 'resourceNames'), 'resource names cannot apply to multiple resources'));
  }
  return errs;
}

function validateRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  return asArray(obj.rules).flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));
}

export function validateRole(obj: KubeObject): FieldError[] {
  return validateRules(obj, true);
}

export function validateClusterRole(obj: KubeObject): FieldError[] {
  const errs = validateRules(obj, false);
  if (obj.aggregationRule !== undefined && obj.aggregationRule !== null) {
    const selectors = asArray(asObject(obj.aggregationRule).clusterRoleSelectors);
    const path = 'aggregationRule.clusterRoleSelectors';
    if (selectors.length === 0) errs.push(required(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((s, i) => {
      errs.push(...validateLabelSelector(s, index(path, i)));
      if (!labelSelectorConvertible(s)) errs.push(invalid(index(path, i), 'null', 'invalid label selector.'));
    });
  }
  return errs;
}

function validateSubject(subject: unknown, namespaced: boolean, path: string): FieldError[] {
  const s = asObject(subject);
  const errs: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (name.length === 0) errs.push(required(child(path, 'name'), ''));
  switch (str(s.kind)) {
    case 'ServiceAccount':
      if (name.length > 0) for (const msg of isDNS1123Subdomain(name)) errs.push(invalid(child(path, 'name'), name, msg));
      if (apiGroup.length > 0) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && str(s.namespace).length === 0) errs.push(required(child(path, 'namespace'), ''));
      break;
    case 'User':
      if (name.length === 0) errs.push(invalid(child(path, 'name'), name, 'user name cannot be empty'));
      if (apiGroup !== rbacGroupName) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroupName]));
      break;
    case 'Group':
      if (name.length === 0) errs.push(invalid(child(path, 'name'), name, 'group name cannot be empty'));
      if (apiGroup !== rbacGroupName) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [rbacGroupName]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), str(s.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = asObject(obj.roleRef);
  const apiGroup = str(ref.apiGroup);
  const kind = str(ref.kind);
  const name = str(ref.name);
  if (apiGroup !== rbacGroupName) errs.push(notSupported('roleRef.apiGroup', apiGroup, [rbacGroupName]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(kind)) errs.push(notSupported('roleRef.kind', kind, kinds));
  if (name.length === 0) errs.push(required('roleRef.name', ''));
  else for (const msg of isValidPathSegmentName(name)) errs.push(invalid('roleRef.name', name, msg));
  asArray(obj.subjects).forEach((s, i) => errs.push(...validateSubject(s, namespaced, index('subjects', i))));
  return errs;
}

export const validateRoleBinding = (obj: KubeObject): FieldError[] => validateBinding(obj, true);
export const validateClusterRoleBinding = (obj: KubeObject): FieldError[] => validateBinding(obj, false);

/** Go's %#v of the internal RoleRef. */
const goRoleRef = (r: Record<string, unknown>) =>
  `rbac.RoleRef{APIGroup:${JSON.stringify(str(r.apiGroup))}, Kind:${JSON.stringify(str(r.kind))}, Name:${JSON.stringify(str(r.name))}}`;

/** Binding updates: roleRef is immutable (`cannot change roleRef`). */
export function validateBindingUpdate(obj: KubeObject, old: KubeObject, namespaced: boolean): FieldError[] {
  const errs = validateBinding(obj, namespaced);
  const a = asObject(obj.roleRef);
  const b = asObject(old.roleRef);
  if (str(a.apiGroup) !== str(b.apiGroup) || str(a.kind) !== str(b.kind) || str(a.name) !== str(b.name)) {
    errs.push(invalidGoValue('roleRef', goRoleRef(a), 'cannot change roleRef'));
  }
  return errs;
}
