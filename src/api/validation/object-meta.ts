/**
 * ObjectMeta validation as kube-apiserver 1.32 runs it for core kinds: apimachinery's
 * ValidateObjectMeta / ValidateObjectMetaUpdate plus pkg/apis/core/validation's extra finalizer
 * rule. Messages and field paths are upstream's, including its quirks (label, annotation and
 * finalizer format errors are reported on the map/list path, not on the key).
 */
import { forbidden, invalid, required, tooLong, type FieldError } from '../field-errors.js';
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../meta.js';
import { goStringSlice, goTimeString, validateImmutableField } from './helpers.js';
import { byteLength, isDNS1123Label, isQualifiedName, isValidLabelValue, validateName, type NameValidation } from './names.js';

/** apimachinery validation.TotalAnnotationSizeLimitB (256 KiB). */
export const totalAnnotationSizeLimitB = 256 * 1024;
/** Finalizers that need no domain prefix (core helper.IsStandardFinalizerName). */
export const standardFinalizers = ['kubernetes', 'orphan', 'foregroundDeletion'];
const fieldManagerMaxLength = 128;
const maxSubresourceNameLength = 256;

export interface ObjectMetaOptions {
  /** Namespaced kinds require metadata.namespace; cluster-scoped kinds forbid it. */
  namespaced: boolean;
  /** The kind's ValidateNameFunc; applied to name, and (as a prefix) to generateName. */
  nameValidation: NameValidation;
  /**
   * Apply core's rule that a finalizer without `/` must be a standard one (`kubernetes`,
   * `orphan`, `foregroundDeletion`). Default true (every kind served here uses core validation).
   */
  kubeFinalizerNames?: boolean;
}

/** v1validation.ValidateLabels: each key a qualified name, each value a label value (path: the map). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(path, v, msg));
  }
  return errs;
}

/** ValidateAnnotations: keys are case-insensitive qualified names; total size ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, msg));
    total += byteLength(k) + byteLength(String(v));
  }
  if (total > totalAnnotationSizeLimitB) errs.push(tooLong(path, '', totalAnnotationSizeLimitB));
  return errs;
}

/** schema.FromAPIVersionAndKind: group/version from apiVersion (empty version when unparseable). */
function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const slashes = apiVersion.split('/').length - 1;
  if (slashes === 0) return { group: '', version: apiVersion };
  if (slashes === 1) {
    const i = apiVersion.indexOf('/');
    return { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
  }
  return { group: '', version: '' };
}

