/**
 * The REST operations of every served resource, as kube-apiserver's OpenAPI lists them, in a
 * form both the v2 and v3 builders render: one entry per (path, method), each carrying its
 * operationId, `x-kubernetes-action`, `x-kubernetes-group-version-kind`, parameters and the
 * definitions of its request and response bodies.
 *
 * Create-only kinds (TokenReview, SubjectAccessReview...) get, besides their POST, a synthetic
 * PATCH on the item path that carries their GVK and the fieldValidation parameter: kubectl decides
 * "the server validates fields for this kind" by finding such a PATCH operation, and otherwise
 * falls back to client-side validation (which fails without a full v2 document).
 */
import type { ResourceInfo } from '../../api/resources.js';
import type { GroupVersionKind, SchemaRegistry } from '../../api/schema/types.js';
import { definitionNameFor } from '../../api/schema/registry.js';
import { patchDefinition } from './schema-convert.js';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface ParameterSpec {
  name: string;
  in: 'query' | 'path' | 'body';
  type: 'string' | 'boolean' | 'integer';
  description: string;
  required?: boolean;
}

export interface OperationSpec {
  /** Group-version path of the document this operation belongs to: `api/v1`, `apis/<group>/<version>`. */
  gvPath: string;
  path: string;
  method: HttpMethod;
  operationId: string;
  description: string;
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';
  gvk: GroupVersionKind;
  tag: string;
  /** Parameters shared by every operation of the path (namespace, name, pretty). */
  pathParameters: ParameterSpec[];
  parameters: ParameterSpec[];
  /** Definition of the request body; for patches the meta/v1 Patch definition. */
  requestBody?: string;
  requestRequired?: boolean;
  /** Response definitions by status code. */
  responses: Record<string, string | undefined>;
  /** Response media types. */
  produces: string[];
  consumes?: string[];
}

/** A resource-like entry: a served resource, or a create-only kind that needs a synthetic PATCH. */
export interface OperationSource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  subresources?: ResourceInfo['subresources'];
}

