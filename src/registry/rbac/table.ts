/**
 * Server-side printing of the RBAC kinds. Roles and ClusterRoles use the default table convertor
 * (Name, Created At of type date); bindings use upstream printers.go printRoleBinding /
 * printClusterRoleBinding, always wide on the server: Name, Role (`Kind/name`), Age, then
 * Users, Groups, ServiceAccounts (priority 1, `ns/name`).
 */
import type { TableConvertor } from '../types.js';
import { asArray, asObject, str } from '../common.js';
import { ageCell, ageColumn, column, nameColumn, objectMetaCreationTimestampDoc } from '../table-columns.js';

/** rbacv1.RoleBinding{}.SwaggerDoc()["roleRef"] (1.32 text). */
const roleRefDoc =
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error. This field is immutable.';

/** The default convertor: Name and Created At (the creationTimestamp, RFC 3339). */
export const roleTable: TableConvertor = {
  columns: [nameColumn(), column('Created At', 'date', objectMetaCreationTimestampDoc)],
  cells: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? null],
};

/** rbac SubjectsStrings: users, groups, ServiceAccounts (`namespace/name`). */
export function subjectsStrings(subjects: unknown): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of asArray(subjects)) {
    const o = asObject(s);
    if (o.kind === 'ServiceAccount') serviceAccounts.push(`${str(o.namespace)}/${str(o.name)}`);
    else if (o.kind === 'User') users.push(str(o.name));
    else if (o.kind === 'Group') groups.push(str(o.name));
  }
  return { users, groups, serviceAccounts };
}

export const bindingTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Role', 'string', roleRefDoc),
    ageColumn(),
    column('Users', 'string', 'Users in the roleBinding', { priority: 1 }),
    column('Groups', 'string', 'Groups in the roleBinding', { priority: 1 }),
    column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', { priority: 1 }),
  ],
  cells: (obj, now) => {
    const ref = asObject(obj.roleRef);
    const s = subjectsStrings(obj.subjects);
    return [
      obj.metadata.name ?? '',
      `${str(ref.kind)}/${str(ref.name)}`,
      ageCell(obj, now),
      s.users.join(', '),
      s.groups.join(', '),
      s.serviceAccounts.join(', '),
    ];
  },
};
