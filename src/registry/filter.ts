/**
 * Compiled label and field selectors for a resource, with kube-apiserver's 400 for unknown field
 * labels: `field label not supported: spec.foo`.
 */
import type { KubeObject } from '../api/meta.js';
import { badRequest } from '../api/status.js';
import {
  matchFields,
  matchLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorParseError,
  type FieldRequirement,
  type LabelRequirement,
} from '../api/selectors.js';

export interface CompiledSelectors {
  /** True when there is nothing to filter. */
  empty: boolean;
  matches(obj: KubeObject): boolean;
}

interface FieldSource {
  fieldsOf(obj: KubeObject): Record<string, string>;
  info: { kind: string; namespaced: boolean };
}

export function compileSelectors(source: FieldSource, labelSelector?: string, fieldSelector?: string): CompiledSelectors {
  let labels: LabelRequirement[] = [];
  let fields: FieldRequirement[] = [];
  try {
    if (labelSelector) labels = parseLabelSelector(labelSelector);
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(`unable to parse requirement: ${e.message.replace(/^unable to parse requirement: /, '')}`);
    throw e;
  }
  try {
    if (fieldSelector) fields = parseFieldSelector(fieldSelector);
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(e.message);
    throw e;
  }
  if (fields.length) {
    // Determine the supported field labels from a synthetic object.
    const probe = source.fieldsOf({ metadata: {} } as KubeObject);
    for (const f of fields) {
      if (!(f.field in probe)) {
        throw badRequest(`field label not supported: ${f.field}`);
      }
    }
  }
  const empty = labels.length === 0 && fields.length === 0;
  return {
    empty,
    matches(obj) {
      if (empty) return true;
      if (labels.length && !matchLabels(labels, obj.metadata.labels)) return false;
      if (fields.length && !matchFields(fields, source.fieldsOf(obj))) return false;
      return true;
    },
  };
}
