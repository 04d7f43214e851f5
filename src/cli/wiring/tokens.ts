/**
 * Wiring of ServiceAccount tokens (issue 3): signing and verification keys, the
 * `serviceaccounts/token` subresource, the ServiceAccount and static token authenticators,
 * TokenReview, SelfSubjectReview, and OIDC discovery, with kube-apiserver's flags:
 *
 *   --service-account-issuer (repeatable; first signs, all accepted; default the server's URL)
 *   --service-account-key-file (repeatable; PEM public/private RSA or ECDSA keys that verify)
 *   --service-account-signing-key-file (default <data-dir>/pki/service-account.key, generated)
 *   --api-audiences (repeatable or comma-separated; default the issuers)
 *   --service-account-max-token-expiration (Go duration; 0 = none; else within [1h, 2^32 s])
 *   --service-account-extend-token-expiration (default true: the 3607 s rule)
 *   --service-account-jwks-uri (https; default https://<address>/openid/v1/jwks)
 *   --token-auth-file (static tokens, CSV token,user,uid,"groups")
 *
 * Verification keys are the key files' keys in order, plus the signing key's public part when no
 * key file holds it (so the server always accepts the tokens it issues).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { groupVersion, type ResourceInfo } from '../../api/resources.js';
import type { KubeObject } from '../../api/meta.js';
import { createServiceAccountAuthenticator } from '../../auth/authn/serviceaccount.js';
import { createTokenCache, feedTokenCache } from '../../auth/authn/token-cache.js';
import { createTokenFileAuthenticator, parseTokenFile } from '../../auth/authn/token-file.js';
import { reviewSelf, reviewToken } from '../../auth/authn/reviews.js';
import type { Authenticator } from '../../auth/authn/types.js';
import { createTokenRequestREST } from '../../registry/serviceaccounts/token.js';
import { createOnlyHandler } from '../../server/handlers/create-only.js';
import { createOidcRoutes, jwksPath } from '../../server/oidc.js';
import { boundTokenClaims } from '../../tokens/claims.js';
import { algorithmsOf, discoveryIssuerError, jwksDocument, jwksUriError, openIdConfiguration } from '../../tokens/discovery.js';
import { loadOrCreateSigningKey, loadPublicKeysFile, verificationKeysOf } from '../../tokens/keys.js';
import { createTokenSigner } from '../../tokens/signer.js';
import { legacyTokenUsage } from './legacy-tokens.js';
import type { TokenVerifier } from '../../tokens/types.js';
import { createTokenVerifier } from '../../tokens/verifier.js';
import type { PartModule, ServeContext } from './part.js';

const collect = (v: string, prev: string[]) => [...prev, v];
const collectList = (v: string, prev: string[]) => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function boolFlag(v: string | undefined): boolean {
  if (v === undefined || ['', '1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new Error(`invalid boolean value ${JSON.stringify(v)}`);
}

const durationUnits: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Seconds of a Go duration (`48h`, `1h30m`, `3600s`, `0`); throws like time.ParseDuration. */
export function parseGoDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  re.lastIndex = 0;
  while (at < body.length) {
    re.lastIndex = at;
    const m = re.exec(body);
    if (!m) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * durationUnits[m[2]!]!;
    at = re.lastIndex;
  }
  if (!body) throw new Error(`time: invalid duration ${JSON.stringify(text)}`);
  return text.startsWith('-') ? -total : total;
}

/** The flags this part reads (commander's camelCase names). */
interface TokenFlags {
  serviceAccountIssuer: string[];
  serviceAccountKeyFile: string[];
  serviceAccountSigningKeyFile?: string;
  apiAudiences: string[];
  serviceAccountMaxTokenExpiration: string;
  serviceAccountExtendTokenExpiration: boolean;
  serviceAccountJwksUri?: string;
  tokenAuthFile?: string;
}

/** The resource the token subresource decodes and answers: TokenRequest, authentication.k8s.io/v1. */
const tokenRequestResource = (sa: ResourceInfo): ResourceInfo => ({
  ...sa,
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenRequest',
  definition: 'io.k8s.api.authentication.v1.TokenRequest',
});

