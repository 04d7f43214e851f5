import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateSecret, validateSecretUpdate } from './validation.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const secret = (extra: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: 's', namespace: 'default', ...(annotations ? { annotations } : {}) },
  type: 'Opaque',
  ...extra,
});
const configKeyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('validateSecret', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['empty Opaque', secret({}), []],
    ['valid keys', secret({ data: { 'ca.crt': b64('x'), token: b64('t'), namespace: b64('default') } }), []],
    ['bad key', secret({ data: { 'a/b': b64('x') } }), [`data[a/b]: Invalid value: "a/b": ${configKeyMsg}`]],
    ['dot-dot key', secret({ data: { '..x': b64('x') } }), [`data[..x]: Invalid value: "..x": must not start with '..'`]],
    [
      'invalid base64',
      secret({ data: { k: 'abc$' } }),
      ['data[k]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3'],
    ],
    [
      'base64 missing padding',
      secret({ data: { k: 'YWJjZA' } }),
      ['data[k]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 4'],
    ],
    ['base64 with newlines is fine', secret({ data: { k: 'YWJj\nZA==' } }), []],
    ['exactly 1 MiB', secret({ data: { k: Buffer.alloc(1048576).toString('base64') } }), []],
    [
      'over 1 MiB in total',
      secret({ data: { a: Buffer.alloc(524288).toString('base64'), b: Buffer.alloc(524289).toString('base64') } }),
      ['data: Too long: may not be more than 1048576 bytes'],
    ],
    [
      'service-account-token without the annotation',
      secret({ type: 'kubernetes.io/service-account-token' }),
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
    [
      'service-account-token with an empty annotation',
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': '' }),
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
    [
      'service-account-token with the annotation',
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'build-robot' }),
      [],
    ],
    ['dockerconfigjson missing', secret({ type: 'kubernetes.io/dockerconfigjson' }), ['data[.dockerconfigjson]: Required value']],
    ['dockerconfigjson valid', secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{"auths":{}}') } }), []],
    [
      'dockerconfigjson not JSON',
      secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('nope') } }),
      [`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'o' in literal null (expecting 'u')`],
    ],
    [
      'dockerconfigjson not an object',
      secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('[1]') } }),
      ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ],
    [
      'dockerconfigjson empty',
      secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '' } }),
      ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input'],
    ],
    ['dockercfg missing', secret({ type: 'kubernetes.io/dockercfg' }), ['data[.dockercfg]: Required value']],
    ['dockercfg valid', secret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{}') } }), []],
    [
      'basic-auth without username and password',
      secret({ type: 'kubernetes.io/basic-auth' }),
      ['data[username]: Required value', 'data[password]: Required value'],
    ],
    ['basic-auth with only a password', secret({ type: 'kubernetes.io/basic-auth', data: { password: '' } }), []],
    ['ssh-auth without a key', secret({ type: 'kubernetes.io/ssh-auth', data: { 'ssh-privatekey': '' } }), ['data[ssh-privatekey]: Required value']],
    [
      'tls without cert and key',
      secret({ type: 'kubernetes.io/tls' }),
      ['data[tls.crt]: Required value', 'data[tls.key]: Required value'],
    ],
    ['tls complete', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }), []],
    ['unknown types are accepted', secret({ type: 'example.com/custom' }), []],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(validateSecret(obj).map(fieldErrorMessage), want));
});

describe('validateSecretUpdate', () => {
  const old = secret({ data: { k: b64('v') } });
  const frozen = secret({ data: { k: b64('v') }, immutable: true });
  const cases: Array<[string, KubeObject, KubeObject, string[]]> = [
    ['data may change', secret({ data: { k: b64('w') } }), old, []],
    [
      'type is immutable',
      secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }),
      old,
      ['type: Invalid value: "kubernetes.io/tls": field is immutable'],
    ],
    ['immutable may be set', secret({ data: { k: b64('v') }, immutable: true }), old, []],
    ['frozen, unchanged', secret({ data: { k: b64('v') }, immutable: true }), frozen, []],
    ['frozen, same bytes differently wrapped', secret({ data: { k: 'd\ng==' }, immutable: true }), frozen, []],
    [
      'frozen data',
      secret({ data: { k: b64('w') }, immutable: true }),
      frozen,
      ['data: Forbidden: field is immutable when `immutable` is set'],
    ],
    [
      'immutable cannot be unset',
      secret({ data: { k: b64('v') }, immutable: false }),
      frozen,
      ['immutable: Forbidden: field is immutable when `immutable` is set'],
    ],
    [
      'service-account-token: the token controller fills data and the uid annotation',
      secret(
        { type: 'kubernetes.io/service-account-token', data: { token: b64('t'), 'ca.crt': b64('c'), namespace: b64('default') } },
        { 'kubernetes.io/service-account.name': 'build-robot', 'kubernetes.io/service-account.uid': 'u' },
      ),
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'build-robot' }),
      [],
    ],
    [
      'service-account-token: the annotation may not be removed',
      secret({ type: 'kubernetes.io/service-account-token' }),
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'build-robot' }),
      ['metadata.annotations[kubernetes.io/service-account.name]: Required value'],
    ],
    [
      'service-account-token: the type may not change (e.g. a replace without `type`, defaulted to Opaque)',
      secret({}, { 'kubernetes.io/service-account.name': 'build-robot' }),
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'build-robot' }),
      ['type: Invalid value: "Opaque": field is immutable'],
    ],
    [
      'a secret may not become a service-account-token',
      secret({ type: 'kubernetes.io/service-account-token' }, { 'kubernetes.io/service-account.name': 'build-robot' }),
      old,
      ['type: Invalid value: "kubernetes.io/service-account-token": field is immutable'],
    ],
    [
      'create rules apply to the new object',
      secret({ data: { 'a/b': b64('v') } }),
      old,
      [`data[a/b]: Invalid value: "a/b": ${configKeyMsg}`],
    ],
  ];
  for (const [title, next, prev, want] of cases) {
    it(title, () => assert.deepEqual(validateSecretUpdate(next, prev).map(fieldErrorMessage), want));
  }
});
