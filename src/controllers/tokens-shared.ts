/**
 * Facts shared by the legacy (Secret-based) token machinery: the tokens controller, legacy mode,
 * last-used recording, the tracking ConfigMap and the cleaner. Names and formats are upstream's
 * (k8s.io/api/core/v1 constants, pkg/serviceaccount/legacy.go, legacytokentracking).
 */
import type { KubeObject } from '../api/meta.js';
import { sleep, type Clock } from '../client/clock.js';
import { isConflict } from '../client/errors.js';

import {
  invalidSinceLabelKey,
  lastUsedLabelKey,
  namespaceKey,
  rootCaKey,
  serviceAccountNameKey,
  serviceAccountTokenType,
  serviceAccountUidKey,
  tokenKey,
} from '../api/serviceaccount-tokens.js';

export { invalidSinceLabelKey, lastUsedLabelKey, namespaceKey, rootCaKey, serviceAccountNameKey, serviceAccountTokenType, serviceAccountUidKey, tokenKey };
export const trackingConfigMapName = 'kube-apiserver-legacy-service-account-token-tracking';
export const trackingConfigMapDataKey = 'since';
/** The field manager of kube-controller-manager's writes (client-go's default: the binary name). */
export const controllerManagerFieldManager = 'kube-controller-manager';

const dayMs = 24 * 3600 * 1000;

/** Go's `now.UTC().Format("2006-01-02")`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Go's `time.Parse("2006-01-02", s)`: the UTC midnight of that date in ms, or undefined when Go
 * refuses it (not exactly 4-2-2 digits, month outside 1..12, day outside the month).
 */
export function parseDate(s: string | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s ?? '');
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  if (new Date(ms).getUTCDate() !== day) return undefined;
  // Date.UTC maps years 0..99 to 1900..1999; Go does not.
  return year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
}

/** `date` + `days` calendar days, as Go's AddDate(0, 0, days) on a UTC midnight. */
export function addDays(ms: number, days: number): number {
  return ms + days * dayMs;
}

/** A Secret's data value as bytes (data values are base64 on the wire); empty when absent or malformed. */
export function secretData(secret: KubeObject, key: string): Buffer {
  const v = (secret.data as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0);
}

export function setSecretData(secret: KubeObject, key: string, value: string | Buffer): void {
  const data = (secret.data ??= {}) as Record<string, string>;
  data[key] = Buffer.from(value).toString('base64');
}

/**
 * apiserverserviceaccount.IsServiceAccountToken: a Secret of the token type whose name annotation
 * is the account's name and whose uid annotation is empty or the account's uid.
 */
export function isServiceAccountToken(secret: KubeObject, sa: { name: string; uid: string }): boolean {
  if (secret.type !== serviceAccountTokenType) return false;
  const annotations = secret.metadata.annotations ?? {};
  if (annotations[serviceAccountNameKey] !== sa.name) return false;
  const uid = annotations[serviceAccountUidKey] ?? '';
  return uid === '' || uid === sa.uid;
}

/** The names in a ServiceAccount's `.secrets`. */
export function secretReferences(sa: KubeObject): Set<string> {
  const refs = Array.isArray(sa.secrets) ? (sa.secrets as { name?: unknown }[]) : [];
  return new Set(refs.map((r) => r?.name).filter((n): n is string => typeof n === 'string'));
}

/** names.SimpleNameGenerator: base (cut to 58 characters) + 5 characters of "bcdfghjklmnpqrstvwxz2456789". */
export function generateName(base: string, random: () => number = Math.random): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return base.slice(0, 58) + suffix;
}

export interface Backoff {
  steps: number;
  durationMs: number;
  factor?: number;
  jitter?: number;
}

/** client-go retry.DefaultRetry. */
export const defaultRetry: Backoff = { steps: 5, durationMs: 10, factor: 1, jitter: 0.1 };
/** tokens_controller.go RemoveTokenBackoff. */
export const removeTokenBackoff: Backoff = { steps: 10, durationMs: 100, jitter: 1 };

/**
 * client-go retry.RetryOnConflict: runs `fn` until it does not throw a Conflict, at most
 * `backoff.steps` times, sleeping on `clock` between attempts; rethrows the last error.
 */
export async function retryOnConflict<T>(clock: Clock, backoff: Backoff, fn: () => Promise<T>): Promise<T> {
  let delay = backoff.durationMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isConflict(e) || attempt >= backoff.steps) throw e;
    }
    const jittered = backoff.jitter ? delay + Math.random() * backoff.jitter * delay : delay;
    await sleep(clock, jittered);
    delay *= backoff.factor ?? 1;
  }
}
