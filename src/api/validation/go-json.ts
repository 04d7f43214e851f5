/**
 * The syntax-error texts of Go's encoding/json scanner, for validation messages that embed
 * json.Unmarshal errors (e.g. a Secret's `.dockerconfigjson`). goJsonSyntaxError returns
 * undefined for valid JSON, else the exact message Go would produce for the first error.
 */

/** Go's quoteChar: `'x'`, `'\''`, `'"'`, `'\n'`, `'\x01'`-style escapes as strconv.Quote does. */
function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c).slice(1, -1).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
  return `'${q}'`;
}

class Scan {
  i = 0;
  constructor(readonly s: string) {}
  fail(what: string): never {
    if (this.i >= this.s.length) throw new Error('unexpected end of JSON input');
    throw new Error(`invalid character ${quoteChar(this.s[this.i])} ${what}`);
  }
  ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }
  value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        this.i++;
        for (let k = 1; k < lit.length; k++, this.i++) {
          if (this.s[this.i] !== lit[k]) this.fail(`in literal ${lit} (expecting '${lit[k]}')`);
        }
        return;
      }
    }
    this.fail('looking for beginning of value');
  }
  object(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('looking for beginning of object key string');
      this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('after object key');
      this.i++;
      this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === '}') return void this.i++;
      this.fail('after object key:value pair');
    }
  }
  array(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') return void this.i++;
    for (;;) {
      this.value();
      this.ws();
      if (this.s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (this.s[this.i] === ']') return void this.i++;
      this.fail('after array element');
    }
  }
  string(): void {
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '"') return void this.i++;
      if (c < ' ') this.fail('in string literal');
      if (c === '\\') {
        this.i++;
        const e = this.s[this.i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            this.i++;
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? '')) this.fail('in \\u hexadecimal character escape');
          }
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) {
          this.fail('in string escape code');
        }
      }
      this.i++;
    }
    this.fail('in string literal');
  }
  number(): void {
    const digits = () => {
      while (/[0-9]/.test(this.s[this.i] ?? '')) this.i++;
    };
    if (this.s[this.i] === '-') {
      this.i++;
      if (!/[0-9]/.test(this.s[this.i] ?? '')) this.fail('in numeric literal');
    }
    if (this.s[this.i] === '0') this.i++;
    else digits();
    if (this.s[this.i] === '.') {
      this.i++;
      if (!/[0-9]/.test(this.s[this.i] ?? '')) this.fail('after decimal point in numeric literal');
      digits();
    }
    if (this.s[this.i] === 'e' || this.s[this.i] === 'E') {
      this.i++;
      if (this.s[this.i] === '+' || this.s[this.i] === '-') this.i++;
      if (!/[0-9]/.test(this.s[this.i] ?? '')) this.fail('in exponent of numeric literal');
      digits();
    }
  }
}

/** Go's json.Unmarshal syntax error for `text`, or undefined when it is valid JSON. */
export function goJsonSyntaxError(text: string): string | undefined {
  const scan = new Scan(text);
  try {
    scan.value();
    scan.ws();
    if (scan.i < text.length) scan.fail('after top-level value');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
