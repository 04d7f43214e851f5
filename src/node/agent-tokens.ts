/**
 * The service account tokens a pod's projected volumes hold, as the kubelet requests them
 * (pkg/volume/projected: one TokenRequest per serviceAccountToken source, for the pod's
 * serviceAccountName, audiences [audience] or none when empty, the source's expirationSeconds,
 * bound to the pod by name and UID), and the agent's two uses of them:
 * - `nextTokenRefresh`: the earliest time one of them must be refreshed (the agent syncs the pod
 *   again then, so the files are rewritten as soon as the token manager hands out a new token);
 * - `adoptTokens`: after a restart, the token files found in the pod's volume directories seed
 *   the token manager, so tokens that are still fresh are not requested again.
 */
import { join } from 'node:path';
import type { KubeObject } from '../api/meta.js';
import { readCurrent } from './atomic-writer.js';
import type { TokenManager, TokenRequestSpec } from './token-manager.js';

export interface TokenProjection {
  /** The volume's name and the file's path inside it. */
  volume: string;
  path: string;
  serviceAccount: string;
  spec: TokenRequestSpec;
}

interface TokenSource {
  audience?: string;
  expirationSeconds?: number;
  path?: string;
}

export function tokenProjections(pod: KubeObject): TokenProjection[] {
  const spec = (pod.spec ?? {}) as { serviceAccountName?: string; volumes?: { name: string; projected?: { sources?: { serviceAccountToken?: TokenSource }[] } }[] };
  const out: TokenProjection[] = [];
  for (const v of spec.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      const t = s.serviceAccountToken;
      if (!t?.path) continue;
      out.push({
        volume: v.name,
        path: t.path,
        serviceAccount: spec.serviceAccountName || 'default',
        // Exactly the spec volumes.ts requests (the token manager's cache key).
        spec: {
          audiences: t.audience ? [t.audience] : undefined,
          expirationSeconds: t.expirationSeconds ?? 3600,
          boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
        },
      });
    }
  }
  return out;
}

/** The earliest refresh time (ms since the epoch) of the pod's cached tokens, or undefined. */
export function nextTokenRefresh(tokens: TokenManager, pod: KubeObject): number | undefined {
  let next: number | undefined;
  for (const p of tokenProjections(pod)) {
    const at = tokens.nextRefresh(pod.metadata.namespace ?? '', p.serviceAccount, p.spec);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** Seeds `tokens` with the pod's token files under `podDir`/volumes; returns how many were adopted. */
export async function adoptTokens(tokens: TokenManager, pod: KubeObject, podDir: string): Promise<number> {
  let adopted = 0;
  const payloads = new Map<string, Map<string, Buffer> | undefined>();
  for (const p of tokenProjections(pod)) {
    if (!payloads.has(p.volume)) payloads.set(p.volume, await readCurrent(join(podDir, 'volumes', p.volume)).catch(() => undefined));
    const token = payloads.get(p.volume)?.get(p.path)?.toString('utf8').trim();
    if (token && tokens.adopt(pod.metadata.namespace ?? '', p.serviceAccount, p.spec, token)) adopted++;
  }
  return adopted;
}
