import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import {
  validateNamespace,
  validateNamespaceFinalizeUpdate,
  validateNamespaceStatusUpdate,
  validateNamespaceUpdate,
} from './validation.js';

const ns = (finalizers?: unknown[], extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'my-ns' },
  ...(finalizers ? { spec: { finalizers } } : {}),
  ...extra,
});
const qnameRegex =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const notStandard = 'name is neither a standard finalizer name nor is it fully qualified';

describe('validateNamespace', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['no spec', ns(), []],
    ['kubernetes finalizer', ns(['kubernetes']), []],
    ['qualified finalizer', ns(['example.com/cleanup']), []],
    ['non-standard finalizer', ns(['cleanup']), [`spec.finalizers: Invalid value: "cleanup": ${notStandard}`]],
    [
      'malformed finalizer',
      ns(['-bad']),
      [`spec.finalizers: Invalid value: "-bad": name part ${qnameRegex}`, `spec.finalizers: Invalid value: "-bad": ${notStandard}`],
    ],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(validateNamespace(obj).map(fieldErrorMessage), want));
  it('update has no kind-specific rules', () => assert.deepEqual(validateNamespaceUpdate(ns(['cleanup']), ns()), []));
});

describe('validateNamespaceStatusUpdate', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['Active', ns(undefined, { status: { phase: 'Active' } }), []],
    [
      'Terminating without deletionTimestamp',
      ns(undefined, { status: { phase: 'Terminating' } }),
      ["status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty"],
    ],
    [
      'Active while deleting',
      { metadata: { name: 'my-ns', deletionTimestamp: '2026-11-22T07:34:30Z' }, status: { phase: 'Active' } },
      ["status.Phase: Invalid value: \"Active\": may only be 'Terminating' if `deletionTimestamp` is not empty"],
    ],
    ['Terminating while deleting', { metadata: { name: 'my-ns', deletionTimestamp: '2026-11-22T07:34:30Z' }, status: { phase: 'Terminating' } }, []],
  ];
  for (const [title, obj, want] of cases) {
    it(title, () => assert.deepEqual(validateNamespaceStatusUpdate(obj, ns()).map(fieldErrorMessage), want));
  }
});

describe('validateNamespaceFinalizeUpdate', () => {
  it('indexes errors', () =>
    assert.deepEqual(validateNamespaceFinalizeUpdate(ns(['kubernetes', 'cleanup']), ns()).map(fieldErrorMessage), [
      `spec.finalizers[1]: Invalid value: "cleanup": ${notStandard}`,
    ]));
  it('accepts an emptied list', () => assert.deepEqual(validateNamespaceFinalizeUpdate(ns([]), ns(['kubernetes'])), []));
});
