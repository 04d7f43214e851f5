/**
 * core/v1 Volume with every upstream VolumeSource field (k8s.io/api/core/v1, v0.32). The common
 * sources are typed in full; legacy in-tree cloud/storage plugins are free-form (`any`).
 */
import type { ObjectSchema, Schema } from '../types.js';
import {
  any,
  bool,
  corePrefix as c,
  coreRef,
  int32,
  int64,
  list,
  metaRef,
  obj,
  quantity,
  str,
  strMap,
} from './helpers.js';

const legacySources: Record<string, string> = {
  awsElasticBlockStore: 'awsElasticBlockStore represents an AWS Disk resource that is attached to a kubelet\'s host machine and then exposed to the pod. Deprecated: AWSElasticBlockStore is deprecated. All operations for the in-tree awsElasticBlockStore type are redirected to the ebs.csi.aws.com CSI driver. More info: https://kubernetes.io/docs/concepts/storage/volumes#awselasticblockstore',
  azureDisk: 'azureDisk represents an Azure Data Disk mount on the host and bind mount to the pod. Deprecated: AzureDisk is deprecated. All operations for the in-tree azureDisk type are redirected to the disk.csi.azure.com CSI driver.',
  azureFile: 'azureFile represents an Azure File Service mount on the host and bind mount to the pod. Deprecated: AzureFile is deprecated. All operations for the in-tree azureFile type are redirected to the file.csi.azure.com CSI driver.',
  cephfs: "cephFS represents a Ceph FS mount on the host that shares a pod's lifetime. Deprecated: CephFS is deprecated and the in-tree cephfs type is no longer supported.",
  cinder: 'cinder represents a cinder volume attached and mounted on kubelets host machine. Deprecated: Cinder is deprecated. All operations for the in-tree cinder type are redirected to the cinder.csi.openstack.org CSI driver. More info: https://examples.k8s.io/mysql-cinder-pd/README.md',
  fc: "fc represents a Fibre Channel resource that is attached to a kubelet's host machine and then exposed to the pod.",
  flexVolume: 'flexVolume represents a generic volume resource that is provisioned/attached using an exec based plugin. Deprecated: FlexVolume is deprecated. Consider using a CSIDriver instead.',
  flocker: "flocker represents a Flocker volume attached to a kubelet's host machine. This depends on the Flocker control service being running. Deprecated: Flocker is deprecated and the in-tree flocker type is no longer supported.",
  gcePersistentDisk: "gcePersistentDisk represents a GCE Disk resource that is attached to a kubelet's host machine and then exposed to the pod. Deprecated: GCEPersistentDisk is deprecated. All operations for the in-tree gcePersistentDisk type are redirected to the pd.csi.storage.gke.io CSI driver. More info: https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk",
  gitRepo: "gitRepo represents a git repository at a particular revision. Deprecated: GitRepo is deprecated. To provision a container with a git repo, mount an EmptyDir into an InitContainer that clones the repo using git, then mount the EmptyDir into the Pod's container.",
  glusterfs: "glusterfs represents a Glusterfs mount on the host that shares a pod's lifetime. Deprecated: Glusterfs is deprecated and the in-tree glusterfs type is no longer supported. More info: https://examples.k8s.io/volumes/glusterfs/README.md",
  iscsi: "iscsi represents an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod. More info: https://examples.k8s.io/volumes/iscsi/README.md",
  photonPersistentDisk: 'photonPersistentDisk represents a PhotonController persistent disk attached and mounted on kubelets host machine. Deprecated: PhotonPersistentDisk is deprecated and the in-tree photonPersistentDisk type is no longer supported.',
  portworxVolume: 'portworxVolume represents a portworx volume attached and mounted on kubelets host machine. Deprecated: PortworxVolume is deprecated. All operations for the in-tree portworxVolume type are redirected to the pxd.portworx.com CSI driver when the CSIMigrationPortworx feature-gate is on.',
  quobyte: "quobyte represents a Quobyte mount on the host that shares a pod's lifetime. Deprecated: Quobyte is deprecated and the in-tree quobyte type is no longer supported.",
  rbd: "rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. Deprecated: RBD is deprecated and the in-tree rbd type is no longer supported. More info: https://examples.k8s.io/volumes/rbd/README.md",
  scaleIO: 'scaleIO represents a ScaleIO persistent volume attached and mounted on Kubernetes nodes. Deprecated: ScaleIO is deprecated and the in-tree scaleIO type is no longer supported.',
  storageos: 'storageOS represents a StorageOS volume attached and mounted on Kubernetes nodes. Deprecated: StorageOS is deprecated and the in-tree storageos type is no longer supported.',
  vsphereVolume: 'vsphereVolume represents a vSphere volume attached and mounted on kubelets host machine. Deprecated: VsphereVolume is deprecated. All operations for the in-tree vsphereVolume type are redirected to the csi.vsphere.vmware.com CSI driver.',
};

