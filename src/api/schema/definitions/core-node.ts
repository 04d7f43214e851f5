/** core/v1 Node and its spec/status types (k8s.io/api/core/v1, v0.32). */
import type { ObjectSchema } from '../types.js';
import {
  any,
  bool,
  corePrefix as c,
  coreRef,
  int32,
  int64,
  kindObj,
  list,
  mapList,
  obj,
  quantityMap,
  setList,
  str,
  strList,
  time,
} from './helpers.js';

export const coreNodeDefinitions: Record<string, ObjectSchema> = {
  [c + 'Node']: kindObj('Node is a worker node in Kubernetes. Each node will have a unique identifier in the cache (i.e. in etcd).', {
    spec: coreRef('NodeSpec', 'Spec defines the behavior of a node. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
    status: coreRef('NodeStatus', 'Most recently observed status of the node. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
  }),
  [c + 'NodeSpec']: obj('NodeSpec describes the attributes that a node is created with.', {
    configSource: any('Deprecated: Previously used to specify the source of the node\'s configuration for the DynamicKubeletConfig feature. This feature is removed.'),
    externalID: str('Deprecated. Not all kubelets will set this field. Remove field after 1.13. see: https://issues.k8s.io/61966'),
    podCIDR: str('PodCIDR represents the pod IP range assigned to the node.'),
    podCIDRs: setList(str(), 'podCIDRs represents the IP ranges assigned to the node for usage by Pods on that node. If this field is specified, the 0th entry must match the podCIDR field. It may contain at most 1 value for each of IPv4 and IPv6.', true),
    providerID: str('ID of the node assigned by the cloud provider in the format: <ProviderName>://<ProviderSpecificNodeID>'),
    taints: list(coreRef('Taint'), "If specified, the node's taints."),
    unschedulable: bool('Unschedulable controls node schedulability of new pods. By default, node is schedulable. More info: https://kubernetes.io/docs/concepts/nodes/node/#manual-node-administration'),
  }),
  [c + 'Taint']: obj('The node this Taint is attached to has the "effect" on any pod that does not tolerate the Taint.', {
    effect: str('Required. The effect of the taint on pods that do not tolerate the taint. Valid effects are NoSchedule, PreferNoSchedule and NoExecute.', { enum: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] }),
    key: str('Required. The taint key to be applied to a node.'),
    timeAdded: time('TimeAdded represents the time at which the taint was added.'),
    value: str('The taint value corresponding to the taint key.'),
  }, ['key', 'effect']),
  [c + 'NodeStatus']: obj('NodeStatus is information about the current status of a node.', {
    addresses: mapList(coreRef('NodeAddress'), ['type'], 'List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses'),
    allocatable: quantityMap('Allocatable represents the resources of a node that are available for scheduling. Defaults to Capacity.'),
    capacity: quantityMap('Capacity represents the total resources of a node. More info: https://kubernetes.io/docs/reference/node/node-status/#capacity'),
    conditions: mapList(coreRef('NodeCondition'), ['type'], 'Conditions is an array of current observed node conditions. More info: https://kubernetes.io/docs/reference/node/node-status/#condition'),
    config: any('Status of the config assigned to the node via the dynamic Kubelet config feature.'),
    daemonEndpoints: coreRef('NodeDaemonEndpoints', 'Endpoints of daemons running on the Node.'),
    features: coreRef('NodeFeatures', 'Features describes the set of features implemented by the CRI implementation.'),
    images: list(coreRef('ContainerImage'), 'List of container images on this node'),
    nodeInfo: coreRef('NodeSystemInfo', 'Set of ids/uuids to uniquely identify the node. More info: https://kubernetes.io/docs/reference/node/node-status/#info'),
    phase: str('NodePhase is the recently observed lifecycle phase of the node. More info: https://kubernetes.io/docs/concepts/nodes/node/#phase The field is never populated, and now is deprecated.', { enum: ['Pending', 'Running', 'Terminated'] }),
    runtimeHandlers: list(coreRef('NodeRuntimeHandler'), 'The available runtime handlers.'),
    volumesAttached: list(coreRef('AttachedVolume'), 'List of volumes that are attached to the node.'),
    volumesInUse: strList('List of attachable volumes in use (mounted) by the node.'),
  }),
  [c + 'NodeAddress']: obj("NodeAddress contains information for the node's address.", {
    address: str('The node address.'),
    type: str('Node address type, one of Hostname, ExternalIP or InternalIP.'),
  }, ['type', 'address']),
  [c + 'NodeCondition']: obj('NodeCondition contains condition information for a node.', {
    lastHeartbeatTime: time('Last time we got an update on a given condition.'),
    lastTransitionTime: time('Last time the condition transit from one status to another.'),
    message: str('Human readable message indicating details about last transition.'),
    reason: str("(brief) reason for the condition's last transition."),
    status: str('Status of the condition, one of True, False, Unknown.'),
    type: str('Type of node condition.'),
  }, ['type', 'status']),
  [c + 'NodeDaemonEndpoints']: obj('NodeDaemonEndpoints lists ports opened by daemons running on the Node.', {
    kubeletEndpoint: coreRef('DaemonEndpoint', 'Endpoint on which Kubelet is listening.'),
  }),
  [c + 'DaemonEndpoint']: obj('DaemonEndpoint contains information about a single Daemon endpoint.', {
    Port: int32('Port number of the given endpoint.'),
  }, ['Port']),
  [c + 'NodeFeatures']: obj('NodeFeatures describes the set of features implemented by the CRI implementation. The features contained in the NodeFeatures should depend only on the cri implementation independent of runtime handlers.', {
    supplementalGroupsPolicy: bool('SupplementalGroupsPolicy is set to true if the runtime supports SupplementalGroupsPolicy and ContainerUser.'),
  }),
  [c + 'ContainerImage']: obj('Describe a container image', {
    names: strList('Names by which this image is known. e.g. ["kubernetes.example/hyperkube:v1.0.7", "cloud-vendor.registry.example/cloud-vendor/hyperkube:v1.0.7"]'),
    sizeBytes: int64('The size of the image in bytes.'),
  }),
  [c + 'NodeSystemInfo']: obj('NodeSystemInfo is a set of ids/uuids to uniquely identify the node.', {
    architecture: str('The Architecture reported by the node'),
    bootID: str('Boot ID reported by the node.'),
    containerRuntimeVersion: str('ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
    kernelVersion: str("Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    kubeProxyVersion: str('Deprecated: KubeProxy Version reported by the node.'),
    kubeletVersion: str('Kubelet Version reported by the node.'),
    machineID: str('MachineID reported by the node. For unique machine identification in the cluster this field is preferred. Learn more from man(5) machine-id: http://man7.org/linux/man-pages/man5/machine-id.5.html'),
    operatingSystem: str('The Operating System reported by the node'),
    osImage: str('OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    systemUUID: str('SystemUUID reported by the node. For unique machine identification MachineID is preferred. This field is specific to Red Hat hosts https://access.redhat.com/documentation/en-us/red_hat_subscription_management/1/html/rhsm/uuid'),
  }, ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture']),
  [c + 'NodeRuntimeHandler']: obj('NodeRuntimeHandler is a set of runtime handler information.', {
    features: coreRef('NodeRuntimeHandlerFeatures', 'Supported features.'),
    name: str('Runtime handler name. Empty for the default runtime handler.'),
  }),
  [c + 'NodeRuntimeHandlerFeatures']: obj('NodeRuntimeHandlerFeatures is a set of features implemented by the runtime handler.', {
    recursiveReadOnlyMounts: bool('RecursiveReadOnlyMounts is set to true if the runtime handler supports RecursiveReadOnlyMounts.'),
    userNamespaces: bool('UserNamespaces is set to true if the runtime handler supports UserNamespaces, including for volumes.'),
  }),
  [c + 'AttachedVolume']: obj('AttachedVolume describes a volume attached to a node', {
    devicePath: str('DevicePath represents the device path where the volume should be available'),
    name: str('Name of the attached volume'),
  }, ['name', 'devicePath']),
};
