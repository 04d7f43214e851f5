import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

const cm = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'kube-root-ca.crt', namespace: 'default' }, ...extra });
const configKeyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('validateConfigMap', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['empty', cm({}), []],
    ['ca.crt', cm({ data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } }), []],
    ['bad data key', cm({ data: { 'a b': 'x' } }), [`data[a b]: Invalid value: "a b": ${configKeyMsg}`]],
    ['bad binaryData key', cm({ binaryData: { '..': 'eA==' } }), [`binaryData[..]: Invalid value: "..": must not be '..'`]],
    [
      'key in both data and binaryData',
      cm({ data: { k: 'x' }, binaryData: { k: 'eA==' } }),
      ['data[k]: Invalid value: "k": duplicate of key present in binaryData'],
    ],
    ['invalid binaryData base64', cm({ binaryData: { b: '%%%%' } }), ['binaryData[b]: Invalid value: "%%%%": illegal base64 data at input byte 0']],
    ['exactly 1 MiB', cm({ data: { a: 'x'.repeat(1048575) }, binaryData: { b: 'eA==' } }), []],
    ['over 1 MiB', cm({ data: { a: 'x'.repeat(1048576) }, binaryData: { b: 'eA==' } }), [': Too long: may not be more than 1048576 bytes']],
    ['multi-byte characters count as bytes', cm({ data: { a: 'é'.repeat(524289) } }), [': Too long: may not be more than 1048576 bytes']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(validateConfigMap(obj).map(fieldErrorMessage), want));
});

describe('validateConfigMapUpdate', () => {
  const frozen = cm({ data: { a: '1' }, binaryData: { b: 'eA==' }, immutable: true });
  const cases: Array<[string, KubeObject, KubeObject, string[]]> = [
    ['mutable data may change', cm({ data: { a: '2' } }), cm({ data: { a: '1' } }), []],
    ['frozen and unchanged', cm({ data: { a: '1' }, binaryData: { b: 'eA==' }, immutable: true }), frozen, []],
    [
      'frozen data and binaryData',
      cm({ data: { a: '2' }, binaryData: {}, immutable: true }),
      frozen,
      ['data: Forbidden: field is immutable when `immutable` is set', 'binaryData: Forbidden: field is immutable when `immutable` is set'],
    ],
    [
      'immutable cannot be unset',
      cm({ data: { a: '1' }, binaryData: { b: 'eA==' } }),
      frozen,
      ['immutable: Forbidden: field is immutable when `immutable` is set'],
    ],
    ['create rules apply', cm({ data: { '/': 'x' } }), cm({}), [`data[/]: Invalid value: "/": ${configKeyMsg}`]],
  ];
  for (const [title, next, prev, want] of cases) {
    it(title, () => assert.deepEqual(validateConfigMapUpdate(next, prev).map(fieldErrorMessage), want));
  }
});
