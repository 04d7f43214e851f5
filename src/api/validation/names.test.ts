import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIDR,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isIP,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  maskTrailingDash,
  regexError,
  validateName,
} from './names.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const qnameRegex =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const configKeyMsg =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

type Case = [string, string[]];

function table(name: string, fn: (v: string) => string[], cases: Case[]): void {
  describe(name, () => {
    for (const [value, want] of cases) {
      it(JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value), () =>
        assert.deepEqual(fn(value), want),
      );
    }
  });
}

describe('regexError', () => {
  it('without examples', () => assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')"));
  it('one example', () => assert.equal(regexError('m', 'f', 'a'), "m (e.g. 'a', regex used for validation is 'f')"));
  it('two examples keep the double space', () =>
    assert.equal(regexError('m', 'f', 'a', 'b'), "m (e.g. 'a',  or 'b', regex used for validation is 'f')"));
});

table('isDNS1123Subdomain', isDNS1123Subdomain, [
  ['build-robot', []],
  ['a.b.c', []],
  ['0', []],
  ['Bad_Name', [subdomainMsg]],
  ['BadName', [subdomainMsg]],
  ['-a', [subdomainMsg]],
  ['a-', [subdomainMsg]],
  ['a..b', [subdomainMsg]],
  ['', [subdomainMsg]],
  ['a'.repeat(253), []],
  ['a'.repeat(254), ['must be no more than 253 characters']],
  ['A'.repeat(254), ['must be no more than 253 characters', subdomainMsg]],
]);

table('isDNS1123Label', isDNS1123Label, [
  ['default', []],
  ['kube-system', []],
  ['123', []],
  ['my.ns', ['must not contain dots']],
  ['My-NS', [labelMsg]],
  ['ns-', [labelMsg]],
  ['a'.repeat(63), []],
  ['a'.repeat(64), ['must be no more than 63 characters']],
  ['a'.repeat(64) + '.b', ['must be no more than 63 characters', 'must not contain dots']],
]);

table('isDNS1035Label', isDNS1035Label, [
  ['web', []],
  [
    '1web',
    [
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ],
  ],
]);

table('isQualifiedName', isQualifiedName, [
  ['app', []],
  ['app.kubernetes.io/name', []],
  ['kubernetes.io/service-account.name', []],
  ['A_b.c-9', []],
  ['-app', [`name part ${qnameRegex}`]],
  ['app_', [`name part ${qnameRegex}`]],
  ['/app', ['prefix part must be non-empty']],
  ['example.com/', ['name part must be non-empty', `name part ${qnameRegex}`]],
  ['Example.com/x', [`prefix part ${subdomainMsg}`]],
  [
    'a/b/c',
    [`a qualified name ${qnameRegex} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
  ],
  ['x'.repeat(64), ['name part must be no more than 63 characters']],
  ['p/' + 'x'.repeat(64), ['name part must be no more than 63 characters']],
  ['a'.repeat(254) + '/x', ['prefix part must be no more than 253 characters']],
]);

table('isValidLabelValue', isValidLabelValue, [
  ['', []],
  ['v1.2_3-x', []],
  ['-x', [labelValueMsg]],
  ['has space', [labelValueMsg]],
  ['x'.repeat(63), []],
  ['x'.repeat(64), ['must be no more than 63 characters']],
]);

table('isConfigMapKey', isConfigMapKey, [
  ['ca.crt', []],
  ['.dockerconfigjson', []],
  ['KEY_NAME-1', []],
  ['a/b', [configKeyMsg]],
  ['', [configKeyMsg]],
  ['.', ["must not be '.'"]],
  ['..', ["must not be '..'"]],
  ['..data', ["must not start with '..'"]],
  ['k'.repeat(254), ['must be no more than 253 characters']],
]);

table('isValidPathSegmentName', isValidPathSegmentName, [
  ['system:admin', []],
  ['.', ["may not be '.'"]],
  ['..', ["may not be '..'"]],
  ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
]);

table('isValidPortName', isValidPortName, [
  ['http', []],
  ['http-alt', []],
  ['8080', ['must contain at least one letter (a-z)']],
  ['HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
  ['a--b', ['must not contain consecutive hyphens']],
  ['-ab', ['must not begin or end with a hyphen']],
  ['abcdefghijklmnop', ['must be no more than 15 characters']],
]);

table('isEnvVarName', isEnvVarName, [
  ['HOME', []],
  ['my.env-name', []],
  [
    '1X',
    [
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ],
  ],
]);

describe('isValidPortNum', () => {
  for (const [port, ok] of [[1, true], [65535, true], [0, false], [65536, false]] as const) {
    it(String(port), () => assert.deepEqual(isValidPortNum(port), ok ? [] : ['must be between 1 and 65535, inclusive']));
  }
});

describe('maskTrailingDash and validateName', () => {
  it('masks a trailing dash like upstream (replaces the last two characters)', () => {
    assert.equal(maskTrailingDash('build-robot-'), 'build-roboa');
    assert.equal(maskTrailingDash('-'), '-');
    assert.equal(maskTrailingDash('abc'), 'abc');
  });
  const cases: Array<[Parameters<typeof validateName>, number]> = [
    [['subdomain', 'build-robot-', true], 0],
    [['subdomain', 'build-robot-', false], 1],
    [['label', 'ns-', true], 0],
    [['label', 'a.b', false], 1],
    [['path-segment', 'a%', true], 1],
    [['path-segment', '..', true], 0],
    [['path-segment', '..', false], 1],
    [['dns1035', 'svc-', true], 0],
  ];
  for (const [args, n] of cases) it(JSON.stringify(args), () => assert.equal(validateName(...args).length, n));
});

describe('isIP / isCIDR', () => {
  const ips: Array<[string, boolean]> = [
    ['10.0.0.1', true],
    ['::1', true],
    ['fd00::10', true],
    ['256.1.1.1', false],
    ['01.2.3.4', true],
    ['1.2.3', false],
    ['host', false],
  ];
  for (const [v, ok] of ips) it(`ip ${v}`, () => assert.equal(isIP(v), ok));
  const cidrs: Array<[string, boolean]> = [
    ['10.244.0.0/24', true],
    ['fd00::/64', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0', false],
  ];
  for (const [v, ok] of cidrs) it(`cidr ${v}`, () => assert.equal(isCIDR(v), ok));
});
