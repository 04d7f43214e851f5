/**
 * Downward API values as the kubelet computes them for volumes: fieldpath.ExtractFieldPathAsString
 * (metadata.* only, as pod validation allows for volumes), fieldpath.FormatMap (`key="value"`
 * lines, sorted, values quoted like Go's %q) and resource.ExtractResourceValueByContainerNameAndNodeAllocatable
 * (limits default to the node's allocatable; results are ceil(value / divisor)).
 */
import type { KubeObject } from '../api/meta.js';
import { isQualifiedName } from '../api/validation/names.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const isPrint = (ch: string) => ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
const escapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote (fmt %q) for a JS string (lone surrogates count as U+FFFD). */
export function goQuote(s: string): string {
  let out = '"';
  for (let ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) ch = '\ufffd';
    if (escapes[ch]) out += escapes[ch];
    else if (isPrint(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** fieldpath.FormatMap: `key="value"` lines sorted by key, no trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${k}=${goQuote(m![k])}`)
    .join('\n');
}

/** fieldpath.ExtractFieldPathAsString for a pod; throws with upstream's messages. */
export function extractFieldPath(pod: KubeObject, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const sub = /^(.+?)\['(.*)'\]$/.exec(fieldPath); // SplitMaybeSubscriptedPath
  if (sub) {
    const [, p, key] = sub;
    if (p === 'metadata.annotations' || p === 'metadata.labels') {
      const errs = isQualifiedName(p === 'metadata.annotations' ? key.toLowerCase() : key);
      if (errs.length) throw new Error(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
      return (p === 'metadata.annotations' ? meta.annotations : meta.labels)?.[key] ?? '';
    }
    throw new Error(`fieldPath ${JSON.stringify(fieldPath)} does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** A quantity as mantissa * 10^exp10 * 2^exp2 (exact). */
interface Quantity {
  mantissa: bigint;
  exp10: number;
  exp2: number;
}

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** resource.ParseQuantity (non-negative quantities); throws on a malformed one. */
export function parseQuantity(s: string): Quantity {
  const m = /^\+?([0-9]*)(?:\.([0-9]*))?([a-zA-Z]*|[eE][-+]?[0-9]+)$/.exec(s.trim());
  if (!m || (m[1] === '' && !m[2])) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
  const [, whole, frac = '', suffix] = m;
  let exp10 = -frac.length;
  let exp2 = 0;
  if (suffix in binarySuffixes) exp2 = binarySuffixes[suffix];
  else if (suffix in decimalSuffixes) exp10 += decimalSuffixes[suffix];
  else if (/^[eE]/.test(suffix)) exp10 += Number(suffix.slice(1));
  else throw new Error(`unable to parse quantity's suffix`);
  return { mantissa: BigInt(`${whole}${frac}` || '0'), exp10, exp2 };
}

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** ceil(q * 10^scale) as an integer. */
function scaledCeil(q: Quantity, scale: number): bigint {
  const e = q.exp10 + scale;
  const num = q.mantissa * 2n ** BigInt(q.exp2) * (e >= 0 ? 10n ** BigInt(e) : 1n);
  return ceilDiv(num, e >= 0 ? 1n : 10n ** BigInt(-e));
}

/** The container named, among containers then init containers (upstream findContainerInPod). */
function findContainer(pod: KubeObject, name: string): Json {
  const spec = obj(pod.spec);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers)]) if (str(obj(c).name) === name) return obj(c);
  throw new Error(`container ${name} not found`);
}

const defaultedLimits = ['cpu', 'memory', 'ephemeral-storage'];

/**
 * ExtractResourceValueByContainerNameAndNodeAllocatable: limits.cpu/memory/ephemeral-storage
 * default to nodeAllocatable (0 when not given); cpu is ceil(milli / divisor milli), the others
 * ceil(value / divisor value); hugepages-* from the container's own requests/limits.
 */
export function extractResourceValue(pod: KubeObject, ref: Json, nodeAllocatable: Record<string, string> = {}): string {
  const container = findContainer(pod, str(ref.containerName));
  const resources = obj(container.resources);
  const limits: Record<string, string> = { ...(obj(resources.limits) as Record<string, string>) };
  for (const r of defaultedLimits) if (limits[r] === undefined && nodeAllocatable[r] !== undefined) limits[r] = nodeAllocatable[r];
  const requests = obj(resources.requests) as Record<string, string>;
  const rawDivisor = ref.divisor === undefined || ref.divisor === null ? '' : String(ref.divisor);
  let divisor = rawDivisor ? parseQuantity(rawDivisor) : parseQuantity('1');
  if (divisor.mantissa === 0n) divisor = parseQuantity('1');
  const resource = str(ref.resource);
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  const list = kind === 'limits' ? limits : kind === 'requests' ? requests : undefined;
  const known = name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-');
  if (!list || !known) throw new Error(`unsupported container resource : ${resource}`);
  const q = parseQuantity(list[name] ?? '0');
  if (name === 'cpu') return ceilDiv(scaledCeil(q, 3), scaledCeil(divisor, 3)).toString();
  return ceilDiv(scaledCeil(q, 0), scaledCeil(divisor, 0)).toString();
}
