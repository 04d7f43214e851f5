/**
 * Last-used recording of legacy (Secret-based) tokens, as kube-apiserver's legacy validator does it
 * (pkg/serviceaccount/legacy.go patchSecretWithLastUsedDate): after a legacy token authenticated
 * (or was refused only for carrying `kubernetes.io/legacy-token-invalid-since`), when the Secret's
 * label `kubernetes.io/legacy-token-last-used` is neither today's nor tomorrow's UTC date, the
 * Secret is merge-patched with `{"kind":"Secret","apiVersion":"v1","metadata":{"name","namespace",
 * "uid","labels":{"kubernetes.io/legacy-token-last-used":"<today>"}}}` (the uid makes the patch
 * fail on a re-created Secret of the same name). Patch errors are only logged.
 *
 * Contract of `record`: returns at once (the patch runs in the background, never delaying
 * authentication); never throws; at most one patch per Secret and date is sent or in flight
 * (remembered for up to `maxRemembered` Secrets; a failed patch is forgotten so that a later use
 * tries again).
 */
import { realClock, type Clock } from '../client/clock.js';
import { core, type RestClient } from '../client/rest-client.js';
import { formatDate, lastUsedLabelKey } from './tokens-shared.js';

export interface LegacyTokenUsageRecorder {
  /**
   * Records a use of the legacy token held by Secret `namespace/secretName`, whose current labels
   * are `labels` (and uid `uid`, sent as a precondition when given).
   */
  record(namespace: string, secretName: string, labels?: Record<string, string>, uid?: string): void;
  /** Resolves when every patch started so far has finished (tests, shutdown). */
  flush(): Promise<void>;
}

export interface LegacyTokenUsageRecorderOptions {
  /** The API server's own client (upstream uses its loopback secrets writer). */
  client: RestClient;
  clock?: Clock;
  maxRemembered?: number;
  log?: (message: string, err?: unknown) => void;
}

const dayMs = 24 * 3600 * 1000;

export function createLegacyTokenUsageRecorder(o: LegacyTokenUsageRecorderOptions): LegacyTokenUsageRecorder {
  const clock = o.clock ?? realClock;
  const max = o.maxRemembered ?? 10_000;
  const secrets = o.client.resource(core('secrets'));
  const recorded = new Map<string, string>();
  const inflight = new Set<Promise<void>>();

  return {
    record(namespace, secretName, labels, uid) {
      const now = clock.now();
      const today = formatDate(now);
      const lastUsed = labels?.[lastUsedLabelKey];
      if (lastUsed === today || lastUsed === formatDate(now + dayMs)) return;
      const key = `${namespace}/${secretName}`;
      if (recorded.get(key) === today) return;
      recorded.delete(key);
      if (recorded.size >= max) recorded.delete(recorded.keys().next().value!);
      recorded.set(key, today);
      const patch = {
        kind: 'Secret',
        apiVersion: 'v1',
        metadata: { name: secretName, namespace, ...(uid ? { uid } : {}), labels: { [lastUsedLabelKey]: today } },
      };
      const p = secrets
        .patch(namespace, secretName, 'merge', patch)
        .then(
          () => undefined,
          (e) => {
            if (recorded.get(key) === today) recorded.delete(key);
            o.log?.(`Failed to label legacy service account token ${namespace}/${secretName} with last-used date`, e);
          },
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
    },
    async flush() {
      await Promise.all([...inflight]);
    },
  };
}
