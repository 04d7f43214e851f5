/**
 * The legacy token cleaner (upstream pkg/controller/serviceaccount/legacy_serviceaccount_token_cleaner.go,
 * 1.32): auto-generated legacy token Secrets unused for the clean-up period P
 * (--legacy-service-account-token-clean-up-period, default one year) are first labelled
 * `kubernetes.io/legacy-token-invalid-since=<today>` (the authenticator then refuses them) and
 * deleted once that label is older than P as well.
 *
 * A run (right after the caches sync, then `syncIntervalMs` (24 h) after each run ends):
 * 1. GET ConfigMap kube-system/kube-apiserver-legacy-service-account-token-tracking (failure, no
 *    `since`, or a bad date: skip the run); trackedSince = since + 1 day (00:00 UTC). Nothing
 *    happens while now < trackedSince + P.
 * 2. For every cached Secret, decideLegacyToken (below) says skip, label or delete. Label is a
 *    merge patch `{kind, apiVersion, metadata: {name, namespace, uid, labels}}`; delete carries a
 *    resourceVersion precondition (Conflict/NotFound ignored). Errors are only logged.
 * Reads come from the shared informers (Secrets, ServiceAccounts, Pods); writes and the ConfigMap
 * GET use the cleaner's own client.
 */
import { podSecretNames } from '../api/pod-references.js';
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock, type TimerHandle } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { core, type RestClient } from '../client/rest-client.js';
import type { Controller } from './runner.js';
import {
  addDays,
  formatDate,
  invalidSinceLabelKey,
  lastUsedLabelKey,
  parseDate,
  secretReferences,
  serviceAccountNameKey,
  serviceAccountTokenType,
  serviceAccountUidKey,
  trackingConfigMapDataKey,
  trackingConfigMapName,
} from './tokens-shared.js';

export const defaultCleanUpPeriodMs = 8760 * 3600 * 1000;
export const defaultCleanerSyncIntervalMs = 24 * 3600 * 1000;

export type CleanerDecision = { action: 'skip'; reason: string } | { action: 'label'; invalidSince: string } | { action: 'delete' };

export interface CleanerInput {
  secret: KubeObject;
  /** The account the Secret's annotations name (uid checked), when it exists. */
  serviceAccount: KubeObject | undefined;
  /** Names of the Secrets that Pods in the Secret's namespace reference. */
  mountedSecretNames: ReadonlySet<string>;
  nowMs: number;
  cleanUpPeriodMs: number;
}

/** The cleaner's verdict on one Secret, in upstream's order of checks. */
export function decideLegacyToken(i: CleanerInput): CleanerDecision {
  const s = i.secret;
  const skip = (reason: string): CleanerDecision => ({ action: 'skip', reason });
  const preserveCreatedOnOrAfter = i.nowMs - i.cleanUpPeriodMs;
  const preserveUsedOnOrAfter = formatDate(preserveCreatedOnOrAfter);
  if (s.type !== serviceAccountTokenType) return skip('not a service account token');
  const created = Date.parse(s.metadata.creationTimestamp ?? '');
  if (!(created < preserveCreatedOnOrAfter)) return skip('created within the clean-up period');
  if (s.metadata.deletionTimestamp) return skip('being deleted');
  const labels = s.metadata.labels ?? {};
  if (lastUsedLabelKey in labels) {
    const lastUsed = labels[lastUsedLabelKey]!;
    if (parseDate(lastUsed) === undefined) return skip('last-used label is not a date');
    if (lastUsed >= preserveUsedOnOrAfter) return skip('used within the clean-up period');
  }
  if (!i.serviceAccount || !secretReferences(i.serviceAccount).has(s.metadata.name ?? '')) return skip('not auto-generated');
  if (i.mountedSecretNames.has(s.metadata.name ?? '')) return skip('still used by pods');
  const invalidSince = labels[invalidSinceLabelKey];
  if (parseDate(invalidSince) === undefined) return { action: 'label', invalidSince: formatDate(i.nowMs) };
  if (invalidSince! >= preserveUsedOnOrAfter) return skip('invalidated within the clean-up period');
  return { action: 'delete' };
}

export interface LegacyTokenCleanerOptions {
  /** Shared informers (Secrets, ServiceAccounts, Pods); the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The cleaner's own client (system:serviceaccount:kube-system:legacy-service-account-token-cleaner). */
  client: RestClient;
  cleanUpPeriodMs?: number;
  syncIntervalMs?: number;
  clock?: Clock;
  events?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
}

