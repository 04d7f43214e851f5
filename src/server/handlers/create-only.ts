/**
 * Create-only kinds without storage (TokenReview, SelfSubjectReview, the access reviews): the
 * body is decoded like any create (media types, apiVersion/kind checks against the URL, field
 * validation), the review computes the answer, and the answer is written as 201 Created in the
 * negotiated format, with apiVersion and kind set, as kube-apiserver does.
 */
import type { KubeObject } from '../../api/meta.js';
import { groupVersion } from '../../api/resources.js';
import { setWarnings, writeJson } from '../responses.js';
import { decodeObject } from './decode.js';
import { dryRunOf, type CreateScope } from './scope.js';

/** The review: gets the decoded request object (mutable) and the scope (user, namespace...); returns the response object. */
export type Review = (obj: KubeObject, scope: CreateScope) => Promise<KubeObject> | KubeObject;

export function createOnlyHandler(review: Review): (scope: CreateScope, body: Buffer) => Promise<void> {
  return async (scope, body) => {
    dryRunOf(scope.query);
    const obj = decodeObject(scope, body);
    const answer = await review(obj, scope);
    const { apiVersion: _apiVersion, kind: _kind, ...rest } = answer;
    const out = { kind: scope.resource.kind, apiVersion: groupVersion(scope.resource), ...rest };
    setWarnings(scope.res, scope.warnings);
    writeJson(scope.res, 201, out, scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
  };
}
