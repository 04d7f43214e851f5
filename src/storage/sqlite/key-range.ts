/**
 * Key ranges for prefix queries. SQLite compares TEXT with the BINARY collation, i.e. by UTF-8
 * bytes, which is the same as Unicode code point order (and the same order etcd uses).
 */

/**
 * The smallest string greater than every string that starts with `prefix` (in code point
 * order), or null when there is none (the empty prefix, or a prefix of only U+10FFFF).
 * `name >= prefix AND name < prefixEnd(prefix)` selects exactly the keys starting with `prefix`.
 */
export function prefixEnd(prefix: string): string | null {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    let next = last + 1;
    if (next >= 0xd800 && next <= 0xdfff) next = 0xe000; // surrogates are not code points
    if (next <= 0x10ffff) {
      codePoints.push(String.fromCodePoint(next));
      return codePoints.join('');
    }
  }
  return null;
}
