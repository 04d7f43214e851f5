/**
 * The ServiceAccount admission plugin (upstream plugin/pkg/admission/serviceaccount, 1.32).
 *
 * Contract, for `pods` (core) with no subresource or the `ephemeralcontainers` subresource:
 * - CREATE, mutating (non-mirror pods): an empty spec.serviceAccountName (after the deprecated
 *   spec.serviceAccount alias) becomes `default`; the account must exist (for `default` the lookup
 *   is retried 10 times, 100-199 ms apart, because the ServiceAccounts controller creates it shortly
 *   after its namespace); unless spec.automountServiceAccountToken (else the account's) is false,
 *   every init container and container without a mount at /var/run/secrets/kubernetes.io/serviceaccount
 *   gets a read-only one of the projected volume `kube-api-access-<5 random chars>` (token 3607 s,
 *   kube-root-ca.crt's ca.crt, the namespace), which is appended unless a `kube-api-access-*`
 *   volume exists; a pod without imagePullSecrets gets the account's.
 * - CREATE, validating: mirror pods (annotation kubernetes.io/config.mirror) may not name an
 *   account, a secret or a ServiceAccountToken projection; other pods need an existing account and,
 *   when it enforces mountable secrets (annotation kubernetes.io/enforce-mountable-secrets), may only
 *   reference the secrets it lists.
 * - UPDATE of pods/ephemeralcontainers, validating: the account must exist, and enforced mountable
 *   secrets apply to the ephemeral containers' env and envFrom.
 * Other updates are not this plugin's: serviceAccountName is immutable through pod update
 * validation (registry/pods/validation.ts), as upstream. Every rejection is a 403 Forbidden
 * `pods "<name>" is forbidden: <reason>`.
 */
import type { KubeObject } from '../../api/meta.js';
import { parseBool } from '../../api/meta.js';
import { forbidden, isStatusError } from '../../api/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';
import { limitEphemeralContainerSecretReferences, limitSecretReferences, podReferencesSecrets } from './service-account-secrets.js';

export const defaultServiceAccountName = 'default';
export const enforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';
export const serviceAccountVolumeName = 'kube-api-access';
export const defaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s, the value that marks an extendable token. */
export const warnOnlyBoundTokenExpirationSeconds = 3607;

export interface ServiceAccountAdmissionOptions {
  /**
   * The ServiceAccount `name` in `namespace`, or undefined when it does not exist. May throw (a
   * StatusError or any Error) for other failures; its message is reported in the 403.
   */
  getServiceAccount(namespace: string, name: string): KubeObject | undefined | Promise<KubeObject | undefined>;
  /** Uniform random number in [0, 1): the volume name suffix and the retry interval. Default Math.random. */
  random?: () => number;
  /** Waits `ms` between lookups of a missing `default` account. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Enforce mountable secrets for every account (upstream's LimitSecretReferences; off by default). */
  limitSecretReferences?: boolean;
}

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const podsResource = { group: '', resource: 'pods' };
const notFoundError = (name: string) => new Error(`serviceaccount "${name}" not found`);

/** The projected volume source of the automounted token (admission.TokenVolumeSource), in Go field order. */
export function tokenVolumeSource(): Json {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: warnOnlyBoundTokenExpirationSeconds, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: 420,
  };
}

/** The name admission errors carry (admission.extractResourceName): request name, else object name, else generateName, else `Unknown`. */
function errorName(a: AdmissionAttributes): string {
  if (a.name) return a.name;
  const meta = a.object?.metadata;
  return meta?.name || meta?.generateName || 'Unknown';
}

const reject = (a: AdmissionAttributes, reason: string) => forbidden(podsResource, errorName(a), reason);

function shouldIgnore(a: AdmissionAttributes): boolean {
  if (a.resource.group !== '' || a.resource.resource !== 'pods') return true;
  if (a.subresource !== '' && a.subresource !== 'ephemeralcontainers') return true;
  return !a.object || (a.object.kind !== undefined && a.object.kind !== 'Pod');
}

const isMirrorPod = (pod: KubeObject): boolean => Object.prototype.hasOwnProperty.call(pod.metadata.annotations ?? {}, mirrorPodAnnotation);

/** Pod preference wins, then the account's, then true. */
function shouldAutomount(sa: KubeObject, spec: Json): boolean {
  if (typeof spec.automountServiceAccountToken === 'boolean') return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === 'boolean') return sa.automountServiceAccountToken;
  return true;
}

