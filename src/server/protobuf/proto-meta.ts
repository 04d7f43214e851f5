/**
 * Proto2 definitions of the apimachinery messages shared by every kind we decode:
 * `k8s.io.apimachinery.pkg.runtime` (the `Unknown` envelope, `TypeMeta`, `RawExtension`) and
 * `k8s.io.apimachinery.pkg.apis.meta.v1` (ObjectMeta and what it contains, LabelSelector).
 *
 * Field numbers, names, and order are upstream's (apimachinery v0.32 `generated.proto`), so the
 * declaration order equals the Go struct order and therefore Go's JSON key order.
 *
 * Field option `(go_json)` records how Go's encoding/json treats the Go field (see to-json.ts):
 * - `"pointer"`: a Go pointer (`*T`); present on the wire means non-nil, so explicit zero values
 *   (false, 0, an empty message) are kept;
 * - `"always"`: a Go value field without `omitempty` whose zero value is still emitted;
 * - absent: zero values ("" / 0 / false / empty list, map, message, Time) are dropped.
 */
export const runtimeProto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.runtime;

// RawExtension holds an embedded object serialized as JSON (raw) on the protobuf wire.
message RawExtension {
  optional bytes raw = 1;
}

message TypeMeta {
  optional string apiVersion = 1;
  optional string kind = 2;
}

// Unknown is the envelope after the "k8s\\0" magic: typeMeta names the kind, raw is its message.
message Unknown {
  optional TypeMeta typeMeta = 1;
  optional bytes raw = 2;
  optional string contentEncoding = 3;
  optional string contentType = 4;
}
`;

export const metaV1Proto = `
syntax = "proto2";
package k8s.io.apimachinery.pkg.apis.meta.v1;

// FieldsV1 is a JSON document (the managed-fields trie) carried as bytes.
message FieldsV1 {
  optional bytes Raw = 1;
}

message FieldSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}

message LabelSelector {
  map<string, string> matchLabels = 1;
  repeated LabelSelectorRequirement matchExpressions = 2;
}

message LabelSelectorRequirement {
  optional string key = 1;
  optional string operator = 2;
  repeated string values = 3;
}

message ManagedFieldsEntry {
  optional string manager = 1;
  optional string operation = 2;
  optional string apiVersion = 3;
  optional Time time = 4 [(go_json) = "pointer"];
  optional string fieldsType = 6;
  optional FieldsV1 fieldsV1 = 7 [(go_json) = "pointer"];
  optional string subresource = 8;
}

message ObjectMeta {
  optional string name = 1;
  optional string generateName = 2;
  optional string namespace = 3;
  optional string selfLink = 4;
  optional string uid = 5;
  optional string resourceVersion = 6;
  optional int64 generation = 7;
  optional Time creationTimestamp = 8;
  optional Time deletionTimestamp = 9 [(go_json) = "pointer"];
  optional int64 deletionGracePeriodSeconds = 10 [(go_json) = "pointer"];
  map<string, string> labels = 11;
  map<string, string> annotations = 12;
  repeated OwnerReference ownerReferences = 13;
  repeated string finalizers = 14;
  repeated ManagedFieldsEntry managedFields = 17;
}

message OwnerReference {
  optional string apiVersion = 5;
  optional string kind = 1;
  optional string name = 3;
  optional string uid = 4;
  optional bool controller = 6 [(go_json) = "pointer"];
  optional bool blockOwnerDeletion = 7 [(go_json) = "pointer"];
}

// Time is seconds and nanos since the Unix epoch; JSON is RFC 3339 at seconds precision.
message Time {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}
`;
