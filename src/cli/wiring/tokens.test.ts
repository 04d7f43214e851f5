import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration } from './tokens.js';

describe('Go durations (--service-account-max-token-expiration)', () => {
  const cases: Array<[string, number]> = [['0', 0], ['0s', 0], ['1h', 3600], ['48h', 172800], ['1h30m', 5400], ['90m', 5400], ['3600s', 3600], ['1.5h', 5400]];
  for (const [text, seconds] of cases) it(text, () => assert.equal(parseGoDuration(text), seconds));
  for (const bad of ['', 'h', '1', '1d', '1h x']) it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseGoDuration(bad), /time: invalid duration/));
});
