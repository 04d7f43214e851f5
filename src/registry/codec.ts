/**
 * How objects are stored: JSON bytes without metadata.resourceVersion (the storage revision is the
 * resourceVersion, set on the way out, as kube-apiserver's etcd3 store does).
 */
import type { KubeObject } from '../api/meta.js';
import type { KeyValue } from '../storage/backend.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Serializes for storage; the object is not modified. */
export function encodeForStorage(obj: KubeObject): Uint8Array {
  const rv = obj.metadata.resourceVersion;
  if (rv === undefined) return encoder.encode(JSON.stringify(obj));
  delete obj.metadata.resourceVersion;
  try {
    return encoder.encode(JSON.stringify(obj));
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

/** Puts kind, apiVersion, metadata first (Go struct order), keeping the rest in place. */
export function orderTopLevel(obj: KubeObject): KubeObject {
  const { kind, apiVersion, metadata, ...rest } = obj;
  return { kind, apiVersion, metadata, ...rest } as KubeObject;
}

/** Deep copy of a JSON value. */
export function clone<T>(v: T): T {
  return structuredClone(v);
}
