import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateNode, validateNodeStatusUpdate, validateNodeUpdate } from './validation.js';

const node = (spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'node-1' },
  spec,
  ...(status ? { status } : {}),
});

describe('validateNode', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['empty', node(), []],
    ['taints and CIDRs', node({ podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24', 'fd00::/64'], taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }), []],
    [
      'taint effect',
      node({ taints: [{ key: 'k', value: 'v', effect: 'Sometimes' }, { key: 'k2' }] }),
      [
        'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
        'metadata.taints[1].effect: Required value',
      ],
    ],
    [
      'duplicate taint',
      node({ taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule', value: 'x' }] }),
      ['metadata.taints[1]: Duplicate value: {"key":"k","effect":"NoSchedule","value":"x"}: taints must be unique by key and effect pair'],
    ],
    [
      'taint key',
      node({ taints: [{ key: '', effect: 'NoSchedule' }] }),
      [
        'metadata.taints[0].key: Invalid value: "": name part must be non-empty',
        "metadata.taints[0].key: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    ['bad podCIDR', node({ podCIDR: '10.0.0.0' }), ['spec.podCIDRs[0]: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    [
      'two IPv4 CIDRs',
      node({ podCIDRs: ['10.0.0.0/24', '10.0.1.0/24'] }),
      ['spec.podCIDRs: Invalid value: ["10.0.0.0/24","10.0.1.0/24"]: may specify no more than one CIDR for each IP family'],
    ],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(validateNode(obj).map(fieldErrorMessage), want));
});

describe('validateNodeUpdate / validateNodeStatusUpdate', () => {
  const old = node({ podCIDR: '10.244.0.0/24', providerID: 'p1' });
  const cases: Array<[string, KubeObject, KubeObject, string[]]> = [
    ['unschedulable may change', node({ podCIDR: '10.244.0.0/24', providerID: 'p1', unschedulable: true }), old, []],
    ['podCIDR may be assigned once', node({ podCIDR: '10.244.1.0/24' }), node(), []],
    [
      'podCIDR may not change',
      node({ podCIDR: '10.244.1.0/24', providerID: 'p1' }),
      old,
      ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'],
    ],
    [
      'providerID may not change',
      node({ podCIDR: '10.244.0.0/24', providerID: 'p2' }),
      old,
      ['spec.providerID: Forbidden: node updates may not change providerID except from "" to valid'],
    ],
    ['externalID may not change', node({ externalID: 'x' }), node(), ['spec.externalID: Forbidden: may not be updated']],
    [
      'duplicate addresses',
      node({}, { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'InternalIP', address: '10.0.0.1' }] }),
      node(),
      ['status.addresses[1]: Duplicate value: {"type":"InternalIP","address":"10.0.0.1"}'],
    ],
  ];
  for (const [title, next, prev, want] of cases) {
    it(title, () => assert.deepEqual(validateNodeUpdate(next, prev).map(fieldErrorMessage), want));
    it(`status: ${title}`, () => assert.deepEqual(validateNodeStatusUpdate(next, prev).map(fieldErrorMessage), want));
  }
});
