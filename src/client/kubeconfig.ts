/**
 * A ClientConfig from a kubeconfig file (the current context's cluster and user): server,
 * certificate-authority(-data), client-certificate(-data), client-key(-data), token(-file).
 * Relative file paths resolve against the kubeconfig's directory, as kubectl resolves them.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ClientConfig } from './https-transport.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  value?: T;
}

export function loadKubeconfig(path: string, context?: string): ClientConfig {
  return parseKubeconfig(readFileSync(path, 'utf8'), dirname(path), context);
}

export function parseKubeconfig(text: string, baseDir = '.', context?: string): ClientConfig {
  const kc = (parseYaml(text) ?? {}) as {
    'current-context'?: string;
    contexts?: Named<unknown>[];
    clusters?: Named<unknown>[];
    users?: Named<unknown>[];
  };
  const ctxName = context ?? kc['current-context'];
  const ctx = (kc.contexts ?? []).find((c) => c.name === ctxName)?.context as { cluster?: string; user?: string } | undefined;
  const cluster = ((kc.clusters ?? []).find((c) => c.name === ctx?.cluster) ?? kc.clusters?.[0])?.cluster as Record<string, string> | undefined;
  const user = (((kc.users ?? []).find((u) => u.name === ctx?.user) ?? kc.users?.[0])?.user ?? {}) as Record<string, string>;
  if (!cluster?.server) throw new Error('kubeconfig: no cluster server for the current context');
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : join(baseDir, p), 'utf8');
  const data = (inline: string | undefined, path: string | undefined) =>
    inline ? Buffer.from(inline, 'base64').toString('utf8') : path ? file(path) : undefined;
  return {
    server: cluster.server,
    caPem: data(cluster['certificate-authority-data'], cluster['certificate-authority']),
    clientCertPem: data(user['client-certificate-data'], user['client-certificate']),
    clientKeyPem: data(user['client-key-data'], user['client-key']),
    bearerToken: user.token ?? (user.tokenFile ? file(user.tokenFile).trim() : user['token-file'] ? file(user['token-file']).trim() : undefined),
  };
}