export const tokensPart: PartModule = {
  addFlags: (cmd: Command) =>
    cmd
      .option('--service-account-issuer <url>', 'issuer of ServiceAccount tokens (repeatable; the first signs, all are accepted; default the server URL)', collect, [])
      .option('--service-account-key-file <file>', 'PEM file of keys that verify ServiceAccount tokens (repeatable)', collect, [])
      .option('--service-account-signing-key-file <file>', 'PEM private key that signs ServiceAccount tokens (default: generated under <data-dir>/pki)')
      .option('--api-audiences <audiences>', 'audiences of the API (repeatable, comma-separated; default the issuers)', collectList, [])
      .option('--service-account-max-token-expiration <duration>', 'maximum validity of TokenRequest tokens (0: none)', '0s')
      .option('--service-account-extend-token-expiration [bool]', 'extend pod-bound 3607 s tokens to one year (warnafter)', boolFlag, true)
      .option('--service-account-jwks-uri <url>', 'jwks_uri published in the OIDC discovery document')
      .option('--token-auth-file <file>', 'static bearer tokens (CSV: token,user,uid,"group1,group2")'),

  async build(ctx: ServeContext) {
    const f = ctx.flags as unknown as TokenFlags;
    const issuerFlags = f.serviceAccountIssuer ?? [];
    for (const [i, iss] of issuerFlags.entries()) {
      if (iss === '') throw new Error('service-account-issuer should not be an empty string');
      if (issuerFlags.indexOf(iss) !== i) throw new Error(`service-account-issuer ${JSON.stringify(iss)} is already specified`);
      if (iss.includes(':')) {
        try {
          new URL(iss);
        } catch (e) {
          throw new Error(`service-account-issuer ${JSON.stringify(iss)} contained a ':' but was not a valid URL: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    const maxSeconds = parseGoDuration(f.serviceAccountMaxTokenExpiration ?? '0');
    if (maxSeconds !== 0 && (maxSeconds < 3600 || maxSeconds > 2 ** 32)) {
      throw new Error('the service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
    }
    if (f.serviceAccountJwksUri) {
      const e = jwksUriError(f.serviceAccountJwksUri);
      if (e) throw new Error(`service-account-jwks-uri requires https scheme, parsed as: ${f.serviceAccountJwksUri}`);
    }

    const signingKey = await loadOrCreateSigningKey({ keyFile: f.serviceAccountSigningKeyFile, dataDir: ctx.dataDir });
    const fileKeys = (await Promise.all((f.serviceAccountKeyFile ?? []).map(loadPublicKeysFile))).flat();
    const keys = verificationKeysOf(fileKeys);
    if (!keys.some((k) => k.keyId === signingKey.keyId)) keys.push(...verificationKeysOf([signingKey.publicKey]));
    const signer = createTokenSigner(signingKey);

    const issuers = (): string[] => (issuerFlags.length ? issuerFlags : [ctx.serverUrl()]);
    const apiAudiences = (): string[] => (f.apiAudiences?.length ? f.apiAudiences : issuers());
    let verifier: TokenVerifier | undefined;
    const lazyVerifier: TokenVerifier = {
      verify: (token, now, options) => (verifier ??= createTokenVerifier({ keys, issuers: issuers() })).verify(token, now, options),
    };

    const serviceAccounts = ctx.store('serviceaccounts');
    const pods = ctx.store('pods');
    const secrets = ctx.store('secrets');
    const nodes = ctx.store('nodes');
    const cache = createTokenCache();
    const saAuthenticator = createServiceAccountAuthenticator({
      verifier: lazyVerifier,
      apiAudiences,
      serviceAccounts,
      pods,
      secrets,
      nodes,
      cache,
      // Upstream's legacy validator labels the Secret kubernetes.io/legacy-token-last-used (at most daily).
      legacyTokenUsed: (secret) =>
        legacyTokenUsage.record(secret.metadata.namespace ?? '', secret.metadata.name ?? '', secret.metadata.labels, secret.metadata.uid),
    });
    const authenticators: Authenticator[] = [];
    if (f.tokenAuthFile) {
      const tokens = parseTokenFile(readFileSync(f.tokenAuthFile, 'utf8'), f.tokenAuthFile);
      authenticators.push(createTokenFileAuthenticator({ tokens, apiAudiences }));
    }
    authenticators.push(saAuthenticator);

    const tokenRequest = createTokenRequestREST({
      serviceAccounts,
      pods,
      secrets,
      nodes,
      signer,
      claims: boundTokenClaims,
      issuer: () => issuers()[0]!,
      apiAudiences,
      maxExpirationSeconds: maxSeconds,
      extendExpiration: f.serviceAccountExtendTokenExpiration !== false,
    });
    const tokenReviewHandler = createOnlyHandler((obj, scope) => reviewToken(obj, scope.info.namespace, { authenticators, apiAudiences }));
    const selfReviewHandler = createOnlyHandler((obj, scope) => reviewSelf(obj, scope.user, Date.now()));

    const discoveryDocs = {
      configuration: () =>
        openIdConfiguration({
          issuer: issuers()[0]!,
          jwksUri: f.serviceAccountJwksUri || `${ctx.serverUrl()}${jwksPath}`,
          algorithms: algorithmsOf(keys),
        }),
      jwks: () => jwksDocument(keys),
    };
    // Upstream installs no discovery endpoints for an issuer that is not an https URL.
    const discoveryRoutes = issuerFlags.length && discoveryIssuerError(issuerFlags[0]!) ? {} : createOidcRoutes(discoveryDocs);
    // The core Stores are started before parts are built: feed the cache before any request.
    const stopFeed = feedTokenCache(
      cache,
      [serviceAccounts, pods, secrets, nodes].map((s) => ({ resource: s.info.resource, events: s.cache })),
    );

    return {
      authenticators,
      // ctx.stores grows as later parts are built; asked at the first request, when all are.
      subresourceHandlers: {
        '/serviceaccounts/token': async (scope, body) => {
          const resource = tokenRequestResource(scope.resource);
          await createOnlyHandler(async (obj, s) => {
            // Admission sees CREATE serviceaccounts/token with the TokenRequest (NodeRestriction).
            const attrs = {
              operation: 'CREATE' as const, resource: scope.resource, subresource: 'token', namespace: scope.info.namespace,
              name: scope.info.name, object: obj as KubeObject, oldObject: null, user: scope.user, dryRun: false,
            };
            await scope.api.admission.admit(attrs);
            await scope.api.admission.validate(attrs);
            const out = await tokenRequest.create(scope.info.namespace, scope.info.name, attrs.object, s.warnings);
            return { ...out, apiVersion: groupVersion(resource) };
          })({ ...scope, resource }, body);
        },
      },
      createHandlers: {
        'authentication.k8s.io/v1/tokenreviews': tokenReviewHandler,
        'authentication.k8s.io/v1/selfsubjectreviews': selfReviewHandler,
        'authentication.k8s.io/v1beta1/selfsubjectreviews': selfReviewHandler,
      },
      extraRoutes: discoveryRoutes,
      start() {
        if (issuerFlags.length === 0) ctx.log.info({ issuer: issuers()[0] }, 'service account issuer defaults to the server URL');
      },
      stop() {
        stopFeed();
      },
    };
  },
};
