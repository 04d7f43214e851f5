/**
 * The gnostic protobuf encoding of the Swagger 2.0 document (openapi.v2.Document from
 * google/gnostic openapiv2/OpenAPIv2.proto), which kubectl 1.27/1.28 require for validation,
 * explain and apply. Field numbers below are copied from that file; only the messages and fields
 * this server emits are declared (unknown fields simply never appear on the wire).
 * Vendor extension values travel as YAML text in Any.yaml, as gnostic stores them.
 */
import protobuf from 'protobufjs';
import { stringify } from 'yaml';
import type { Json, JsonObject } from './schema-convert.js';

export const gnosticOpenApiV2Proto = `
syntax = "proto3";
package openapi.v2;

message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message Any { string yaml = 2; }
message ApiKeySecurity { string type = 1; string name = 2; string in = 3; string description = 4; repeated NamedAny vendor_extension = 5; }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; repeated NamedAny vendor_extension = 6; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Document {
  string swagger = 1; Info info = 2; string host = 3; string base_path = 4; repeated string schemes = 5;
  repeated string consumes = 6; repeated string produces = 7; Paths paths = 8; Definitions definitions = 9;
  repeated SecurityRequirement security = 12; SecurityDefinitions security_definitions = 13; repeated NamedAny vendor_extension = 16;
}
message Info { string title = 1; string version = 2; string description = 3; repeated NamedAny vendor_extension = 7; }
message ItemsItem { repeated Schema schema = 1; }
message JsonReference { string _ref = 1; string description = 2; }
message NamedAny { string name = 1; Any value = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message NamedSchema { string name = 1; Schema value = 2; }
message NamedSecurityDefinitionsItem { string name = 1; SecurityDefinitionsItem value = 2; }
message NamedStringArray { string name = 1; StringArray value = 2; }
message NonBodyParameter { oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; } }
message Operation {
  repeated string tags = 1; string summary = 2; string description = 3; string operation_id = 5; repeated string produces = 6;
  repeated string consumes = 7; repeated ParametersItem parameters = 8; Responses responses = 9; repeated string schemes = 10;
  bool deprecated = 11; repeated NamedAny vendor_extension = 13;
}
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message ParametersItem { oneof oneof { Parameter parameter = 1; JsonReference json_reference = 2; } }
message PathItem {
  string _ref = 1; Operation get = 2; Operation put = 3; Operation post = 4; Operation delete = 5; Operation options = 6;
  Operation head = 7; Operation patch = 8; repeated ParametersItem parameters = 9; repeated NamedAny vendor_extension = 10;
}
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; string format = 6; bool unique_items = 19; repeated NamedAny vendor_extension = 22; }
message Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2; }
message Properties { repeated NamedSchema additional_properties = 1; }
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; bool allow_empty_value = 5; string type = 6; string format = 7; bool unique_items = 20; repeated NamedAny vendor_extension = 23; }
message Response { string description = 1; SchemaItem schema = 2; repeated NamedAny vendor_extension = 5; }
message ResponseValue { oneof oneof { Response response = 1; JsonReference json_reference = 2; } }
message Responses { repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2; }
message Schema {
  string _ref = 1; string format = 2; string title = 3; string description = 4; Any default = 5;
  repeated string required = 19; repeated Any enum = 20; AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22;
  ItemsItem items = 23; repeated Schema all_of = 24; Properties properties = 25; bool read_only = 27; Any example = 30;
  repeated NamedAny vendor_extension = 31;
}
message SchemaItem { oneof oneof { Schema schema = 1; } }
message SecurityDefinitions { repeated NamedSecurityDefinitionsItem additional_properties = 1; }
message SecurityDefinitionsItem { oneof oneof { ApiKeySecurity api_key_security = 2; } }
message SecurityRequirement { repeated NamedStringArray additional_properties = 1; }
message StringArray { repeated string value = 1; }
message TypeItem { repeated string value = 1; }
`;

let root: protobuf.Root | undefined;
/** The parsed proto subset (field names kept as in the .proto, e.g. `_ref`, `vendor_extension`). */
export function gnosticRoot(): protobuf.Root {
  return (root ??= protobuf.parse(gnosticOpenApiV2Proto, { keepCase: true }).root);
}

type Msg = Record<string, unknown>;

const yamlAny = (v: Json): Msg => ({ yaml: stringify(v) });

function vendorExtensions(o: JsonObject): Msg[] {
  return Object.keys(o)
    .filter((k) => k.startsWith('x-'))
    .map((k) => ({ name: k, value: yamlAny(o[k]!) }));
}

