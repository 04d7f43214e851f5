/**
 * Small builders for authoring definitions in the compact Schema format of ../types.ts.
 * Conventions the rest of the code relies on:
 * - metav1.Time and metav1.MicroTime are an inline `{type:'string', format:'date-time'}` (the
 *   OpenAPI builder turns them back into refs to the upstream Time/MicroTime definitions).
 * - intstr.IntOrString is `{type:'string', format:'int-or-string'}`; resource.Quantity is
 *   `{type:'string', format:'quantity'}`; []byte is `{type:'string', format:'byte'}`.
 * - Lists default to atomic; `mapList` gives listType=map with merge keys as upstream tags say.
 */
import type {
  AnySchema,
  ArraySchema,
  BooleanSchema,
  IntegerSchema,
  MapSchema,
  NumberSchema,
  ObjectSchema,
  RefSchema,
  Schema,
  StringSchema,
} from '../types.js';

export const corePrefix = 'io.k8s.api.core.v1.';
export const metaPrefix = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

const d = <T extends object>(s: T, description?: string): T => (description ? { ...s, description } : s);

export const str = (description?: string, e?: { enum?: string[] }): StringSchema =>
  d({ type: 'string' as const, ...(e?.enum ? { enum: e.enum } : {}) }, description);
export const int32 = (description?: string): IntegerSchema => d({ type: 'integer' as const, format: 'int32' as const }, description);
export const int64 = (description?: string): IntegerSchema => d({ type: 'integer' as const, format: 'int64' as const }, description);
export const double = (description?: string): NumberSchema => d({ type: 'number' as const, format: 'double' as const }, description);
export const bool = (description?: string): BooleanSchema => d({ type: 'boolean' as const }, description);
export const time = (description?: string): StringSchema => d({ type: 'string' as const, format: 'date-time' }, description);
export const bytes = (description?: string): StringSchema => d({ type: 'string' as const, format: 'byte' }, description);
export const intOrString = (description?: string): StringSchema => d({ type: 'string' as const, format: 'int-or-string' }, description);
export const quantity = (description?: string): StringSchema => d({ type: 'string' as const, format: 'quantity' }, description);
export const any = (description?: string): AnySchema => d({ type: 'any' as const }, description);

export const ref = (name: string, description?: string, patchStrategy?: string): RefSchema =>
  d({ type: 'ref' as const, ref: name, ...(patchStrategy ? { patchStrategy } : {}) }, description);
/** A reference to a core/v1 definition by short name. */
export const coreRef = (short: string, description?: string, patchStrategy?: string): RefSchema =>
  ref(corePrefix + short, description, patchStrategy);
export const metaRef = (short: string, description?: string): RefSchema => ref(metaPrefix + short, description);

export const map = (values: Schema, description?: string): MapSchema => d({ type: 'map' as const, values }, description);
export const strMap = (description?: string): MapSchema => map(str(), description);
export const quantityMap = (description?: string): MapSchema => map(quantity(), description);

/** An atomic list (the default in SMP and SSA). */
export const list = (items: Schema, description?: string): ArraySchema =>
  d({ type: 'array' as const, items, listType: 'atomic' as const }, description);
export const strList = (description?: string): ArraySchema => list(str(), description);
/** A list with no list-type marker upstream (atomic by default, but no x-kubernetes-list-type emitted). */
export const plainList = (items: Schema, description?: string): ArraySchema => d({ type: 'array' as const, items }, description);

/** A set of scalars (`+listType=set`); `merge` adds `patchStrategy=merge` (SMP merges as a set). */
export const setList = (items: Schema, description?: string, merge = false): ArraySchema =>
  d({ type: 'array' as const, items, listType: 'set' as const, ...(merge ? { patchStrategy: 'merge' } : {}) }, description);

/**
 * `+listType=map +listMapKey=keys...`, and unless `patch` is false `+patchStrategy=merge
 * +patchMergeKey=<mergeKey|keys[0]>`; `patch` may also be a full strategy such as 'merge,retainKeys'.
 */
export function mapList(
  items: Schema,
  keys: string[],
  description?: string,
  patch: boolean | string = true,
  mergeKey?: string,
): ArraySchema {
  const s: ArraySchema = { type: 'array', items, listType: 'map', listMapKeys: keys };
  if (patch) {
    s.patchStrategy = patch === true ? 'merge' : patch;
    s.patchMergeKey = mergeKey ?? keys[0];
  }
  return d(s, description);
}

/** An SMP-merged list that is atomic for SSA (patch tags without listType=map). */
export const mergeList = (items: Schema, mergeKey: string, description?: string, listType: 'atomic' | 'set' = 'atomic'): ArraySchema =>
  d({ type: 'array' as const, items, listType, patchStrategy: 'merge', patchMergeKey: mergeKey }, description);

export const obj = (description: string, properties: Record<string, Schema>, required?: string[]): ObjectSchema =>
  required?.length ? { type: 'object', description, properties, required } : { type: 'object', description, properties };

export const apiVersionField = str(
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
);
export const kindField = str(
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
);
export const objectMetaField = (description = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"): RefSchema =>
  metaRef('ObjectMeta', description);
export const listMetaField = metaRef('ListMeta', 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds');

/** A top-level kind: apiVersion, kind and metadata first, then the kind's own fields. */
export const kindObj = (description: string, properties: Record<string, Schema>, required?: string[], metadataDescription?: string): ObjectSchema =>
  obj(description, { apiVersion: apiVersionField, kind: kindField, metadata: objectMetaField(metadataDescription), ...properties }, required);

/** The XList definition of a kind: apiVersion, kind, metadata (ListMeta), items. */
export const listObj = (kindDefinition: string, description: string, itemsDescription: string): ObjectSchema =>
  obj(description, { apiVersion: apiVersionField, items: plainList(ref(kindDefinition), itemsDescription), kind: kindField, metadata: listMetaField }, ['items']);
