import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { patchTypeFor, type PatchType } from './index.js';

describe('patchTypeFor', () => {
  const cases: Array<[string, PatchType | undefined]> = [
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    // Contains "merge-patch+json": a substring test would route it to the JSON merge patch.
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['application/strategic-merge-patch+json;charset=UTF-8', 'strategic'],
    ['  Application/JSON-Patch+JSON ; q=1', 'json'],
    ['application/apply-patch+cbor', undefined],
    ['application/json', undefined],
    ['application/yaml', undefined],
    ['application/vnd.kubernetes.protobuf', undefined],
    ['application/x-merge-patch+json', undefined],
    ['merge-patch+json', undefined],
    ['', undefined],
    ['__proto__', undefined],
    ['constructor', undefined],
  ];
  for (const [contentType, want] of cases) {
    it(`${JSON.stringify(contentType)} -> ${String(want)}`, () => assert.equal(patchTypeFor(contentType), want));
  }
});
