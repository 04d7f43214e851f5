/**
 * The authorization.k8s.io/v1 reviews (upstream pkg/registry/authorization/* and
 * pkg/apis/authorization/validation): SubjectAccessReview and LocalSubjectAccessReview ask the
 * server's authorizer about the user in the spec; SelfSubjectAccessReview about the requester;
 * SelfSubjectRulesReview lists the requester's RBAC rules in a namespace. Each takes the decoded
 * request object and returns the response object (spec echoed, status filled). Invalid specs are
 * 422 with upstream's wording; a failing authorizer yields allowed=false with evaluationError.
 */
import { invalid as invalidField, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { badRequest, invalid } from '../../api/status.js';
import type { UserInfo } from '../../admission/types.js';
import type { Attributes, Authorizer } from './types.js';
import type { RulesReview } from './rbac.js';

const group = 'authorization.k8s.io';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Go's %#v of a nil or set *NonResourceAttributes, as upstream's field errors print it. */
function goNonResource(v: Json | undefined): string {
  if (!v) return '(*authorization.NonResourceAttributes)(nil)';
  return `&authorization.NonResourceAttributes{Path:${JSON.stringify(str(v.path))}, Verb:${JSON.stringify(str(v.verb))}}`;
}

const goValueError = (field: string, goValue: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, detail: `${goValue}: ${detail}` });

function validateAttributesChoice(spec: Json): FieldError[] {
  const errs: FieldError[] = [];
  const res = obj(spec.resourceAttributes);
  const non = obj(spec.nonResourceAttributes);
  if (res && non) errs.push(goValueError('spec.nonResourceAttributes', goNonResource(non), 'cannot be specified in combination with resourceAttributes'));
  if (!res && !non) errs.push(goValueError('spec.resourceAttributes', goNonResource(non), 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  return errs;
}

function validateSubjectSpec(spec: Json): FieldError[] {
  const errs = validateAttributesChoice(spec);
  if (!str(spec.user) && strs(spec.groups).length === 0) errs.push(invalidField('spec.user', str(spec.user), 'at least one of user or group must be specified'));
  return errs;
}

/** Authorizer attributes from spec.resourceAttributes / nonResourceAttributes (authorizationutil). */
export function attributesFrom(user: UserInfo, spec: Json): Attributes {
  const res = obj(spec.resourceAttributes);
  if (res) {
    return {
      user, verb: str(res.verb), isResourceRequest: true, path: '', apiGroup: str(res.group), apiVersion: str(res.version) || '*',
      namespace: str(res.namespace), resource: str(res.resource), subresource: str(res.subresource), name: str(res.name),
    };
  }
  const non = obj(spec.nonResourceAttributes) ?? {};
  return { user, verb: str(non.verb), isResourceRequest: false, path: str(non.path), apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

async function decide(authorizer: Authorizer, attrs: Attributes): Promise<Json> {
  try {
    const d = await authorizer.authorize(attrs);
    const status: Json = { allowed: d.decision === 'allow' };
    if (d.decision === 'deny') status.denied = true;
    if (d.reason) status.reason = d.reason;
    return status;
  } catch (e) {
    return { allowed: false, evaluationError: e instanceof Error ? e.message : String(e) };
  }
}

function answer(review: KubeObject, status: Json): KubeObject {
  const meta = { ...review.metadata };
  if (meta.creationTimestamp === undefined) (meta as Json).creationTimestamp = null;
  return { ...review, metadata: meta, spec: review.spec ?? {}, status };
}

const metaEmpty = (m: KubeObject['metadata'], allow: string[]) =>
  Object.entries(m ?? {}).every(([k, v]) => allow.includes(k) || k === 'managedFields' || v === undefined || v === null || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0));

export async function subjectAccessReview(review: KubeObject, authorizer: Authorizer): Promise<KubeObject> {
  const spec = obj(review.spec) ?? {};
  const errs = validateSubjectSpec(spec);
  if (!metaEmpty(review.metadata, [])) errs.push(invalidField('metadata', undefined, 'must be empty'));
  if (errs.length) throw invalid({ group, kind: 'SubjectAccessReview' }, '', errs);
  const user: UserInfo = { username: str(spec.user), groups: strs(spec.groups), uid: str(spec.uid) || undefined, extra: (obj(spec.extra) as Record<string, string[]>) ?? undefined };
  return answer(review, await decide(authorizer, attributesFrom(user, spec)));
}

export async function localSubjectAccessReview(review: KubeObject, namespace: string, authorizer: Authorizer): Promise<KubeObject> {
  if (!namespace) throw badRequest(`namespace is required on this type: ${namespace}`);
  const meta = review.metadata;
  if (!meta.namespace) meta.namespace = namespace;
  else if (meta.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const spec = obj(review.spec) ?? {};
  const errs = validateSubjectSpec(spec);
  if (!metaEmpty(meta, ['namespace'])) errs.push(invalidField('metadata', undefined, 'must be empty except for namespace'));
  const res = obj(spec.resourceAttributes);
  if (res && str(res.namespace) !== meta.namespace) errs.push(invalidField('spec.resourceAttributes.namespace', str(res.namespace), 'must match metadata.namespace'));
  if (obj(spec.nonResourceAttributes)) errs.push(goValueError('spec.nonResourceAttributes', goNonResource(obj(spec.nonResourceAttributes)), 'disallowed on this kind of request'));
  if (errs.length) throw invalid({ group, kind: 'LocalSubjectAccessReview' }, '', errs);
  const user: UserInfo = { username: str(spec.user), groups: strs(spec.groups), uid: str(spec.uid) || undefined, extra: (obj(spec.extra) as Record<string, string[]>) ?? undefined };
  return answer(review, await decide(authorizer, attributesFrom(user, spec)));
}

export async function selfSubjectAccessReview(review: KubeObject, user: UserInfo, authorizer: Authorizer): Promise<KubeObject> {
  const spec = obj(review.spec) ?? {};
  const errs = validateAttributesChoice(spec);
  if (errs.length) throw invalid({ group, kind: 'SelfSubjectAccessReview' }, '', errs);
  return answer(review, await decide(authorizer, attributesFrom(user, spec)));
}

/** SelfSubjectRulesReview: `rules` lists what the requester may do in spec.namespace (required). */
export function selfSubjectRulesReview(review: KubeObject, user: UserInfo, rules: (user: UserInfo, namespace: string) => RulesReview): KubeObject {
  const namespace = str(obj(review.spec)?.namespace);
  if (!namespace) throw badRequest('no namespace on request');
  const r = rules(user, namespace);
  const status: Json = {
    resourceRules: r.resourceRules.map((x) => ({ verbs: x.verbs, ...(x.apiGroups.length ? { apiGroups: x.apiGroups } : {}), ...(x.resources.length ? { resources: x.resources } : {}), ...(x.resourceNames.length ? { resourceNames: x.resourceNames } : {}) })),
    nonResourceRules: r.nonResourceRules.map((x) => ({ verbs: x.verbs, nonResourceURLs: x.nonResourceURLs })),
    incomplete: r.incomplete,
  };
  if (r.error) status.evaluationError = r.error;
  return { metadata: { creationTimestamp: null } as unknown as KubeObject['metadata'], spec: {}, status };
}
