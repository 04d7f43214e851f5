/**
 * Decoding of Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`, sent by
 * kubectl >= 1.32 for `create <kind>`, `create token`, `auth can-i`, `auth whoami`) into the JSON
 * object the same request would have carried as JSON. The server answers in JSON, so only
 * decoding exists here.
 *
 * Envelope: magic `k8s\0`, then runtime.Unknown {typeMeta{apiVersion, kind}, raw, contentEncoding,
 * contentType}; `raw` is the kind's own message (schema.ts), converted by to-json.ts.
 */
import type protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.js';
import { kubernetesProtobufSchema } from './schema.js';
import { messageToJson } from './to-json.js';

/** The prefix of every Kubernetes protobuf object: "k8s" and a zero byte. */
const magic = [0x6b, 0x38, 0x73, 0x00] as const;
const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/** A decoded body: the envelope's type and the object in its JSON form. */
export interface DecodedKubernetesProtobuf {
  apiVersion: string;
  kind: string;
  /**
   * The object as Kubernetes would have received it in JSON, with `apiVersion` and `kind` set
   * from the envelope (first keys). A fresh plain object the caller may mutate.
   */
  object: Record<string, unknown>;
}

/**
 * Decodes one Kubernetes protobuf body. Pure and synchronous; bounded work for any input (protobufjs
 * checks lengths and nesting depth). Throws {@link ProtobufDecodeError} — and nothing else — for a
 * missing magic, truncated or malformed bytes, an apiVersion/kind not listed in
 * `isKubernetesProtobufKindSupported`, a non-empty contentEncoding, or a contentType other than
 * protobuf.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): DecodedKubernetesProtobuf {
  if (body.length < magic.length || magic.some((byte, i) => body[i] !== byte)) {
    throw new ProtobufDecodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${magic.join(' ')}]`,
    );
  }
  const schema = kubernetesProtobufSchema();
  const envelope = decodeWith(schema.envelope, body.subarray(magic.length), 'envelope') as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
    contentEncoding?: string;
    contentType?: string;
  };
  if (envelope.contentEncoding) {
    throw new ProtobufDecodeError(`unsupported protobuf contentEncoding "${envelope.contentEncoding}"; only "" is accepted`);
  }
  if (envelope.contentType && envelope.contentType !== protobufMediaType) {
    throw new ProtobufDecodeError(`unsupported protobuf contentType "${envelope.contentType}"; only "${protobufMediaType}" is accepted`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (kind === '') throw new ProtobufDecodeError("Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') throw new ProtobufDecodeError("Object 'apiVersion' is missing in the protobuf envelope");
  const type = schema.kindType(apiVersion, kind);
  if (!type) throw new ProtobufDecodeError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  const message = decodeWith(type, envelope.raw ?? new Uint8Array(0), kind);
  return { apiVersion, kind, object: { apiVersion, kind, ...messageToJson(type, message) } };
}

function decodeWith(type: protobuf.Type, bytes: Uint8Array, what: string): protobuf.Message {
  try {
    return type.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProtobufDecodeError(`malformed protobuf ${what}: ${reason}`, { cause: error });
  }
}
