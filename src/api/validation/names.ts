/**
 * String-format checks worded exactly as k8s.io/apimachinery/pkg/util/validation (1.32) and
 * api/validation/path. Each check returns a list of error strings (empty when valid); callers turn
 * each string into a FieldError (`Invalid value: "x": <string>`). Lengths are measured in UTF-8
 * bytes, like Go's len().
 */

/** UTF-8 byte length (Go's len() on a string). */
export const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `must be no more than N characters` (validation.MaxLenError). */
export const maxLenError = (length: number): string => `must be no more than ${length} characters`;

/** `must be non-empty` (validation.EmptyError). */
export const emptyError = (): string => 'must be non-empty';

/** `must be between lo and hi, inclusive` (validation.InclusiveRangeError). */
export const inclusiveRangeError = (lo: number, hi: number): string => `must be between ${lo} and ${hi}, inclusive`;

/**
 * validation.RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`. The double
 * space before `or` is upstream's (each example is followed by `', '` and then `' or '`).
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

const anchored = (fmt: string): RegExp => new RegExp(`^${fmt}$`);

// --- DNS-1123 label / subdomain, DNS-1035 label --------------------------------------------------

export const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
export const dns1123LabelMaxLength = 63;
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123LabelRe = anchored(dns1123LabelFmt);

export const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
export const dns1123SubdomainMaxLength = 253;
const dns1123SubdomainErrMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1123SubdomainRe = anchored(dns1123SubdomainFmt);

/**
 * A DNS-1123 label (≤63, `[a-z0-9]([-a-z0-9]*[a-z0-9])?`). A value that is a valid subdomain but
 * not a label is reported as `must not contain dots`, as current upstream does.
 */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > dns1123LabelMaxLength) errs.push(maxLenError(dns1123LabelMaxLength));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** A DNS-1123 subdomain (≤253, dot-separated labels). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > dns1123SubdomainMaxLength) errs.push(maxLenError(dns1123SubdomainMaxLength));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelRe = anchored(dns1035LabelFmt);

/** A DNS-1035 label (Service names): starts with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

// --- qualified names (label keys, annotation keys, finalizers) and label values -----------------

const qnameCharFmt = '[A-Za-z0-9]';
const qnameExtCharFmt = '[-A-Za-z0-9_.]';
export const qualifiedNameFmt = `(${qnameCharFmt}${qnameExtCharFmt}*)?${qnameCharFmt}`;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const qualifiedNameMaxLength = 63;
const qualifiedNameRe = anchored(qualifiedNameFmt);

/** A qualified name: optional DNS-1123 subdomain prefix and `/`, then a ≤63-char name part. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > qualifiedNameMaxLength) errs.push(`name part ${maxLenError(qualifiedNameMaxLength)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueErrMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueRe = anchored(labelValueFmt);

/** A label value: empty, or ≤63 chars of qualified-name characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueErrMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

// --- ConfigMap / Secret keys --------------------------------------------------------------------

const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const configMapKeyErrMsg = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const configMapKeyRe = anchored(configMapKeyFmt);

/** `must not be '.'`, `must not be '..'`, `must not start with '..'` (validation.hasChDirPrefix). */
function chDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** A ConfigMap/Secret data key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > dns1123SubdomainMaxLength) errs.push(maxLenError(dns1123SubdomainMaxLength));
  if (!configMapKeyRe.test(value)) errs.push(regexError(configMapKeyErrMsg, configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  errs.push(...chDirPrefix(value));
  return errs;
}

// --- path segments (names of kinds that only need to be URL-safe) --------------------------------

const nameMayNotBe = ['.', '..'];
const nameMayNotContain = ['/', '%'];

/** api/validation/path.IsValidPathSegmentName: not `.`/`..`, no `/` or `%`. */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of nameMayNotBe) if (name === bad) return [`may not be '${bad}'`];
  return isValidPathSegmentPrefix(name);
}

/** api/validation/path.IsValidPathSegmentPrefix: no `/` or `%`. */
export function isValidPathSegmentPrefix(name: string): string[] {
  return nameMayNotContain.filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

// --- name functions (ValidateNameFunc: prefix=true validates a generateName) --------------------

/** Upstream maskTrailingDash: `abc-` becomes `aba` so a trailing dash is allowed in generateName. */
export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export type NameValidation = 'subdomain' | 'label' | 'path-segment' | 'dns1035';

/** A ValidateNameFunc: name validation by kind; `prefix` means the value is a generateName. */
export function validateName(kind: NameValidation, name: string, prefix: boolean): string[] {
  switch (kind) {
    case 'subdomain':
      return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    case 'label':
      return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    case 'dns1035':
      return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
    case 'path-segment':
      return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
  }
}

// --- ports, env names, IPs ------------------------------------------------------------------------

/** A port number 1..65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** An IANA_SVC_NAME port name (≤15, [-a-z0-9], a letter, no `--`, no leading/trailing `-`). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const envVarNameFmt = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const envVarNameErrMsg =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";

/** Strict environment variable name (validation.IsEnvVarName). */
export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!anchored(envVarNameFmt).test(value)) {
    errs.push(regexError(envVarNameErrMsg, envVarNameFmt, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  }
  errs.push(...chDirPrefix(value));
  return errs;
}

/**
 * Relaxed environment variable name (RelaxedEnvironmentVariableValidation, beta and on in 1.32):
 * printable ASCII except `=`.
 */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 0x7e || c < 0x20 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

const ipv4Re = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * Whether `value` parses as an IP address the way netutils.ParseIPSloppy does (what 1.32's
 * IsValidIP uses): IPv4 octets may carry leading zeros; IPv6 without a zone.
 */
export function isIP(value: string): boolean {
  if (ipv4Re.test(value)) return value.split('.').every((o) => Number(o) <= 255);
  if (!value.includes(':') || value.includes('%')) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** A CIDR such as `10.0.0.0/24` or `fd00::/64`. */
export function isCIDR(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const ip = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || !isIP(ip)) return false;
  return Number(bits) <= (ip.includes(':') ? 128 : 32);
}

/** The detail of validation.IsValidIP (1.32). */
export const invalidIPDetail = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
/** The detail of validation.IsValidCIDR (1.32). */
export const invalidCIDRDetail = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