/** Create-only kinds kube-apiserver serves; used when the registry has the kind but resources.ts does not list it. */
export const createOnlyKinds: OperationSource[] = [
  { group: '', version: 'v1', resource: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: ['create'] },
  { group: 'authentication.k8s.io', version: 'v1beta1', resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'] },
];

export const gvPathOf = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
/** `Core`, `RbacAuthorization`, `Authentication`... as in upstream operation ids. */
const groupId = (group: string) => (group ? group.replace(/\.k8s\.io$/, '').split('.').map(capitalize).join('') : 'Core');
const tagOf = (group: string, version: string) => {
  const id = groupId(group);
  return `${id[0]!.toLowerCase()}${id.slice(1)}_${version}`;
};

const q = (name: string, type: ParameterSpec['type'], description: string): ParameterSpec => ({ name, in: 'query', type, description });

const p = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.'),
  patchFieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).'),
  fieldValidation: q('fieldValidation', 'string', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.'),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.'),
  ignoreStoreReadError: q('ignoreStoreReadErrorWithClusterBreakingPotential', 'boolean', 'if set to true, it will trigger an unsafe deletion of the resource in case the normal deletion flow fails with a corrupt object error.'),
  orphanDependents: q('orphanDependents', 'boolean', 'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server\'s discretion.'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', '`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
};

const listParameters = [p.allowWatchBookmarks, p.continue, p.fieldSelector, p.labelSelector, p.limit, p.resourceVersion, p.resourceVersionMatch, p.sendInitialEvents, p.timeoutSeconds, p.watch];
const deleteParameters = [p.dryRun, p.gracePeriodSeconds, p.ignoreStoreReadError, p.orphanDependents, p.propagationPolicy];
const writeParameters = [p.dryRun, p.fieldManager, p.fieldValidation];
/** Every PATCH operation lists these; kubectl looks for fieldValidation among them. */
export const patchParameters = [p.dryRun, p.patchFieldManager, p.fieldValidation, p.force];

const pathParam = (name: 'name' | 'namespace', description: string): ParameterSpec => ({ name, in: 'path', type: 'string', description, required: true });
const namespaceParam = pathParam('namespace', 'object name and auth scope, such as for teams and projects');

const objectMedia = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const listMedia = [...objectMedia, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
export const patchMedia = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

const statusDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const deleteOptionsDefinition = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** The operations of one resource (and its subresources), in upstream path order. */
export function operationsFor(src: OperationSource, registry: SchemaRegistry): OperationSpec[] {
  const { group, version, resource, kind, namespaced } = src;
  const gvk = { group, version, kind };
  const def = definitionNameFor(gvk, registry);
  if (!def) return [];
  const listDef = definitionNameFor({ group, version, kind: `${kind}List` }, registry);
  const has = (v: string) => src.verbs.includes(v);
  const createOnly = has('create') && !has('patch') && !has('get');
  const gvPath = gvPathOf(group, version);
  const prefix = `/${gvPath}`;
  const id = `${groupId(group)}${capitalize(version)}`;
  const ns = namespaced ? 'Namespaced' : '';
  const tag = tagOf(group, version);
  const collection = namespaced ? `${prefix}/namespaces/{namespace}/${resource}` : `${prefix}/${resource}`;
  const item = `${collection}/{name}`;
  const collectionParams = namespaced ? [namespaceParam, p.pretty] : [p.pretty];
  const itemParams = [pathParam('name', `name of the ${kind}`), ...(namespaced ? [namespaceParam] : []), p.pretty];
  const ops: OperationSpec[] = [];
  const op = (o: Omit<OperationSpec, 'gvPath' | 'tag' | 'produces'> & { produces?: string[] }) =>
    ops.push({ gvPath, tag, produces: objectMedia, ...o });

  if (has('deletecollection')) {
    op({ path: collection, method: 'delete', operationId: `delete${id}Collection${ns}${kind}`, description: `delete collection of ${kind}`, action: 'deletecollection', gvk, pathParameters: collectionParams, parameters: [p.continue, ...deleteParameters, p.fieldSelector, p.labelSelector, p.limit, p.resourceVersion, p.resourceVersionMatch, p.sendInitialEvents, p.timeoutSeconds], requestBody: deleteOptionsDefinition, responses: { '200': statusDefinition } });
  }
  if (has('list')) {
    op({ path: collection, method: 'get', operationId: `list${id}${ns}${kind}`, description: `list or watch objects of kind ${kind}`, action: 'list', gvk, pathParameters: collectionParams, parameters: listParameters, responses: { '200': listDef ?? def }, produces: listMedia });
  }
  if (has('create')) {
    op({ path: collection, method: 'post', operationId: `create${id}${ns}${kind}`, description: `create ${createOnly ? 'a ' : ''}${kind}`, action: 'post', gvk, pathParameters: collectionParams, parameters: writeParameters, requestBody: def, requestRequired: true, responses: { '200': def, '201': def, '202': def } });
  }
  if (has('delete')) {
    op({ path: item, method: 'delete', operationId: `delete${id}${ns}${kind}`, description: `delete a ${kind}`, action: 'delete', gvk, pathParameters: itemParams, parameters: deleteParameters, requestBody: deleteOptionsDefinition, responses: { '200': def, '202': def } });
  }
  if (has('get')) {
    op({ path: item, method: 'get', operationId: `read${id}${ns}${kind}`, description: `read the specified ${kind}`, action: 'get', gvk, pathParameters: itemParams, parameters: [], responses: { '200': def } });
  }
  if (has('patch') || createOnly) {
    op({
      path: item, method: 'patch', operationId: `patch${id}${ns}${kind}`,
      description: createOnly ? `synthetic: ${kind} is create-only; this operation only advertises server-side field validation` : `partially update the specified ${kind}`,
      action: 'patch', gvk, pathParameters: itemParams, parameters: patchParameters, requestBody: patchDefinition, requestRequired: true,
      responses: { '200': def, '201': def }, consumes: patchMedia,
    });
  }
  if (has('update')) {
    op({ path: item, method: 'put', operationId: `replace${id}${ns}${kind}`, description: `replace the specified ${kind}`, action: 'put', gvk, pathParameters: itemParams, parameters: writeParameters, requestBody: def, requestRequired: true, responses: { '200': def, '201': def } });
  }
  for (const sub of src.subresources ?? []) {
    const subGvk = { group: sub.group ?? group, version: sub.version ?? version, kind: sub.kind };
    const subDef = definitionNameFor(subGvk, registry);
    if (!subDef) continue;
    const subPath = `${item}/${sub.name}`;
    const subId = `${id}${ns}${kind}${capitalize(sub.name)}`;
    const subParams = [pathParam('name', `name of the ${subGvk.kind}`), ...(namespaced ? [namespaceParam] : []), p.pretty];
    const base = { path: subPath, gvk: subGvk, pathParameters: subParams };
    if (sub.verbs.includes('get')) op({ ...base, method: 'get', operationId: `read${subId}`, description: `read ${sub.name} of the specified ${kind}`, action: 'get', parameters: [], responses: { '200': subDef } });
    if (sub.verbs.includes('patch')) op({ ...base, method: 'patch', operationId: `patch${subId}`, description: `partially update ${sub.name} of the specified ${kind}`, action: 'patch', parameters: patchParameters, requestBody: patchDefinition, requestRequired: true, responses: { '200': subDef, '201': subDef }, consumes: patchMedia });
    if (sub.verbs.includes('create')) op({ ...base, method: 'post', operationId: `create${subId}`, description: `create ${sub.name} of a ${kind}`, action: 'post', parameters: writeParameters, requestBody: subDef, requestRequired: true, responses: { '200': subDef, '201': subDef, '202': subDef } });
    if (sub.verbs.includes('update')) op({ ...base, method: 'put', operationId: `replace${subId}`, description: `replace ${sub.name} of the specified ${kind}`, action: 'put', parameters: writeParameters, requestBody: subDef, requestRequired: true, responses: { '200': subDef, '201': subDef } });
  }
  if (namespaced && has('list')) {
    op({ path: `${prefix}/${resource}`, method: 'get', operationId: `list${id}${kind}ForAllNamespaces`, description: `list or watch objects of kind ${kind}`, action: 'list', gvk, pathParameters: [p.pretty], parameters: listParameters, responses: { '200': listDef ?? def }, produces: listMedia });
  }
  for (const o of ops) o.responses['401'] = undefined;
  return ops;
}

/**
 * Every operation: the served resources first, then create-only kinds of the registry that the
 * resources do not already cover.
 */
export function allOperations(resources: ResourceInfo[], registry: SchemaRegistry): OperationSpec[] {
  const served = new Set(resources.map((r) => `${r.group}/${r.version}/${r.resource}`));
  const sources: OperationSource[] = [
    ...resources,
    ...createOnlyKinds.filter((c) => !served.has(`${c.group}/${c.version}/${c.resource}`) && definitionNameFor(c, registry)),
  ];
  return sources.flatMap((s) => operationsFor(s, registry));
}
