import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenFileAuthenticator, parseCsv, parseTokenFile } from './token-file.js';

describe('token file CSV (Go encoding/csv)', () => {
  const cases: Array<[string, string, string[][]]> = [
    ['plain records', 'a,b,c\nd,e,f\n', [['a', 'b', 'c'], ['d', 'e', 'f']]],
    ['quoted field with commas', 'tok,user,uid,"g1,g2"\n', [['tok', 'user', 'uid', 'g1,g2']]],
    ['escaped quote', '"a""b",c,d', [['a"b', 'c', 'd']]],
    ['CRLF and blank lines', 'a,b,c\r\n\r\n\nd,e,f', [['a', 'b', 'c'], ['d', 'e', 'f']]],
    ['empty fields', ',b,c\n', [['', 'b', 'c']]],
  ];
  for (const [what, text, want] of cases) it(what, () => assert.deepEqual(parseCsv(text), want));

  it('refuses a bare quote in an unquoted field', () => {
    assert.throws(() => parseCsv('a"b,c,d\n'), /bare " in non-quoted-field/);
  });
});

describe('token file', () => {
  it('maps tokens to users; skips empty tokens; the last duplicate wins', () => {
    const tokens = parseTokenFile('t1,alice,u1,"devs,ops"\n,bob,u2\nt3,carol,u3\nt3,dave,u4\n', 'f.csv');
    assert.deepEqual([...tokens.keys()], ['t1', 't3']);
    assert.deepEqual(tokens.get('t1'), { username: 'alice', uid: 'u1', groups: ['devs', 'ops'] });
    assert.deepEqual(tokens.get('t3'), { username: 'dave', uid: 'u4', groups: [] });
  });

  it('needs 3 columns, with upstream\'s message', () => {
    assert.throws(() => parseTokenFile('t1,alice\n', '/etc/tokens.csv'), {
      message: "token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    });
  });

  it('authenticates bearer tokens for the API audiences only', () => {
    const a = createTokenFileAuthenticator({ tokens: parseTokenFile('t1,alice,u1,devs\n', 'f'), apiAudiences: () => ['api'] });
    assert.deepEqual(a.authenticate({ authorization: 'Bearer t1' }), { user: { username: 'alice', uid: 'u1', groups: ['devs'] } });
    assert.deepEqual(a.authenticate({ authorization: 'bearer t1', audiences: ['api', 'x'] }), { user: { username: 'alice', uid: 'u1', groups: ['devs'] }, audiences: ['api'] });
    assert.equal(a.authenticate({ authorization: 'Bearer t1', audiences: ['vault'] }), null);
    assert.equal(a.authenticate({ authorization: 'Bearer t2' }), null);
    assert.equal(a.authenticate({ authorization: 'Bearer  t1' }), null, 'two spaces: empty token, as upstream');
    assert.equal(a.authenticate({}), null);
  });
});
