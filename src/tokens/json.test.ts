import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareUtf8, marshalSorted } from './json.js';

const bytewise = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('compareUtf8 orders keys by UTF-8 bytes, as Go sorts map keys', () => {
  const cases: Array<[string, string]> = [
    ['aud', 'exp'], ['exp', 'aud'], ['iat', 'iat'], ['a', 'ab'], ['B', 'a'], ['kubernetes.io', 'nbf'],
    ['é', 'z'], ['\u00ff', '\u0100'], ['\ud7ff', '\ue000'],
    // UTF-16 puts surrogates (astral characters) before U+E000..U+FFFF; UTF-8 puts them after.
    ['\u{1F600}', '\uffff'], ['\uffff', '\u{1F600}'], ['\ue000', '\u{10000}'], ['x\u{1F600}', 'x\uff00'],
  ];
  for (const [a, b] of cases) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`, () => assert.equal(Math.sign(compareUtf8(a, b)), Math.sign(bytewise(a, b))));
  }
  it('marshalSorted puts an astral key after a U+FFxx key', () => {
    assert.equal(marshalSorted({ '\u{1F600}': 1, '\uff00': 2 }), '{"\uff00":2,"\u{1F600}":1}');
  });
});
