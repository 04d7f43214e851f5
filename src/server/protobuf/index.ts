/**
 * Kubernetes protobuf request bodies (kubectl >= 1.32) → the JSON objects the server handles.
 * See decode.ts for the contract.
 */
export { decodeKubernetesProtobuf, type DecodedKubernetesProtobuf } from './decode.js';
export { ProtobufDecodeError } from './errors.js';
export { isKubernetesProtobufKindSupported, supportedKubernetesProtobufKinds } from './schema.js';
