/**
 * The `serviceaccounts/token` subresource (upstream pkg/registry/core/serviceaccount/storage/
 * token.go, 1.32): issues a bound ServiceAccount token for a decoded TokenRequest. Nothing is
 * stored. Knows no HTTP: the caller decodes the body and writes the answer (201).
 *
 * Order, errors and wording as upstream:
 * 1. metadata.namespace in the body, if set, must be the URL's (400, the generic handler's check);
 *    metadata.name, if set, must be the ServiceAccount's (422 `must match the service account name if specified`);
 * 2. the ServiceAccount must exist (404);
 * 3. defaults: spec.audiences → the API audiences, spec.expirationSeconds → 3600, name/namespace
 *    from the ServiceAccount, creationTimestamp now, status cleared;
 * 4. validation: expirationSeconds in [600, 2^32] (422 on TokenRequest "");
 * 5. boundObjectRef: Pod (same namespace, must run as this ServiceAccount; its Node's name and UID
 *    go into the token when scheduled), Secret (same namespace), Node; any other kind 400; a
 *    non-empty uid that differs from the object's 409;
 * 6. a server maximum shortens longer requests, with the Warning
 *    `requested expiration of N seconds shortened to M seconds`;
 * 7. a pod-bound request for exactly 3607 s whose audiences are all API audiences gets a JWT valid
 *    for one year with `warnafter` = now + 3607 (when extension is on), while spec and
 *    status.expirationTimestamp still say 3607 s.
 */
import { invalid as invalidField } from '../../api/field-errors.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import { badRequest, conflict, invalid } from '../../api/status.js';
import type { ObjectRef, TokenSigner } from '../../tokens/types.js';

export const defaultExpirationSeconds = 3600;
export const minExpirationSeconds = 600;
export const maxExpirationSecondsLimit = 2 ** 32;
export const warnOnlyBoundTokenExpirationSeconds = 3607;
export const expirationExtensionSeconds = 365 * 24 * 3600;

const tokenRequestKind = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

/** Reads current objects; throws the 404 StatusError when absent (a Store's `get`). */
export interface ObjectReader {
  get(namespace: string, name: string): KubeObject;
}

/** What a token's claims are built from (tokens/claims.ts boundTokenClaims takes exactly this). */
export interface BoundClaimsInput {
  issuer: string;
  audiences: string[];
  expirationSeconds: number;
  nowSeconds: number;
  serviceAccount: { namespace: string; name: string; uid: string };
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Absolute Unix seconds. */
  warnAfter?: number;
}

export interface TokenRequestOptions {
  serviceAccounts: ObjectReader;
  pods: ObjectReader;
  secrets: ObjectReader;
  nodes: ObjectReader;
  signer: Pick<TokenSigner, 'sign'>;
  claims(input: BoundClaimsInput): Record<string, unknown>;
  /** The first --service-account-issuer (read per request: the default depends on the bound port). */
  issuer(): string;
  apiAudiences(): string[];
  /** --service-account-max-token-expiration in seconds; 0 = no maximum. */
  maxExpirationSeconds?: number;
  /** --service-account-extend-token-expiration (default true). */
  extendExpiration?: boolean;
  /** Epoch ms. */
  now?: () => number;
}

export interface TokenRequestREST {
  /** Issues a token for `name` in `namespace`; `warnings` receives Warning texts. Throws StatusError. */
  create(namespace: string, name: string, request: KubeObject, warnings: string[]): Promise<KubeObject>;
}

/** Go's schema.GroupVersionKind of an apiVersion and kind (FromAPIVersionAndKind). */
function groupVersionKind(apiVersion: string, kind: string): { group: string; version: string; kind: string } {
  const parts = apiVersion.split('/');
  if (apiVersion === '') return { group: '', version: '', kind };
  if (parts.length === 1) return { group: '', version: parts[0]!, kind };
  if (parts.length === 2 && parts[0] && parts[1]) return { group: parts[0], version: parts[1], kind };
  return { group: '', version: '', kind };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * formatTime for one kind of instant: formatTime remembers only the last second it formatted, so
 * alternating creation and expiration timestamps would format both on every request.
 */
function timeFormatter(): (ms: number) => string {
  let second = NaN;
  let text = '';
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      text = formatTime(ms);
      second = s;
    }
    return text;
  };
}

