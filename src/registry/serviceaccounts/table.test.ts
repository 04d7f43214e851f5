import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { serviceAccountTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('serviceAccountTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(
      serviceAccountTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Secrets', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.match(serviceAccountTable.columns[0].description, /^Name must be unique within a namespace\./);
    assert.match(serviceAccountTable.columns[1].description, /^Secrets is a list of the secrets in the same namespace/);
    assert.match(serviceAccountTable.columns[2].description, /^CreationTimestamp is a timestamp/);
  });
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['no secrets', { metadata: { name: 'default', creationTimestamp: '2026-11-22T07:34:26Z' } }, ['default', 0, '4s']],
    [
      'one secret',
      { metadata: { name: 'build-robot', creationTimestamp: '2026-11-21T07:34:30Z' }, secrets: [{ name: 'x' }] },
      ['build-robot', 1, '24h'],
    ],
    ['no creationTimestamp', { metadata: { name: 'x' } }, ['x', 0, '<unknown>']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(serviceAccountTable.cells(obj, now), want));
});
