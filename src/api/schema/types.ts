/**
 * A compact structural schema of the kinds we serve, written once and used for:
 * the OpenAPI v2/v3 documents (kubectl explain, apply, field validation), strict decoding
 * (unknown-field detection for fieldValidation=Strict/Warn), and strategic merge patch
 * (list strategies and merge keys). Field names, list types and merge keys follow the
 * upstream Go struct tags of k8s.io/api v0.32.
 */

export interface SchemaBase {
  description?: string;
}

export interface StringSchema extends SchemaBase {
  type: 'string';
  /** OpenAPI format: 'byte' (base64), 'date-time', 'int-or-string', 'quantity'... */
  format?: string;
  enum?: string[];
}
export interface IntegerSchema extends SchemaBase {
  type: 'integer';
  format?: 'int32' | 'int64';
}
export interface NumberSchema extends SchemaBase {
  type: 'number';
  format?: 'double';
}
export interface BooleanSchema extends SchemaBase {
  type: 'boolean';
}
/** A Go struct: known properties; unknown fields are rejected in Strict mode. */
export interface ObjectSchema extends SchemaBase {
  type: 'object';
  properties: Record<string, Schema>;
  required?: string[];
}
/** A Go map[string]T. */
export interface MapSchema extends SchemaBase {
  type: 'map';
  values: Schema;
}
/** A Go slice. */
export interface ArraySchema extends SchemaBase {
  type: 'array';
  items: Schema;
  /** x-kubernetes-list-type; default 'atomic'. */
  listType?: 'atomic' | 'map' | 'set';
  /** x-kubernetes-list-map-keys when listType is 'map'. */
  listMapKeys?: string[];
  /** x-kubernetes-patch-strategy: 'merge', 'merge,retainKeys', 'replace'; absent = replace whole list in SMP. */
  patchStrategy?: string;
  /** x-kubernetes-patch-merge-key. */
  patchMergeKey?: string;
}
/** A reference to a named definition in the schema registry (e.g. 'io.k8s.api.core.v1.ObjectReference'). */
export interface RefSchema extends SchemaBase {
  type: 'ref';
  ref: string;
  /** x-kubernetes-patch-strategy on a struct field, e.g. 'retainKeys' on volume sources. */
  patchStrategy?: string;
}
/** Free-form JSON (RawExtension, FieldsV1, JSON): anything accepted, no unknown-field checks inside. */
export interface AnySchema extends SchemaBase {
  type: 'any';
}

export type Schema =
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | ObjectSchema
  | MapSchema
  | ArraySchema
  | RefSchema
  | AnySchema;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Named definitions, keyed by OpenAPI definition name (io.k8s.api.core.v1.ServiceAccount). */
export interface SchemaRegistry {
  definitions: Record<string, ObjectSchema>;
  /** Definition name for each top-level kind. */
  kinds: Array<{ gvk: GroupVersionKind; definition: string }>;
}
