/**
 * The OpenAPI documents kube-apiserver serves, built from src/api/resources.ts and the schema
 * registry, computed once on first use and cached (they are static for the process lifetime).
 *
 * How to serve them (the HTTP layer does this; no handlers live here):
 * - `GET /openapi/v3` → `v3Root()` as `application/json`.
 * - `GET /openapi/v3/<gvPath>` (e.g. `api/v1`, `apis/rbac.authorization.k8s.io/v1`; the `?hash=`
 *   query is advisory) → `v3Document(gvPath).body` as `application/json`, with
 *   `Etag: "<etag>"`; 404 when undefined. The hash in the root's URLs equals the etag (uppercase
 *   hex SHA-512 of the body), so `Cache-Control: public, immutable` would be safe for hashed URLs.
 * - `GET /openapi/v2` → `v2Protobuf()` as **`application/octet-stream`** when Accept mentions
 *   `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (kubectl 1.27/1.28 send that and
 *   fail to parse that media type when it is echoed back), otherwise `v2Json()` as
 *   `application/json`.
 */
import { allResources, type ResourceInfo } from '../../api/resources.js';
import { schemaRegistry } from '../../api/schema/registry.js';
import type { SchemaRegistry } from '../../api/schema/types.js';
import { allOperations, type OperationSpec } from './operations.js';
import type { JsonObject } from './schema-convert.js';
import { buildV2Document } from './v2.js';
import { encodeV2Protobuf } from './v2-proto.js';
import { buildV3Documents, type V3Documents } from './v3.js';

export interface OpenApiDocuments {
  /** The `/openapi/v3` discovery document: `{"paths": {"api/v1": {"serverRelativeURL": …}, …}}`. */
  v3Root(): object;
  /** One group-version document by its path below /openapi/v3/ (no leading slash, no query). */
  v3Document(gvPath: string): { body: string; etag: string } | undefined;
  /** The Swagger 2.0 document as JSON text. */
  v2Json(): string;
  /** The Swagger 2.0 document as gnostic openapi.v2.Document protobuf bytes. */
  v2Protobuf(): Uint8Array;
}

export interface OpenApiOptions {
  resources?: ResourceInfo[];
  registry?: SchemaRegistry;
  /** `info.version` of the documents. */
  serverVersion?: string;
}

export function createOpenApiDocuments(options: OpenApiOptions = {}): OpenApiDocuments {
  const resources = options.resources ?? allResources;
  const registry = options.registry ?? schemaRegistry;
  const serverVersion = options.serverVersion ?? 'v1.32.0';
  let operations: OperationSpec[] | undefined;
  let v3: V3Documents | undefined;
  let v2: JsonObject | undefined;
  let v2Text: string | undefined;
  let v2Bytes: Uint8Array | undefined;
  const ops = () => (operations ??= allOperations(resources, registry));
  const v3Docs = () => (v3 ??= buildV3Documents(ops(), registry, serverVersion));
  const v2Doc = () => (v2 ??= buildV2Document(ops(), registry, serverVersion));
  return {
    v3Root: () => v3Docs().root,
    v3Document: (gvPath) => v3Docs().documents.get(gvPath.replace(/^\/+|\/+$/g, '').split('?')[0]!),
    v2Json: () => (v2Text ??= JSON.stringify(v2Doc())),
    v2Protobuf: () => (v2Bytes ??= encodeV2Protobuf(v2Doc())),
  };
}
