import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateEvent, validateEventUpdate } from './validation.js';

const ev = (namespace: string, extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'e.1', namespace }, ...extra });
const pod = { kind: 'Pod', namespace: 'default', name: 'my-pod' };
const newStyle = { eventTime: '2026-11-22T07:34:30.000000Z', reportingComponent: 'kubelet', reportingInstance: 'node-1', action: 'Pulling', reason: 'Pulling' };
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe('validateEvent (core/v1 legacy rules)', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['old-style, same namespace', ev('default', { involvedObject: pod, reason: 'Scheduled' }), []],
    ['old-style, cluster-scoped object in default', ev('default', { involvedObject: { kind: 'Node', name: 'node-1' } }), []],
    [
      'old-style, cluster-scoped object elsewhere',
      ev('kube-system', { involvedObject: { kind: 'Node', name: 'node-1' } }),
      ['involvedObject.namespace: Invalid value: "": does not match event.namespace'],
    ],
    [
      'old-style, namespace mismatch',
      ev('other', { involvedObject: pod }),
      ['involvedObject.namespace: Invalid value: "default": does not match event.namespace'],
    ],
    ['new-style complete', ev('default', { involvedObject: pod, ...newStyle }), []],
    ['new-style cluster-scoped in kube-system', ev('kube-system', { involvedObject: { kind: 'Node', name: 'n' }, ...newStyle }), []],
    [
      'new-style missing reporting fields',
      ev('default', { involvedObject: pod, eventTime: newStyle.eventTime }),
      [
        'reportingController: Required value',
        'reportingController: Invalid value: "": name part must be non-empty',
        "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        'reportingInstance: Required value',
        'action: Required value',
        'reason: Required value',
      ],
    ],
    [
      'new-style message too long',
      ev('default', { involvedObject: pod, ...newStyle, message: 'm'.repeat(1025) }),
      ['message: Invalid value: "": can have at most 1024 characters'],
    ],
    ['bad namespace', ev('Bad_NS', { involvedObject: { kind: 'Pod', namespace: 'Bad_NS', name: 'p' } }), [`namespace: Invalid value: "Bad_NS": ${subdomainMsg}`]],
  ];
  for (const [title, obj, want] of cases) {
    it(title, () => assert.deepEqual(validateEvent(obj).map(fieldErrorMessage), want));
    it(`update: ${title}`, () => assert.deepEqual(validateEventUpdate(obj, ev('default', {})).map(fieldErrorMessage), want));
  }
});
