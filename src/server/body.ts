/**
 * Request bodies: read with a size limit (413 past 3 MiB, as kube-apiserver), then decoded by
 * Content-Type: JSON, YAML, or Kubernetes protobuf (kubectl >= 1.32). Malformed input is a 400
 * Status with kube-apiserver's wording; nothing here throws anything but StatusError.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { badRequest, requestEntityTooLarge, unsupportedMediaType, StatusError } from '../api/status.js';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from './protobuf/index.js';
import { parseMediaType } from './negotiation.js';

export const maxRequestBodyBytes = 3 * 1024 * 1024;
/** Maximum nesting of JSON/YAML bodies (sigs.k8s.io/json uses 10000; objects never need more than a few dozen). */
export const maxBodyDepth = 10000;

export function readBody(req: IncomingMessage, limit = maxRequestBodyBytes): Promise<Buffer> {
  // The whole message already parsed (a small body usually arrives with its headers) and nobody
  // reading it yet: take the buffered bytes at once instead of flowing the stream.
  if (req.complete && req.readableFlowing === null && req.readableEncoding === null && req.readableLength <= limit) {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (!(declared > limit)) {
      const body = req.readableLength ? (req.read() as Buffer | null) : null;
      return Promise.resolve(body ?? Buffer.alloc(0));
    }
  }
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      reject(requestEntityTooLarge(`limit is ${limit}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(requestEntityTooLarge(`limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) {
        failed = true;
        reject(badRequest(`error reading request body: ${e.message}`));
      }
    });
  });
}

/** Maximum bracket nesting of a JSON text (strings skipped); stops early past `max`. */
export function jsonDepth(text: string, max = maxBodyDepth): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > max) return deepest;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

export interface DecodedBody {
  value: unknown;
  /** The JSON text when the body was JSON (for duplicate-field detection). */
  jsonText?: string;
  format: 'json' | 'yaml' | 'protobuf';
}

/** Parses JSON with the depth limit; errors are 400 with Go-like wording. */
export function parseJsonBody(text: string, what: string): unknown {
  // Nesting deeper than the limit needs at least 2 characters per level: short bodies skip the scan.
  if (text.length > 2 * maxBodyDepth && jsonDepth(text) > maxBodyDepth) throw badRequest(`${what}: json: exceeded max depth`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`${what}: ${jsonErrorText(e)}`);
  }
}

function jsonErrorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return `invalid character in JSON: ${m}`;
}

/** Nothing but whitespace (as String.prototype.trim defines it), tested without copying the text. */
const blank = /^\s*$/;

/**
 * Decodes a create/update body. `what` prefixes error messages, like upstream's
 * `ServiceAccount in version "v1" cannot be handled as a ServiceAccount`.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, what: string): DecodedBody {
  const mt = contentType === 'application/json' || !contentType ? 'application/json' : parseMediaType(contentType).type;
  if (mt === 'application/json' || mt === '' || mt === '*/*') {
    const text = body.toString('utf8');
    if (blank.test(text)) throw badRequest(`${what}: json: unexpected end of JSON input`);
    return { value: parseJsonBody(text, what), jsonText: text, format: 'json' };
  }
  if (mt === 'application/yaml' || mt === 'text/yaml' || mt === 'application/apply-patch+yaml') {
    return { value: parseYamlBody(body.toString('utf8'), what), format: 'yaml' };
  }
  if (mt === 'application/vnd.kubernetes.protobuf') {
    try {
      return { value: decodeKubernetesProtobuf(body).object, format: 'protobuf' };
    } catch (e) {
      if (e instanceof ProtobufDecodeError) throw badRequest(`${what}: ${e.message}`);
      throw e;
    }
  }
  throw unsupportedMediaType(mt);
}

export function parseYamlBody(text: string, what: string): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonBody(text, what);
  if (jsonDepth(text) > maxBodyDepth) throw badRequest(`${what}: yaml: exceeded max depth`);
  try {
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100, strict: true });
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw badRequest(`${what}: yaml: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}
