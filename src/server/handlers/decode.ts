/**
 * Turning a request body into an object for a given resource: media type decoding, kind and
 * apiVersion checks against the URL, and field validation (Strict → 400, Warn → warnings,
 * Ignore), with unknown fields dropped as Go's decoder would.
 */
import { invalid as invalidField } from '../../api/field-errors.js';
import type { DeleteOptions, KubeObject } from '../../api/meta.js';
import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import { badRequest, invalid } from '../../api/status.js';
import { parseBool } from '../../api/meta.js';
import { decodeBody, parseJsonBody } from '../body.js';
import { conformToSchema, type DefinitionLookup } from '../field-validation.js';
import { asKubeObject, cannotHandle, fieldValidationOf, type CreateScope, type Scope } from './scope.js';
import { findDuplicateFields } from '../../api/schema/strict.js';

let lookup: DefinitionLookup = () => undefined;

/** Installs the schema definitions used for field validation (done once at startup). */
export function setDefinitionLookup(l: DefinitionLookup): void {
  lookup = l;
}

/**
 * Applies field validation to an already-parsed object of `resource`; returns warnings.
 * Throws 400 for type errors, and for unknown/duplicate fields in Strict mode.
 */
export function validateFields(scope: CreateScope, obj: unknown, resource: ResourceInfo, jsonText?: string, definition = resource.definition, kind = resource.kind): string[] {
  const mode = fieldValidationOf(scope.query);
  const r = conformToSchema(obj, definition, lookup, kind);
  if (r.typeError) throw badRequest(`${cannotHandle(resource)}: ${r.typeError}`);
  const problems: string[] = [];
  if (jsonText !== undefined && mode !== 'Ignore') {
    for (const d of findDuplicateFields(jsonText)) problems.push(`duplicate field "${d}"`);
  }
  for (const u of r.unknown) problems.push(`unknown field "${u}"`);
  if (!problems.length || mode === 'Ignore') return [];
  if (mode === 'Strict') throw badRequest(`${cannotHandle(resource)}: strict decoding error: ${problems.join(', ')}`);
  return problems;
}

/** Decodes a create/update body for the scope's resource. */
export function decodeObject(scope: CreateScope, body: Buffer): KubeObject {
  const { resource } = scope;
  const decoded = decodeBody(body, scope.req.headers['content-type'], cannotHandle(resource));
  const obj = asKubeObject(decoded.value, resource);
  checkTypeMeta(obj, resource);
  scope.warnings.push(...validateFields(scope, obj, resource, decoded.jsonText));
  return obj;
}

export function checkTypeMeta(obj: { apiVersion?: unknown; kind?: unknown }, resource: ResourceInfo): void {
  const gv = groupVersion(resource);
  if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== gv) {
    if (typeof obj.apiVersion !== 'string') throw badRequest(`${cannotHandle(resource)}: json: cannot unmarshal ${typeof obj.apiVersion} into Go struct field ${resource.kind}.apiVersion of type string`);
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
  }
  if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== resource.kind) {
    if (typeof obj.kind !== 'string') throw badRequest(`${cannotHandle(resource)}: json: cannot unmarshal ${typeof obj.kind} into Go struct field ${resource.kind}.kind of type string`);
    throw badRequest(`${cannotHandle(resource)}: the kind in the data (${obj.kind}) does not match the expected kind (${resource.kind})`);
  }
}

const deleteOptionsGk = { group: 'meta.k8s.io', kind: 'DeleteOptions' };

/** DeleteOptions from the body (JSON/YAML/protobuf-free) or the query (gracePeriodSeconds, propagationPolicy, orphanDependents, dryRun). */
export function decodeDeleteOptions(scope: Scope, body: Buffer): DeleteOptions {
  let opts: DeleteOptions = {};
  const text = body.toString('utf8').trim();
  if (text) {
    const v = parseJsonBody(text, 'DeleteOptions in version "v1" cannot be handled as a DeleteOptions');
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest('DeleteOptions in version "v1" cannot be handled as a DeleteOptions: json: cannot unmarshal into Go value of type v1.DeleteOptions');
    opts = v as DeleteOptions;
  }
  const q = scope.query;
  const gp = q.get('gracePeriodSeconds');
  if (gp !== null && gp !== '') {
    if (!/^-?\d+$/.test(gp)) throw badRequest(`gracePeriodSeconds: Invalid value: "${gp}": must be an integer`);
    opts.gracePeriodSeconds = Number(gp);
  }
  const pp = q.get('propagationPolicy');
  if (pp) opts.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  const od = parseBool(q.get('orphanDependents'));
  if (od !== undefined) opts.orphanDependents = od;
  const errs = [];
  if (opts.propagationPolicy !== undefined && !['Foreground', 'Background', 'Orphan'].includes(opts.propagationPolicy)) {
    errs.push({ ...invalidField('propagationPolicy', opts.propagationPolicy, ''), type: 'FieldValueNotSupported' as const, detail: 'supported values: "Foreground", "Background", "Orphan"' });
  }
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errs.push(invalidField('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (opts.gracePeriodSeconds !== undefined && (typeof opts.gracePeriodSeconds !== 'number' || !Number.isInteger(opts.gracePeriodSeconds))) {
    throw badRequest('DeleteOptions in version "v1" cannot be handled as a DeleteOptions: json: cannot unmarshal into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
  }
  if (errs.length) throw invalid(deleteOptionsGk, '', errs);
  return opts;
}
