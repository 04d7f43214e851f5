/**
 * Converts the compact Schema registry into OpenAPI schema objects the way kube-openapi prints
 * them: v3 (`components.schemas`, refs as `{"allOf":[{"$ref":…}]}` when the ref carries siblings)
 * and Swagger 2.0 (`definitions`, refs as `{"$ref":…, "description":…}`), with the Kubernetes
 * vendor extensions (group-version-kind, list type and map keys, patch strategy and merge key).
 */
import type { GroupVersionKind, ObjectSchema, Schema, SchemaRegistry } from '../../api/schema/types.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type OpenApiFlavor = 'v2' | 'v3';

const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const timeDefinition = meta + 'Time';
export const microTimeDefinition = meta + 'MicroTime';
export const intOrStringDefinition = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const quantityDefinition = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const patchDefinition = meta + 'Patch';

/** Definitions that are not objects (or have no fields), emitted only when referenced. */
export const extraDefinitions: Record<string, JsonObject> = {
  [timeDefinition]: {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    format: 'date-time',
    type: 'string',
  },
  [microTimeDefinition]: {
    description: 'MicroTime is version of Time with microsecond level precision.',
    format: 'date-time',
    type: 'string',
  },
  [intOrStringDefinition]: {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    format: 'int-or-string',
    type: 'string',
  },
  [quantityDefinition]: {
    description: 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= <signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the "" case in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= <digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits> <sign>            ::= "+" | "-" <signedNumber>    ::= <number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n<decimalSI>       ::= m | "" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki but 1000 = 1k; I didn\'t choose the capitalization.)\n\n<decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber> ```',
    type: 'string',
  },
  [patchDefinition]: {
    description: 'Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.',
    type: 'object',
  },
};

/**
 * kube-openapi emits IntOrString and Quantity in v3 as `oneOf` without a `type` (their
 * OpenAPIV3OneOfTypes), which is also why `kubectl explain` prints `<IntOrString>` and
 * `<map[string]Quantity>` for them; v2 keeps `type: string`.
 */
const v3Overrides: Record<string, JsonObject> = {
  [intOrStringDefinition]: {
    description: extraDefinitions[intOrStringDefinition]!.description!,
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [quantityDefinition]: {
    description: extraDefinitions[quantityDefinition]!.description!,
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
};

/** Fields that are metav1.MicroTime upstream (the registry spells every time as date-time). */
const microTimeFields = new Set([
  'io.k8s.api.core.v1.Event.eventTime',
  'io.k8s.api.core.v1.EventSeries.lastObservedTime',
  'io.k8s.api.coordination.v1.LeaseSpec.acquireTime',
  'io.k8s.api.coordination.v1.LeaseSpec.renewTime',
]);

export const refPrefix = (flavor: OpenApiFlavor): string => (flavor === 'v3' ? '#/components/schemas/' : '#/definitions/');

/** A reference; `siblings` (description, default, extensions) force the v3 allOf form. */
function refTo(flavor: OpenApiFlavor, name: string, siblings: JsonObject): JsonObject {
  const $ref = refPrefix(flavor) + name;
  if (flavor === 'v2') return { $ref, ...siblings };
  return Object.keys(siblings).length ? { allOf: [{ $ref }], ...siblings } : { $ref };
}

type Position = 'property' | 'items' | 'values';

function convert(flavor: OpenApiFlavor, s: Schema, position: Position, fieldKey?: string): JsonObject {
  const desc: JsonObject = s.description ? { description: s.description } : {};
  switch (s.type) {
    case 'string': {
      if (s.format === 'date-time') {
        return refTo(flavor, fieldKey && microTimeFields.has(fieldKey) ? microTimeDefinition : timeDefinition, desc);
      }
      if (s.format === 'int-or-string') return refTo(flavor, intOrStringDefinition, desc);
      if (s.format === 'quantity') return refTo(flavor, quantityDefinition, desc);
      const out: JsonObject = { ...desc, type: 'string' };
      if (s.format) out.format = s.format;
      if (s.enum) out.enum = [...s.enum];
      return out;
    }
    case 'integer':
      return { ...desc, format: s.format ?? 'int64', type: 'integer' };
    case 'number':
      return { ...desc, format: s.format ?? 'double', type: 'number' };
    case 'boolean':
      return { ...desc, type: 'boolean' };
    case 'any':
      return { ...desc, type: 'object' };
    case 'ref': {
      const siblings: JsonObject = { ...desc };
      // Upstream gives struct-typed list items an empty default, which forces the allOf form.
      if (position === 'items' && flavor === 'v3') siblings.default = {};
      if (s.patchStrategy) siblings['x-kubernetes-patch-strategy'] = s.patchStrategy;
      return refTo(flavor, s.ref, siblings);
    }
    case 'map':
      return { ...desc, additionalProperties: convert(flavor, s.values, 'values'), type: 'object' };
    case 'array': {
      const out: JsonObject = { ...desc, items: convert(flavor, s.items, 'items'), type: 'array' };
      if (s.listMapKeys?.length) out['x-kubernetes-list-map-keys'] = [...s.listMapKeys];
      if (s.listType) out['x-kubernetes-list-type'] = s.listType;
      if (s.patchMergeKey) out['x-kubernetes-patch-merge-key'] = s.patchMergeKey;
      if (s.patchStrategy) out['x-kubernetes-patch-strategy'] = s.patchStrategy;
      return out;
    }
    case 'object':
      return convertObject(flavor, s);
  }
}

function convertObject(flavor: OpenApiFlavor, s: ObjectSchema, name?: string): JsonObject {
  const properties: JsonObject = {};
  for (const key of Object.keys(s.properties).sort()) {
    properties[key] = convert(flavor, s.properties[key]!, 'property', name ? `${name}.${key}` : undefined);
  }
  const out: JsonObject = {};
  if (s.description) out.description = s.description;
  if (Object.keys(properties).length) out.properties = properties;
  if (s.required?.length) out.required = [...s.required];
  out.type = 'object';
  return out;
}

/** GVKs per definition name, sorted the way kube-openapi lists them (group, kind, version). */
export function gvksByDefinition(registry: SchemaRegistry): Map<string, GroupVersionKind[]> {
  const m = new Map<string, GroupVersionKind[]>();
  for (const k of registry.kinds) {
    const list = m.get(k.definition) ?? [];
    list.push(k.gvk);
    m.set(k.definition, list);
  }
  for (const list of m.values()) {
    list.sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind) || a.version.localeCompare(b.version));
  }
  return m;
}

