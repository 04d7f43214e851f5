import assert from 'node:assert/strict';
import { it } from 'node:test';
import { prefixEnd } from './key-range.js';

it('prefixEnd is the smallest string above every key with the prefix', () => {
  const cases: Array<[string, string | null]> = [
    ['', null],
    ['/a/', '/a0'],
    ['/a/b', '/a/c'],
    ['a\u007f', 'a\u0080'],
    ['/é', '/ê'],
    ['/\uD7FF', '/\uE000'], // skips the surrogate range
    ['/\uFFFF', '/\u{10000}'],
    ['/😀', '/😁'],
    ['/\u{10FFFF}', '0'],
    ['\u{10FFFF}\u{10FFFF}', null],
  ];
  for (const [prefix, end] of cases) assert.equal(prefixEnd(prefix), end, JSON.stringify(prefix));
});
