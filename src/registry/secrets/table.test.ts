import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { secretTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('secretTable', () => {
  it('has upstream columns', () => {
    assert.deepEqual(
      secretTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Type', 'string', '', 0],
        ['Data', 'string', '', 0],
        ['Age', 'string', '', 0],
      ],
    );
    assert.match(secretTable.columns[1].description, /^Used to facilitate programmatic handling of secret data\./);
    assert.match(secretTable.columns[2].description, /^Data contains the secret data\./);
  });
  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'token secret',
      {
        metadata: { name: 'build-robot-secret', creationTimestamp: '2026-11-22T07:31:00Z' },
        type: 'kubernetes.io/service-account-token',
        data: { 'ca.crt': 'eA==', namespace: 'eA==', token: 'eA==' },
      },
      ['build-robot-secret', 'kubernetes.io/service-account-token', 3, '3m30s'],
    ],
    [
      'dockerconfigjson',
      { metadata: { name: 'myregistrykey', creationTimestamp: '2026-11-21T07:34:30Z' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } },
      ['myregistrykey', 'kubernetes.io/dockerconfigjson', 1, '24h'],
    ],
    ['empty', { metadata: { name: 'e' }, type: 'Opaque' }, ['e', 'Opaque', 0, '<unknown>']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(secretTable.cells(obj, now), want));
});
