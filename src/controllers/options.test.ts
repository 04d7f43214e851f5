import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isControllerEnabled, parseFeatureGates, parseGoDuration } from './options.js';

describe('controller options', () => {
  const enabled: [string, string[], boolean][] = [
    ['namespace-controller', ['*'], true],
    ['namespace-controller', ['*', '-namespace-controller'], false],
    ['namespace-controller', ['-namespace'], false],
    ['namespace-controller', ['serviceaccount-controller'], false],
    ['namespace-controller', ['namespace-controller'], true],
    ['namespace-controller', [], false],
  ];
  for (const [name, list, want] of enabled) {
    it(`--controllers=${list.join(',')}: ${name} ${want ? 'on' : 'off'}`, () => assert.equal(isControllerEnabled(name, list, ['namespace']), want));
  }

  it('parses feature gates', () => {
    assert.deepEqual([...parseFeatureGates('LegacyServiceAccountTokenNoAutoGeneration=false, Other=true')], [
      ['LegacyServiceAccountTokenNoAutoGeneration', false],
      ['Other', true],
    ]);
    assert.throws(() => parseFeatureGates('A'), /missing bool value for A/);
    assert.throws(() => parseFeatureGates('A=maybe'), /invalid value of A=maybe/);
  });

  const durations: [string, number | RegExp][] = [
    ['8760h0m0s', 8760 * 3_600_000],
    ['1h30m', 90 * 60_000],
    ['90s', 90_000],
    ['1.5s', 1500],
    ['0', 0],
    ['10', /invalid duration "10"/],
    ['', /invalid duration/],
    ['1d', /invalid duration/],
  ];
  for (const [text, want] of durations) {
    it(`duration ${JSON.stringify(text)}`, () => {
      if (want instanceof RegExp) assert.throws(() => parseGoDuration(text), want);
      else assert.equal(parseGoDuration(text), want);
    });
  }
});
