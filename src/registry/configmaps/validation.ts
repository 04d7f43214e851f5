/**
 * ConfigMap validation (upstream ValidateConfigMap / ValidateConfigMapUpdate, 1.32): keys of
 * `data` and `binaryData` are config keys, no key in both, total size (data bytes + decoded
 * binaryData bytes) ≤ 1 MiB, reported on the empty path like upstream (`: Too long: ...`).
 * `binaryData` values are base64 strings; undecodable ones are reported on binaryData[key].
 */
import { forbidden, invalid, key, tooLong, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { decodeBase64Strict, semanticEqual } from '../../api/validation/helpers.js';
import { byteLength, isConfigMapKey } from '../../api/validation/names.js';
import { asObject } from '../common.js';

/** core.MaxSecretSize, which upstream also applies to ConfigMaps. */
export const maxConfigMapSize = 1024 * 1024;

/** Kind-specific create validation. */
export function validateConfigMap(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = asObject(obj.data);
  const binary = asObject(obj.binaryData);
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
    if (Object.prototype.hasOwnProperty.call(binary, k)) {
      errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    }
    total += byteLength(typeof v === 'string' ? v : '');
  }
  for (const [k, v] of Object.entries(binary)) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, msg));
    const decoded = decodeBase64Strict(typeof v === 'string' ? v : '');
    if (decoded.ok) total += decoded.bytes.length;
    else errs.push(invalid(key('binaryData', k), v, decoded.error));
  }
  if (total > maxConfigMapSize) errs.push(tooLong('', '', maxConfigMapSize));
  return errs;
}

/**
 * Kind-specific update validation: once `immutable: true`, `immutable`, `data` and `binaryData`
 * may not change; then the create rules on the new object.
 */
export function validateConfigMapUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable === true) {
    const msg = 'field is immutable when `immutable` is set';
    if (obj.immutable !== true) errs.push(forbidden('immutable', msg));
    if (!semanticEqual(obj.data, old.data)) errs.push(forbidden('data', msg));
    if (!semanticEqual(obj.binaryData, old.binaryData)) errs.push(forbidden('binaryData', msg));
  }
  return [...errs, ...validateConfigMap(obj)];
}
