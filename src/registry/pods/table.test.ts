import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { podTable } from './table.js';

type Json = Record<string, unknown>;
const now = Date.parse('2026-11-22T07:34:30Z');
const created = '2026-11-22T07:31:00Z';

const pod = (spec: Json, status: Json, meta: Json = {}): KubeObject => ({
  metadata: { name: 'my-pod', namespace: 'my-ns', creationTimestamp: created, ...meta },
  spec: { containers: [{ name: 'my-pod', image: 'nginx' }], ...spec },
  status,
});
const running = { running: { startedAt: created } };
const cs = (extra: Json): Json => ({ name: 'my-pod', ready: true, restartCount: 0, state: running, ...extra });

describe('podTable columns', () => {
  it('match upstream', () =>
    assert.deepEqual(
      podTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Ready', 'string', '', 0],
        ['Status', 'string', '', 0],
        ['Restarts', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['IP', 'string', '', 1],
        ['Node', 'string', '', 1],
        ['Nominated Node', 'string', '', 1],
        ['Readiness Gates', 'string', '', 1],
      ],
    ));
  it('describe like upstream', () => {
    assert.equal(podTable.columns[1].description, 'The aggregate readiness state of this pod for accepting traffic.');
    assert.equal(podTable.columns[5].description, 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.');
  });
});

describe('podTable cells', () => {
  const cases: Array<[string, KubeObject, unknown[]]> = [
    ['just created', pod({}, { phase: 'Pending' }), ['my-pod', '0/1', 'Pending', '0', '3m30s', '<none>', '<none>', '<none>', '<none>']],
    [
      'running and ready (the walkthrough)',
      pod(
        { nodeName: 'node-1' },
        { phase: 'Running', podIP: '10.244.0.5', podIPs: [{ ip: '10.244.0.5' }], conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [cs({})] },
      ),
      ['my-pod', '1/1', 'Running', '0', '3m30s', '10.244.0.5', 'node-1', '<none>', '<none>'],
    ],
    [
      'image pull backoff',
      pod({}, { phase: 'Pending', containerStatuses: [cs({ ready: false, state: { waiting: { reason: 'ImagePullBackOff' } } })] }),
      ['my-pod', '0/1', 'ImagePullBackOff', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'crash loop with restarts (5m ago form)',
      pod(
        {},
        {
          phase: 'Running',
          containerStatuses: [
            cs({
              ready: false,
              restartCount: 5,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-22T07:29:30Z' } },
            }),
          ],
        },
      ),
      ['my-pod', '0/1', 'CrashLoopBackOff', '5 (5m ago)', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'completed',
      pod({}, { phase: 'Succeeded', containerStatuses: [cs({ ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }),
      ['my-pod', '0/1', 'Completed', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminated without reason, by signal',
      pod({}, { phase: 'Failed', containerStatuses: [cs({ ready: false, state: { terminated: { exitCode: 137, signal: 9 } } })] }),
      ['my-pod', '0/1', 'Signal:9', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'one container completed while another still runs',
      pod(
        { containers: [{ name: 'a' }, { name: 'b' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: 'False' }],
          containerStatuses: [
            cs({ name: 'a', ready: true }),
            cs({ name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } }),
          ],
        },
      ),
      ['my-pod', '1/2', 'NotReady', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container waiting',
      pod(
        { initContainers: [{ name: 'init' }] },
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] },
      ),
      ['my-pod', '0/1', 'Init:0/1', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'init container failed',
      pod(
        { initContainers: [{ name: 'init' }] },
        { phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { terminated: { exitCode: 3 } } }] },
      ),
      ['my-pod', '0/1', 'Init:ExitCode:3', '2', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'sidecar counts toward ready',
      pod(
        { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [{ type: 'Initialized', status: 'True' }],
          initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 0, state: running }],
          containerStatuses: [cs({})],
        },
      ),
      ['my-pod', '2/2', 'Running', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'scheduling gated',
      pod({ schedulingGates: [{ name: 'x' }] }, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }),
      ['my-pod', '0/1', 'SchedulingGated', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'terminating',
      pod({}, { phase: 'Running', containerStatuses: [cs({})] }, { deletionTimestamp: '2026-11-22T07:34:00Z' }),
      ['my-pod', '1/1', 'Terminating', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'deleted but finished is not Terminating',
      pod({}, { phase: 'Succeeded' }, { deletionTimestamp: '2026-11-22T07:34:00Z' }),
      ['my-pod', '0/1', 'Succeeded', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'node lost',
      pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: '2026-11-22T07:34:00Z' }),
      ['my-pod', '0/1', 'Unknown', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'status reason (Evicted)',
      pod({}, { phase: 'Failed', reason: 'Evicted' }),
      ['my-pod', '0/1', 'Evicted', '0', '3m30s', '<none>', '<none>', '<none>', '<none>'],
    ],
    [
      'wide cells: nominated node and readiness gates',
      pod(
        { readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] },
        { phase: 'Pending', nominatedNodeName: 'node-2', conditions: [{ type: 'example.com/a', status: 'True' }] },
      ),
      ['my-pod', '0/1', 'Pending', '0', '3m30s', '<none>', '<none>', 'node-2', '1/2'],
    ],
    [
      'no creationTimestamp',
      { metadata: { name: 'p' }, spec: { containers: [] }, status: {} },
      ['p', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>'],
    ],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(podTable.cells(obj, now), want));
});
