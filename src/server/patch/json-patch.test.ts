import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch, rejectedMessage } from './index.js';
import { assertPatchError, deepFreeze } from './testing/helpers.js';

const sa = () =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'app', namespace: 'default', resourceVersion: '112', labels: { tier: 'api' } },
    secrets: [{ name: 's-one' }, { name: 's-two' }],
  });
type SA = ReturnType<typeof sa>;

describe('applyJsonPatch: operations', () => {
  const cases: Array<[string, unknown[], (o: SA) => unknown]> = [
    ['add a member', [{ op: 'add', path: '/metadata/labels/x', value: 'y' }], (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'api', x: 'y' } } })],
    ['add replaces an existing member', [{ op: 'add', path: '/metadata/labels/tier', value: 'web' }], (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'web' } } })],
    ['add appends with -', [{ op: 'add', path: '/secrets/-', value: { name: 's-three' } }], (o) => ({ ...o, secrets: [...o.secrets, { name: 's-three' }] })],
    ['add inserts at an index', [{ op: 'add', path: '/secrets/0', value: { name: 's-zero' } }], (o) => ({ ...o, secrets: [{ name: 's-zero' }, ...o.secrets] })],
    ['add at index == length appends', [{ op: 'add', path: '/secrets/2', value: { name: 'x' } }], (o) => ({ ...o, secrets: [...o.secrets, { name: 'x' }] })],
    ['add without value writes null (evanphx v4)', [{ op: 'add', path: '/automountServiceAccountToken' }], (o) => ({ ...o, automountServiceAccountToken: null })],
    ['remove a member', [{ op: 'remove', path: '/metadata/labels/tier' }], (o) => ({ ...o, metadata: { ...o.metadata, labels: {} } })],
    ['remove an element', [{ op: 'remove', path: '/secrets/0' }], (o) => ({ ...o, secrets: [{ name: 's-two' }] })],
    ['replace a member', [{ op: 'replace', path: '/metadata/name', value: 'b' }], (o) => ({ ...o, metadata: { ...o.metadata, name: 'b' } })],
    ['replace an element', [{ op: 'replace', path: '/secrets/1', value: { name: 'x' } }], (o) => ({ ...o, secrets: [{ name: 's-one' }, { name: 'x' }] })],
    ['move a member', [{ op: 'move', from: '/metadata/labels', path: '/metadata/annotations' }], (o) => ({ ...o, metadata: { name: 'app', namespace: 'default', resourceVersion: '112', annotations: { tier: 'api' } } })],
    ['move to itself is a no-op', [{ op: 'move', from: '/secrets', path: '/secrets' }], (o) => o],
    ['copy a subtree (by value)', [{ op: 'copy', from: '/secrets/0', path: '/secrets/-' }, { op: 'replace', path: '/secrets/2/name', value: 'c' }], (o) => ({ ...o, secrets: [...o.secrets, { name: 'c' }] })],
    ['test then replace (optimistic concurrency)', [{ op: 'test', path: '/metadata/name', value: 'app' }, { op: 'replace', path: '/metadata/name', value: 'b' }], (o) => ({ ...o, metadata: { ...o.metadata, name: 'b' } })],
    ['test compares deeply', [{ op: 'test', path: '/secrets', value: [{ name: 's-one' }, { name: 's-two' }] }], (o) => o],
    ['test of a missing member against null passes (evanphx v4)', [{ op: 'test', path: '/metadata/uid', value: null }], (o) => o],
    ['test of a missing member without value passes (evanphx v4)', [{ op: 'test', path: '/metadata/uid' }], (o) => o],
    ['~1 and ~0 escapes', [{ op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'a' }, { op: 'add', path: '/metadata/labels/t~0x', value: 'b' }], (o) => ({ ...o, metadata: { ...o.metadata, labels: { tier: 'api', 'app.kubernetes.io/name': 'a', 't~x': 'b' } } })],
    ['an empty patch is a no-op', [], (o) => o],
  ];
  for (const [name, ops, want] of cases) {
    it(name, () => {
      const original = sa();
      assert.deepEqual(applyJsonPatch(original, deepFreeze(ops)), want(original));
    });
  }
  it('kubectl apply --server-side migration patch replaces managedFields and keeps the resourceVersion (§7.6)', () => {
    const live = deepFreeze({ ...sa(), metadata: { ...sa().metadata, managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }] } });
    const ops = [
      { op: 'replace', path: '/metadata/managedFields', value: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1' }] },
      { op: 'replace', path: '/metadata/resourceVersion', value: '112' },
    ];
    assert.deepEqual(applyJsonPatch(live, ops), {
      ...live,
      metadata: { ...live.metadata, managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1' }] },
    });
  });
  it('a null patch is an empty patch (Go decodes null into a nil Patch)', () => {
    assert.deepEqual(applyJsonPatch(sa(), null), sa());
  });
  it('the whole patch fails atomically and the original is untouched', () => {
    const original = sa();
    assertPatchError(() => applyJsonPatch(original, [{ op: 'remove', path: '/secrets' }, { op: 'test', path: '/metadata/name', value: 'x' }]), 422);
    assert.deepEqual(original.secrets, [{ name: 's-one' }, { name: 's-two' }]);
  });
});

