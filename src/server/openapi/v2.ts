/**
 * The Swagger 2.0 document (`/openapi/v2`) of everything served: every operation and every
 * definition of the registry, with the same vendor extensions as the v3 documents.
 */
import type { SchemaRegistry } from '../../api/schema/types.js';
import type { OperationSpec, ParameterSpec } from './operations.js';
import { convertClosure, extraDefinitions, type Json, type JsonObject, patchDefinition } from './schema-convert.js';

const ref = (name: string): JsonObject => ({ $ref: `#/definitions/${name}` });

function parameter(p: ParameterSpec, bodyDefinition?: string, required?: boolean): JsonObject {
  if (p.in === 'body') return { in: 'body', name: 'body', required: !!required, schema: ref(bodyDefinition!) };
  const out: JsonObject = { description: p.description, in: p.in, name: p.name };
  if (p.required) out.required = true;
  out.type = p.type;
  out.uniqueItems = true;
  return out;
}

function operation(o: OperationSpec): JsonObject {
  const parameters: JsonObject[] = [];
  if (o.requestBody) {
    parameters.push(parameter({ name: 'body', in: 'body', type: 'string', description: '' }, o.requestBody === patchDefinition ? patchDefinition : o.requestBody, o.requestRequired));
  }
  parameters.push(...o.parameters.map((p) => parameter(p)));
  const responses: JsonObject = {};
  for (const [code, def] of Object.entries(o.responses)) {
    const description = code === '200' ? 'OK' : code === '201' ? 'Created' : code === '202' ? 'Accepted' : 'Unauthorized';
    responses[code] = def ? { description, schema: ref(def) } : { description };
  }
  return {
    consumes: o.consumes ?? ['*/*'],
    description: o.description,
    operationId: o.operationId,
    parameters,
    produces: o.produces,
    responses,
    schemes: ['https'],
    tags: [o.tag],
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': { group: o.gvk.group, kind: o.gvk.kind, version: o.gvk.version },
  };
}

/** The whole Swagger 2.0 document as a JSON value. */
export function buildV2Document(operations: OperationSpec[], registry: SchemaRegistry, serverVersion: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const o of operations) {
    const item = (paths[o.path] ??= { parameters: o.pathParameters.map((p) => parameter(p)) });
    item[o.method] = operation(o);
  }
  const sortedPaths: JsonObject = {};
  for (const k of Object.keys(paths).sort()) sortedPaths[k] = paths[k]!;
  const definitions = convertClosure('v2', registry, [...Object.keys(registry.definitions), ...Object.keys(extraDefinitions)]);
  return {
    definitions: definitions as Record<string, Json>,
    info: { title: 'Kubernetes', version: serverVersion },
    paths: sortedPaths,
    security: [{ BearerToken: [] }],
    securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', in: 'header', name: 'authorization', type: 'apiKey' } },
    swagger: '2.0',
  };
}
