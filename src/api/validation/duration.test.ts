import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, shortHumanDuration, translateTimestampSince } from './duration.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('humanDuration (duration.HumanDuration)', () => {
  const cases: Array<[number, string]> = [
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [-999, '0s'],
    [0, '0s'],
    [999, '0s'],
    [4 * s, '4s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [3 * m, '3m'],
    [3 * m + 30 * s, '3m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 10 * m, '5h10m'],
    [7 * h + 59 * m + 59 * s, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d + 5 * h, '8d'],
    [400 * d, '400d'],
    [2 * y - d, '729d'],
    [2 * y, '2y'],
    [3 * y + 20 * d, '3y20d'],
    [8 * y + 20 * d, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms -> ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('shortHumanDuration (duration.ShortHumanDuration)', () => {
  const cases: Array<[number, string]> = [
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [59 * s, '59s'],
    [60 * s, '1m'],
    [3 * m + 30 * s, '3m'],
    [59 * m, '59m'],
    [5 * h + 10 * m, '5h'],
    [3 * d, '3d'],
    [364 * d, '364d'],
    [2 * y + 5 * d, '2y'],
  ];
  for (const [ms, want] of cases) it(`${ms}ms -> ${want}`, () => assert.equal(shortHumanDuration(ms), want));
});

describe('translateTimestampSince', () => {
  const now = Date.parse('2026-11-22T07:34:30Z');
  const cases: Array<[unknown, string]> = [
    [undefined, '<unknown>'],
    [null, '<unknown>'],
    ['', '<unknown>'],
    ['not a time', '<unknown>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    ['2026-11-22T07:34:26Z', '4s'],
    ['2026-11-22T07:31:00Z', '3m30s'],
    ['2026-11-20T07:34:30Z', '2d'],
    ['2026-11-22T07:34:40Z', '<invalid>'],
  ];
  for (const [ts, want] of cases) it(`${String(ts)} -> ${want}`, () => assert.equal(translateTimestampSince(ts, now), want));
});
