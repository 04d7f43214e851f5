import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { namespaceTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('namespaceTable', () => {
  it('has upstream columns', () =>
    assert.deepEqual(
      namespaceTable.columns.map((c) => [c.name, c.type, c.format, c.priority, c.description.slice(0, 27)]),
      [
        ['Name', 'string', 'name', 0, 'Name must be unique within '],
        ['Status', 'string', '', 0, 'The status of the namespace'],
        ['Age', 'string', '', 0, 'CreationTimestamp is a time'],
      ],
    ));
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['active', { metadata: { name: 'default', creationTimestamp: '2026-11-20T07:34:30Z' }, status: { phase: 'Active' } }, ['default', 'Active', '2d']],
    ['terminating', { metadata: { name: 'my-ns', creationTimestamp: '2026-11-22T07:34:00Z' }, status: { phase: 'Terminating' } }, ['my-ns', 'Terminating', '30s']],
    ['no status', { metadata: { name: 'x' } }, ['x', '', '<unknown>']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(namespaceTable.cells(obj, now), want));
});