describe('applyJsonPatch: errors', () => {
  const unapplicable: Array<[string, unknown[]]> = [
    ['failed test', [{ op: 'test', path: '/metadata/name', value: 'other' }]],
    ['test of a missing member against a value', [{ op: 'test', path: '/metadata/uid', value: 'u' }]],
    ['test under a missing parent', [{ op: 'test', path: '/spec/x', value: null }]],
    ['test of an out-of-range index', [{ op: 'test', path: '/secrets/5', value: null }]],
    ['remove a missing member', [{ op: 'remove', path: '/metadata/labels/missing' }]],
    ['remove under a missing parent', [{ op: 'remove', path: '/nope/x' }]],
    ['replace a missing member', [{ op: 'replace', path: '/metadata/managedFields', value: [] }]],
    ['add under a missing parent', [{ op: 'add', path: '/spec/containers/0', value: {} }]],
    ['add past the end of a list', [{ op: 'add', path: '/secrets/3', value: {} }]],
    ['non-numeric list index', [{ op: 'add', path: '/secrets/x', value: {} }]],
    ['move from a missing member', [{ op: 'move', from: '/nope', path: '/x' }]],
    ['copy without from', [{ op: 'copy', path: '/x' }]],
    ['move into its own child', [{ op: 'move', from: '/metadata', path: '/metadata/labels/m' }]],
    ['missing path', [{ op: 'add', value: 1 }]],
    ['null path', [{ op: 'remove', path: null }]],
    ['non-string path', [{ op: 'remove', path: 3 }]],
    ['root path (evanphx v4 cannot patch the root)', [{ op: 'replace', path: '', value: {} }]],
    ['path without leading slash', [{ op: 'add', path: 'metadata/x', value: 1 }]],
    ['unknown op', [{ op: 'frobnicate', path: '/a' }]],
    ['missing op', [{ path: '/a' }]],
    ['non-string op', [{ op: 1, path: '/a' }]],
    ['a null operation', [null]],
  ];
  for (const [name, ops] of unapplicable) {
    it(`${name} -> 422 Invalid with upstream's fixed message`, () => {
      const e = assertPatchError(() => applyJsonPatch(sa(), deepFreeze(ops)), 422, rejectedMessage);
      assert.ok(e.detail, 'the cause is kept for logs');
      assert.deepEqual(e.toStatusError().status, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: rejectedMessage,
        reason: 'Invalid',
        details: {},
        code: 422,
      });
    });
  }
  const undecodable: Array<[string, unknown, string]> = [
    ['an object', { op: 'add' }, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['a string', 'x', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['a number', 1, 'json: cannot unmarshal number into Go value of type jsonpatch.Patch'],
    ['a boolean', true, 'json: cannot unmarshal bool into Go value of type jsonpatch.Patch'],
    ['a string element', ['x'], 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    ['an array element', [[]], 'json: cannot unmarshal array into Go value of type jsonpatch.Operation'],
  ];
  for (const [name, ops, message] of undecodable) {
    it(`${name} -> 400 BadRequest`, () => {
      const e = assertPatchError(() => applyJsonPatch(sa(), ops), 400, message);
      assert.equal(e.toStatusError().status.reason, 'BadRequest');
    });
  }
  it('more than 10000 operations -> 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ServiceAccount' }));
    const e = assertPatchError(
      () => applyJsonPatch(sa(), ops),
      413,
      'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
    );
    assert.equal(e.reason, 'RequestEntityTooLarge');
    assert.deepEqual(applyJsonPatch(sa(), ops.slice(1)), sa());
  });
});