function schema(s: JsonObject): Msg {
  const out: Msg = {};
  if (typeof s.$ref === 'string') out._ref = s.$ref;
  if (typeof s.format === 'string') out.format = s.format;
  if (typeof s.title === 'string') out.title = s.title;
  if (typeof s.description === 'string') out.description = s.description;
  if (s.default !== undefined) out.default = yamlAny(s.default);
  if (Array.isArray(s.required)) out.required = s.required;
  if (Array.isArray(s.enum)) out.enum = s.enum.map(yamlAny);
  if (typeof s.additionalProperties === 'boolean') out.additional_properties = { boolean: s.additionalProperties };
  else if (s.additionalProperties && typeof s.additionalProperties === 'object') out.additional_properties = { schema: schema(s.additionalProperties as JsonObject) };
  if (typeof s.type === 'string') out.type = { value: [s.type] };
  else if (Array.isArray(s.type)) out.type = { value: s.type };
  if (Array.isArray(s.items)) out.items = { schema: s.items.map((i) => schema(i as JsonObject)) };
  else if (s.items && typeof s.items === 'object') out.items = { schema: [schema(s.items as JsonObject)] };
  if (Array.isArray(s.allOf)) out.all_of = s.allOf.map((i) => schema(i as JsonObject));
  if (s.properties && typeof s.properties === 'object') {
    out.properties = { additional_properties: Object.entries(s.properties as JsonObject).map(([name, v]) => ({ name, value: schema(v as JsonObject) })) };
  }
  if (s.readOnly === true) out.read_only = true;
  const ext = vendorExtensions(s);
  if (ext.length) out.vendor_extension = ext;
  return out;
}

function parameter(p: JsonObject): Msg {
  if (p.in === 'body') {
    return { parameter: { body_parameter: { description: p.description ?? '', name: p.name, in: 'body', required: !!p.required, schema: schema(p.schema as JsonObject) } } };
  }
  const sub: Msg = { required: !!p.required, in: p.in, description: p.description ?? '', name: p.name, type: p.type, unique_items: !!p.uniqueItems };
  const key = p.in === 'path' ? 'path_parameter_sub_schema' : 'query_parameter_sub_schema';
  return { parameter: { non_body_parameter: { [key]: sub } } };
}

function operation(o: JsonObject): Msg {
  const responses = Object.entries((o.responses ?? {}) as JsonObject).map(([code, r]) => {
    const resp = r as JsonObject;
    const response: Msg = { description: resp.description ?? '' };
    if (resp.schema) response.schema = { schema: schema(resp.schema as JsonObject) };
    return { name: code, value: { response } };
  });
  return {
    tags: o.tags ?? [],
    description: o.description ?? '',
    operation_id: o.operationId ?? '',
    produces: o.produces ?? [],
    consumes: o.consumes ?? [],
    parameters: ((o.parameters ?? []) as JsonObject[]).map(parameter),
    responses: { response_code: responses },
    schemes: o.schemes ?? [],
    vendor_extension: vendorExtensions(o),
  };
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Encodes a Swagger 2.0 document (as produced by buildV2Document) into gnostic protobuf bytes. */
export function encodeV2Protobuf(doc: JsonObject): Uint8Array {
  const paths = Object.entries(doc.paths as JsonObject).map(([name, item]) => {
    const pi = item as JsonObject;
    const value: Msg = {};
    for (const m of methods) if (pi[m]) value[m] = operation(pi[m] as JsonObject);
    if (Array.isArray(pi.parameters)) value.parameters = (pi.parameters as JsonObject[]).map(parameter);
    return { name, value };
  });
  const definitions = Object.entries(doc.definitions as JsonObject).map(([name, s]) => ({ name, value: schema(s as JsonObject) }));
  const info = doc.info as JsonObject;
  const securityDefinitions = Object.entries((doc.securityDefinitions ?? {}) as JsonObject).map(([name, d]) => {
    const sd = d as JsonObject;
    return { name, value: { api_key_security: { type: sd.type, name: sd.name, in: sd.in, description: sd.description ?? '' } } };
  });
  const security = ((doc.security ?? []) as JsonObject[]).map((req) => ({
    additional_properties: Object.entries(req).map(([name, scopes]) => ({ name, value: { value: scopes as string[] } })),
  }));
  const message = {
    swagger: doc.swagger,
    info: { title: info.title, version: info.version },
    paths: { path: paths },
    definitions: { additional_properties: definitions },
    security,
    security_definitions: { additional_properties: securityDefinitions },
  };
  const Document = gnosticRoot().lookupType('openapi.v2.Document');
  return Document.encode(Document.fromObject(message)).finish();
}
