/**
 * JSON as the token path needs it: encoding byte-compatible with what go-jose writes for
 * Kubernetes (object members sorted, as Go marshals the merged claims map; `<`, `>`, `&`,
 * U+2028 and U+2029 escaped as Go does), and detection of duplicate object members, which
 * JSON.parse silently resolves to the last one.
 */

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const GO_ESCAPE_TEST = /[<>&\u2028\u2029]/;

function goEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareUtf8)) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortedCopy(member);
    }
    return out;
  }
  return value;
}

/** Code units whose UTF-16 order can differ from UTF-8 byte order (surrogates and U+E000..U+FFFF). */
const orderSensitive = /[\ud800-\uffff]/;

/**
 * Go sorts map keys by their UTF-8 bytes. Below U+D800 that is UTF-16 code unit order, so the
 * common case (ASCII claim names) compares strings directly without encoding them.
 */
export function compareUtf8(a: string, b: string): number {
  if (!orderSensitive.test(a) && !orderSensitive.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Serializes like go-jose's claims builder: every object's members sorted (nested ones too),
 * arrays in order, `undefined` members dropped, Go's HTML-safe escapes. Integers must be safe
 * integers to round-trip exactly (NumericDates are).
 */
export function marshalSorted(value: unknown): string {
  return marshalGo(sortedCopy(value));
}

/** JSON.stringify with Go's HTML-safe escapes, members in the given order (Go structs). */
export function marshalGo(value: unknown): string {
  const text = JSON.stringify(value);
  return GO_ESCAPE_TEST.test(text) ? text.replace(GO_ESCAPES, goEscape) : text;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/**
 * Returns the name of the first member that appears twice in one object of `text`, or undefined.
 * `text` MUST already be valid JSON (JSON.parse succeeded): the scan relies on it. Names are
 * compared after unescaping (`"a"` and `"\u0061"` are the same member). Linear in the text.
 */
export function findDuplicateMember(text: string): string | undefined {
  const stack: (Set<string> | null)[] = [];
  let expectName = false;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let j = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) {
          escaped = true;
          j += 2;
        } else if (d === QUOTE) {
          break;
        } else {
          j++;
        }
      }
      const members = stack[stack.length - 1];
      if (expectName && members) {
        const name = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (members.has(name)) return name;
        members.add(name);
        expectName = false;
      }
      i = j;
    } else if (c === OPEN_OBJECT) {
      stack.push(new Set());
      expectName = true;
    } else if (c === OPEN_ARRAY) {
      stack.push(null);
      expectName = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectName = false;
    } else if (c === COMMA) {
      expectName = stack[stack.length - 1] != null;
    }
  }
  return undefined;
}
