import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { ApiError } from '../client/errors.js';
import { createFakeClock } from '../client/testing/fake-clock.js';
import { generateName, isServiceAccountToken, retryOnConflict, serviceAccountNameKey, serviceAccountTokenType, serviceAccountUidKey } from './tokens-shared.js';

describe('tokens-shared', () => {
  it('generateName: base cut to 58 characters plus 5 of the generator alphabet', () => {
    const table: [string, number][] = [['robot-token-', 17], [`${'a'.repeat(70)}-token-`, 63]];
    for (const [base, length] of table) {
      const name = generateName(base);
      assert.equal(name.length, length);
      assert.ok(name.startsWith(base.slice(0, 58)));
      assert.match(name.slice(-5), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
  });

  it('isServiceAccountToken: type, name annotation, and uid annotation empty or equal', () => {
    const s = (type: string, annotations: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations }, type });
    const sa = { name: 'robot', uid: 'u1' };
    const table: [KubeObject, boolean][] = [
      [s(serviceAccountTokenType, { [serviceAccountNameKey]: 'robot' }), true],
      [s(serviceAccountTokenType, { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: 'u1' }), true],
      [s(serviceAccountTokenType, { [serviceAccountNameKey]: 'robot', [serviceAccountUidKey]: 'u2' }), false],
      [s(serviceAccountTokenType, { [serviceAccountNameKey]: 'other' }), false],
      [s('Opaque', { [serviceAccountNameKey]: 'robot' }), false],
    ];
    for (const [secret, want] of table) assert.equal(isServiceAccountToken(secret, sa), want, JSON.stringify(secret));
  });

  const conflict = () => new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'conflict', reason: 'Conflict', code: 409 });
  const table: { name: string; failures: number; steps: number; calls: number; ok: boolean; error?: () => Error }[] = [
    { name: 'succeeds after conflicts', failures: 2, steps: 5, calls: 3, ok: true },
    { name: 'gives up after `steps` conflicts', failures: 10, steps: 3, calls: 3, ok: false },
    { name: 'does not retry other errors', failures: 10, steps: 5, calls: 1, ok: false, error: () => new Error('boom') },
  ];
  for (const c of table) {
    it(`retryOnConflict ${c.name}`, async () => {
      const clock = createFakeClock();
      let calls = 0;
      const p = retryOnConflict(clock, { steps: c.steps, durationMs: 10 }, async () => {
        calls++;
        if (calls <= c.failures) throw (c.error ?? conflict)();
        return 'done';
      });
      const settled = p.then(
        () => true,
        () => false,
      );
      await clock.advance(1000);
      assert.equal(await settled, c.ok);
      assert.equal(calls, c.calls);
    });
  }
});
