/**
 * Test helpers for src/server/patch: frozen inputs (any mutation throws in strict-mode code) and a
 * PatchError matcher. Excluded from the build (src/**\/testing/**).
 */
import assert from 'node:assert/strict';
import { PatchError, type PatchErrorCode } from '../errors.js';

/** Deep-freezes a JSON value, so that an applier mutating its arguments fails loudly. */
export function deepFreeze<T>(v: T): T {
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const n = stack.pop();
    if (typeof n === 'object' && n !== null && !Object.isFrozen(n)) {
      Object.freeze(n);
      for (const c of Object.values(n)) stack.push(c);
    }
  }
  return v;
}

/** A JSON round trip: what a request body decodes to (own `__proto__` keys stay data). */
export const json = <T = unknown>(text: string): T => JSON.parse(text) as T;

/** Asserts `fn` throws a PatchError with `code` whose message equals (string) or matches (RegExp) `message`. */
export function assertPatchError(fn: () => unknown, code: PatchErrorCode, message?: string | RegExp): PatchError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof PatchError, `expected a PatchError, got ${String(caught)}`);
  assert.equal(caught.code, code, `code of "${caught.message}"`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}

/** Builds `{a:{a:...{leaf}}}` (or `[[...]]`) nested `depth` levels, iteratively. */
export function nested(depth: number, kind: 'map' | 'list' = 'map', leaf: unknown = 'x'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'map' ? { a: v } : [v];
  return v;
}
