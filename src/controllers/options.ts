/**
 * Parsing of the controller flags, with kube-controller-manager's rules: `--controllers`
 * (`*` = every controller on by default, `foo` = enable, `-foo` = disable), `--feature-gates`
 * (Go's `Key=bool,Key2=bool` map form) and Go durations (`8760h0m0s`, `1h30m`, `90s`).
 */

/**
 * Whether a controller is enabled by a --controllers list (upstream IsControllerEnabled):
 * an explicit `-name` disables, an explicit `name` enables, else `*` decides.
 * `aliases` are other names of the same controller (upstream accepts the pre-1.28 short names).
 */
export function isControllerEnabled(name: string, list: string[], aliases: string[] = []): boolean {
  const names = [name, ...aliases];
  let star = false;
  for (const raw of list) {
    const entry = raw.trim();
    if (names.some((n) => entry === `-${n}`)) return false;
    if (names.includes(entry)) return true;
    if (entry === '*') star = true;
  }
  return star;
}

/** Parses `A=true,B=false` (spaces allowed around items). Throws on a malformed item or value. */
export function parseFeatureGates(text: string): Map<string, boolean> {
  const gates = new Map<string, boolean>();
  for (const item of text.split(',')) {
    const s = item.trim();
    if (!s) continue;
    const i = s.indexOf('=');
    if (i < 0) throw new Error(`missing bool value for ${s}`);
    const key = s.slice(0, i).trim();
    const value = s.slice(i + 1).trim();
    const b = ({ '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false } as Record<string, boolean>)[value];
    if (b === undefined) throw new Error(`invalid value of ${key}=${value}, err: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    gates.set(key, b);
  }
  return gates;
}

const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration, in milliseconds. Throws `time: invalid duration "x"` like Go. */
export function parseGoDuration(text: string): number {
  const bad = () => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (!s) throw bad();
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/;
  while (s) {
    const m = re.exec(s);
    if (!m) throw bad();
    total += Number(m[1]) * units[m[2]!]!;
    s = s.slice(m[0].length);
  }
  return sign * total;
}