export interface LegacyTokenCleaner extends Controller {
  /** One evaluation of every cached Secret (what each periodic run does). */
  evaluate(): Promise<void>;
}

export function createLegacyTokenCleaner(o: LegacyTokenCleanerOptions): LegacyTokenCleaner {
  const clock = o.clock ?? realClock;
  const period = o.cleanUpPeriodMs ?? defaultCleanUpPeriodMs;
  const interval = o.syncIntervalMs ?? defaultCleanerSyncIntervalMs;
  const log = o.log ?? (() => {});
  const secrets = o.informers.informer(core('secrets'));
  const serviceAccounts = o.informers.informer(core('serviceaccounts'));
  const pods = o.informers.informer(core('pods'));
  const secretClient = o.client.resource(core('secrets'));
  const cmClient = o.client.resource(core('configmaps'));
  let stopped = false;
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  /** latestPossibleTrackedSinceTime: the day after `since`, 00:00 UTC. */
  async function trackedSince(): Promise<number | undefined> {
    try {
      const cm = await cmClient.get('kube-system', trackingConfigMapName);
      const since = (cm.data as Record<string, string> | undefined)?.[trackingConfigMapDataKey];
      if (since === undefined) throw new Error('configMap does not have since label');
      const ms = parseDate(since);
      if (ms === undefined) throw new Error(`error parsing trackedSince time: ${JSON.stringify(since)}`);
      return addDays(ms, 1);
    } catch (e) {
      log('Getting lastest possible tracked_since time', e);
      return undefined;
    }
  }

  function serviceAccountOf(secret: KubeObject): KubeObject | undefined {
    const name = secret.metadata.annotations?.[serviceAccountNameKey] ?? '';
    if (!name) return undefined;
    const sa = serviceAccounts.lister.get(secret.metadata.namespace ?? '', name);
    const uid = secret.metadata.annotations?.[serviceAccountUidKey] ?? '';
    return sa && (uid === '' || uid === sa.metadata.uid) ? sa : undefined;
  }

  async function evaluate(): Promise<void> {
    const now = clock.now();
    const since = await trackedSince();
    if (since === undefined || now < since + period) return;
    const mounted = new Map<string, Set<string>>();
    const mountedIn = (ns: string) => {
      let names = mounted.get(ns);
      if (!names) mounted.set(ns, (names = new Set(pods.lister.list(ns).flatMap(podSecretNames))));
      return names;
    };
    for (const secret of secrets.lister.list()) {
      if (secret.type !== serviceAccountTokenType) continue;
      const ns = secret.metadata.namespace ?? '';
      const name = secret.metadata.name ?? '';
      const decision = decideLegacyToken({ secret, serviceAccount: serviceAccountOf(secret), mountedSecretNames: mountedIn(ns), nowMs: now, cleanUpPeriodMs: period });
      if (decision.action === 'label') {
        const patch = { kind: 'Secret', apiVersion: 'v1', metadata: { name, namespace: ns, uid: secret.metadata.uid, labels: { [invalidSinceLabelKey]: decision.invalidSince } } };
        try {
          await secretClient.patch(ns, name, 'merge', patch);
          o.events?.event(secret, 'Normal', 'LegacyTokenInvalidated', `Marked the unused auto-generated token invalid since ${decision.invalidSince}`);
        } catch (e) {
          log(`Failed to label legacy service account token secret ${ns}/${name} with invalid since date`, e);
        }
      } else if (decision.action === 'delete') {
        try {
          await secretClient.delete(ns, name, { preconditions: { resourceVersion: secret.metadata.resourceVersion } });
          o.events?.event(secret, 'Normal', 'LegacyTokenDeleted', 'Deleted the unused auto-generated token');
        } catch (e) {
          if (!isConflict(e) && !isNotFound(e)) log(`Deleting legacy service account token ${ns}/${name} failed`, e);
        }
      }
    }
  }

  function loop(): void {
    if (stopped) return;
    running = evaluate()
      .catch((e) => log('evaluating legacy service account tokens failed', e))
      .finally(() => {
        if (!stopped) timer = clock.setTimer(interval, loop);
      });
  }

  return {
    name: 'legacy-serviceaccount-token-cleaner-controller',
    evaluate,
    async start() {
      await Promise.all([secrets.waitForSync(), serviceAccounts.waitForSync(), pods.waitForSync()]);
      loop();
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      await running;
    },
  };
}
