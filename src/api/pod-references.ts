/**
 * What a pod references by name, in its own namespace: upstream podutil.VisitPodSecretNames and
 * VisitPodConfigmapNames, plus its claims and ServiceAccount (the Node authorizer's graph edges).
 * Used by the Node authorizer and NodeRestriction (auth/authz/node-graph.ts) and the legacy token
 * cleaner ("is this Secret mounted by a pod?").
 */
import type { KubeObject } from './meta.js';

export type PodReferenceType = 'secret' | 'configmap' | 'persistentvolumeclaim' | 'serviceaccount';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The names a pod references, by type (upstream podutil.VisitPodSecretNames /
 * VisitPodConfigmapNames over all containers, volumes' claims, ephemeral volumes' claims
 * `<pod>-<volume>`, and the service account).
 */
export function podReferences(pod: KubeObject): Array<[PodReferenceType, string]> {
  const out: Array<[PodReferenceType, string]> = [];
  const add = (type: PodReferenceType, name: string) => {
    if (name) out.push([type, name]);
  };
  const spec = obj(pod.spec);
  add('serviceaccount', str(spec.serviceAccountName));
  for (const s of arr(spec.imagePullSecrets)) add('secret', str(obj(s).name));
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers), ...arr(spec.ephemeralContainers)]) {
    for (const from of arr(obj(c).envFrom)) {
      add('secret', str(obj(obj(from).secretRef).name));
      add('configmap', str(obj(obj(from).configMapRef).name));
    }
    for (const env of arr(obj(c).env)) {
      const valueFrom = obj(obj(env).valueFrom);
      add('secret', str(obj(valueFrom.secretKeyRef).name));
      add('configmap', str(obj(valueFrom.configMapKeyRef).name));
    }
  }
  for (const v of arr(spec.volumes)) {
    const vol = obj(v);
    add('secret', str(obj(vol.secret).secretName));
    add('configmap', str(obj(vol.configMap).name));
    add('persistentvolumeclaim', str(obj(vol.persistentVolumeClaim).claimName));
    if (vol.ephemeral) add('persistentvolumeclaim', `${pod.metadata.name ?? ''}-${str(vol.name)}`);
    for (const source of arr(obj(vol.projected).sources)) {
      add('secret', str(obj(obj(source).secret).name));
      add('configmap', str(obj(obj(source).configMap).name));
    }
    // Volume plugins that name a secret (VisitPodSecretNames).
    for (const plugin of ['azureFile', 'cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos', 'csi']) {
      const p = obj(vol[plugin]);
      if (plugin === 'azureFile') add('secret', str(p.secretName));
      add('secret', str(obj(p.secretRef).name));
      add('secret', str(obj(p.nodePublishSecretRef).name));
    }
  }
  return out;
}

/** The Secret names a pod references (upstream podutil.VisitPodSecretNames), with repeats. */
export function podSecretNames(pod: KubeObject): string[] {
  return podReferences(pod).flatMap(([type, name]) => (type === 'secret' ? [name] : []));
}
