import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { filterNode, fitErrorMessage, matchesNodeAffinity, toleratesTaint, type Taint, type Toleration } from './scheduler-predicates.js';

const node = (name: string, o: { labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; ready?: string; pods?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: o.labels },
  spec: { taints: o.taints, unschedulable: o.unschedulable },
  status: {
    conditions: o.ready === 'missing' ? [] : [{ type: 'Ready', status: o.ready ?? 'True' }],
    allocatable: o.pods ? { pods: o.pods } : undefined,
  },
});
const pod = (spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });
const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, values });
const affinity = (...terms: object[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });

describe('scheduler predicates', () => {
  const tolerations: [string, Toleration, Taint, boolean][] = [
    ['Equal with the same value', { key: 'k', operator: 'Equal', value: 'v' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, true],
    ['empty operator means Equal', { key: 'k', value: 'v' }, { key: 'k', value: 'w', effect: 'NoSchedule' }, false],
    ['Equal against an empty taint value', { key: 'k', operator: 'Equal' }, { key: 'k', effect: 'NoSchedule' }, true],
    ['Exists ignores the value', { key: 'k', operator: 'Exists' }, { key: 'k', value: 'x', effect: 'NoExecute' }, true],
    ['empty key with Exists tolerates everything', { operator: 'Exists' }, { key: 'any', value: 'x', effect: 'NoSchedule' }, true],
    ['effect must match when given', { key: 'k', operator: 'Exists', effect: 'NoExecute' }, { key: 'k', effect: 'NoSchedule' }, false],
    ['other key', { key: 'j', operator: 'Exists' }, { key: 'k', effect: 'NoSchedule' }, false],
    ['unknown operator', { key: 'k', operator: 'Gt', value: '1' }, { key: 'k', value: '2', effect: 'NoSchedule' }, false],
  ];
  for (const [name, t, taint, want] of tolerations) it(`toleration: ${name}`, () => assert.equal(toleratesTaint(t, taint), want));

  const labels = { zone: 'a', size: '10', disk: 'ssd' };
  const affinities: [string, Record<string, unknown>, boolean][] = [
    ['no constraints', {}, true],
    ['nodeSelector match', { nodeSelector: { zone: 'a' } }, true],
    ['nodeSelector mismatch', { nodeSelector: { zone: 'a', disk: 'hdd' } }, false],
    ['In', affinity({ matchExpressions: [expr('zone', 'In', ['a', 'b'])] }), true],
    ['In on a missing label', affinity({ matchExpressions: [expr('gpu', 'In', ['x'])] }), false],
    ['NotIn on a missing label', affinity({ matchExpressions: [expr('gpu', 'NotIn', ['x'])] }), true],
    ['NotIn', affinity({ matchExpressions: [expr('zone', 'NotIn', ['a'])] }), false],
    ['Exists', affinity({ matchExpressions: [expr('disk', 'Exists')] }), true],
    ['DoesNotExist', affinity({ matchExpressions: [expr('disk', 'DoesNotExist')] }), false],
    ['Gt', affinity({ matchExpressions: [expr('size', 'Gt', ['9'])] }), true],
    ['Gt equal', affinity({ matchExpressions: [expr('size', 'Gt', ['10'])] }), false],
    ['Lt', affinity({ matchExpressions: [expr('size', 'Lt', ['11'])] }), true],
    ['Lt on a non-integer label', affinity({ matchExpressions: [expr('zone', 'Lt', ['11'])] }), false],
    ['expressions of a term are ANDed', affinity({ matchExpressions: [expr('zone', 'In', ['a']), expr('disk', 'In', ['hdd'])] }), false],
    ['terms are ORed', affinity({ matchExpressions: [expr('zone', 'In', ['b'])] }, { matchExpressions: [expr('disk', 'In', ['ssd'])] }), true],
    ['an empty term matches nothing', affinity({}), false],
    ['no terms match nothing', affinity(), false],
    ['matchFields metadata.name', affinity({ matchFields: [expr('metadata.name', 'In', ['n1'])] }), true],
    ['nodeSelector and affinity both apply', { nodeSelector: { zone: 'b' }, ...affinity({ matchExpressions: [expr('zone', 'Exists')] }) }, false],
  ];
  for (const [name, spec, want] of affinities) it(`affinity: ${name}`, () => assert.equal(matchesNodeAffinity(pod(spec), node('n1', { labels })), want));

  const filters: [string, KubeObject, KubeObject, number, string[] | undefined][] = [
    ['a Ready node fits', pod(), node('n'), 0, undefined],
    ['unschedulable', pod(), node('n', { unschedulable: true }), 0, ['node(s) were unschedulable']],
    ['unschedulable tolerated', pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), node('n', { unschedulable: true }), 0, undefined],
    ['NoSchedule taint', pod(), node('n', { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }), 0, ['node(s) had untolerated taint {k: v}']],
    ['PreferNoSchedule is ignored', pod(), node('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] }), 0, undefined],
    ['NoExecute tolerated', pod({ tolerations: [{ key: 'k', operator: 'Exists' }] }), node('n', { taints: [{ key: 'k', effect: 'NoExecute' }] }), 0, undefined],
    ['Ready False counts as not-ready', pod(), node('n', { ready: 'False' }), 0, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
    ['no Ready condition counts as not-ready', pod(), node('n', { ready: 'missing' }), 0, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']],
    ['Ready Unknown counts as unreachable', pod(), node('n', { ready: 'Unknown' }), 0, ['node(s) had untolerated taint {node.kubernetes.io/unreachable: }']],
    ['a not-ready toleration admits a NotReady node', pod({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] }), node('n', { ready: 'False' }), 0, undefined],
    ['taints before affinity', pod({ nodeSelector: { x: 'y' } }), node('n', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), 0, ['node(s) had untolerated taint {k: }']],
    ['affinity', pod({ nodeSelector: { x: 'y' } }), node('n'), 0, ["node(s) didn't match Pod's node affinity/selector"]],
    ['pod capacity', pod(), node('n', { pods: '2' }), 2, ['Too many pods']],
    ['room left', pod(), node('n', { pods: '2' }), 1, undefined],
  ];
  for (const [name, p, n, count, want] of filters) it(`filter: ${name}`, () => assert.deepEqual(filterNode(p, n, count)?.reasons, want));

  const messages: [string, KubeObject, { reasons: string[]; resolvable: boolean }[], string][] = [
    [
      'one taint',
      pod(),
      [{ reasons: ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }'], resolvable: false }],
      '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    ],
    [
      'a sorted histogram',
      pod(),
      [
        { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false },
        { reasons: ['node(s) had untolerated taint {k: v}'], resolvable: false },
        { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false },
        { reasons: ['Too many pods'], resolvable: true },
      ],
      "0/4 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {k: v}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.",
    ],
    [
      'preemptionPolicy Never',
      pod({ preemptionPolicy: 'Never' }),
      [{ reasons: ['node(s) were unschedulable'], resolvable: false }],
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: not eligible due to preemptionPolicy=Never.',
    ],
  ];
  for (const [name, p, failures, want] of messages) it(`message: ${name}`, () => assert.equal(fitErrorMessage(p, failures), want));
});
