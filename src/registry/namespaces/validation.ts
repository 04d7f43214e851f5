/**
 * Namespace validation (upstream ValidateNamespace and friends, 1.32). The name is a DNS-1123
 * label, checked by the Store through the strategy's nameValidation 'label'. On create each
 * spec.finalizers entry must be a qualified name and either standard or domain-qualified; like
 * upstream those errors carry the path `spec.finalizers` without an index on create, and with one
 * through the finalize subresource.
 */
import { invalid, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateKubeFinalizerName } from '../../api/validation/object-meta.js';
import { isQualifiedName } from '../../api/validation/names.js';
import { asArray, asObject, str } from '../common.js';

/** core validateFinalizerName: a qualified name that is standard or domain-qualified. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  return [...isQualifiedName(name).map((msg) => invalid(path, name, msg)), ...validateKubeFinalizerName(name, path)];
}

const specFinalizers = (obj: KubeObject): string[] => asArray(asObject(obj.spec).finalizers).map(str);

/** Kind-specific create validation: spec.finalizers. */
export function validateNamespace(obj: KubeObject): FieldError[] {
  return specFinalizers(obj).flatMap((f) => validateFinalizerName(f, 'spec.finalizers'));
}

/** Kind-specific update validation: none beyond ObjectMeta upstream (spec.finalizers only changes via finalize). */
export function validateNamespaceUpdate(_obj: KubeObject, _old: KubeObject): FieldError[] {
  return [];
}

/**
 * The status subresource: phase must be Active without a deletionTimestamp and Terminating with
 * one (upstream reports it on `status.Phase`, capital P).
 */
export function validateNamespaceStatusUpdate(obj: KubeObject, _old: KubeObject): FieldError[] {
  const phase = str(asObject(obj.status).phase);
  if (!obj.metadata.deletionTimestamp) {
    if (phase !== 'Active') return [invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  } else if (phase !== 'Terminating') {
    return [invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
  }
  return [];
}

/** The finalize subresource: each spec.finalizers[i] a valid finalizer name. */
export function validateNamespaceFinalizeUpdate(obj: KubeObject, _old: KubeObject): FieldError[] {
  return specFinalizers(obj).flatMap((f, i) => validateFinalizerName(f, `spec.finalizers[${i}]`));
}
