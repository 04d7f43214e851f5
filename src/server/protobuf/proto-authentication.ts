/**
 * Proto2 definitions of the `k8s.io.api.authentication.v1` kinds: TokenRequest, TokenReview,
 * SelfSubjectReview. Field numbers and order are upstream's (k8s.io/api v0.32
 * `authentication/v1/generated.proto`); `(go_json)` is explained in proto-meta.ts.
 *
 * BoundObjectReference field 4 is named `uID` in proto but `uid` in JSON (`json_name`); it is the
 * only field among the kinds we decode whose proto and JSON names differ. The v1alpha1 and
 * v1beta1 SelfSubjectReview messages are wire-identical to v1 and reuse it.
 */
export const authenticationV1Proto = `
syntax = "proto2";
package k8s.io.api.authentication.v1;

message BoundObjectReference {
  optional string kind = 1;
  optional string apiVersion = 2;
  optional string name = 3;
  optional string uID = 4 [json_name = "uid"];
}

// ExtraValue is Go's []string; its JSON form is the bare array.
message ExtraValue {
  repeated string items = 1;
}

message SelfSubjectReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional SelfSubjectReviewStatus status = 2;
}

message SelfSubjectReviewStatus {
  optional UserInfo userInfo = 1;
}

message TokenRequest {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenRequestSpec spec = 2;
  optional TokenRequestStatus status = 3;
}

message TokenRequestSpec {
  repeated string audiences = 1;
  optional int64 expirationSeconds = 4 [(go_json) = "pointer"];
  optional BoundObjectReference boundObjectRef = 3 [(go_json) = "pointer"];
}

message TokenRequestStatus {
  optional string token = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time expirationTimestamp = 2;
}

message TokenReview {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional TokenReviewSpec spec = 2;
  optional TokenReviewStatus status = 3;
}

message TokenReviewSpec {
  optional string token = 1;
  repeated string audiences = 2;
}

message TokenReviewStatus {
  optional bool authenticated = 1;
  optional UserInfo user = 2;
  repeated string audiences = 4;
  optional string error = 3;
}

message UserInfo {
  optional string username = 1;
  optional string uid = 2;
  repeated string groups = 3;
  map<string, ExtraValue> extra = 4;
}
`;
