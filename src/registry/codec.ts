/**
 * How objects are stored: JSON bytes without metadata.resourceVersion (the storage revision is the
 * resourceVersion, set on the way out, as kube-apiserver's etcd3 store does).
 */
import type { KubeObject } from '../api/meta.js';
import type { KeyValue } from '../storage/backend.js';

const decoder = new TextDecoder();

/** Serializes for storage; the object is not modified. */
export function encodeForStorage(obj: KubeObject): Uint8Array {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return Buffer.from(JSON.stringify(obj));
  delete obj.metadata.resourceVersion;
  try {
    return Buffer.from(JSON.stringify(obj));
  } finally {
    obj.metadata.resourceVersion = rv;
  }
}

/** Parses a stored version and stamps its resourceVersion. */
export function decodeFromStorage(kv: KeyValue): KubeObject {
  const obj = JSON.parse(decoder.decode(kv.value)) as KubeObject;
  obj.metadata.resourceVersion = String(kv.modRevision);
  return obj;
}

const metadataOpen = Buffer.from('"metadata":{');

/**
 * The JSON bytes of a stored version with its resourceVersion, made by splicing
 * `"resourceVersion":"N"` into the stored bytes (no re-serialization). Relies on the top-level
 * order kind, apiVersion, metadata that `orderTopLevel` gives; undefined when the bytes do not
 * start that way.
 */
export function spliceResourceVersion(value: Uint8Array, revision: number): Buffer | undefined {
  const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const i = buf.indexOf(metadataOpen);
  if (i < 0 || i > 256) return undefined;
  const head = buf.subarray(0, i).toString('latin1');
  if (!/^\{"kind":"[A-Za-z0-9]*","apiVersion":"[A-Za-z0-9./-]*",$/.test(head)) return undefined;
  const at = i + metadataOpen.length;
  const rv = Buffer.from(`"resourceVersion":"${revision}"${buf[at] === 0x7d ? '' : ','}`);
  return Buffer.concat([buf.subarray(0, at), rv, buf.subarray(at)]);
}

/** Puts kind, apiVersion, metadata first (Go struct order), keeping the rest in place. */
export function orderTopLevel(obj: KubeObject): KubeObject {
  const { kind, apiVersion, metadata, ...rest } = obj;
  return { kind, apiVersion, metadata, ...rest } as KubeObject;
}

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
