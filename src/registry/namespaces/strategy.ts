/**
 * Namespace strategy (upstream pkg/registry/core/namespace): phase Active on create, the
 * `kubernetes` finalizer in spec.finalizers, the kubernetes.io/metadata.name label, phase
 * Terminating when deleted; spec.finalizers changes only through the finalize subresource.
 */
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { asArray, asObject, keepAllBut, keepField, str } from '../common.js';
import type { Strategy } from '../types.js';
import { namespaceTable } from './table.js';
import { validateNamespace, validateNamespaceFinalizeUpdate, validateNamespaceStatusUpdate, validateNamespaceUpdate } from './validation.js';

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

function setNameLabel(obj: KubeObject): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [namespaceNameLabel]: obj.metadata.name ?? '' };
}

export const namespaceStrategy: Strategy = {
  info: findResource('', 'v1', 'namespaces')!,
  nameValidation: 'label',
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    const spec = asObject(obj.spec);
    const finalizers = asArray(spec.finalizers).map(str);
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    obj.spec = { ...spec, finalizers };
    setNameLabel(obj);
  },
  prepareForUpdate(obj, old) {
    keepField(obj, old, 'status');
    obj.spec = { ...asObject(obj.spec), finalizers: structuredClone(asObject(old.spec).finalizers ?? []) };
    setNameLabel(obj);
  },
  validate: validateNamespace,
  validateUpdate: validateNamespaceUpdate,
  needsFinalization: (obj) => asArray(asObject(obj.spec).finalizers).length > 0,
  prepareForDelete(obj) {
    obj.status = { ...asObject(obj.status), phase: 'Terminating' };
  },
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: namespaceTable,
  fieldLabels: (obj) => ({ 'status.phase': str(asObject(obj.status).phase) }),
  subresources: {
    status: {
      prepareForUpdate: (obj, old) => {
        keepAllBut(obj, old, 'status');
        setNameLabel(obj);
      },
      validateUpdate: validateNamespaceStatusUpdate,
    },
    finalize: {
      prepareForUpdate: (obj, old) => {
        const finalizers = asObject(obj.spec).finalizers;
        keepAllBut(obj, old, 'spec');
        obj.spec = { ...asObject(old.spec), finalizers: structuredClone(asArray(finalizers)) };
        keepField(obj, old, 'status');
        setNameLabel(obj);
      },
      validateUpdate: validateNamespaceFinalizeUpdate,
    },
  },
};
