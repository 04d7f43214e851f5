/**
 * Lease strategy (upstream pkg/registry/coordination/lease/strategy.go, 1.32): namespaced,
 * unconditional updates allowed, no create on update. The CoordinatedLeaderElection feature
 * (alpha, off in 1.32) is off here: spec.strategy and spec.preferredHolder are dropped on create,
 * and on update unless the stored Lease already had them.
 */
import { findResource } from '../../api/resources.js';
import type { KubeObject } from '../../api/meta.js';
import { asObject } from '../common.js';
import type { Strategy } from '../types.js';
import { leaseTable } from './table.js';
import { validateLease, validateLeaseUpdate } from './validation.js';

function dropDisabledFields(obj: KubeObject, old?: KubeObject): void {
  if (!obj.spec || typeof obj.spec !== 'object' || Array.isArray(obj.spec)) return;
  const spec = obj.spec as Record<string, unknown>;
  const oldSpec = asObject(old?.spec);
  if (oldSpec.strategy === undefined) delete spec.strategy;
  if (oldSpec.preferredHolder === undefined) delete spec.preferredHolder;
}

export const leaseStrategy: Strategy = {
  info: findResource('coordination.k8s.io', 'v1', 'leases')!,
  prepareForCreate: (obj) => dropDisabledFields(obj),
  prepareForUpdate: (obj, old) => dropDisabledFields(obj, old),
  validate: validateLease,
  validateUpdate: validateLeaseUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: leaseTable,
};
