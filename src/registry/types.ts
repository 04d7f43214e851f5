/**
 * The per-resource pieces the generic Store is assembled from (upstream's RESTCreateStrategy,
 * RESTUpdateStrategy, RESTDeleteStrategy and TableConvertor, in one place).
 */
import type { FieldError } from '../api/field-errors.js';
import type { KubeObject, TableColumnDefinition } from '../api/meta.js';
import type { ResourceInfo } from '../api/resources.js';

/** Server-side printing for one resource: the columns kubectl shows and one row's cells. */
export interface TableConvertor {
  columns: TableColumnDefinition[];
  /** Cells in column order; `now` is the current time in ms (for AGE columns). */
  cells(obj: KubeObject, now: number): unknown[];
}

export interface Strategy {
  info: ResourceInfo;
  /** Clears/sets fields on create (status reset, defaults); mutates `obj`. */
  prepareForCreate?(obj: KubeObject): void;
  /** Carries over fields the main resource may not change (e.g. status); mutates `obj`. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Kind-specific validation on create (ObjectMeta validation is done by the Store). */
  validate(obj: KubeObject): FieldError[];
  /** Kind-specific validation on update. */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Normalizes the object after validation, before storing (e.g. ServiceAccount secrets reduced to names). */
  canonicalize?(obj: KubeObject): void;
  /** Warnings (Warning: 299 headers) for a create / update. */
  warningsOnCreate?(obj: KubeObject): string[];
  warningsOnUpdate?(obj: KubeObject, old: KubeObject): string[];
  /** Whether a PUT without metadata.resourceVersion is accepted. */
  allowUnconditionalUpdate: boolean;
  /** Whether a PUT of a missing object creates it. */
  allowCreateOnUpdate: boolean;
  /** DELETE answers with the deleted object (true) or a Success Status (false). */
  returnDeletedObject: boolean;
  /** Whether metadata.name of namespaced kinds must be a DNS-1123 subdomain (default) or label ('label'). */
  nameValidation?: 'subdomain' | 'label' | 'path-segment' | 'dns1035';
  table: TableConvertor;
  /** Field-selector labels beyond metadata.name / metadata.namespace. */
  fieldLabels?(obj: KubeObject): Record<string, string>;
  /** Graceful deletion: the grace period to apply (0 or undefined = delete immediately). */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number | undefined;
  /**
   * Whether deleting this object must wait for finalization beyond metadata.finalizers (Namespace:
   * spec.finalizers). Such objects are marked (deletionTimestamp, prepareForDelete) instead.
   */
  needsFinalization?(obj: KubeObject): boolean;
  /** Changes applied when an object is marked for deletion (Namespace: phase Terminating). */
  prepareForDelete?(obj: KubeObject): void;
  /** Whether create/update bump metadata.generation when the spec changes. */
  tracksGeneration?: boolean;
  /**
   * Update strategies of subresources (status, finalize): which fields the subresource may change
   * (prepareForUpdate copies the rest from the old object) and its validation.
   */
  subresources?: Record<string, SubresourceStrategy>;
}

export interface SubresourceStrategy {
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
}