/** ValidateOwnerReferences: required fields, Events may not own, at most one controller. */
export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const kind = typeof ref.kind === 'string' ? ref.kind : '';
    const gv = parseGroupVersion(apiVersion);
    if (gv.version === '') errs.push(invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(invalid(`${path}.kind`, kind, 'must not be empty'));
    if (!ref.name) errs.push(invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errs.push(invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
    if (gv.group === '' && gv.version === 'v1' && kind === 'Event') {
      errs.push(invalid(path, ref, `${gv.group}/${gv.version}, Kind=${kind} is disallowed from being an owner`));
    }
    if (ref.controller === true) {
      const current = `${kind}/${ref.name ?? ''}`;
      if (firstController !== '') {
        errs.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/**
 * ValidateFinalizers: qualified names (reported on the list path), not both `orphan` and
 * `foregroundDeletion`; with `kubeNames`, core's per-index standard-or-qualified rule.
 */
export function validateFinalizers(finalizers: string[] | undefined, path: string, kubeNames = true): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(invalid(path, f, msg));
  if (list.includes('foregroundDeletion') && list.includes('orphan')) {
    errs.push(invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  if (kubeNames) list.forEach((f, i) => errs.push(...validateKubeFinalizerName(f, `${path}[${i}]`)));
  return errs;
}

/** core validateKubeFinalizerName: a name without `/` must be a standard finalizer. */
export function validateKubeFinalizerName(name: string, path: string): FieldError[] {
  if (name.split('/').length === 1 && !standardFinalizers.includes(name)) {
    return [invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified')];
  }
  return [];
}

/** v1validation.ValidateManagedFields: operation, fieldsType, manager and subresource. */
export function validateManagedFields(entries: ManagedFieldsEntry[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = `${path}[${i}]`;
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      errs.push(invalid(`${p}.operation`, e.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(invalid(`${p}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'));
    const manager = e.manager ?? '';
    if (byteLength(manager) > fieldManagerMaxLength) errs.push(tooLong(`${p}.manager`, manager, fieldManagerMaxLength));
    [...manager].forEach((ch, pos) => {
      if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
        const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
        errs.push(invalid(`${p}.manager`, manager, `invalid character ${code} (at position ${pos})`));
      }
    });
    if (byteLength(e.subresource ?? '') > maxSubresourceNameLength) {
      errs.push(tooLong(`${p}.subresource`, e.subresource, maxSubresourceNameLength));
    }
  });
  return errs;
}

/**
 * ValidateObjectMeta on create (and on every update, alongside validateObjectMetaUpdate): name or
 * generateName, name format, namespace presence, generation, labels, annotations,
 * ownerReferences, finalizers, managedFields. Expects name generation to have happened already.
 */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions, fieldPath = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  const name = meta.name ?? '';
  const generateName = meta.generateName ?? '';
  if (generateName !== '') {
    for (const msg of validateName(opts.nameValidation, generateName, true)) {
      errs.push(invalid(`${fieldPath}.generateName`, generateName, msg));
    }
  }
  if (name === '') errs.push(required(`${fieldPath}.name`, 'name or generateName is required'));
  else for (const msg of validateName(opts.nameValidation, name, false)) errs.push(invalid(`${fieldPath}.name`, name, msg));

  const namespace = meta.namespace ?? '';
  if (opts.namespaced) {
    if (namespace === '') errs.push(required(`${fieldPath}.namespace`));
    else for (const msg of isDNS1123Label(namespace)) errs.push(invalid(`${fieldPath}.namespace`, namespace, msg));
  } else if (namespace !== '') {
    errs.push(forbidden(`${fieldPath}.namespace`, 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(invalid(`${fieldPath}.generation`, meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, `${fieldPath}.labels`));
  errs.push(...validateAnnotations(meta.annotations, `${fieldPath}.annotations`));
  errs.push(...validateOwnerReferences(meta.ownerReferences, `${fieldPath}.ownerReferences`));
  errs.push(...validateFinalizers(meta.finalizers, `${fieldPath}.finalizers`, opts.kubeFinalizerNames ?? true));
  errs.push(...validateManagedFields(meta.managedFields, `${fieldPath}.managedFields`));
  return errs;
}

const timeShown = (t: string | null | undefined): unknown => (t ? goTimeString(t) : null);

/**
 * The update-only part of ValidateObjectMetaUpdate: no new finalizers once deletion started,
 * generation not decremented, immutable name, namespace, uid, creationTimestamp,
 * deletionTimestamp and deletionGracePeriodSeconds. Label/annotation/ownerReference/finalizer
 * format checks are not repeated here (the Store runs validateObjectMeta on updates too), and the
 * "resourceVersion must be specified" rule belongs to the Store.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta, oldMeta: ObjectMeta, fieldPath = 'metadata'): FieldError[] {
  const errs: FieldError[] = [];
  if (oldMeta.deletionTimestamp) {
    const old = new Set(oldMeta.finalizers ?? []);
    const extra = [...new Set((newMeta.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (extra.length) {
      errs.push(
        forbidden(
          `${fieldPath}.finalizers`,
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(extra)}`,
        ),
      );
    }
  }
  const newGen = newMeta.generation ?? 0;
  if (newGen < (oldMeta.generation ?? 0)) {
    errs.push(invalid(`${fieldPath}.generation`, newGen, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(newMeta.name ?? '', oldMeta.name ?? '', `${fieldPath}.name`));
  errs.push(...validateImmutableField(newMeta.namespace ?? '', oldMeta.namespace ?? '', `${fieldPath}.namespace`));
  errs.push(...validateImmutableField(newMeta.uid ?? '', oldMeta.uid ?? '', `${fieldPath}.uid`));
  errs.push(
    ...validateImmutableField(
      newMeta.creationTimestamp ?? null,
      oldMeta.creationTimestamp ?? null,
      `${fieldPath}.creationTimestamp`,
      timeShown(newMeta.creationTimestamp) ?? goTimeString('0001-01-01T00:00:00Z'),
    ),
  );
  errs.push(
    ...validateImmutableField(
      newMeta.deletionTimestamp ?? null,
      oldMeta.deletionTimestamp ?? null,
      `${fieldPath}.deletionTimestamp`,
      timeShown(newMeta.deletionTimestamp),
    ),
  );
  errs.push(
    ...validateImmutableField(
      newMeta.deletionGracePeriodSeconds ?? null,
      oldMeta.deletionGracePeriodSeconds ?? null,
      `${fieldPath}.deletionGracePeriodSeconds`,
    ),
  );
  return errs;
}
