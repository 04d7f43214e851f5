import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector, SelectorParseError } from './selectors.js';

describe('label selectors', () => {
  const labels = { team: 'a', tier: 'web', n: '5' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['team=a', true],
    ['team==a', true],
    ['team!=a', false],
    ['team in (a,b)', true],
    ['team in (b, c)', false],
    ['team notin (b)', true],
    ['team', true],
    ['!team', false],
    ['!missing', true],
    ['missing', false],
    ['team=a,tier=web', true],
    ['team=a,tier=db', false],
    ['team in (a,b),!x', true],
    ['n>3', true],
    ['n<3', false],
    ['missing!=x', true],
  ];
  for (const [sel, want] of cases) {
    it(`${JSON.stringify(sel)} -> ${want}`, () => assert.equal(matchLabels(parseLabelSelector(sel), labels), want));
  }
  for (const bad of ['team in (', 'team in ()', 'a=b=c', '=x', 'team=@bad', 'n>x', 'a,,b']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.throws(() => parseLabelSelector(bad), SelectorParseError));
  }
});

describe('field selectors', () => {
  const fields = { 'metadata.name': 'web', 'metadata.namespace': 'default', type: 'a=b' };
  const cases: Array<[string, boolean]> = [
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name!=web', false],
    ['metadata.name=web,metadata.namespace=default', true],
    ['metadata.name=web,metadata.namespace!=default', false],
    ['type=a\\=b', true],
  ];
  for (const [sel, want] of cases) {
    it(`${JSON.stringify(sel)} -> ${want}`, () => assert.equal(matchFields(parseFieldSelector(sel), fields), want));
  }
  it('rejects a term without an operator', () => assert.throws(() => parseFieldSelector('metadata.name'), SelectorParseError));
});
