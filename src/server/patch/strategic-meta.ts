/**
 * Patch metadata for strategic merge patch, read from the compact Schema (the struct tags
 * `patchStrategy` / `patchMergeKey` of k8s.io/api, which our schema carries on arrays and refs).
 * Mirrors strategicpatch.PatchMetaFromStruct, with one deliberate difference: a field the schema
 * does not know has no metadata (merged like a JSON merge patch) instead of failing, because the
 * stored object may hold fields our schema lacks. `$setElementOrder` lookups stay strict (upstream
 * errors), via `sliceMetaStrict`.
 */
import type { RefSchema, Schema, SchemaRegistry } from '../../api/schema/types.js';
import { internalPatchError } from './errors.js';

type Resolved = Exclude<Schema, RefSchema>;

export interface FieldMeta {
  /** The field's own schema (a list's ArraySchema, a struct's ref...); undefined when unknown. */
  schema: Schema | undefined;
  /** For lists: the element schema. */
  items: Schema | undefined;
  /** 'merge', 'replace' or '' (retainKeys is dropped: it needs no server-side action but `$retainKeys`). */
  strategy: string;
  /** x-kubernetes-patch-merge-key, '' when none. */
  mergeKey: string;
}

const noMeta: FieldMeta = { schema: undefined, items: undefined, strategy: '', mergeKey: '' };

/** Follows refs; `name` is the Go type name of the last definition reached (for error messages). */
export function resolveSchema(s: Schema | undefined, registry: SchemaRegistry): { schema?: Resolved; name: string } {
  let cur = s;
  let name = '';
  for (let hops = 0; cur && cur.type === 'ref'; hops++) {
    if (hops > 64) return { name };
    name = cur.ref.slice(cur.ref.lastIndexOf('.') + 1);
    cur = Object.prototype.hasOwnProperty.call(registry.definitions, cur.ref) ? registry.definitions[cur.ref] : undefined;
  }
  return cur ? { schema: cur, name } : { name };
}

/** The child schema of `key` in a struct (`object`) or Go map (`map`); undefined when unknown. */
function childSchema(parent: Resolved | undefined, key: string): Schema | undefined {
  if (!parent) return undefined;
  if (parent.type === 'object') {
    return Object.prototype.hasOwnProperty.call(parent.properties, key) ? parent.properties[key] : undefined;
  }
  if (parent.type === 'map') return parent.values;
  return undefined;
}

/** extractRetainKeysPatchStrategy: at most one strategy besides retainKeys. */
export function patchStrategyOf(raw: string | undefined): string {
  const parts = raw ? raw.split(',') : [];
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0] === 'retainKeys' ? '' : parts[0]!;
  if (parts.length === 2) {
    if (parts[0] === 'retainKeys') return parts[1]!;
    if (parts[1] === 'retainKeys') return parts[0]!;
  }
  throw internalPatchError(`unexpected patch strategy: [${parts.join(' ')}]`);
}

function metaOf(child: Schema | undefined): FieldMeta {
  if (!child) return noMeta;
  if (child.type === 'array') {
    return { schema: child, items: child.items, strategy: patchStrategyOf(child.patchStrategy), mergeKey: child.patchMergeKey ?? '' };
  }
  if (child.type === 'ref') return { schema: child, items: undefined, strategy: patchStrategyOf(child.patchStrategy), mergeKey: '' };
  return { ...noMeta, schema: child };
}

/** Metadata of field `key` of the map/struct described by `parent`; lenient for unknown fields. */
export function fieldMeta(parent: Schema | undefined, key: string, registry: SchemaRegistry): FieldMeta {
  return metaOf(childSchema(resolveSchema(parent, registry).schema, key));
}

/**
 * LookupPatchMetadataForSlice as `$setElementOrder/<key>` uses it: a struct without that field,
 * or a field that is not a list, is an error (500, upstream's plain error text).
 */
export function sliceMetaStrict(parent: Schema | undefined, key: string, registry: SchemaRegistry): FieldMeta {
  const { schema, name } = resolveSchema(parent, registry);
  if (!schema || (schema.type !== 'object' && schema.type !== 'map')) return noMeta;
  const child = childSchema(schema, key);
  if (!child) throw internalPatchError(`unable to find api field in struct ${name} for the json field ${JSON.stringify(key)}`);
  const resolvedChild = resolveSchema(child, registry).schema;
  if (resolvedChild && resolvedChild.type !== 'array' && resolvedChild.type !== 'any') {
    throw internalPatchError(`expected slice or array type, but got: ${goKindOf(parent, registry)}`);
  }
  return metaOf(child);
}

/** reflect.Kind of the Go type a schema stands for, as `Kind.String()` prints it. */
export function goKindOf(s: Schema | undefined, registry: SchemaRegistry): string {
  const r = resolveSchema(s, registry).schema;
  switch (r?.type) {
    case 'object':
      return 'struct';
    case 'map':
      return 'map';
    case 'array':
      return 'slice';
    case 'string':
      return 'string';
    case 'integer':
      return r.format ?? 'int64';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    default:
      return 'interface';
  }
}
