/**
 * Decoding Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`, sent by
 * kubectl >= 1.32) into the JSON object the same request would have carried as JSON.
 *
 * Envelope: magic `k8s\0`, then runtime.Unknown {typeMeta, raw, contentEncoding, contentType};
 * `raw` is the kind's message. Mapping to JSON follows Go's encoding/json of the decoded struct:
 * `omitempty` zero values dropped (Go writes them on the wire), pointer fields kept, Time as
 * RFC 3339, bytes as base64, FieldsV1 as embedded JSON.
 */
import protobuf from 'protobufjs';
import { jsonNames, kindMessages, kubeProto, pointerFields } from './schema.js';

export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
let root: protobuf.Root | undefined;

function types(): protobuf.Root {
  if (!root) root = protobuf.parse(kubeProto, { keepCase: true }).root;
  return root;
}

function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** Converts a decoded message to its JSON form (see module doc). */
function toJson(type: protobuf.Type, msg: protobuf.Message): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  const m = msg as unknown as Record<string, unknown>;
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(m, field.name)) continue;
    const value = m[field.name];
    const qualified = `${type.name}.${field.name}`;
    const name = jsonNames[qualified] ?? field.name;
    field.resolve();
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    const conv = (v: unknown): unknown => {
      if (sub) {
        if (sub.name === 'Time') {
          const t = v as { seconds?: number | { toNumber(): number }; nanos?: number };
          const s = typeof t.seconds === 'object' && t.seconds ? t.seconds.toNumber() : Number(t.seconds ?? 0);
          return s === 0 && !t.nanos ? undefined : rfc3339(s);
        }
        if (sub.name === 'FieldsV1') {
          const raw = (v as { Raw?: Uint8Array }).Raw;
          if (!raw || raw.length === 0) return undefined;
          try {
            return JSON.parse(Buffer.from(raw).toString('utf8'));
          } catch {
            throw new ProtobufDecodeError('invalid FieldsV1 JSON');
          }
        }
        if (sub.name === 'ExtraValue') return ((v as { items?: string[] }).items ?? []).slice();
        return toJson(sub, v as protobuf.Message) ?? {};
      }
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      if (typeof v === 'object' && v !== null && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
      return v;
    };
    if (field.map) {
      const entries = Object.entries((value as Record<string, unknown>) ?? {});
      if (!entries.length) continue;
      const obj: Record<string, unknown> = {};
      for (const [k, v] of entries) obj[k] = conv(v);
      out[name] = obj;
      continue;
    }
    if (field.repeated) {
      const arr = (value as unknown[]) ?? [];
      if (!arr.length) continue;
      out[name] = arr.map(conv);
      continue;
    }
    const v = conv(value);
    if (v === undefined) continue;
    const pointer = pointerFields.has(qualified);
    if (!pointer && (v === '' || v === 0 || v === false)) continue;
    if (sub && sub.name !== 'Time' && typeof v === 'object' && v && !Array.isArray(v) && Object.keys(v).length === 0 && !['metadata', 'spec', 'status'].includes(name)) {
      continue;
    }
    out[name] = v;
  }
  return out;
}

/**
 * Decodes one protobuf body. Throws ProtobufDecodeError for a bad envelope, malformed bytes or a
 * kind this server does not accept as protobuf.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): { apiVersion: string; kind: string; object: Record<string, unknown> } {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (buf.length < 4 || !buf.subarray(0, 4).equals(magic)) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  const r = types();
  let unknown: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
  try {
    unknown = r.lookupType('Unknown').decode(buf.subarray(4)) as unknown as typeof unknown;
  } catch (e) {
    throw new ProtobufDecodeError(`unable to decode the protobuf envelope: ${e instanceof Error ? e.message : String(e)}`);
  }
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  if (unknown.contentEncoding) throw new ProtobufDecodeError(`unsupported content encoding ${JSON.stringify(unknown.contentEncoding)}`);
  const messageName = kindMessages[`${apiVersion}/${kind}`];
  if (!messageName) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}" in protobuf`);
  const type = r.lookupType(messageName);
  let msg: protobuf.Message;
  try {
    msg = type.decode(unknown.raw ?? new Uint8Array(0));
  } catch (e) {
    throw new ProtobufDecodeError(`unable to decode ${kind}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fields = toJson(type, msg) ?? {};
  if (fields.metadata && typeof fields.metadata === 'object' && Object.keys(fields.metadata).length === 0) delete fields.metadata;
  return { apiVersion, kind, object: { apiVersion, kind, ...fields } };
}
