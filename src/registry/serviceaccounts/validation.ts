/**
 * ServiceAccount validation (upstream ValidateServiceAccount / ValidateServiceAccountUpdate).
 * Upstream validates nothing beyond ObjectMeta (which the Store does): `secrets` and
 * `imagePullSecrets` entries are not checked, so these always return no errors.
 */
import type { FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';

/** Kind-specific create validation: none upstream. */
export function validateServiceAccount(_obj: KubeObject): FieldError[] {
  return [];
}

/** Kind-specific update validation: none upstream (ObjectMeta update rules are the Store's). */
export function validateServiceAccountUpdate(_obj: KubeObject, _old: KubeObject): FieldError[] {
  return [];
}
