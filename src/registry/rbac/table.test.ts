import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bindingTable, roleTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('RBAC tables', () => {
  it('roles: default convertor columns', () => {
    assert.deepEqual(roleTable.columns.map((c) => [c.name, c.type, c.format, c.priority]), [['Name', 'string', 'name', 0], ['Created At', 'date', '', 0]]);
    assert.deepEqual(roleTable.cells({ metadata: { name: 'r', creationTimestamp: '2026-11-22T07:34:26Z' } }, now), ['r', '2026-11-22T07:34:26Z']);
  });
  it('bindings: Role and wide subject columns', () => {
    assert.deepEqual(bindingTable.columns.map((c) => [c.name, c.priority]), [['Name', 0], ['Role', 0], ['Age', 0], ['Users', 1], ['Groups', 1], ['ServiceAccounts', 1]]);
    const b = {
      metadata: { name: 'read-pods', creationTimestamp: '2026-11-22T07:34:26Z' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'build-robot', namespace: 'dev' }, { kind: 'User', name: 'a' }, { kind: 'User', name: 'b' }, { kind: 'Group', name: 'g' }],
    };
    assert.deepEqual(bindingTable.cells(b, now), ['read-pods', 'Role/pod-reader', '4s', 'a, b', 'g', 'dev/build-robot']);
  });
});
