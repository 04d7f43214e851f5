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
    const pending = review(obj, scope);
    const answer = pending instanceof Promise ? await pending : pending;
    // kind and apiVersion first, then the answer's other members in order (no object rest: slow in V8).
    const out: Record<string, unknown> = { kind: scope.resource.kind, apiVersion: groupVersion(scope.resource) };
    for (const key of Object.keys(answer)) {
      if (key === 'kind' || key === 'apiVersion') continue;
      const value = (answer as Record<string, unknown>)[key];
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    setWarnings(scope.res, scope.warnings);
    writeJson(scope.res, 201, out, scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
  };
}
