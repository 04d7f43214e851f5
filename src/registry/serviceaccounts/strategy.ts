/** ServiceAccount strategy (upstream pkg/registry/core/serviceaccount/strategy.go). */
import type { KubeObject } from '../../api/meta.js';
import { parseBool } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { asArray, asObject } from '../common.js';
import type { Strategy } from '../types.js';
import { serviceAccountTable } from './table.js';
import { validateServiceAccount, validateServiceAccountUpdate } from './validation.js';

export const enforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';
const enforceWarning = `metadata.annotations[${enforceMountableSecretsAnnotation}]: deprecated in v1.32+; prefer separate namespaces to isolate access to mounted secrets`;

/** Reduces each `secrets` entry to `{name}`, as the API server does on create and update. */
function cleanSecretReferences(obj: KubeObject): void {
  if (!Array.isArray(obj.secrets)) return;
  obj.secrets = asArray(obj.secrets).map((s) => ({ name: asObject(s).name ?? '' }));
}

const hasEnforce = (obj: KubeObject) => parseBool(obj.metadata.annotations?.[enforceMountableSecretsAnnotation]) === true;

export const serviceAccountStrategy: Strategy = {
  info: findResource('', 'v1', 'serviceaccounts')!,
  prepareForCreate: cleanSecretReferences,
  prepareForUpdate: (obj) => cleanSecretReferences(obj),
  validate: validateServiceAccount,
  validateUpdate: validateServiceAccountUpdate,
  warningsOnCreate: (obj) => (hasEnforce(obj) ? [enforceWarning] : []),
  warningsOnUpdate: (obj, old) => (hasEnforce(obj) && !hasEnforce(old) ? [enforceWarning] : []),
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: serviceAccountTable,
};