export function createServiceAccountAdmission(options: ServiceAccountAdmissionOptions): AdmissionPlugin {
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /** getServiceAccount: the account, or throws the error upstream wraps (`serviceaccount "x" not found`). */
  async function lookup(namespace: string, name: string): Promise<KubeObject> {
    const attempts = name === defaultServiceAccountName ? 10 : 1;
    const interval = 100 + Math.floor(random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i !== 0) await sleep(interval);
      const sa = await options.getServiceAccount(namespace, name);
      if (sa) return sa;
    }
    throw notFoundError(name);
  }

  /** The account, or a 403 `error looking up service account <ns>/<name>: <error>`. */
  async function accountFor(a: AdmissionAttributes, name: string): Promise<KubeObject> {
    try {
      return await lookup(a.namespace, name);
    } catch (e) {
      const detail = isStatusError(e) || e instanceof Error ? e.message : String(e);
      throw reject(a, `error looking up service account ${a.namespace}/${name}: ${detail}`);
    }
  }

  const enforceMountableSecrets = (sa: KubeObject): boolean =>
    options.limitSecretReferences === true || parseBool(sa.metadata.annotations?.[enforceMountableSecretsAnnotation]) === true;

  function generateVolumeName(): string {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += nameChars[Math.floor(random() * nameChars.length)];
    return `${serviceAccountVolumeName}-${suffix}`;
  }

  /** Leaves malformed lists (not arrays) alone for validation to report. */
  function mountServiceAccountToken(spec: Json): void {
    if (spec.volumes !== undefined && spec.volumes !== null && !Array.isArray(spec.volumes)) return;
    const volumes = asArray(spec.volumes);
    const existing = volumes.map((v) => str(asObject(v).name)).find((n) => n.startsWith(`${serviceAccountVolumeName}-`));
    const volumeName = existing ?? generateVolumeName();
    let needsVolume = false;
    for (const list of ['initContainers', 'containers']) {
      for (const raw of asArray(spec[list])) {
        if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
        const c = raw as Json;
        if (c.volumeMounts !== undefined && c.volumeMounts !== null && !Array.isArray(c.volumeMounts)) continue;
        const mounts = asArray(c.volumeMounts);
        if (mounts.some((m) => str(asObject(m).mountPath) === defaultAPITokenMountPath)) continue;
        c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: defaultAPITokenMountPath }];
        needsVolume = true;
      }
    }
    if (!existing && needsVolume) spec.volumes = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
  }

  async function validateCreate(a: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = asObject(pod.spec);
    const saName = str(spec.serviceAccountName) || str(spec.serviceAccount);
    if (isMirrorPod(pod)) {
      if (saName) throw reject(a, 'a mirror pod may not reference service accounts');
      if (podReferencesSecrets(spec)) throw reject(a, 'a mirror pod may not reference secrets');
      for (const v of asArray(spec.volumes)) {
        for (const src of asArray(asObject(asObject(v).projected).sources)) {
          const token = asObject(src).serviceAccountToken;
          if (token !== undefined && token !== null) throw reject(a, 'a mirror pod may not use ServiceAccountToken volume projections');
        }
      }
      return;
    }
    if (!saName) throw reject(a, `no service account specified for pod ${a.namespace}/${pod.metadata.name ?? ''}`);
    const sa = await accountFor(a, saName);
    if (enforceMountableSecrets(sa)) {
      const reason = limitSecretReferences(sa, spec);
      if (reason) throw reject(a, reason);
    }
  }

  async function validateEphemeralContainers(a: AdmissionAttributes, pod: KubeObject): Promise<void> {
    const spec = asObject(pod.spec);
    const saName = str(spec.serviceAccountName) || str(spec.serviceAccount);
    if (!saName) throw reject(a, `no service account specified for pod ${a.namespace}/${pod.metadata.name ?? ''}`);
    const sa = await accountFor(a, saName);
    if (!enforceMountableSecrets(sa)) return;
    const reason = limitEphemeralContainerSecretReferences(sa, spec);
    if (reason) throw reject(a, reason);
  }

  async function validate(a: AdmissionAttributes): Promise<void> {
    if (shouldIgnore(a)) return;
    const pod = a.object!;
    if (a.operation === 'UPDATE' && a.subresource === 'ephemeralcontainers') return validateEphemeralContainers(a, pod);
    if (a.operation !== 'CREATE') return;
    return validateCreate(a, pod);
  }

  return {
    name: 'ServiceAccount',
    handles: (a) => (a.operation === 'CREATE' || a.operation === 'UPDATE') && !shouldIgnore(a),
    async admit(a) {
      if (shouldIgnore(a) || a.operation !== 'CREATE') return;
      const pod = a.object!;
      // Mirror pods are never changed (the kubelet would delete a mirror pod whose spec differs).
      if (isMirrorPod(pod)) return validate(a);
      // A malformed spec is left for pod validation, which runs before this plugin's validation.
      if (pod.spec !== undefined && pod.spec !== null && (typeof pod.spec !== 'object' || Array.isArray(pod.spec))) return;
      const spec = asObject(pod.spec);
      pod.spec = spec;
      // The deprecated alias fills an empty serviceAccountName, as v1 conversion does.
      if (!str(spec.serviceAccountName)) spec.serviceAccountName = str(spec.serviceAccount) || defaultServiceAccountName;
      const sa = await accountFor(a, str(spec.serviceAccountName));
      if (shouldAutomount(sa, spec)) mountServiceAccountToken(spec);
      if ((spec.imagePullSecrets === undefined || spec.imagePullSecrets === null || Array.isArray(spec.imagePullSecrets)) && asArray(spec.imagePullSecrets).length === 0) {
        const pullSecrets = asArray(sa.imagePullSecrets).map((r) => ({ name: str(asObject(r).name) }));
        if (pullSecrets.length > 0) spec.imagePullSecrets = pullSecrets;
      }
      return validate(a);
    },
    validate,
  };
}
