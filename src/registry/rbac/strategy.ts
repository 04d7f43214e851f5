/**
 * Strategies of Role, ClusterRole, RoleBinding and ClusterRoleBinding (upstream
 * pkg/registry/rbac/*\/strategy.go): create-on-update and unconditional updates allowed, DELETE
 * answers a Status, names are path segments. Subjects and roleRef get v1 defaults (User and Group
 * subjects and an empty roleRef.apiGroup default to rbac.authorization.k8s.io). Escalation checks
 * are not here: they are an admission plugin (src/auth/authz/escalation.ts).
 */
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { asArray, asObject } from '../common.js';
import type { Strategy } from '../types.js';
import { bindingTable, roleTable } from './table.js';
import {
  rbacGroupName,
  validateBindingUpdate,
  validateClusterRole,
  validateClusterRoleBinding,
  validateRole,
  validateRoleBinding,
} from './validation.js';

/** SetDefaults_Subject and SetDefaults_(Cluster)RoleBinding. */
export function defaultBinding(obj: KubeObject): void {
  if (obj.roleRef && typeof obj.roleRef === 'object' && !Array.isArray(obj.roleRef)) {
    const ref = obj.roleRef as Record<string, unknown>;
    if (!ref.apiGroup) obj.roleRef = { apiGroup: rbacGroupName, kind: ref.kind ?? '', name: ref.name ?? '' };
  }
  for (const s of asArray(obj.subjects)) {
    const o = asObject(s);
    if (!o.apiGroup && (o.kind === 'User' || o.kind === 'Group')) o.apiGroup = rbacGroupName;
  }
}

const common = {
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  nameValidation: 'path-segment' as const,
};

export const roleStrategy: Strategy = {
  ...common,
  info: findResource(rbacGroupName, 'v1', 'roles')!,
  validate: validateRole,
  validateUpdate: (obj) => validateRole(obj),
  table: roleTable,
};

export const clusterRoleStrategy: Strategy = {
  ...common,
  info: findResource(rbacGroupName, 'v1', 'clusterroles')!,
  validate: validateClusterRole,
  validateUpdate: (obj) => validateClusterRole(obj),
  table: roleTable,
};

export const roleBindingStrategy: Strategy = {
  ...common,
  info: findResource(rbacGroupName, 'v1', 'rolebindings')!,
  prepareForCreate: defaultBinding,
  prepareForUpdate: (obj) => defaultBinding(obj),
  validate: validateRoleBinding,
  validateUpdate: (obj, old) => validateBindingUpdate(obj, old, true),
  table: bindingTable,
};

export const clusterRoleBindingStrategy: Strategy = {
  ...common,
  info: findResource(rbacGroupName, 'v1', 'clusterrolebindings')!,
  prepareForCreate: defaultBinding,
  prepareForUpdate: (obj) => defaultBinding(obj),
  validate: validateClusterRoleBinding,
  validateUpdate: (obj, old) => validateBindingUpdate(obj, old, false),
  table: bindingTable,
};

export const rbacStrategies: Strategy[] = [roleStrategy, clusterRoleStrategy, roleBindingStrategy, clusterRoleBindingStrategy];
