/**
 * What each pod volume contains, as the kubelet's volume plugins build it (pkg/volume/secret,
 * configmap, downwardapi, projected; MakePayload / CollectData / collectData): a payload for the
 * atomic writer, `{ emptyDir: true }` for an emptyDir, or null for kinds the agent does not
 * materialize (hostPath, persistentVolumeClaim, csi, ...).
 *
 * Modes: items' `mode`, else the source's `defaultMode` (API default 0644 = 420). A projected
 * serviceAccountToken file gets `defaultMode`, or 0600 when the pod has an fsGroup or all its
 * containers share one runAsUser (upstream FsUserFrom), owned by that user. With an fsGroup every
 * file of these (read-only) volumes also gets group read (mode | 0440) and the group, as
 * upstream's SetVolumeOwnership does: the token is then 0640 (reference §12.3).
 */
import type { KubeObject } from '../api/meta.js';
import type { FileProjection } from './atomic-writer.js';
import type { TokenManager, TokenRequestSpec } from './token-manager.js';
import { extractFieldPath, extractResourceValue } from './volumes-downward.js';

export interface VolumeSources {
  /** The Secret, or undefined when it does not exist (other failures reject). */
  getSecret(namespace: string, name: string): Promise<KubeObject | undefined>;
  /** The ConfigMap, or undefined when it does not exist (other failures reject). */
  getConfigMap(namespace: string, name: string): Promise<KubeObject | undefined>;
  tokens: TokenManager;
  /** The node's allocatable resources: the defaults of downward API `limits.*` resourceFieldRefs
   * (cpu, memory, ephemeral-storage), as the kubelet uses them. Missing: 0. */
  nodeAllocatable?: Record<string, string>;
}

/** A volume that cannot be set up; the message is the kubelet's (FailedMount event text). */
export class MountError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MountError';
  }
}

type Json = Record<string, unknown>;
type Payload = Map<string, FileProjection>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const defaultMode = 0o644;
const defaultTokenExpirationSeconds = 3600;
/** Volume kinds the kubelet sets up that the agent has nothing to write for. */
const knownSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

/** util.FsUserFrom: the runAsUser every (init) container runs with, if they all agree. */
export function fsUserOf(pod: KubeObject): number | undefined {
  const spec = obj(pod.spec);
  const podUser = num(obj(spec.securityContext).runAsUser);
  let user: number | undefined;
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
    const u = num(obj(obj(c).securityContext).runAsUser) ?? podUser;
    if (u === undefined || (user !== undefined && user !== u)) return undefined;
    user = u;
  }
  return user;
}

const fsGroupOf = (pod: KubeObject): number | undefined => num(obj(obj(pod.spec).securityContext).fsGroup);

/** secret.MakePayload / configmap.MakePayload over already-decoded key → bytes. */
function makePayload(kind: 'secret' | 'configmap', data: Map<string, Buffer>, items: unknown[], mode: number, optional: boolean): Payload {
  const payload: Payload = new Map();
  if (items.length === 0) {
    for (const [k, v] of data) payload.set(k, { data: v, mode });
    return payload;
  }
  for (const raw of items) {
    const item = obj(raw);
    const content = data.get(str(item.key));
    if (content === undefined) {
      if (optional) continue;
      throw new MountError(kind === 'secret' ? `references non-existent secret key: ${str(item.key)}` : `configmap references non-existent config key: ${str(item.key)}`);
    }
    payload.set(str(item.path), { data: content, mode: num(item.mode) ?? mode });
  }
  return payload;
}

function entries(m: unknown, decode: (v: string) => Buffer): [string, Buffer][] {
  return Object.entries(obj(m)).map(([k, v]) => [k, decode(str(v))]);
}

async function secretPayload(pod: KubeObject, src: Json, name: string, mode: number, sources: VolumeSources): Promise<Payload> {
  const optional = src.optional === true;
  const secret = await fetch(() => sources.getSecret(pod.metadata.namespace ?? '', name));
  if (!secret && !optional) throw new MountError(`secret ${JSON.stringify(name)} not found`);
  const data = new Map(entries(secret?.data, (v) => Buffer.from(v, 'base64')));
  return makePayload('secret', data, arr(src.items), mode, optional);
}

async function configMapPayload(pod: KubeObject, src: Json, mode: number, sources: VolumeSources): Promise<Payload> {
  const name = str(src.name);
  const optional = src.optional === true;
  const cm = await fetch(() => sources.getConfigMap(pod.metadata.namespace ?? '', name));
  if (!cm && !optional) throw new MountError(`configmap ${JSON.stringify(name)} not found`);
  // data wins over binaryData for a key in both, as upstream looks there first (validation forbids it anyway)
  const data = new Map([...entries(cm?.binaryData, (v) => Buffer.from(v, 'base64')), ...entries(cm?.data, (v) => Buffer.from(v, 'utf8'))]);
  return makePayload('configmap', data, arr(src.items), mode, optional);
}