export const gvkJson = (g: GroupVersionKind): JsonObject => ({ group: g.group, kind: g.kind, version: g.version });

/** One named definition as an OpenAPI schema object, with its GVK list when it is a kind. */
export function convertDefinition(flavor: OpenApiFlavor, registry: SchemaRegistry, name: string, gvks?: GroupVersionKind[]): JsonObject | undefined {
  const extra = (flavor === 'v3' ? v3Overrides[name] : undefined) ?? extraDefinitions[name];
  if (extra) return structuredClone(extra);
  const def = registry.definitions[name];
  if (!def) return undefined;
  const out = convertObject(flavor, def, name);
  if (gvks?.length) out['x-kubernetes-group-version-kind'] = gvks.map(gvkJson);
  return out;
}

/** Definition names referenced anywhere inside a converted JSON value. */
export function referencedNames(value: Json, flavor: OpenApiFlavor, into: Set<string> = new Set()): Set<string> {
  const prefix = refPrefix(flavor);
  const stack: Json[] = [value];
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string' && child.startsWith(prefix)) into.add(child.slice(prefix.length));
        else if (child && typeof child === 'object') stack.push(child);
      }
    }
  }
  return into;
}

/**
 * The converted definitions for `roots` and everything they reference, sorted by name. Names
 * that are neither in the registry nor extras are left out (the registry test guards that).
 */
export function convertClosure(flavor: OpenApiFlavor, registry: SchemaRegistry, roots: Iterable<string>): Record<string, JsonObject> {
  const gvks = gvksByDefinition(registry);
  const done = new Map<string, JsonObject>();
  const todo = [...roots];
  while (todo.length) {
    const name = todo.pop()!;
    if (done.has(name)) continue;
    const converted = convertDefinition(flavor, registry, name, gvks.get(name));
    if (!converted) continue;
    done.set(name, converted);
    for (const r of referencedNames(converted, flavor)) if (!done.has(r)) todo.push(r);
  }
  const out: Record<string, JsonObject> = {};
  for (const name of [...done.keys()].sort()) out[name] = done.get(name)!;
  return out;
}
