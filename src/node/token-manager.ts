/**
 * The kubelet's ServiceAccount token manager (pkg/kubelet/token/token_manager.go): a cache of
 * TokenRequest responses keyed by (SA name, namespace, audiences, expirationSeconds, bound
 * object), refreshed by the kubelet's rule, plus what the kubelet lacks and an agent needs:
 * retry backoff after a failed refresh, adoption of tokens found on disk after a restart, and
 * the time of the next refresh so the agent can schedule a resync.
 */
import type { Clock } from '../client/clock.js';
import { realClock } from '../client/clock.js';

export interface BoundPodReference {
  apiVersion: 'v1';
  kind: 'Pod';
  name: string;
  uid: string;
}

export interface TokenRequestSpec {
  audiences?: string[];
  expirationSeconds?: number;
  boundObjectRef: BoundPodReference;
}

export interface IssuedToken {
  token: string;
  /** status.expirationTimestamp, RFC3339 (for the extended 3607 s token: iat + 3607 s, not the JWT exp). */
  expirationTimestamp: string;
  /** The spec the server returned (audiences and expirationSeconds filled in). */
  spec: TokenRequestSpec;
}

export interface TokenManagerOptions {
  /** POSTs serviceaccounts/NAME/token in NS and returns status + the spec the server returned. */
  requestToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
  clock?: Clock;
  /** Jitter source in [0,1): jitter = whole seconds of random()*10 s, drawn once per cached token. */
  random?: () => number;
  log?: (message: string, err?: unknown) => void;
}

export interface TokenManager {
  /** Cached token unless a refresh is required (80% of TTL or older than 24 h, minus jitter);
   * on refresh failure returns the old token while it is unexpired (logs), else rejects with
   * `failed to fetch token: <err>` (nothing cached) or `token <key> expired and refresh failed: <err>`.
   * After a failure the key is not retried for 1 s, doubling up to 2 min (the old token or the
   * last error is returned meanwhile); concurrent calls for one key share one request. */
  getServiceAccountToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken>;
  /** When (ms since epoch) the cached token for this key will need a refresh (or, after a failure,
   * when the next attempt is allowed), or undefined when nothing is cached or it never refreshes. */
  nextRefresh(namespace: string, serviceAccount: string, spec: TokenRequestSpec): number | undefined;
  /** Seeds the cache with a token read back from disk (agent restart) when its claims match the
   * key (namespace, SA, pod name/uid, audiences, lifetime) and it is not expired; true when adopted.
   * Never replaces a cached token. */
  adopt(namespace: string, serviceAccount: string, spec: TokenRequestSpec, token: string): boolean;
  /** Drops every token bound to the pod (and any answer still in flight for it). */
  deleteServiceAccountTokens(podUid: string): void;
  /** Drops expired entries (the agent calls it every minute). */
  purgeExpired(): void;
  /** Number of TokenRequests sent so far, failed ones included (for tests and the bench). */
  readonly requests: number;
}

const maxTTLMs = 24 * 60 * 60 * 1000;
const maxJitterSeconds = 10;
const initialBackoffMs = 1000;
const maxBackoffMs = 2 * 60 * 1000;
/** Lifetime the server gives a TokenRequest without expirationSeconds. */
const defaultExpirationSeconds = 3600;
/** The kubelet's default projected token lifetime that the server extends (reference §8.4). */
const extendedExpirationSeconds = 3607;

/** Go's %#v of a []string. */
const goStrings = (v: string[] | undefined) => (v ? `[]string{${v.map((s) => JSON.stringify(s)).join(', ')}}` : '[]string(nil)');

/** Upstream keyFunc: `"name"/"namespace"/<audiences %#v>/<expirationSeconds>/<boundObjectRef %#v>`. */
export function tokenCacheKey(namespace: string, serviceAccount: string, spec: TokenRequestSpec): string {
  const r = spec.boundObjectRef;
  const ref = `v1.BoundObjectReference{Kind:${JSON.stringify(r.kind)}, APIVersion:${JSON.stringify(r.apiVersion)}, Name:${JSON.stringify(r.name)}, UID:${JSON.stringify(r.uid)}}`;
  return `${JSON.stringify(serviceAccount)}/${JSON.stringify(namespace)}/${goStrings(spec.audiences)}/${spec.expirationSeconds ?? 0}/${ref}`;
}

interface Entry {
  issued: IssuedToken;
  podUid: string;
  jitterMs: number;
}

interface Backoff {
  delayMs: number;
  until: number;
  error: unknown;
  podUid: string;
}