async function fetch(get: () => Promise<KubeObject | undefined>): Promise<KubeObject | undefined> {
  try {
    return await get();
  } catch (err) {
    throw new MountError(message(err), { cause: err });
  }
}

/** downwardapi.CollectData: every item is attempted; errors are aggregated. */
function downwardAPIPayload(pod: KubeObject, items: unknown[], mode: number, sources: VolumeSources): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const raw of items) {
    const item = obj(raw);
    let value = '';
    try {
      if (item.fieldRef) value = extractFieldPath(pod, str(obj(item.fieldRef).fieldPath));
      else if (item.resourceFieldRef) value = extractResourceValue(pod, obj(item.resourceFieldRef), sources.nodeAllocatable);
    } catch (err) {
      errors.push(message(err));
    }
    payload.set(str(item.path), { data: Buffer.from(value, 'utf8'), mode: num(item.mode) ?? mode });
  }
  if (errors.length) throw new MountError(aggregate(errors));
  return payload;
}

async function tokenPayload(pod: KubeObject, src: Json, mode: number, sources: VolumeSources): Promise<[string, FileProjection]> {
  const audience = str(src.audience);
  const spec: TokenRequestSpec = {
    audiences: audience ? [audience] : undefined,
    expirationSeconds: num(src.expirationSeconds) ?? defaultTokenExpirationSeconds,
    boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
  };
  const sa = str(obj(pod.spec).serviceAccountName) || 'default';
  let token: string;
  try {
    token = (await sources.tokens.getServiceAccountToken(pod.metadata.namespace ?? '', sa, spec)).token;
  } catch (err) {
    throw new MountError(message(err), { cause: err });
  }
  const fsUser = fsUserOf(pod);
  const restricted = fsUser !== undefined || fsGroupOf(pod) !== undefined;
  const file: FileProjection = { data: Buffer.from(token, 'utf8'), mode: restricted ? 0o600 : mode };
  if (fsUser !== undefined) file.fsUser = fsUser;
  return [str(src.path), file];
}

/** projected collectData: sources in order, later files win, errors aggregated. */
async function projectedPayload(pod: KubeObject, projected: Json, sources: VolumeSources): Promise<Payload> {
  const mode = num(projected.defaultMode) ?? defaultMode;
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const raw of arr(projected.sources)) {
    const s = obj(raw);
    try {
      let part: Payload | undefined;
      if (s.secret) part = await secretPayload(pod, obj(s.secret), str(obj(s.secret).name), mode, sources);
      else if (s.configMap) part = await configMapPayload(pod, obj(s.configMap), mode, sources);
      else if (s.downwardAPI) part = downwardAPIPayload(pod, arr(obj(s.downwardAPI).items), mode, sources);
      else if (s.serviceAccountToken) part = new Map([await tokenPayload(pod, obj(s.serviceAccountToken), mode, sources)]);
      else if (s.clusterTrustBundle) throw new MountError('ClusterTrustBundle projection is not supported by this node');
      for (const [k, v] of part ?? []) payload.set(k, v);
    } catch (err) {
      errors.push(message(err));
    }
  }
  if (errors.length) throw new MountError(aggregate(errors));
  return payload;
}

/** With an fsGroup, SetVolumeOwnership gives every file group read and the group. */
function applyFsGroup(pod: KubeObject, payload: Payload): Payload {
  const fsGroup = fsGroupOf(pod);
  if (fsGroup === undefined) return payload;
  for (const fp of payload.values()) {
    fp.mode |= 0o440;
    fp.fsGroup = fsGroup;
  }
  return payload;
}

/**
 * Payload of one pod volume, or a MountError (message as the kubelet's: `configmap "x" not found`,
 * `secret "x" not found`, `failed to fetch token: ...`, `configmap references non-existent config
 * key: k`, several aggregated as `[a, b]`). Volume kinds handled: projected (serviceAccountToken,
 * configMap, secret, downwardAPI; clusterTrustBundle → error), secret, configMap, downwardAPI,
 * emptyDir (also a volume with no source, as upstream defaults it); others resolve null.
 */
export async function volumePayload(pod: KubeObject, volume: object, sources: VolumeSources): Promise<Payload | { emptyDir: true } | null> {
  const v = obj(volume);
  if (v.emptyDir || !knownSources.some((k) => v[k] !== undefined && v[k] !== null)) return { emptyDir: true };
  if (v.secret) {
    const src = obj(v.secret);
    return applyFsGroup(pod, await secretPayload(pod, src, str(src.secretName), num(src.defaultMode) ?? defaultMode, sources));
  }
  if (v.configMap) {
    const src = obj(v.configMap);
    return applyFsGroup(pod, await configMapPayload(pod, src, num(src.defaultMode) ?? defaultMode, sources));
  }
  if (v.downwardAPI) {
    const src = obj(v.downwardAPI);
    return applyFsGroup(pod, downwardAPIPayload(pod, arr(src.items), num(src.defaultMode) ?? defaultMode, sources));
  }
  if (v.projected) return applyFsGroup(pod, await projectedPayload(pod, obj(v.projected), sources));
  return null;
}
