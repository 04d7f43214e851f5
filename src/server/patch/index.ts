/**
 * Patch application for PATCH requests, free of HTTP: the caller picks the patch type from the
 * Content-Type with `patchTypeFor` (415 when undefined), applies it to the live object, and maps a
 * thrown PatchError to the wire Status with `error.toStatusError()` (kube-apiserver's code, reason
 * and message). All appliers leave their arguments untouched and return a fresh value.
 */
export { applyJsonPatch, maxJsonPatchOperations } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { patchTypeFor, type PatchType } from './media-types.js';
export { isPatchError, maxPatchDepth, PatchError, rejectedMessage, type PatchErrorCode } from './errors.js';
