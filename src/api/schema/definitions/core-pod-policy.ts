/**
 * core/v1 scheduling and security types used by PodSpec and Container (k8s.io/api/core/v1, v0.32):
 * affinity, tolerations, topology spread, security contexts.
 */
import type { ObjectSchema } from '../types.js';
import {
  bool,
  corePrefix as c,
  coreRef,
  int32,
  int64,
  list,
  metaRef,
  obj,
  str,
  strList,
} from './helpers.js';

const podAffinityTermList = (description: string) => list(coreRef('PodAffinityTerm'), description);
const weightedList = (description: string) => list(coreRef('WeightedPodAffinityTerm'), description);

export const corePodPolicyDefinitions: Record<string, ObjectSchema> = {
  [c + 'Affinity']: obj('Affinity is a group of affinity scheduling rules.', {
    nodeAffinity: coreRef('NodeAffinity', 'Describes node affinity scheduling rules for the pod.'),
    podAffinity: coreRef('PodAffinity', 'Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).'),
    podAntiAffinity: coreRef('PodAntiAffinity', 'Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).'),
  }),
  [c + 'NodeAffinity']: obj('Node affinity is a group of node affinity scheduling rules.', {
    preferredDuringSchedulingIgnoredDuringExecution: list(coreRef('PreferredSchedulingTerm'), 'The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.'),
    requiredDuringSchedulingIgnoredDuringExecution: coreRef('NodeSelector', 'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If the affinity requirements specified by this field cease to be met at some point during pod execution (e.g. due to an update), the system may or may not try to eventually evict the pod from its node.'),
  }),
  [c + 'NodeSelector']: obj('A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.', {
    nodeSelectorTerms: list(coreRef('NodeSelectorTerm'), 'Required. A list of node selector terms. The terms are ORed.'),
  }, ['nodeSelectorTerms']),
  [c + 'NodeSelectorTerm']: obj('A null or empty node selector term matches no objects. The requirements of them are ANDed. The TopologySelectorTerm type implements a subset of the NodeSelectorTerm.', {
    matchExpressions: list(coreRef('NodeSelectorRequirement'), "A list of node selector requirements by node's labels."),
    matchFields: list(coreRef('NodeSelectorRequirement'), "A list of node selector requirements by node's fields."),
  }),
  [c + 'NodeSelectorRequirement']: obj('A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.', {
    key: str('The label key that the selector applies to.'),
    operator: str("Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.", { enum: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'] }),
    values: strList('An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer. This array is replaced during a strategic merge patch.'),
  }, ['key', 'operator']),
  [c + 'PreferredSchedulingTerm']: obj("An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op).", {
    preference: coreRef('NodeSelectorTerm', 'A node selector term, associated with the corresponding weight.'),
    weight: int32('Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
  }, ['weight', 'preference']),
  [c + 'PodAffinity']: obj('Pod affinity is a group of inter pod affinity scheduling rules.', {
    preferredDuringSchedulingIgnoredDuringExecution: weightedList('The scheduler will prefer to schedule pods to nodes that satisfy the affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.'),
    requiredDuringSchedulingIgnoredDuringExecution: podAffinityTermList('If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
  }),
  [c + 'PodAntiAffinity']: obj('Pod anti affinity is a group of inter pod anti affinity scheduling rules.', {
    preferredDuringSchedulingIgnoredDuringExecution: weightedList('The scheduler will prefer to schedule pods to nodes that satisfy the anti-affinity expressions specified by this field, but it may choose a node that violates one or more of the expressions.'),
    requiredDuringSchedulingIgnoredDuringExecution: podAffinityTermList('If the anti-affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node.'),
  }),
  [c + 'WeightedPodAffinityTerm']: obj('The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)', {
    podAffinityTerm: coreRef('PodAffinityTerm', 'Required. A pod affinity term, associated with the corresponding weight.'),
    weight: int32('weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
  }, ['weight', 'podAffinityTerm']),
  [c + 'PodAffinityTerm']: obj('Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running', {
    labelSelector: metaRef('LabelSelector', "A label query over a set of resources, in this case pods. If it's null, this PodAffinityTerm matches with no Pods."),
    matchLabelKeys: strList("MatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key in (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity."),
    mismatchLabelKeys: strList("MismatchLabelKeys is a set of pod label keys to select which pods will be taken into consideration. The keys are used to lookup values from the incoming pod labels, those key-value labels are merged with `labelSelector` as `key notin (value)` to select the group of existing pods which pods will be taken into consideration for the incoming pod's pod (anti) affinity."),
    namespaceSelector: metaRef('LabelSelector', "A label query over the set of namespaces that the term applies to. The term is applied to the union of the namespaces selected by this field and the ones listed in the namespaces field. null selector and null or empty namespaces list means \"this pod's namespace\". An empty selector ({}) matches all namespaces."),
    namespaces: strList("namespaces specifies a static list of namespace names that the term applies to. The term is applied to the union of the namespaces listed in this field and the ones selected by namespaceSelector. null or empty namespaces list and null namespaceSelector means \"this pod's namespace\"."),
    topologyKey: str('This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.'),
  }, ['topologyKey']),
  [c + 'Toleration']: obj('The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.', {
    effect: str('Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.', { enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
    key: str('Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys.'),
    operator: str("Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all taints of a particular category.", { enum: ['Equal', 'Exists'] }),
    tolerationSeconds: int64('TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which means tolerate the taint forever (do not evict). Zero and negative values will be treated as 0 (evict immediately) by the system.'),
    value: str('Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.'),
  }),
  [c + 'TopologySpreadConstraint']: obj('TopologySpreadConstraint specifies how to spread matching pods among the given topology.', {
    labelSelector: metaRef('LabelSelector', 'LabelSelector is used to find matching pods. Pods that match this label selector are counted to determine the number of pods in their corresponding topology domain.'),
    matchLabelKeys: strList('MatchLabelKeys is a set of pod label keys to select the pods over which spreading will be calculated. The keys are used to lookup values from the incoming pod labels, those key-value labels are ANDed with labelSelector to select the group of existing pods over which spreading will be calculated for the incoming pod.'),
    maxSkew: int32('MaxSkew describes the degree to which pods may be unevenly distributed. It\'s a required field. Default value is 1 and 0 is not allowed.'),
    minDomains: int32('MinDomains indicates a minimum number of eligible domains. When the number of eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "global minimum" as 0, and then the calculation of Skew is performed.'),
    nodeAffinityPolicy: str("NodeAffinityPolicy indicates how we will treat Pod's nodeAffinity/nodeSelector when calculating pod topology spread skew. Options are: - Honor: only nodes matching nodeAffinity/nodeSelector are included in the calculations. - Ignore: nodeAffinity/nodeSelector are ignored. All nodes are included in the calculations.", { enum: ['Honor', 'Ignore'] }),
    nodeTaintsPolicy: str('NodeTaintsPolicy indicates how we will treat node taints when calculating pod topology spread skew. Options are: - Honor: nodes without taints, along with tainted nodes for which the incoming pod has a toleration, are included. - Ignore: node taints are ignored. All nodes are included.', { enum: ['Honor', 'Ignore'] }),
    topologyKey: str('TopologyKey is the key of node labels. Nodes that have a label with this key and identical values are considered to be in the same topology. It\'s a required field.'),
    whenUnsatisfiable: str("WhenUnsatisfiable indicates how to deal with a pod if it doesn't satisfy the spread constraint. - DoNotSchedule (default) tells the scheduler not to schedule it. - ScheduleAnyway tells the scheduler to schedule the pod in any location, but giving higher precedence to topologies that would help reduce the skew. It's a required field.", { enum: ['DoNotSchedule', 'ScheduleAnyway'] }),
  }, ['maxSkew', 'topologyKey', 'whenUnsatisfiable']),
  [c + 'PodSecurityContext']: obj('PodSecurityContext holds pod-level security attributes and common container settings. Some fields are also present in container.securityContext.  Field values of container.securityContext take precedence over field values of PodSecurityContext.', {
    appArmorProfile: coreRef('AppArmorProfile', 'appArmorProfile is the AppArmor options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.'),
    fsGroup: int64("A special supplemental group that applies to all containers in a pod. Some volume types allow the Kubelet to change the ownership of that volume to be owned by the pod. Note that this field cannot be set when spec.os.name is windows."),
    fsGroupChangePolicy: str('fsGroupChangePolicy defines behavior of changing ownership and permission of the volume before being exposed inside Pod. Valid values are "OnRootMismatch" and "Always". If not specified, "Always" is used. Note that this field cannot be set when spec.os.name is windows.', { enum: ['Always', 'OnRootMismatch'] }),
    runAsGroup: int64('The GID to run the entrypoint of the container process. Uses runtime default if unset. Note that this field cannot be set when spec.os.name is windows.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.'),
    runAsUser: int64('The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. Note that this field cannot be set when spec.os.name is windows.'),
    seLinuxChangePolicy: str('seLinuxChangePolicy defines how the container\'s SELinux label is applied to all volumes used by the Pod. It has no effect on nodes that do not support SELinux or to volumes does not support SELinux. Valid values are "MountOption" and "Recursive".'),
    seLinuxOptions: coreRef('SELinuxOptions', 'The SELinux context to be applied to all containers. If unspecified, the container runtime will allocate a random SELinux context for each container. Note that this field cannot be set when spec.os.name is windows.'),
    seccompProfile: coreRef('SeccompProfile', 'The seccomp options to use by the containers in this pod. Note that this field cannot be set when spec.os.name is windows.'),
    supplementalGroups: list(int64(), "A list of groups applied to the first process run in each container, in addition to the container's primary GID and fsGroup (if specified). Note that this field cannot be set when spec.os.name is windows."),
    supplementalGroupsPolicy: str('Defines how supplemental groups of the first container processes are calculated. Valid values are "Merge" and "Strict". If not specified, "Merge" is used. Note that this field cannot be set when spec.os.name is windows.', { enum: ['Merge', 'Strict'] }),
    sysctls: list(coreRef('Sysctl'), 'Sysctls hold a list of namespaced sysctls used for the pod. Pods with unsupported sysctls (by the container runtime) might fail to launch. Note that this field cannot be set when spec.os.name is windows.'),
    windowsOptions: coreRef('WindowsSecurityContextOptions', "The Windows specific settings applied to all containers. If unspecified, the options within a container's SecurityContext will be used. Note that this field cannot be set when spec.os.name is linux."),
  }),
  [c + 'SecurityContext']: obj('SecurityContext holds security configuration that will be applied to a container. Some fields are present in both SecurityContext and PodSecurityContext.  When both are set, the values in SecurityContext take precedence.', {
    allowPrivilegeEscalation: bool('AllowPrivilegeEscalation controls whether a process can gain more privileges than its parent process. This bool directly controls if the no_new_privs flag will be set on the container process. Note that this field cannot be set when spec.os.name is windows.'),
    appArmorProfile: coreRef('AppArmorProfile', "appArmorProfile is the AppArmor options to use by this container. If set, this profile overrides the pod's appArmorProfile. Note that this field cannot be set when spec.os.name is windows."),
    capabilities: coreRef('Capabilities', 'The capabilities to add/drop when running containers. Defaults to the default set of capabilities granted by the container runtime. Note that this field cannot be set when spec.os.name is windows.'),
    privileged: bool('Run container in privileged mode. Processes in privileged containers are essentially equivalent to root on the host. Defaults to false. Note that this field cannot be set when spec.os.name is windows.'),
    procMount: str('procMount denotes the type of proc mount to use for the containers. The default value is Default which uses the container runtime defaults for readonly paths and masked paths. Note that this field cannot be set when spec.os.name is windows.', { enum: ['Default', 'Unmasked'] }),
    readOnlyRootFilesystem: bool('Whether this container has a read-only root filesystem. Default is false. Note that this field cannot be set when spec.os.name is windows.'),
    runAsGroup: int64('The GID to run the entrypoint of the container process. Uses runtime default if unset. Note that this field cannot be set when spec.os.name is windows.'),
    runAsNonRoot: bool('Indicates that the container must run as a non-root user. If true, the Kubelet will validate the image at runtime to ensure that it does not run as UID 0 (root) and fail to start the container if it does.'),
    runAsUser: int64('The UID to run the entrypoint of the container process. Defaults to user specified in image metadata if unspecified. Note that this field cannot be set when spec.os.name is windows.'),
    seLinuxOptions: coreRef('SELinuxOptions', 'The SELinux context to be applied to the container. If unspecified, the container runtime will allocate a random SELinux context for each container. Note that this field cannot be set when spec.os.name is windows.'),
    seccompProfile: coreRef('SeccompProfile', 'The seccomp options to use by this container. If seccomp options are provided at both the pod & container level, the container options override the pod options. Note that this field cannot be set when spec.os.name is windows.'),
    windowsOptions: coreRef('WindowsSecurityContextOptions', 'The Windows specific settings applied to all containers. If unspecified, the options from the PodSecurityContext will be used. Note that this field cannot be set when spec.os.name is linux.'),
  }),
  [c + 'Capabilities']: obj('Adds and removes POSIX capabilities from running containers.', {
    add: strList('Added capabilities'),
    drop: strList('Removed capabilities'),
  }),
  [c + 'SELinuxOptions']: obj('SELinuxOptions are the labels to be applied to the container', {
    level: str('Level is SELinux level label that applies to the container.'),
    role: str('Role is a SELinux role label that applies to the container.'),
    type: str('Type is a SELinux type label that applies to the container.'),
    user: str('User is a SELinux user label that applies to the container.'),
  }),
  [c + 'SeccompProfile']: obj("SeccompProfile defines a pod/container's seccomp profile settings. Only one profile source may be set.", {
    localhostProfile: str("localhostProfile indicates a profile defined in a file on the node should be used. The profile must be preconfigured on the node to work. Must be a descending path, relative to the kubelet's configured seccomp profile location. Must be set if type is \"Localhost\". Must NOT be set for any other type."),
    type: str('type indicates which kind of seccomp profile will be applied. Valid options are:\n\nLocalhost - a profile defined in a file on the node should be used. RuntimeDefault - the container runtime default profile should be used. Unconfined - no profile should be applied.', { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
  }, ['type']),
  [c + 'AppArmorProfile']: obj("AppArmorProfile defines a pod or container's AppArmor settings.", {
    localhostProfile: str('localhostProfile indicates a profile loaded on the node that should be used. The profile must be preconfigured on the node to work. Must match the loaded name of the profile. Must be set if and only if type is "Localhost".'),
    type: str("type indicates which kind of AppArmor profile will be applied. Valid options are:\n  Localhost - a profile pre-loaded on the node.\n  RuntimeDefault - the container runtime's default profile.\n  Unconfined - no AppArmor enforcement.", { enum: ['Localhost', 'RuntimeDefault', 'Unconfined'] }),
  }, ['type']),
  [c + 'WindowsSecurityContextOptions']: obj('WindowsSecurityContextOptions contain Windows-specific options and credentials.', {
    gmsaCredentialSpec: str('GMSACredentialSpec is where the GMSA admission webhook (https://github.com/kubernetes-sigs/windows-gmsa) inlines the contents of the GMSA credential spec named by the GMSACredentialSpecName field.'),
    gmsaCredentialSpecName: str('GMSACredentialSpecName is the name of the GMSA credential spec to use.'),
    hostProcess: bool("HostProcess determines if a container should be run as a 'Host Process' container. All of a Pod's containers must have the same effective HostProcess value (it is not allowed to have a mix of HostProcess containers and non-HostProcess containers). In addition, if HostProcess is true then HostNetwork must also be set to true."),
    runAsUserName: str('The UserName in Windows to run the entrypoint of the container process. Defaults to the user specified in image metadata if unspecified. May also be set in PodSecurityContext.'),
  }),
  [c + 'Sysctl']: obj('Sysctl defines a kernel parameter to be set', {
    name: str('Name of a property to set'),
    value: str('Value of a property to set'),
  }, ['name', 'value']),
};
