/**
 * The in-cluster configuration of a workload, as client-go's rest.InClusterConfig builds it from
 * the folder the node agent mounts (token, ca.crt, namespace): a program given that folder calls
 * the API as its ServiceAccount, and keeps doing so after the token file rotates because the
 * transport asks the token source for the token on every request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { ClientConfig } from '../https-transport.js';
import { createFileTokenSource, type FileTokenSource } from './token-source.js';

/** Where the kubelet mounts the kube-api-access volume. */
export const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/** client-go's rest.ErrNotInCluster wording. */
export const notInClusterMessage = 'unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';

/** Thrown when no server was given and KUBERNETES_SERVICE_HOST or KUBERNETES_SERVICE_PORT is unset or empty. */
export class NotInClusterError extends Error {
  constructor() {
    super(notInClusterMessage);
    this.name = 'NotInClusterError';
  }
}

export interface InClusterOptions {
  /** The mounted folder (default /var/run/secrets/kubernetes.io/serviceaccount). */
  dir?: string;
  /** The API server URL; default https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT (IPv6 hosts bracketed). */
  server?: string;
  /** Environment to read KUBERNETES_SERVICE_HOST/PORT and POD_NAMESPACE from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Clock of the token source (tests). */
  clock?: Pick<Clock, 'now'>;
  /** The token source's re-read period (default 60 s, as client-go). */
  reloadAfterMs?: number;
  userAgent?: string;
  /** Told about a missing or unreadable ca.crt (then the system's trust store is used, as client-go does) and about token file trouble. */
  log?: (message: string, err?: unknown) => void;
}

export interface InClusterConfig extends ClientConfig {
  /** POD_NAMESPACE, else the trimmed content of dir/namespace, else "default" (client-go's clientcmd rule). */
  namespace: string;
  /** The source behind `bearerTokenSource`. */
  tokenSource: FileTokenSource;
}

/** https://host:port with Go's net.JoinHostPort bracketing (a host containing ':' is an IPv6 literal). */
export function joinHostPort(host: string, port: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Builds the configuration. Throws NotInClusterError when no server can be determined, and the
 * token source's error when dir/token cannot be read now (client-go fails the same way); a bad
 * ca.crt is only logged. The returned config reads the token file per request through
 * `bearerTokenSource` (cached, re-read on rotation) and makes the source re-read after a 401.
 */
export function inClusterConfig(options: InClusterOptions = {}): InClusterConfig {
  const dir = options.dir ?? defaultServiceAccountDir;
  const env = options.env ?? process.env;
  const log = options.log ?? (() => {});
  let server = options.server;
  if (!server) {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (!host || !port) throw new NotInClusterError();
    server = `https://${joinHostPort(host, port)}`;
  }
  const tokenSource = createFileTokenSource({ path: join(dir, 'token'), clock: options.clock, reloadAfterMs: options.reloadAfterMs, log });
  const bearerToken = tokenSource.token();

  let caPem: string | undefined;
  const caFile = join(dir, 'ca.crt');
  try {
    caPem = readFileSync(caFile, 'utf8');
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('data does not contain any valid RSA or ECDSA certificates');
  } catch (err) {
    caPem = undefined;
    log(`Expected to load root CA config from ${caFile}, but got err: ${err instanceof Error ? err.message : String(err)}`, err);
  }

  return {
    server,
    caPem,
    bearerToken,
    bearerTokenSource: () => tokenSource.token(),
    onUnauthorized: () => tokenSource.invalidate(),
    userAgent: options.userAgent,
    namespace: namespaceOf(dir, env),
    tokenSource,
  };
}

function namespaceOf(dir: string, env: Record<string, string | undefined>): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const ns = readFileSync(join(dir, 'namespace'), 'utf8').trim();
    if (ns) return ns;
  } catch {
    // no namespace file: the default namespace, as client-go
  }
  return 'default';
}
