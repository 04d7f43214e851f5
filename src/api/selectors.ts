/**
 * Label and field selectors with kube-apiserver's syntax and error wording
 * (k8s.io/apimachinery/pkg/labels and pkg/fields).
 *
 * Label selector: comma-separated requirements: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`.
 * Field selector: comma-separated `k=v`, `k==v`, `k!=v` with `\` escaping of `,`, `=` and `!`.
 */

export type LabelOperator = 'in' | 'notin' | '=' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export class SelectorParseError extends Error {}

export type Selector = (labels: Record<string, string> | undefined) => boolean;

const labelValueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Parses a label selector; throws SelectorParseError with upstream-like wording on bad input. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const s = input;
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const readIdent = (): string => {
    skipWs();
    const start = i;
    while (i < s.length && !/[\s,()=!<>]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  const expectValues = (): string[] => {
    skipWs();
    if (s[i] !== '(') throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: '('`);
    i++;
    const vals: string[] = [];
    skipWs();
    if (s[i] === ')') {
      i++;
      return vals;
    }
    for (;;) {
      skipWs();
      const v = readIdent();
      vals.push(v);
      skipWs();
      if (s[i] === ',') { i++; continue; }
      if (s[i] === ')') { i++; break; }
      throw new SelectorParseError(`unable to parse requirement: found '${s[i] ?? ''}', expected: ',' or ')'`);
    }
    return vals;
  };
  skipWs();
  if (i >= s.length) return reqs;
  for (;;) {
    skipWs();
    let req: LabelRequirement;
    if (s[i] === '!') {
      i++;
      const key = readIdent();
      req = { key, operator: '!', values: [] };
    } else {
      const key = readIdent();
      if (!key) throw new SelectorParseError(`found '${s[i] ?? ''}', expected: !, identifier, or 'end of string'`);
      skipWs();
      if (i >= s.length || s[i] === ',') req = { key, operator: 'exists', values: [] };
      else if (s.startsWith('==', i)) { i += 2; req = { key, operator: '=', values: [readIdent()] }; }
      else if (s.startsWith('!=', i)) { i += 2; req = { key, operator: '!=', values: [readIdent()] }; }
      else if (s[i] === '=') { i += 1; req = { key, operator: '=', values: [readIdent()] }; }
      else if (s[i] === '>') { i += 1; req = { key, operator: 'gt', values: [readIdent()] }; }
      else if (s[i] === '<') { i += 1; req = { key, operator: 'lt', values: [readIdent()] }; }
      else {
        const word = readIdent();
        if (word === 'in') req = { key, operator: 'in', values: expectValues() };
        else if (word === 'notin') req = { key, operator: 'notin', values: expectValues() };
        else throw new SelectorParseError(`unable to parse requirement: found '${word}', expected: in, notin, =, ==, !=, gt, lt`);
      }
    }
    validateRequirement(req);
    reqs.push(req);
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ',') throw new SelectorParseError(`found '${s[i]}', expected: ',' or 'end of string'`);
    i++;
  }
  return reqs;
}

function validateRequirement(r: LabelRequirement): void {
  if (!r.key || r.key.length > 317 || !/^([a-z0-9A-Z.\-/_]+)$/.test(r.key)) {
    throw new SelectorParseError(`unable to parse requirement: invalid label key "${r.key}"`);
  }
  for (const v of r.values) {
    if (v.length > 63 || !labelValueRe.test(v)) {
      throw new SelectorParseError(`unable to parse requirement: values[0]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`);
    }
  }
  if ((r.operator === 'gt' || r.operator === 'lt') && !/^-?\d+$/.test(r.values[0] ?? '')) {
    throw new SelectorParseError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
  }
  if ((r.operator === 'in' || r.operator === 'notin') && r.values.length === 0) {
    throw new SelectorParseError(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
  }
}

export function matchLabels(reqs: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of reqs) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? l[r.key]! : undefined;
    switch (r.operator) {
      case '=': case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=': case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt': case 'lt': {
        if (!has || !/^-?\d+$/.test(v!)) return false;
        const n = Number(v);
        const t = Number(r.values[0]);
        if (r.operator === 'gt' ? !(n > t) : !(n < t)) return false;
        break;
      }
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Parses a field selector (`a=b,c!=d`, backslash escapes). */
export function parseFieldSelector(input: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (input.trim() === '') return out;
  for (const part of splitUnescaped(input, ',')) {
    let m: FieldRequirement | undefined;
    for (const op of ['!=', '==', '='] as const) {
      const idx = indexUnescaped(part, op);
      if (idx >= 0) {
        m = {
          field: unescape(part.slice(0, idx)).trim(),
          operator: op === '!=' ? '!=' : '=',
          value: unescape(part.slice(idx + op.length)),
        };
        break;
      }
    }
    if (!m) throw new SelectorParseError(`invalid selector: '${input}'; can't understand '${part}'`);
    out.push(m);
  }
  return out;
}

function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) { cur += s[i]! + s[i + 1]!; i++; continue; }
    if (s[i] === sep) { parts.push(cur); cur = ''; continue; }
    cur += s[i];
  }
  parts.push(cur);
  return parts;
}

function indexUnescaped(s: string, token: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s.startsWith(token, i)) return i;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

export function matchFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  for (const r of reqs) {
    const v = fields[r.field] ?? '';
    if (r.operator === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
