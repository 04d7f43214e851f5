/**
 * Converts a decoded protobufjs message into the JSON object Go's encoding/json would print for
 * the same Kubernetes Go struct, i.e. what a client sending JSON would have sent.
 *
 * Rules (per field, driven by the `(go_json)` option described in proto-meta.ts):
 * - Go writes non-pointer zero values on the wire; they are dropped like `omitempty` would:
 *   "" / 0 / false, empty lists and maps, an empty nested message, a zero Time.
 * - `"pointer"` fields keep whatever was on the wire, including false, 0 and `{}`.
 * - `"always"` fields are emitted even when zero or absent (e.g. SubjectAccessReviewStatus.allowed).
 * - List elements and map values are never dropped (`apiGroups: [""]` stays).
 * - meta.v1.Time → RFC 3339 at seconds precision (`2026-11-22T07:34:30Z`, nanos ignored as Go does);
 *   bytes → base64; FieldsV1 / RawExtension → the embedded JSON value; ExtraValue → string array;
 *   int64 → number; JSON key = `json_name` option when set (BoundObjectReference.uID → uid).
 */
import protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.js';

const metaV1 = '.k8s.io.apimachinery.pkg.apis.meta.v1';
const timeType = `${metaV1}.Time`;
const fieldsV1Type = `${metaV1}.FieldsV1`;
const rawExtensionType = '.k8s.io.apimachinery.pkg.runtime.RawExtension';
const extraValueTypes = new Set(['.k8s.io.api.authentication.v1.ExtraValue', '.k8s.io.api.authorization.v1.ExtraValue']);

/** RFC 3339 bounds Go can print and parse back: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
const minSeconds = -62167219200;
const maxSeconds = 253402300799;

type GoJson = 'omitempty' | 'pointer' | 'always';
type Dict = Record<string, unknown>;

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function goJson(field: protobuf.Field): GoJson {
  const value: unknown = field.options?.['(go_json)'];
  return value === 'pointer' || value === 'always' ? value : 'omitempty';
}

function jsonName(field: protobuf.Field): string {
  const value: unknown = field.options?.['json_name'];
  return typeof value === 'string' ? value : field.name;
}

/** Defines an own enumerable property, so a map key like `__proto__` stays data, as in JSON.parse. */
function define(target: Dict, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The JSON object for `message` of `type`. Never returns undefined; an all-zero message is `{}`.
 * Throws ProtobufDecodeError for embedded JSON that does not parse or a Time outside years 0-9999.
 */
export function messageToJson(type: protobuf.Type, message: protobuf.Message): Dict {
  const source = message as unknown as Dict;
  const out: Dict = {};
  for (const field of type.fieldsArray) {
    const present = hasOwn(source, field.name);
    const value = present ? source[field.name] : undefined;
    let json: unknown;
    if (field.map) json = mapToJson(field, value);
    else if (field.repeated) json = listToJson(field, value);
    else json = singularToJson(field, value, present);
    if (json !== undefined) define(out, jsonName(field), json);
  }
  return out;
}

function singularToJson(field: protobuf.Field, value: unknown, present: boolean): unknown {
  const rule = goJson(field);
  if (!present || value === null || value === undefined) return rule === 'always' ? scalarZero(field) : undefined;
  const json = valueToJson(field, value);
  if (json === undefined || rule !== 'omitempty') return json;
  return isZero(json) ? undefined : json;
}

function mapToJson(field: protobuf.Field, value: unknown): Dict | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0) return undefined;
  const out: Dict = {};
  for (const key of keys) {
    const json = valueToJson(field, (value as Dict)[key]);
    define(out, key, json === undefined ? null : json);
  }
  return out;
}

function listToJson(field: protobuf.Field, value: unknown): unknown[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((element: unknown) => {
    const json = valueToJson(field, element);
    return json === undefined ? null : json;
  });
}

/** One value of the field's element type; undefined means Go's `null` (zero Time, empty FieldsV1). */
function valueToJson(field: protobuf.Field, value: unknown): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageValueToJson(resolved, value as protobuf.Message);
  switch (field.type) {
    case 'string':
      return String(value);
    case 'bool':
      return Boolean(value);
    case 'bytes':
      return base64(value as Uint8Array);
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return int64ToNumber(value, false);
    case 'uint64':
    case 'fixed64':
      return int64ToNumber(value, true);
    default:
      return Number(value);
  }
}

function messageValueToJson(type: protobuf.Type, message: protobuf.Message): unknown {
  const fields = message as unknown as Dict;
  switch (type.fullName) {
    case timeType:
      return timeToJson(fields['seconds'], fields['nanos']);
    case fieldsV1Type:
      return embeddedJson(fields['Raw'], 'FieldsV1');
    case rawExtensionType:
      return embeddedJson(fields['raw'], 'RawExtension');
    default:
      if (extraValueTypes.has(type.fullName)) {
        const items = fields['items'];
        return Array.isArray(items) ? items.map(String) : [];
      }
      return messageToJson(type, message);
  }
}

function timeToJson(secondsValue: unknown, nanosValue: unknown): string | undefined {
  const seconds = secondsValue === undefined ? 0 : int64ToNumber(secondsValue, false);
  const nanos = typeof nanosValue === 'number' ? nanosValue : 0;
  if (seconds === 0 && nanos === 0) return undefined;
  if (!(seconds >= minSeconds && seconds <= maxSeconds)) {
    throw new ProtobufDecodeError(`Time seconds ${seconds} is outside the RFC 3339 range of years 0000-9999`);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function embeddedJson(raw: unknown, what: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ProtobufDecodeError(`${what} does not contain valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function int64ToNumber(value: unknown, unsigned: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return protobuf.util.LongBits.from(value as protobuf.Long).toNumber(unsigned);
}

function scalarZero(field: protobuf.Field): unknown {
  if (field.resolvedType) return undefined;
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  if (field.type === 'bytes') return '';
  return 0;
}

function isZero(json: unknown): boolean {
  if (json === '' || json === 0 || json === false) return true;
  if (Array.isArray(json)) return json.length === 0;
  if (json !== null && typeof json === 'object') return Object.keys(json).length === 0;
  return false;
}
