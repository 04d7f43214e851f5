/**
 * Small hand-written schemas for the strategic merge patch tests, independent of the real
 * definitions: a ServiceAccount/Pod subset with upstream's struct tags (kubectl.md §7.8), and
 * upstream's own test type MergeItem (strategicpatch/patch_test.go) for its fixtures.
 */
import type { ArraySchema, ObjectSchema, RefSchema, Schema, SchemaRegistry } from '../../../api/schema/types.js';

const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer', format: 'int32' };
const bool: Schema = { type: 'boolean' };
const ref = (name: string, patchStrategy?: string): RefSchema => ({ type: 'ref', ref: `t.${name}`, ...(patchStrategy ? { patchStrategy } : {}) });
const atomic = (items: Schema): ArraySchema => ({ type: 'array', items });
const merge = (items: Schema, patchMergeKey?: string, patchStrategy = 'merge'): ArraySchema => ({
  type: 'array',
  items,
  patchStrategy,
  ...(patchMergeKey ? { patchMergeKey } : {}),
});
const obj = (properties: Record<string, Schema>): ObjectSchema => ({ type: 'object', properties });
const strMap: Schema = { type: 'map', values: str };

export const testRegistry: SchemaRegistry = {
  kinds: [],
  definitions: {
    't.ObjectMeta': obj({
      name: str,
      namespace: str,
      resourceVersion: str,
      labels: strMap,
      annotations: strMap,
      finalizers: merge(str),
      ownerReferences: merge(ref('OwnerReference'), 'uid'),
    }),
    't.OwnerReference': obj({ uid: str, name: str, kind: str, controller: bool }),
    't.ObjectReference': obj({ name: str, namespace: str }),
    't.LocalObjectReference': obj({ name: str }),
    't.ServiceAccount': obj({
      apiVersion: str,
      kind: str,
      metadata: ref('ObjectMeta'),
      secrets: merge(ref('ObjectReference'), 'name'),
      imagePullSecrets: atomic(ref('LocalObjectReference')),
      automountServiceAccountToken: bool,
    }),
    't.ConfigMap': obj({ apiVersion: str, kind: str, metadata: ref('ObjectMeta'), data: strMap }),
    't.Pod': obj({ apiVersion: str, kind: str, metadata: ref('ObjectMeta'), spec: ref('PodSpec') }),
    't.PodSpec': obj({
      containers: merge(ref('Container'), 'name'),
      volumes: merge(ref('Volume'), 'name', 'merge,retainKeys'),
      tolerations: atomic(ref('Toleration')),
      imagePullSecrets: merge(ref('LocalObjectReference'), 'name'),
      nodeSelector: strMap,
    }),
    't.Toleration': obj({ key: str, operator: str, effect: str }),
    't.Container': obj({
      name: str,
      image: str,
      args: atomic(str),
      env: merge(ref('EnvVar'), 'name'),
      ports: merge(ref('ContainerPort'), 'containerPort'),
      volumeMounts: merge(ref('VolumeMount'), 'mountPath'),
    }),
    't.EnvVar': obj({ name: str, value: str }),
    't.ContainerPort': obj({ containerPort: int, protocol: str, name: str }),
    't.VolumeMount': obj({ mountPath: str, name: str, readOnly: bool }),
    't.Volume': obj({ name: str, secret: ref('SecretVolumeSource'), configMap: ref('ConfigMapVolumeSource'), emptyDir: ref('EmptyDir') }),
    't.SecretVolumeSource': obj({ secretName: str, defaultMode: int }),
    't.ConfigMapVolumeSource': obj({ name: str, defaultMode: int }),
    't.EmptyDir': obj({ medium: str }),
    't.RawExtension': obj({}),
    // Upstream's test types (k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go).
    't.MergeItem': obj({
      name: str,
      value: str,
      other: str,
      mergingList: merge(ref('MergeItem'), 'name'),
      nonMergingList: atomic(ref('MergeItem')),
      mergingIntList: merge(int),
      nonMergingIntList: atomic(int),
      mergeItemPtr: merge(ref('MergeItem'), 'name'),
      simpleMap: strMap,
      replacingItem: ref('RawExtension', 'replace'),
      rawItem: { type: 'any' },
      retainKeysMap: ref('RetainKeysStruct', 'retainKeys'),
      retainKeysMergingList: merge(ref('MergeItem'), 'name', 'merge,retainKeys'),
    }),
    't.RetainKeysStruct': obj({
      name: str,
      value: str,
      other: str,
      simpleMap: strMap,
      mergingList: merge(ref('MergeItem'), 'name'),
      nonMergingList: atomic(ref('MergeItem')),
      mergingIntList: merge(int),
    }),
  },
};

export const saSchema = ref('ServiceAccount');
export const podSchema = ref('Pod');
export const configMapSchema = ref('ConfigMap');
export const mergeItemSchema = ref('MergeItem');
