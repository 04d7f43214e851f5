/**
 * Writing responses: objects, lists (concatenated from pre-serialized items), Tables, Status
 * errors, Warning headers. Every response is JSON (or YAML when the client prefers it).
 */
import type { ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import type { KubeObject, Table, TableRow } from '../api/meta.js';
import type { Status } from '../api/status.js';
import type { OutputFormat } from './negotiation.js';
import type { TableConvertor } from '../registry/types.js';

export function setWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length || res.headersSent) return;
  const prev = res.getHeader('Warning');
  const list = Array.isArray(prev) ? prev.map(String) : prev ? [String(prev)] : [];
  for (const w of warnings) list.push(`299 - ${JSON.stringify(w)}`);
  res.setHeader('Warning', list);
}

export function writeRaw(res: ServerResponse, code: number, contentType: string, body: string | Buffer): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // writeHead with a flat list: no per-header setHeader bookkeeping when nothing was set before;
  // headers set earlier (Warning, Retry-After) are kept and these override theirs, as setHeader would.
  res.writeHead(code, ['Content-Type', contentType, 'Cache-Control', 'no-cache, private', 'Content-Length', typeof body === 'string' ? Buffer.byteLength(body) : body.length]);
  if (typeof body !== 'string' && body.length > streamPieceBytes) {
    writePieces(res, body);
    return;
  }
  res.end(body);
}

const streamPieceBytes = 256 * 1024;

/**
 * Large bodies go out in pieces, each written when the socket drains, so TLS encryption of the
 * rest overlaps with the client reading the first bytes (a LIST of thousands of objects starts
 * arriving at once instead of after the whole body is encrypted).
 */
function writePieces(res: ServerResponse, body: Buffer): void {
  let at = 0;
  const next = () => {
    while (at < body.length) {
      const piece = body.subarray(at, Math.min(body.length, at + streamPieceBytes));
      at += piece.length;
      if (at >= body.length) {
        res.end(piece);
        return;
      }
      if (!res.write(piece)) {
        res.once('drain', next);
        return;
      }
    }
  };
  res.once('close', () => (at = body.length));
  next();
}

export function writeJsonText(res: ServerResponse, code: number, json: string | Buffer, format: OutputFormat = { kind: 'json' }): void {
  if (format.kind === 'yaml') {
    writeRaw(res, code, 'application/yaml', toYaml(JSON.parse(json.toString())));
    return;
  }
  writeRaw(res, code, 'application/json', json);
}

export function writeJson(res: ServerResponse, code: number, value: unknown, format: OutputFormat = { kind: 'json' }): void {
  if (format.kind === 'yaml') {
    writeRaw(res, code, 'application/yaml', toYaml(value));
    return;
  }
  writeRaw(res, code, 'application/json', JSON.stringify(value));
}

export function writeStatus(res: ServerResponse, status: Status): void {
  writeJson(res, status.code || 500, status);
}

/** PartialObjectMetadata for a Table row or metadata-only responses. */
export function partialObjectMetadata(obj: KubeObject, version: 'v1' | 'v1beta1' = 'v1'): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function tableRows(conv: TableConvertor, objs: KubeObject[], now: number, include: IncludeObject, version: 'v1' | 'v1beta1'): TableRow[] {
  return objs.map((o) => {
    const row: TableRow = { cells: conv.cells(o, now) };
    if (include === 'Metadata') row.object = partialObjectMetadata(o, version);
    else if (include === 'Object') row.object = o;
    return row;
  });
}

export function buildTable(
  conv: TableConvertor,
  objs: KubeObject[],
  meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  now: number,
  include: IncludeObject,
  version: 'v1' | 'v1beta1',
  withColumns = true,
): Table {
  const t: Table = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}` as 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: withColumns ? conv.columns : [],
    rows: tableRows(conv, objs, now, include, version),
  };
  return t;
}

/**
 * `{"kind":"XList","apiVersion":"v1","metadata":{...},"items":[<json>,<json>]}` assembled from the
 * items' cached JSON bytes in one allocation, without re-serializing them.
 */
export function listJson(kind: string, apiVersion: string, meta: Record<string, unknown>, items: Buffer[]): Buffer {
  const head = Buffer.from(`{"kind":${JSON.stringify(kind)},"apiVersion":${JSON.stringify(apiVersion)},"metadata":${JSON.stringify(meta)},"items":[`);
  let size = head.length + 2 + Math.max(0, items.length - 1);
  for (const b of items) size += b.length;
  const out = Buffer.allocUnsafe(size);
  let at = head.copy(out, 0);
  for (let i = 0; i < items.length; i++) {
    if (i) out[at++] = 0x2c;
    at += items[i]!.copy(out, at);
  }
  out[at++] = 0x5d;
  out[at++] = 0x7d;
  return out;
}
