/**
 * A bearer token read from a projected ServiceAccount token file, as a workload reads the file the
 * node agent (or the kubelet) keeps fresh: the visible `token` entry is a symlink into `..data/`,
 * and a rotation swaps `..data` to a new timestamped directory in one rename.
 *
 * Like client-go's cached file token source (transport.NewCachedFileTokenSource) the token is
 * cached and the file is looked at again after `reloadAfterMs` (default one minute). Unlike it,
 * a look is cheap when nothing changed (the resolved path, inode, size and mtime are compared
 * before the file is read), and the file is looked at on every call once the cached token is past
 * `refreshFraction` of its lifetime or within `leewayMs` of its exp (claims decoded from the JWT
 * payload, never verified: verifying is the server's job), so a short-lived token is picked up
 * promptly after the writer rotated it.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { realClock, type Clock } from '../clock.js';

export interface FileTokenSourceOptions {
  /** The token file, e.g. /var/run/secrets/kubernetes.io/serviceaccount/token. */
  path: string;
  /** Only `now()` is used (default: the real clock). */
  clock?: Pick<Clock, 'now'>;
  /** Look at the file again at most this long after the last look while the token is fresh (default 60 s). */
  reloadAfterMs?: number;
  /** A token is stale (the file is looked at on every call) once this fraction of iat..exp has passed (default 0.5). */
  refreshFraction?: number;
  /** A token is stale this long before its exp (default 10 s, client-go's leeway). */
  leewayMs?: number;
  /** After a failed read, the file is not tried again for this long (default 1 s); the last good token is served meanwhile. */
  errorRetryMs?: number;
  /** Told about read failures that were covered by the last good token, and about rotations. */
  log?: (message: string, err?: unknown) => void;
}

export interface FileTokenSource {
  readonly path: string;
  /**
   * The current token (trimmed, never empty). Throws only when no token was ever read: a failed
   * read after a good one is logged and the last good token is returned.
   */
  token(): string;
  /** Makes the next `token()` read the file regardless of the cache (client-go resets its source on a 401). */
  invalidate(): void;
  /** Number of times the file content was read (for tests and benchmarks). */
  readonly reads: number;
}

/** The exp, iat and nbf claims of a compact JWS (seconds), decoded without verification; {} when not a JWT. */
export function unverifiedTimes(token: string): { exp?: number; iat?: number; nbf?: number } {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    return { exp: num(claims.exp), iat: num(claims.iat), nbf: num(claims.nbf) };
  } catch {
    return {};
  }
}

/** client-go's wording: `failed to read token file "P": <cause>`, or `read empty token from file "P"` as is. */
function asReadError(path: string, err: unknown): Error {
  if (err instanceof Error && err.message.startsWith('read empty token')) return err;
  return new Error(`failed to read token file "${path}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

interface Cached {
  token: string;
  /** The file's identity when it was read: resolved path, inode, size, mtime. */
  identity: string;
  readAt: number;
  /** When the token turns stale (ms since epoch), or Infinity when it carries no exp. */
  staleAt: number;
}

export function createFileTokenSource(options: FileTokenSourceOptions): FileTokenSource {
  const { path } = options;
  const clock = options.clock ?? realClock;
  const reloadAfterMs = options.reloadAfterMs ?? 60_000;
  const fraction = options.refreshFraction ?? 0.5;
  const leewayMs = options.leewayMs ?? 10_000;
  const errorRetryMs = options.errorRetryMs ?? 1_000;
  const log = options.log ?? (() => {});

  let cached: Cached | undefined;
  let nextLook = 0;
  let retryAfter = 0;
  let forced = false;
  let reads = 0;

  function identityOf(): string {
    const real = realpathSync(path);
    const st = statSync(real);
    return `${real}\0${st.ino}\0${st.size}\0${st.mtimeMs}`;
  }

  function staleAt(token: string, readAt: number): number {
    const { exp, iat, nbf } = unverifiedTimes(token);
    if (exp === undefined) return Infinity;
    const expMs = exp * 1000;
    const startMs = (iat ?? nbf ?? readAt / 1000) * 1000;
    const byFraction = expMs > startMs ? startMs + fraction * (expMs - startMs) : expMs;
    return Math.min(byFraction, expMs - leewayMs);
  }

  function read(now: number, identity: string): Cached {
    reads++;
    const text = readFileSync(path, 'utf8').trim();
    if (!text) throw new Error(`read empty token from file "${path}"`);
    return { token: text, identity, readAt: now, staleAt: staleAt(text, now) };
  }

  return {
    path,
    get reads() {
      return reads;
    },
    invalidate() {
      forced = true;
    },
    token(): string {
      const now = clock.now();
      if (cached && !forced) {
        const stale = now >= cached.staleAt;
        if (!stale && now < nextLook) return cached.token;
        if (now < retryAfter) return cached.token;
      }
      try {
        const identity = identityOf();
        if (cached && !forced && identity === cached.identity) {
          nextLook = now + reloadAfterMs;
          return cached.token;
        }
        const previous = cached;
        cached = read(now, identity);
        forced = false;
        nextLook = now + reloadAfterMs;
        if (previous && previous.token !== cached.token) log(`token file "${path}" rotated`);
        return cached.token;
      } catch (err) {
        if (!cached) throw asReadError(path, err);
        forced = false;
        retryAfter = now + errorRetryMs;
        log(`unable to rotate token from "${path}", keeping the last one read`, err);
        return cached.token;
      }
    },
  };
}
