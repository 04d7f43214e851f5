import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { configMapTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('configMapTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(
      configMapTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Data', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.match(configMapTable.columns[1].description, /^Data contains the configuration data\./);
  });
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['root CA', { metadata: { name: 'kube-root-ca.crt', creationTimestamp: '2026-11-22T06:34:30Z' }, data: { 'ca.crt': 'x' } }, ['kube-root-ca.crt', 1, '60m']],
    ['data and binaryData', { metadata: { name: 'c' }, data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }, ['c', 3, '<unknown>']],
    ['empty', { metadata: { name: 'e', creationTimestamp: '2026-11-22T07:34:30Z' } }, ['e', 0, '0s']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(configMapTable.cells(obj, now), want));
});