export function createTokenRequestREST(o: TokenRequestOptions): TokenRequestREST {
  const now = o.now ?? Date.now;
  const creationTime = timeFormatter();
  const expirationTime = timeFormatter();
  const max = o.maxExpirationSeconds ?? 0;
  const extend = o.extendExpiration ?? true;

  return {
    async create(namespace, name, request, warnings) {
      const meta = request.metadata ?? {};
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (meta.name && meta.name !== name) {
        throw invalid(tokenRequestKind, name, [invalidField('metadata.name', meta.name, 'must match the service account name if specified')]);
      }
      const sa = o.serviceAccounts.get(namespace, name);
      const spec = { ...((request as { spec?: Record<string, unknown> }).spec ?? {}) };
      const requestedAudiences = Array.isArray(spec.audiences) ? (spec.audiences as unknown[]).map(str) : [];
      const audiences = requestedAudiences.length ? requestedAudiences : [...o.apiAudiences()];
      const nowMs = now();
      const nowSeconds = Math.floor(nowMs / 1000);
      let expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? defaultExpirationSeconds : Number(spec.expirationSeconds);

      const errs = [];
      if (!(expirationSeconds >= minExpirationSeconds)) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes'));
      if (expirationSeconds > maxExpirationSecondsLimit) errs.push(invalidField('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
      if (errs.length) throw invalid(tokenRequestKind, '', errs);

      let pod: KubeObject | undefined;
      let podRef: ObjectRef | undefined;
      let secretRef: ObjectRef | undefined;
      let nodeRef: ObjectRef | undefined;
      const ref = spec.boundObjectRef as Record<string, unknown> | null | undefined;
      if (ref && typeof ref === 'object') {
        const gvk = groupVersionKind(str(ref.apiVersion), str(ref.kind));
        const refName = str(ref.name);
        let uid = '';
        if (gvk.group === '' && gvk.kind === 'Pod') {
          pod = o.pods.get(namespace, refName);
          const podSpec = (pod as { spec?: Record<string, unknown> }).spec ?? {};
          if (str(podSpec.serviceAccountName) !== name) {
            throw badRequest(`cannot bind token for serviceaccount ${JSON.stringify(name)} to pod running with different serviceaccount name.`);
          }
          uid = pod.metadata.uid ?? '';
          podRef = { name: pod.metadata.name ?? refName, uid };
          const nodeName = str(podSpec.nodeName);
          if (nodeName) {
            let nodeUid = '';
            try {
              nodeUid = o.nodes.get('', nodeName).metadata.uid ?? '';
            } catch (e) {
              if ((e as { code?: number }).code !== 404) throw e;
            }
            nodeRef = { name: nodeName, uid: nodeUid };
          }
        } else if (gvk.group === '' && gvk.kind === 'Node') {
          const node = o.nodes.get('', refName);
          uid = node.metadata.uid ?? '';
          nodeRef = { name: node.metadata.name ?? refName, uid };
        } else if (gvk.group === '' && gvk.kind === 'Secret') {
          const secret = o.secrets.get(namespace, refName);
          uid = secret.metadata.uid ?? '';
          secretRef = { name: secret.metadata.name ?? refName, uid };
        } else {
          throw badRequest(`cannot bind token to object of type ${gvk.group}/${gvk.version}, Kind=${gvk.kind}`);
        }
        const wantUid = str(ref.uid);
        if (wantUid !== '' && wantUid !== uid) {
          throw conflict(
            { group: gvk.group, resource: gvk.kind },
            refName,
            `the UID in the bound object reference (${wantUid}) does not match the UID in record. The object might have been deleted and then recreated`,
          );
        }
      }

      if (max > 0 && expirationSeconds > max) {
        warnings.push(`requested expiration of ${expirationSeconds} seconds shortened to ${max} seconds`);
        expirationSeconds = max;
      }
      let jwtExpiration = expirationSeconds;
      let warnAfter: number | undefined;
      const apiAudiences = o.apiAudiences();
      if (extend && pod && expirationSeconds === warnOnlyBoundTokenExpirationSeconds && audiences.every((a) => apiAudiences.includes(a))) {
        warnAfter = nowSeconds + expirationSeconds;
        jwtExpiration = expirationExtensionSeconds;
      }

      const input: BoundClaimsInput = {
        issuer: o.issuer(),
        audiences,
        expirationSeconds: jwtExpiration,
        nowSeconds,
        serviceAccount: { namespace: sa.metadata.namespace ?? namespace, name: sa.metadata.name ?? name, uid: sa.metadata.uid ?? '' },
      };
      if (podRef) input.pod = podRef;
      if (secretRef) input.secret = secretRef;
      if (nodeRef) input.node = nodeRef;
      if (warnAfter !== undefined) input.warnAfter = warnAfter;
      const token = await o.signer.sign(o.claims(input));

      const outSpec: Record<string, unknown> = { audiences, expirationSeconds };
      if (ref && typeof ref === 'object') {
        const r: Record<string, unknown> = {};
        for (const k of ['kind', 'apiVersion', 'name', 'uid']) if (str(ref[k])) r[k] = ref[k];
        outSpec.boundObjectRef = r;
      }
      return {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { ...meta, name: sa.metadata.name ?? name, namespace: sa.metadata.namespace ?? namespace, creationTimestamp: creationTime(nowMs) },
        spec: outSpec,
        status: { token, expirationTimestamp: expirationTime(nowSeconds * 1000 + expirationSeconds * 1000) },
      } as KubeObject;
    },
  };
}
