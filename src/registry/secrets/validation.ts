/**
 * Secret validation (upstream ValidateSecret / ValidateSecretUpdate, 1.32). `data` values arrive
 * as base64 strings: a value that Go's decoder would reject is reported as
 * `data[key]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte N`
 * (upstream answers such bodies with a 400 decode error). Sizes count decoded bytes. `stringData`
 * has already been merged into `data` by the strategy, and `type` defaulted to Opaque.
 */
import { serviceAccountNameKey, serviceAccountTokenType } from '../../api/serviceaccount-tokens.js';
import { forbidden, invalid, key, required, tooLong, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { decodeBase64Strict, goJsonObjectError, validateImmutableField } from '../../api/validation/helpers.js';
import { isConfigMapKey } from '../../api/validation/names.js';
import { asObject, str } from '../common.js';

/** core.MaxSecretSize: 1 MiB of decoded data. */
export const maxSecretSize = 1024 * 1024;
const redacted = '<secret contents redacted>';

/** Decodes every `data` value; undecodable entries yield a field error instead of bytes. */
export function decodeSecretData(data: unknown, path = 'data'): { bytes: Map<string, Buffer>; errs: FieldError[] } {
  const bytes = new Map<string, Buffer>();
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(asObject(data))) {
    const decoded = decodeBase64Strict(typeof v === 'string' ? v : '');
    if (decoded.ok) bytes.set(k, decoded.bytes);
    else errs.push(invalid(key(path, k), redacted, decoded.error));
  }
  return { bytes, errs };
}

/** Kind-specific create validation: data keys and size, then the rules of the secret's type. */
export function validateSecret(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const { bytes, errs: decodeErrs } = decodeSecretData(obj.data);
  let total = 0;
  for (const k of Object.keys(asObject(obj.data))) {
    for (const msg of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, msg));
    total += bytes.get(k)?.length ?? 0;
  }
  errs.push(...decodeErrs);
  if (total > maxSecretSize) errs.push(tooLong('data', '', maxSecretSize));

  const has = (k: string) => bytes.has(k) || Object.prototype.hasOwnProperty.call(asObject(obj.data), k);
  const jsonKey = (k: string) => {
    if (!has(k)) return errs.push(required(key('data', k)));
    const b = bytes.get(k);
    const err = b ? goJsonObjectError(b.toString('utf8')) : undefined;
    if (err) errs.push(invalid(key('data', k), redacted, err));
  };
  switch (str(obj.type)) {
    case serviceAccountTokenType:
      if (!obj.metadata.annotations?.[serviceAccountNameKey]) {
        errs.push(required(key('metadata.annotations', serviceAccountNameKey)));
      }
      break;
    case 'kubernetes.io/dockercfg':
      jsonKey('.dockercfg');
      break;
    case 'kubernetes.io/dockerconfigjson':
      jsonKey('.dockerconfigjson');
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(key('data', 'username')), required(key('data', 'password')));
      break;
    case 'kubernetes.io/ssh-auth':
      if ((bytes.get('ssh-privatekey')?.length ?? 0) === 0) errs.push(required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(key('data', 'tls.crt')));
      if (!has('tls.key')) errs.push(required(key('data', 'tls.key')));
      break;
    default:
      break;
  }
  return errs;
}

/**
 * Kind-specific update validation: `type` is immutable; once `immutable: true`, neither
 * `immutable` nor `data` may change; then the create rules on the new object.
 */
export function validateSecretUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateImmutableField(str(obj.type), str(old.type), 'type');
  if (old.immutable === true) {
    if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    if (!sameData(obj.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  }
  return [...errs, ...validateSecret(obj)];
}

/** Compares decoded bytes (two encodings of the same bytes are equal, as in Go). */
function sameData(a: unknown, b: unknown): boolean {
  const x = decodeSecretData(a).bytes;
  const y = decodeSecretData(b).bytes;
  const ka = Object.keys(asObject(a));
  const kb = Object.keys(asObject(b));
  if (ka.length !== kb.length) return false;
  return ka.every((k) => kb.includes(k) && (x.get(k) ?? Buffer.alloc(0)).equals(y.get(k) ?? Buffer.alloc(0)) && x.has(k) === y.has(k));
}
