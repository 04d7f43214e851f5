/**
 * Lease validation (upstream pkg/apis/coordination/validation, 1.32): ValidateLeaseSpec on create
 * and update (ObjectMeta is the Store's: names are DNS-1123 subdomains, the Store's default).
 * leaseDurationSeconds > 0, leaseTransitions >= 0, strategy a known strategy or a qualified
 * name, preferredHolder only with a strategy. Errors worded as upstream's field errors.
 */
import { forbidden, invalid, notSupported, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { isQualifiedName } from '../../api/validation/names.js';
import { asObject } from '../common.js';

/** coordination.OldestEmulationVersion: the only Kubernetes-defined strategy. */
export const validLeaseStrategies = ['OldestEmulationVersion'];

/** Upstream ValidateCoordinatedLeaseStrategy. */
export function validateLeaseStrategy(strategy: string, field: string): FieldError[] {
  if (!strategy.includes('/')) {
    return validLeaseStrategies.includes(strategy) ? [] : [notSupported(field, strategy, validLeaseStrategies)];
  }
  return isQualifiedName(strategy).map((msg) => invalid(field, strategy, msg));
}

/** Upstream ValidateLeaseSpec on `spec`. */
export function validateLeaseSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  }
  if (typeof spec.strategy === 'string') errs.push(...validateLeaseStrategy(spec.strategy, 'spec.strategy'));
  if (typeof spec.preferredHolder === 'string' && spec.preferredHolder !== '' && !spec.strategy) {
    errs.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errs;
}

export function validateLease(obj: KubeObject): FieldError[] {
  return validateLeaseSpec(asObject(obj.spec));
}

/** Updates are validated like creates (nothing in a Lease's spec is immutable). */
export function validateLeaseUpdate(obj: KubeObject, _old: KubeObject): FieldError[] {
  return validateLeaseSpec(asObject(obj.spec));
}
