import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { validateServiceAccount, validateServiceAccountUpdate } from './validation.js';

const sa = (extra: Record<string, unknown>): KubeObject => ({ metadata: { name: 'build-robot', namespace: 'default' }, ...extra });

describe('ServiceAccount validation (nothing beyond ObjectMeta, as upstream)', () => {
  const cases: Array<[string, KubeObject]> = [
    ['plain', sa({})],
    ['secrets and imagePullSecrets', sa({ secrets: [{ name: 'tok' }], imagePullSecrets: [{ name: 'myregistrykey' }] })],
    ['odd secret names are not checked upstream', sa({ secrets: [{ name: 'Bad_Name' }], imagePullSecrets: [{ name: '' }] })],
    ['automountServiceAccountToken', sa({ automountServiceAccountToken: false })],
  ];
  for (const [title, obj] of cases) {
    it(`create: ${title}`, () => assert.deepEqual(validateServiceAccount(obj), []));
    it(`update: ${title}`, () => assert.deepEqual(validateServiceAccountUpdate(obj, sa({})), []));
  }
});
