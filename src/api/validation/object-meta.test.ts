import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../field-errors.js';
import type { ObjectMeta } from '../meta.js';
import { validateObjectMeta, validateObjectMetaUpdate, type ObjectMetaOptions } from './object-meta.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const qnameRegex =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const namespaced: ObjectMetaOptions = { namespaced: true, nameValidation: 'subdomain' };
const clusterLabel: ObjectMetaOptions = { namespaced: false, nameValidation: 'label' };
const pathSegment: ObjectMetaOptions = { namespaced: false, nameValidation: 'path-segment' };

const messages = (meta: ObjectMeta, opts: ObjectMetaOptions) => validateObjectMeta(meta, opts).map(fieldErrorMessage);

describe('validateObjectMeta', () => {
  const cases: Array<[string, ObjectMeta, ObjectMetaOptions, string[]]> = [
    ['valid namespaced', { name: 'build-robot', namespace: 'default' }, namespaced, []],
    ['valid cluster-scoped', { name: 'my-ns' }, clusterLabel, []],
    ['missing name', { namespace: 'default' }, namespaced, ['metadata.name: Required value: name or generateName is required']],
    ['Bad_Name', { name: 'Bad_Name', namespace: 'default' }, namespaced, [`metadata.name: Invalid value: "Bad_Name": ${subdomainMsg}`]],
    [
      '254-char name',
      { name: 'a'.repeat(254), namespace: 'default' },
      namespaced,
      [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
    ],
    ['namespace name with a dot', { name: 'a.b' }, clusterLabel, ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ['namespace name upper case', { name: 'NS' }, clusterLabel, [`metadata.name: Invalid value: "NS": ${labelMsg}`]],
    [
      'generateName and generated name both bad',
      { generateName: 'Bad-', name: 'Bad-x7k2p', namespace: 'default' },
      namespaced,
      [`metadata.generateName: Invalid value: "Bad-": ${subdomainMsg}`, `metadata.name: Invalid value: "Bad-x7k2p": ${subdomainMsg}`],
    ],
    ['generateName with trailing dash is fine', { generateName: 'build-robot-', name: 'build-robot-abcde', namespace: 'default' }, namespaced, []],
    ['namespace required', { name: 'x' }, namespaced, ['metadata.namespace: Required value']],
    [
      '64-char namespace',
      { name: 'x', namespace: 'n'.repeat(64) },
      namespaced,
      [`metadata.namespace: Invalid value: "${'n'.repeat(64)}": must be no more than 63 characters`],
    ],
    ['namespace forbidden on cluster-scoped', { name: 'x', namespace: 'default' }, clusterLabel, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['negative generation', { name: 'x', generation: -1 }, clusterLabel, ['metadata.generation: Invalid value: -1: must be greater than or equal to 0']],
    [
      'label key and value',
      { name: 'x', namespace: 'd', labels: { 'a/b/c': 'ok', good: '-bad' } },
      namespaced,
      [
        `metadata.labels: Invalid value: "a/b/c": a qualified name ${qnameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
        `metadata.labels: Invalid value: "-bad": ${labelValueMsg}`,
      ],
    ],
    [
      'label value too long',
      { name: 'x', namespace: 'd', labels: { k: 'v'.repeat(64) } },
      namespaced,
      [`metadata.labels: Invalid value: "${'v'.repeat(64)}": must be no more than 63 characters`],
    ],
    ['annotation keys are case-insensitive', { name: 'x', namespace: 'd', annotations: { 'Example.COM/Key': 'v' } }, namespaced, []],
    [
      'annotation key with empty prefix',
      { name: 'x', namespace: 'd', annotations: { '/k': 'v' } },
      namespaced,
      ['metadata.annotations: Invalid value: "/k": prefix part must be non-empty'],
    ],
    [
      'annotations over 256 KiB',
      { name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(262144) } },
      namespaced,
      ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    ],
    ['annotations exactly 256 KiB', { name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(262141) } }, namespaced, []],
    [
      'owner reference missing fields',
      { name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] },
      namespaced,
      [
        'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    ],
    [
      'two controllers',
      {
        name: 'x',
        namespace: 'd',
        ownerReferences: [
          { apiVersion: 'v1', kind: 'Pod', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ],
      },
      namespaced,
      [
        `metadata.ownerReferences: Invalid value: ${JSON.stringify([
          { apiVersion: 'v1', kind: 'Pod', name: 'a', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '2', controller: true },
        ])}: Only one reference can have Controller set to true. Found "true" in references for Pod/a and ReplicaSet/b`,
      ],
    ],
    [
      'events cannot own',
      { name: 'x', namespace: 'd', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' }] },
      namespaced,
      [
        `metadata.ownerReferences: Invalid value: ${JSON.stringify({ apiVersion: 'v1', kind: 'Event', name: 'e', uid: '1' })}: /v1, Kind=Event is disallowed from being an owner`,
      ],
    ],
    ['standard and qualified finalizers', { name: 'x', finalizers: ['kubernetes', 'example.com/cleanup'] }, clusterLabel, []],
    [
      'finalizer neither standard nor qualified',
      { name: 'x', finalizers: ['cleanup'] },
      clusterLabel,
      ['metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified'],
    ],
    [
      'finalizer not a qualified name',
      { name: 'x', finalizers: ['a/b/c'] },
      clusterLabel,
      [
        `metadata.finalizers: Invalid value: "a/b/c": a qualified name ${qnameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
    [
      'orphan and foregroundDeletion',
      { name: 'x', finalizers: ['orphan', 'foregroundDeletion'] },
      clusterLabel,
      ['metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'managedFields operation',
      { name: 'x', managedFields: [{ manager: 'kubectl', operation: 'Patch' as 'Apply', fieldsType: 'FieldsV2' }] },
      clusterLabel,
      [
        'metadata.managedFields[0].operation: Invalid value: "Patch": must be `Apply` or `Update`',
        'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      ],
    ],
    ['path-segment names allow colons', { name: 'system:admin' }, pathSegment, []],
    ['path-segment names reject slashes', { name: 'a/b' }, pathSegment, [`metadata.name: Invalid value: "a/b": may not contain '/'`]],
  ];
  for (const [title, meta, opts, want] of cases) it(title, () => assert.deepEqual(messages(meta, opts), want));

  it('can skip the core finalizer-name rule', () =>
    assert.deepEqual(validateObjectMeta({ name: 'x', finalizers: ['cleanup'] }, { ...clusterLabel, kubeFinalizerNames: false }), []));
  it('uses the given field path', () =>
    assert.deepEqual(validateObjectMeta({}, clusterLabel, 'template.metadata').map(fieldErrorMessage), [
      'template.metadata.name: Required value: name or generateName is required',
    ]));
});

describe('validateObjectMetaUpdate', () => {
  const old: ObjectMeta = {
    name: 'app',
    namespace: 'default',
    uid: 'u1',
    generation: 2,
    creationTimestamp: '2026-11-22T07:34:30Z',
    finalizers: ['example.com/a'],
  };
  const cases: Array<[string, ObjectMeta, ObjectMeta, string[]]> = [
    ['unchanged', { ...old }, old, []],
    ['labels may change', { ...old, labels: { a: 'b' } }, old, []],
    ['name is immutable', { ...old, name: 'other' }, old, ['metadata.name: Invalid value: "other": field is immutable']],
    ['namespace is immutable', { ...old, namespace: 'kube-system' }, old, ['metadata.namespace: Invalid value: "kube-system": field is immutable']],
    ['uid is immutable', { ...old, uid: 'u2' }, old, ['metadata.uid: Invalid value: "u2": field is immutable']],
    [
      'creationTimestamp is immutable',
      { ...old, creationTimestamp: '2026-11-23T00:00:00Z' },
      old,
      ['metadata.creationTimestamp: Invalid value: "2026-11-23 00:00:00 +0000 UTC": field is immutable'],
    ],
    [
      'deletionTimestamp cannot be set by an update',
      { ...old, deletionTimestamp: '2026-11-23T00:00:00Z' },
      old,
      ['metadata.deletionTimestamp: Invalid value: "2026-11-23 00:00:00 +0000 UTC": field is immutable'],
    ],
    [
      'deletionGracePeriodSeconds cannot be set by an update',
      { ...old, deletionGracePeriodSeconds: 30 },
      old,
      ['metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable'],
    ],
    ['generation may not decrease', { ...old, generation: 1 }, old, ['metadata.generation: Invalid value: 1: must not be decremented']],
    ['generation may increase', { ...old, generation: 3 }, old, []],
    [
      'no new finalizers while deleting',
      { ...old, deletionTimestamp: 'x', finalizers: ['example.com/a', 'z/b', 'b/c'] },
      { ...old, deletionTimestamp: 'x' },
      ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b/c", "z/b"}'],
    ],
    ['finalizers may be removed while deleting', { ...old, deletionTimestamp: 'x', finalizers: [] }, { ...old, deletionTimestamp: 'x' }, []],
  ];
  for (const [title, next, prev, want] of cases) {
    it(title, () => assert.deepEqual(validateObjectMetaUpdate(next, prev).map(fieldErrorMessage), want));
  }
});
