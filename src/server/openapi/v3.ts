/**
 * OpenAPI v3 documents, one per group-version (`/openapi/v3/api/v1`,
 * `/openapi/v3/apis/<group>/<version>`), and the `/openapi/v3` root that lists them with a
 * content hash in each URL, as kube-apiserver serves them.
 */
import { createHash } from 'node:crypto';
import type { SchemaRegistry } from '../../api/schema/types.js';
import { registryGroupVersions } from '../../api/schema/registry.js';
import { gvPathOf, type OperationSpec, type ParameterSpec } from './operations.js';
import { convertClosure, type Json, type JsonObject, patchDefinition } from './schema-convert.js';

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

function parameter(p: ParameterSpec): JsonObject {
  const out: JsonObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function operation(o: OperationSpec): JsonObject {
  const out: JsonObject = { description: o.description, operationId: o.operationId };
  if (o.parameters.length) out.parameters = o.parameters.map(parameter);
  if (o.requestBody) {
    const content: JsonObject = {};
    if (o.requestBody === patchDefinition) {
      for (const media of o.consumes ?? []) content[media] = { schema: ref(patchDefinition) };
    } else {
      content['*/*'] = { schema: ref(o.requestBody) };
    }
    out.requestBody = o.requestRequired ? { content, required: true } : { content };
  }
  const responses: JsonObject = {};
  for (const [code, def] of Object.entries(o.responses)) {
    const description = code === '200' ? 'OK' : code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'Unauthorized';
    if (!def) {
      responses[code] = { description };
      continue;
    }
    const content: JsonObject = {};
    for (const media of o.produces) content[media] = { schema: ref(def) };
    responses[code] = { content, description };
  }
  out.responses = responses;
  out.tags = [o.tag];
  out['x-kubernetes-action'] = o.action;
  out['x-kubernetes-group-version-kind'] = { group: o.gvk.group, kind: o.gvk.kind, version: o.gvk.version };
  return out;
}

/** Definitions an operation's bodies name. */
export function operationDefinitions(o: OperationSpec): string[] {
  const names = Object.values(o.responses).filter((d): d is string => !!d);
  if (o.requestBody) names.push(o.requestBody);
  return names;
}

/** The v3 document of one group-version: its paths and every schema they and its kinds need. */
export function buildV3Document(gvPath: string, operations: OperationSpec[], registry: SchemaRegistry, serverVersion: string): JsonObject {
  const paths: JsonObject = {};
  const roots = new Set<string>();
  for (const k of registry.kinds) if (gvPathOf(k.gvk.group, k.gvk.version) === gvPath) roots.add(k.definition);
  for (const o of operations) {
    if (o.gvPath !== gvPath) continue;
    const item = (paths[o.path] ??= { parameters: o.pathParameters.map(parameter) }) as JsonObject;
    item[o.method] = operation(o);
    for (const d of operationDefinitions(o)) roots.add(d);
  }
  const sortedPaths: JsonObject = {};
  for (const k of Object.keys(paths).sort()) sortedPaths[k] = paths[k]!;
  return {
    components: {
      schemas: convertClosure('v3', registry, roots) as Record<string, Json>,
      securitySchemes: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    },
    info: { title: 'Kubernetes', version: serverVersion },
    openapi: '3.0.0',
    paths: sortedPaths,
    security: [{ BearerToken: [] }],
  };
}

export interface V3Documents {
  /** `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`. */
  root: JsonObject;
  /** Serialized documents and their hashes (uppercase hex SHA-512), keyed by group-version path. */
  documents: Map<string, { body: string; etag: string }>;
}

/** Every group-version that has kinds in the registry or operations, with its document. */
export function buildV3Documents(operations: OperationSpec[], registry: SchemaRegistry, serverVersion: string): V3Documents {
  const gvPaths = new Set(registryGroupVersions(registry).map((gv) => gvPathOf(gv.group, gv.version)));
  for (const o of operations) gvPaths.add(o.gvPath);
  const documents = new Map<string, { body: string; etag: string }>();
  const rootPaths: JsonObject = {};
  for (const gvPath of [...gvPaths].sort()) {
    const body = JSON.stringify(buildV3Document(gvPath, operations, registry, serverVersion));
    const etag = createHash('sha512').update(body).digest('hex').toUpperCase();
    documents.set(gvPath, { body, etag });
    rootPaths[gvPath] = { serverRelativeURL: `/openapi/v3/${gvPath}?hash=${etag}` };
  }
  return { root: { paths: rootPaths }, documents };
}
