/**
 * The ServiceAccount issuer discovery documents (pkg/serviceaccount/openidmetadata.go), rendered
 * once as the exact bytes kube-apiserver serves. Serving them (paths, headers, RBAC) is the
 * server's job; the constants below say what upstream sends.
 */
import { marshalGo } from './json.js';
import type { VerificationKey } from './types.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
/** Both documents: static keys are cacheable for an hour (GetCacheAgeMaxSeconds = 3600). */
export const DISCOVERY_CACHE_CONTROL = 'public, max-age=3600';
export const OPENID_CONFIGURATION_CONTENT_TYPE = 'application/json';
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json';

/**
 * Why discovery cannot be served for this issuer (upstream then logs and installs no endpoints),
 * or undefined when it can: the issuer must be an https URL without query or fragment.
 */
export function discoveryIssuerError(issuer: string): string | undefined {
  if (issuer === '') return 'empty issuer URL';
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return `issuer URL could not be parsed: ${issuer}`;
  }
  if (url.protocol !== 'https:') return `issuer URL must use https scheme, got: ${issuer}`;
  if (url.search !== '') return `issuer URL may not include a query, got: ${issuer}`;
  if (url.hash !== '') return `issuer URL may not include a fragment, got: ${issuer}`;
  return undefined;
}

/** `--service-account-jwks-uri` must be an https URL; returns upstream's complaint or undefined. */
export function jwksUriError(jwksUri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(jwksUri);
  } catch {
    return `jwksURI could not be parsed: ${jwksUri}`;
  }
  return url.protocol === 'https:' ? undefined : `jwksURI requires https scheme, parsed as: ${jwksUri}`;
}

/**
 * The `jwks_uri` upstream publishes when `--service-account-jwks-uri` is not given: built from the
 * server's external address (host:port, IPv6 in brackets), NOT from the issuer.
 */
export function defaultJwksUri(externalAddress: string): string {
  return `https://${externalAddress}${JWKS_PATH}`;
}

/** `id_token_signing_alg_values_supported`: the keys' algorithms, unique and sorted. */
export function algorithmsOf(keys: VerificationKey[]): string[] {
  return [...new Set(keys.map((key) => key.algorithm))].sort();
}

/**
 * The OIDC provider configuration, members in upstream's order: issuer, jwks_uri,
 * response_types_supported ["id_token"], subject_types_supported ["public"],
 * id_token_signing_alg_values_supported (sorted, unique). Compact JSON, no trailing newline.
 */
export function openIdConfiguration(options: { issuer: string; jwksUri: string; algorithms: string[] }): string {
  return marshalGo({
    issuer: options.issuer,
    jwks_uri: options.jwksUri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(options.algorithms)].sort(),
  });
}

/**
 * `{"keys":[...]}` with every key's public JWK in the given order (members use, kty, kid, crv,
 * alg, x, y, n, e; never private members). Throws when there is no key, as upstream refuses to
 * build the document then ("no keys provided for validating keyset").
 */
export function jwksDocument(keys: VerificationKey[]): string {
  if (keys.length === 0) throw new Error('no keys provided for validating keyset');
  return marshalGo({
    keys: keys.map(({ jwk }) => {
      const out: Record<string, string> = {};
      for (const member of ['use', 'kty', 'kid', 'crv', 'alg', 'x', 'y', 'n', 'e']) {
        const value = jwk[member];
        if (value !== undefined && value !== '') out[member] = value;
      }
      return out;
    }),
  });
}