const legacy: Record<string, Schema> = Object.fromEntries(Object.entries(legacySources).map(([k, v]) => [k, any(v)]));

const keyToPathItems = (kind: 'Secret' | 'ConfigMap') =>
  list(coreRef('KeyToPath'), `items if unspecified, each key-value pair in the Data field of the referenced ${kind} will be projected into the volume as a file whose name is the key and content is the value. If specified, the listed keys will be projected into the specified paths, and unlisted keys will not be present. If a key is specified which is not present in the ${kind}, the volume setup will error unless it is marked optional. Paths must be relative and may not contain the '..' path or start with '..'.`);
const defaultMode = (what: string) =>
  int32(`defaultMode is optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644. Directories within the path are not affected by this setting. This might be in conflict with other options that affect the file mode, like fsGroup, and the result can be other mode bits set.${what}`);
const refName = str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names');

export const coreVolumeDefinitions: Record<string, ObjectSchema> = {
  [c + 'Volume']: obj('Volume represents a named volume in a pod that may be accessed by any container in the pod.', {
    ...legacy,
    configMap: coreRef('ConfigMapVolumeSource', 'configMap represents a configMap that should populate this volume'),
    csi: coreRef('CSIVolumeSource', 'csi (Container Storage Interface) represents ephemeral storage that is handled by certain external CSI drivers.'),
    downwardAPI: coreRef('DownwardAPIVolumeSource', 'downwardAPI represents downward API about the pod that should populate this volume'),
    emptyDir: coreRef('EmptyDirVolumeSource', "emptyDir represents a temporary directory that shares a pod's lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir"),
    ephemeral: coreRef('EphemeralVolumeSource', 'ephemeral represents a volume that is handled by a cluster storage driver. The volume\'s lifecycle is tied to the pod that defines it - it will be created before the pod starts, and deleted when the pod is removed.'),
    hostPath: coreRef('HostPathVolumeSource', 'hostPath represents a pre-existing file or directory on the host machine that is directly exposed to the container. This is generally used for system agents or other privileged things that are allowed to see the host machine. Most containers will NOT need this. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath'),
    image: coreRef('ImageVolumeSource', "image represents an OCI object (a container image or artifact) pulled and mounted on the kubelet's host machine."),
    name: str('name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    nfs: coreRef('NFSVolumeSource', "nfs represents an NFS mount on the host that shares a pod's lifetime More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs"),
    persistentVolumeClaim: coreRef('PersistentVolumeClaimVolumeSource', 'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims'),
    projected: coreRef('ProjectedVolumeSource', 'projected items for all in one resources secrets, configmaps, and downward API'),
    secret: coreRef('SecretVolumeSource', 'secret represents a secret that should populate this volume. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret'),
  }, ['name']),
  [c + 'HostPathVolumeSource']: obj('Represents a host path mapped into a pod. Host path volumes do not support ownership management or SELinux relabeling.', {
    path: str('path of the directory on the host. If the path is a symlink, it will follow the link to the real path. More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath'),
    type: str('type for HostPath Volume Defaults to "" More info: https://kubernetes.io/docs/concepts/storage/volumes#hostpath', { enum: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'] }),
  }, ['path']),
  [c + 'EmptyDirVolumeSource']: obj('Represents an empty directory for a pod. Empty directory volumes support ownership management and SELinux relabeling.', {
    medium: str('medium represents what type of storage medium should back this directory. The default is "" which means to use the node\'s default medium. Must be an empty string (default) or Memory. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir'),
    sizeLimit: quantity('sizeLimit is the total amount of local storage required for this EmptyDir volume. The size limit is also applicable for memory medium. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir'),
  }),
  [c + 'SecretVolumeSource']: obj("Adapts a Secret into a volume.\n\nThe contents of the target Secret's Data field will be presented in a volume as files using the keys in the Data field as the file names. Secret volumes support ownership management and SELinux relabeling.", {
    defaultMode: defaultMode(''),
    items: keyToPathItems('Secret'),
    optional: bool('optional field specify whether the Secret or its keys must be defined'),
    secretName: str("secretName is the name of the secret in the pod's namespace to use. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret"),
  }),
  [c + 'ConfigMapVolumeSource']: obj("Adapts a ConfigMap into a volume.\n\nThe contents of the target ConfigMap's Data field will be presented in a volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. ConfigMap volumes support ownership management and SELinux relabeling.", {
    defaultMode: defaultMode(''),
    items: keyToPathItems('ConfigMap'),
    name: refName,
    optional: bool('optional specify whether the ConfigMap or its keys must be defined'),
  }),
  [c + 'KeyToPath']: obj('Maps a string key to a path within a volume.', {
    key: str('key is the key to project.'),
    mode: int32('mode is Optional: mode bits used to set permissions on this file. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used.'),
    path: str("path is the relative path of the file to map the key to. May not be an absolute path. May not contain the path element '..'. May not start with the string '..'."),
  }, ['key', 'path']),
  [c + 'PersistentVolumeClaimVolumeSource']: obj("PersistentVolumeClaimVolumeSource references the user's PVC in the same namespace. This volume finds the bound PV and mounts that volume for the pod. A PersistentVolumeClaimVolumeSource is, essentially, a wrapper around another type of volume that is owned by someone else (the system).", {
    claimName: str('claimName is the name of a PersistentVolumeClaim in the same namespace as the pod using this volume. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims'),
    readOnly: bool('readOnly Will force the ReadOnly setting in VolumeMounts. Default false.'),
  }, ['claimName']),
  [c + 'DownwardAPIVolumeSource']: obj('DownwardAPIVolumeSource represents a volume containing downward API info. Downward API volumes support ownership management and SELinux relabeling.', {
    defaultMode: int32('Optional: mode bits to use on created files by default. Must be a Optional: mode bits used to set permissions on created files by default. Must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. Defaults to 0644.'),
    items: list(coreRef('DownwardAPIVolumeFile'), 'Items is a list of downward API volume file'),
  }),
  [c + 'DownwardAPIVolumeFile']: obj('DownwardAPIVolumeFile represents information to create the file containing the pod field', {
    fieldRef: coreRef('ObjectFieldSelector', 'Required: Selects a field of the pod: only annotations, labels, name, namespace and uid are supported.'),
    mode: int32('Optional: mode bits used to set permissions on this file, must be an octal value between 0000 and 0777 or a decimal value between 0 and 511. YAML accepts both octal and decimal values, JSON requires decimal values for mode bits. If not specified, the volume defaultMode will be used.'),
    path: str("Required: Path is  the relative path name of the file to be created. Must not be absolute or contain the '..' path. Must be utf-8 encoded. The first item of the relative path must not start with '..'"),
    resourceFieldRef: coreRef('ResourceFieldSelector', 'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, requests.cpu and requests.memory) are currently supported.'),
  }, ['path']),
  [c + 'ProjectedVolumeSource']: obj('Represents a projected volume source', {
    defaultMode: defaultMode(''),
    sources: list(coreRef('VolumeProjection'), 'sources is the list of volume projections. Each entry in this list handles one source.'),
  }),
  [c + 'VolumeProjection']: obj('Projection that may be projected along with other supported volume types. Exactly one of these fields must be set.', {
    clusterTrustBundle: coreRef('ClusterTrustBundleProjection', "ClusterTrustBundle allows a pod to access the `.spec.trustBundle` field of ClusterTrustBundle objects in an auto-updating file.\n\nAlpha, gated by the ClusterTrustBundleProjection feature gate.\n\nClusterTrustBundle objects can either be selected by name, or by the combination of signer name and a label selector.\n\nKubelet performs aggressive normalization of the PEM contents written into the pod filesystem.  Esoteric PEM features such as inter-block comments and block headers are stripped.  Certificates are deduplicated. The ordering of certificates within the file is arbitrary, and Kubelet may change the order over time."),
    configMap: coreRef('ConfigMapProjection', 'configMap information about the configMap data to project'),
    downwardAPI: coreRef('DownwardAPIProjection', 'downwardAPI information about the downwardAPI data to project'),
    secret: coreRef('SecretProjection', 'secret information about the secret data to project'),
    serviceAccountToken: coreRef('ServiceAccountTokenProjection', 'serviceAccountToken is information about the serviceAccountToken data to project'),
  }),
  [c + 'SecretProjection']: obj("Adapts a secret into a projected volume.\n\nThe contents of the target Secret's Data field will be presented in a projected volume as files using the keys in the Data field as the file names. Note that this is identical to a secret volume source without the default mode.", {
    items: keyToPathItems('Secret'),
    name: refName,
    optional: bool('optional field specify whether the Secret or its key must be defined'),
  }),
  [c + 'ConfigMapProjection']: obj("Adapts a ConfigMap into a projected volume.\n\nThe contents of the target ConfigMap's Data field will be presented in a projected volume as files using the keys in the Data field as the file names, unless the items element is populated with specific mappings of keys to paths. Note that this is identical to a configmap volume source without the default mode.", {
    items: keyToPathItems('ConfigMap'),
    name: refName,
    optional: bool('optional specify whether the ConfigMap or its keys must be defined'),
  }),
  [c + 'DownwardAPIProjection']: obj('Represents downward API info for projecting into a projected volume. Note that this is identical to a downwardAPI volume source without the default mode.', {
    items: list(coreRef('DownwardAPIVolumeFile'), 'Items is a list of DownwardAPIVolume file'),
  }),
  [c + 'ServiceAccountTokenProjection']: obj('ServiceAccountTokenProjection represents a projected service account token volume. This projection can be used to insert a service account token into the pods runtime filesystem for use against APIs (Kubernetes API Server or otherwise).', {
    audience: str('audience is the intended audience of the token. A recipient of a token must identify itself with an identifier specified in the audience of the token, and otherwise should reject the token. The audience defaults to the identifier of the apiserver.'),
    expirationSeconds: int64('expirationSeconds is the requested duration of validity of the service account token. As the token approaches expiration, the kubelet volume plugin will proactively rotate the service account token. The kubelet will start trying to rotate the token if the token is older than 80 percent of its time to live or if the token is older than 24 hours.Defaults to 1 hour and must be at least 10 minutes.'),
    path: str('path is the path relative to the mount point of the file to project the token into.'),
  }, ['path']),
  [c + 'ClusterTrustBundleProjection']: obj('ClusterTrustBundleProjection describes how to select a set of ClusterTrustBundle objects and project their contents into the pod filesystem.', {
    labelSelector: metaRef('LabelSelector', 'Select all ClusterTrustBundles that match this label selector.  Only has effect if signerName is set.  Mutually-exclusive with name.  If unset, interpreted as "match nothing".  If set but empty, interpreted as "match everything".'),
    name: str('Select a single ClusterTrustBundle by object name.  Mutually-exclusive with signerName and labelSelector.'),
    optional: bool("If true, don't block pod startup if the referenced ClusterTrustBundle(s) aren't available.  If using name, then the named ClusterTrustBundle is allowed not to exist.  If using signerName, then the combination of signerName and labelSelector is allowed to match zero ClusterTrustBundles."),
    path: str('Relative path from the volume root to write the bundle.'),
    signerName: str('Select all ClusterTrustBundles that match this signer name. Mutually-exclusive with name.  The contents of all selected ClusterTrustBundles will be unified and deduplicated.'),
  }, ['path']),
  [c + 'CSIVolumeSource']: obj('Represents a source location of a volume to mount, managed by an external CSI driver', {
    driver: str('driver is the name of the CSI driver that handles this volume. Consult with your admin for the correct name as registered in the cluster.'),
    fsType: str('fsType to mount. Ex. "ext4", "xfs", "ntfs". If not provided, the empty value is passed to the associated CSI driver which will determine the default filesystem to apply.'),
    nodePublishSecretRef: coreRef('LocalObjectReference', 'nodePublishSecretRef is a reference to the secret object containing sensitive information to pass to the CSI driver to complete the CSI NodePublishVolume and NodeUnpublishVolume calls.'),
    readOnly: bool('readOnly specifies a read-only configuration for the volume. Defaults to false (read/write).'),
    volumeAttributes: strMap("volumeAttributes stores driver-specific properties that are passed to the CSI driver. Consult your driver's documentation for supported values."),
  }, ['driver']),
  [c + 'EphemeralVolumeSource']: obj('Represents an ephemeral volume that is handled by a normal storage driver.', {
    volumeClaimTemplate: any('Will be used to create a stand-alone PVC to provision the volume. The pod in which this EphemeralVolumeSource is embedded will be the owner of the PVC, i.e. the PVC will be deleted together with the pod.'),
  }),
  [c + 'NFSVolumeSource']: obj('Represents an NFS mount that lasts the lifetime of a pod. NFS volumes do not support ownership management or SELinux relabeling.', {
    path: str('path that is exported by the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs'),
    readOnly: bool('readOnly here will force the NFS export to be mounted with read-only permissions. Defaults to false. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs'),
    server: str('server is the hostname or IP address of the NFS server. More info: https://kubernetes.io/docs/concepts/storage/volumes#nfs'),
  }, ['server', 'path']),
  [c + 'ImageVolumeSource']: obj('ImageVolumeSource represents a image volume resource.', {
    pullPolicy: str('Policy for pulling OCI objects. Possible values are: Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    reference: str('Required: Image or artifact reference to be used. Behaves in the same way as pod.spec.containers[*].image.'),
  }),
};
