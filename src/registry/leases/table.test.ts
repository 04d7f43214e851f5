import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { leaseTable } from './table.js';

const now = Date.parse('2026-12-03T08:30:00Z');

describe('leaseTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(leaseTable.columns.map((c) => [c.name, c.type, c.format, c.priority]), [
      ['Name', 'string', 'name', 0],
      ['Holder', 'string', '', 0],
      ['Age', 'string', '', 0],
    ]);
    assert.match(leaseTable.columns[1]!.description, /^holderIdentity contains the identity of the holder/);
  });
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['node lease', { metadata: { name: 'n1', creationTimestamp: '2026-12-03T08:29:00Z' }, spec: { holderIdentity: 'n1' } }, ['n1', 'n1', '60s']],
    ['no holder', { metadata: { name: 'x', creationTimestamp: '2026-12-03T07:30:00Z' }, spec: {} }, ['x', '', '60m']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(leaseTable.cells(obj, now), want));
});
