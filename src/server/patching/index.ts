export { PatchError } from './errors.js';
export { applyJsonPatch, applyMergePatch, patchTypeFor } from './json.js';
export { applyStrategicMergePatch } from './strategic.js';
