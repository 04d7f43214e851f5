import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { eventTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');

describe('eventTable', () => {
  it('has upstream columns in upstream order', () =>
    assert.deepEqual(
      eventTable.columns.map((c) => [c.name, c.format, c.priority]),
      [
        ['Last Seen', '', 0],
        ['Type', '', 0],
        ['Reason', '', 0],
        ['Object', '', 0],
        ['Subobject', '', 1],
        ['Source', '', 1],
        ['Message', '', 0],
        ['First Seen', '', 1],
        ['Count', '', 1],
        ['Name', 'name', 1],
      ],
    ));
  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'old-style event',
      {
        metadata: { name: 'my-pod.17a' },
        involvedObject: { kind: 'Pod', name: 'my-pod', fieldPath: 'spec.containers{nginx}' },
        reason: 'Pulled',
        message: ' Successfully pulled image "nginx" \n',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2026-11-22T07:24:30Z',
        lastTimestamp: '2026-11-22T07:34:00Z',
        count: 3,
        type: 'Normal',
      },
      ['30s', 'Normal', 'Pulled', 'pod/my-pod', 'spec.containers{nginx}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 3, 'my-pod.17a'],
    ],
    [
      'new-style singleton',
      {
        metadata: { name: 'e2' },
        involvedObject: { kind: 'Node' },
        reason: 'Starting',
        eventTime: '2026-11-22T07:31:00.000000Z',
        reportingComponent: 'kubelet',
        reportingInstance: 'node-1',
        type: 'Normal',
      },
      ['3m30s', 'Normal', 'Starting', 'node', '', 'kubelet, node-1', '', '3m30s', 1, 'e2'],
    ],
    [
      'series',
      {
        metadata: { name: 'e3' },
        involvedObject: { kind: 'Pod', name: 'p' },
        eventTime: '2026-11-22T06:34:30.000000Z',
        series: { count: 7, lastObservedTime: '2026-11-22T07:34:25.000000Z' },
        reportingComponent: 'scheduler',
        type: 'Warning',
        reason: 'FailedScheduling',
      },
      ['5s', 'Warning', 'FailedScheduling', 'pod/p', '', 'scheduler', '', '60m', 7, 'e3'],
    ],
    ['no timestamps', { metadata: { name: 'e4' } }, ['<unknown>', '', '', '', '', '', '', '<unknown>', 1, 'e4']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(eventTable.cells(obj, now), want));
});