interface InFlight {
  promise: Promise<IssuedToken>;
  podUid: string;
  cancelled: boolean;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const rfc3339 = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** The JWT payload, decoded without verification, or undefined. */
function decodeClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function createTokenManager(o: TokenManagerOptions): TokenManager {
  const clock = o.clock ?? realClock;
  const random = o.random ?? Math.random;
  const log = o.log ?? (() => {});
  const cache = new Map<string, Entry>();
  const backoffs = new Map<string, Backoff>();
  const inFlight = new Map<string, InFlight>();
  let requests = 0;

  const expired = (e: Entry) => clock.now() > Date.parse(e.issued.expirationTimestamp);
  const newEntry = (issued: IssuedToken, podUid: string): Entry => ({
    issued,
    podUid,
    jitterMs: Math.floor(random() * maxJitterSeconds) * 1000,
  });

  /** The instant after which a refresh is required (upstream requiresRefresh), or undefined (never). */
  function refreshAfter(e: Entry): number | undefined {
    const seconds = e.issued.spec.expirationSeconds;
    if (seconds === undefined || seconds === null) return undefined;
    const exp = Date.parse(e.issued.expirationTimestamp);
    const iat = exp - seconds * 1000;
    // No refresh when the node's clock is behind the server's (now < iat), as upstream: a node
    // whose clock lags would otherwise ask for a new token on every sync.
    return Math.min(iat + maxTTLMs - e.jitterMs, exp - Math.floor((seconds * 20) / 100) * 1000 - e.jitterMs);
  }

  function requiresRefresh(e: Entry): boolean {
    const after = refreshAfter(e);
    if (after === undefined) {
      log('Expiration seconds was nil for token request');
      return false;
    }
    return clock.now() > after;
  }

  function fallback(key: string, entry: Entry | undefined, err: unknown): IssuedToken {
    if (!entry) throw new Error(`failed to fetch token: ${message(err)}`, { cause: err });
    if (expired(entry)) throw new Error(`token ${key} expired and refresh failed: ${message(err)}`, { cause: err });
    log(`Couldn't update token (cacheKey ${key})`, err);
    return entry.issued;
  }

  async function getServiceAccountToken(namespace: string, serviceAccount: string, spec: TokenRequestSpec): Promise<IssuedToken> {
    const key = tokenCacheKey(namespace, serviceAccount, spec);
    const entry = cache.get(key);
    if (entry && !requiresRefresh(entry)) return entry.issued;
    const pending = inFlight.get(key);
    if (pending) return pending.promise;
    const backoff = backoffs.get(key);
    if (backoff && clock.now() < backoff.until) return fallback(key, entry, backoff.error);
    const podUid = spec.boundObjectRef.uid;
    const flight: InFlight = { podUid, cancelled: false, promise: undefined as unknown as Promise<IssuedToken> };
    flight.promise = (async () => {
      requests++;
      try {
        const issued = await o.requestToken(namespace, serviceAccount, spec);
        if (!flight.cancelled) {
          backoffs.delete(key);
          cache.set(key, newEntry(issued, podUid));
        }
        return issued;
      } catch (err) {
        if (!flight.cancelled) {
          const delayMs = backoff ? Math.min(backoff.delayMs * 2, maxBackoffMs) : initialBackoffMs;
          backoffs.set(key, { delayMs, until: clock.now() + delayMs, error: err, podUid });
        }
        return fallback(key, flight.cancelled ? undefined : cache.get(key), err);
      } finally {
        if (inFlight.get(key) === flight) inFlight.delete(key);
      }
    })();
    inFlight.set(key, flight);
    return flight.promise;
  }

  function nextRefresh(namespace: string, serviceAccount: string, spec: TokenRequestSpec): number | undefined {
    const key = tokenCacheKey(namespace, serviceAccount, spec);
    const entry = cache.get(key);
    const backoff = backoffs.get(key);
    const after = entry ? refreshAfter(entry) : undefined;
    const refreshAt = after === undefined ? undefined : after + 1;
    if (backoff && (refreshAt === undefined || backoff.until > refreshAt)) return backoff.until;
    return refreshAt;
  }

  function adopt(namespace: string, serviceAccount: string, spec: TokenRequestSpec, token: string): boolean {
    const key = tokenCacheKey(namespace, serviceAccount, spec);
    if (cache.has(key)) return false;
    const claims = decodeClaims(token);
    if (!claims) return false;
    const k8s = obj(claims['kubernetes.io']);
    const pod = obj(k8s.pod);
    if (k8s.namespace !== namespace || obj(k8s.serviceaccount).name !== serviceAccount) return false;
    if (pod.uid !== spec.boundObjectRef.uid || pod.name !== spec.boundObjectRef.name) return false;
    const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud.filter((a): a is string => typeof a === 'string') : [];
    if (aud.length === 0) return false;
    const wanted = spec.audiences ?? [];
    // Without audiences the server picked its API audiences, which the agent does not know.
    if (wanted.length > 0 && (aud.length !== wanted.length || wanted.some((a) => !aud.includes(a)))) return false;
    const { iat, exp } = claims;
    if (typeof iat !== 'number' || typeof exp !== 'number') return false;
    const seconds = spec.expirationSeconds ?? defaultExpirationSeconds;
    let expiresAt: number;
    if (exp - iat === seconds) expiresAt = exp;
    else if (seconds === extendedExpirationSeconds && k8s.warnafter === iat + seconds && exp > k8s.warnafter) expiresAt = iat + seconds;
    else return false;
    if (clock.now() > expiresAt * 1000) return false;
    const issued: IssuedToken = {
      token: token.trim(),
      expirationTimestamp: rfc3339(expiresAt * 1000),
      spec: { audiences: aud, expirationSeconds: seconds, boundObjectRef: { ...spec.boundObjectRef } },
    };
    cache.set(key, newEntry(issued, spec.boundObjectRef.uid));
    return true;
  }

  function deleteServiceAccountTokens(podUid: string): void {
    for (const [k, e] of cache) if (e.podUid === podUid || e.issued.spec.boundObjectRef?.uid === podUid) cache.delete(k);
    for (const [k, b] of backoffs) if (b.podUid === podUid) backoffs.delete(k);
    for (const [k, f] of inFlight) {
      if (f.podUid === podUid) {
        f.cancelled = true;
        inFlight.delete(k);
      }
    }
  }

  function purgeExpired(): void {
    for (const [k, e] of cache) if (expired(e)) cache.delete(k);
    const now = clock.now();
    for (const [k, b] of backoffs) if (!cache.has(k) && b.until + maxBackoffMs < now) backoffs.delete(k);
  }

  return {
    getServiceAccountToken,
    nextRefresh,
    adopt,
    deleteServiceAccountTokens,
    purgeExpired,
    get requests() {
      return requests;
    },
  };
}
