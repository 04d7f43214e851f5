import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from './decode.js';

// Bodies captured from kubectl v1.32.4 (shared/reference/kubectl.md section 5.3).
const vectors: Array<[string, string, unknown]> = [
  [
    'create serviceaccount s1',
    '6b3873000a140a027631120e536572766963654163636f756e7412140a120a02733112001a0022002a003200380042001a002200',
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 's1' } },
  ],
  [
    'create token --duration=10m --audience=foo',
    '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412220a100a0012001a0022002a0032003800420012080a03666f6f20d8041a040a0012001a002200',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['foo'], expirationSeconds: 600 }, status: {} },
  ],
  [
    'auth whoami',
    '6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200',
    { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  ],
  [
    'auth can-i get pods',
    '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661756c7412036765741a0022002a04706f647332003a001a08080012001a0020001a002200',
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods' } } },
  ],
  [
    'auth can-i --list',
    '6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c657352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04180022001a002200',
    { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } },
  ],
];

describe('decodeKubernetesProtobuf', () => {
  for (const [name, hex, want] of vectors) {
    it(name, () => assert.deepEqual(decodeKubernetesProtobuf(Buffer.from(hex, 'hex')).object, want));
  }
  const bad: Array<[string, Buffer]> = [
    ['no magic', Buffer.from('{"kind":"ServiceAccount"}')],
    ['truncated', Buffer.from('6b3873000a140a0276', 'hex')],
    ['garbage after magic', Buffer.from('6b387300ffffffffffff', 'hex')],
    ['unknown kind', Buffer.from('6b3873000a0c0a02763112064e6f7065', 'hex')],
    ['5 MB of random bytes', Buffer.concat([Buffer.from('6b387300', 'hex'), Buffer.alloc(5 * 1024 * 1024, 0xff)])],
  ];
  for (const [name, body] of bad) {
    it(`rejects ${name}`, () => assert.throws(() => decodeKubernetesProtobuf(body), ProtobufDecodeError));
  }
});
