import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { nodeRoles, nodeTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('nodeTable', () => {
  it('has upstream columns', () =>
    assert.deepEqual(
      nodeTable.columns.map((c) => [c.name, c.priority]),
      [
        ['Name', 0],
        ['Status', 0],
        ['Roles', 0],
        ['Age', 0],
        ['Version', 0],
        ['Internal-IP', 1],
        ['External-IP', 1],
        ['OS-Image', 1],
        ['Kernel-Version', 1],
        ['Container-Runtime', 1],
      ],
    ));
  const full: KubeObject = {
    metadata: { name: 'node-1', creationTimestamp: '2026-11-12T07:34:30Z', labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: {},
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'node-1' }],
      nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
    },
  };
  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'ready control plane',
      full,
      ['node-1', 'Ready', 'control-plane', '10d', 'v1.32.4', '10.0.0.1', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0'],
    ],
    [
      'not ready and cordoned',
      { metadata: { name: 'n2', labels: { 'kubernetes.io/role': 'worker' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }], addresses: [{ type: 'ExternalIP', address: '1.2.3.4' }] } },
      ['n2', 'NotReady,SchedulingDisabled', 'worker', '<unknown>', '', '<none>', '1.2.3.4', '<unknown>', '<unknown>', '<unknown>'],
    ],
    [
      'no conditions',
      { metadata: { name: 'n3', creationTimestamp: '2026-11-22T07:34:00Z' } },
      ['n3', 'Unknown', '<none>', '30s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
    ],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(nodeTable.cells(obj, now), want));
  it('roles are sorted and de-duplicated', () =>
    assert.deepEqual(nodeRoles({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/': '', 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': 'x' }), ['infra', 'worker']));
});
