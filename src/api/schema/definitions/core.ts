/**
 * core/v1 definitions other than Pod and Node (k8s.io/api/core/v1, v0.32): ServiceAccount,
 * Secret, ConfigMap, Namespace, Binding, Event, Service, and the shared references.
 */
import type { ObjectSchema } from '../types.js';
import {
  bool,
  bytes,
  corePrefix as c,
  coreRef,
  int32,
  intOrString,
  kindObj,
  list,
  map,
  mapList,
  metaRef,
  obj,
  str,
  strList,
  strMap,
  time,
} from './helpers.js';

export const coreDefinitions: Record<string, ObjectSchema> = {
  [c + 'ServiceAccount']: kindObj('ServiceAccount binds together: * a name, understood by users, and perhaps by peripheral systems, for an identity * a principal that can be authenticated and authorized * a set of secrets', {
    automountServiceAccountToken: bool('AutomountServiceAccountToken indicates whether pods running as this service account should have an API token automatically mounted. Can be overridden at the pod level.'),
    imagePullSecrets: list(coreRef('LocalObjectReference'), 'ImagePullSecrets is a list of references to secrets in the same namespace to use for pulling any images in pods that reference this ServiceAccount. ImagePullSecrets are distinct from Secrets because Secrets can be mounted in the pod, but ImagePullSecrets are only accessed by the kubelet. More info: https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod'),
    secrets: mapList(coreRef('ObjectReference'), ['name'], 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'),
  }),

  [c + 'ObjectReference']: obj('ObjectReference contains enough information to let you inspect or modify the referred object.', {
    apiVersion: str('API version of the referent.'),
    fieldPath: str('If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.'),
    kind: str('Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'),
    name: str('Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    namespace: str('Namespace of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'),
    resourceVersion: str('Specific resourceVersion to which this reference is made, if any. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency'),
    uid: str('UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#uids'),
  }),

  [c + 'LocalObjectReference']: obj('LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.', {
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. Instances of this type with an empty value here are almost certainly wrong. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
  }),

  [c + 'TypedLocalObjectReference']: obj('TypedLocalObjectReference contains enough information to let you locate the typed referenced object inside the same namespace.', {
    apiGroup: str('APIGroup is the group for the resource being referenced. If APIGroup is not specified, the specified Kind must be in the core API group. For any other third-party types, APIGroup is required.'),
    kind: str('Kind is the type of resource being referenced'),
    name: str('Name is the name of resource being referenced'),
  }, ['kind', 'name']),

  [c + 'Secret']: kindObj('Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.', {
    data: map(bytes(), "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
    immutable: bool('Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.'),
    stringData: strMap('stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.'),
    type: str('Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
  }),

  [c + 'ConfigMap']: kindObj('ConfigMap holds configuration data for pods to consume.', {
    binaryData: map(bytes(), "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet."),
    data: strMap("Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
    immutable: bool('Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.'),
  }),

  [c + 'Namespace']: kindObj('Namespace provides a scope for Names. Use of multiple namespaces is optional.', {
    spec: coreRef('NamespaceSpec', 'Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
    status: coreRef('NamespaceStatus', 'Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
  }),
  [c + 'NamespaceSpec']: obj('NamespaceSpec describes the attributes on a Namespace.', {
    finalizers: strList('Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/'),
  }),
  [c + 'NamespaceStatus']: obj('NamespaceStatus is information about the current status of a Namespace.', {
    conditions: mapList(coreRef('NamespaceCondition'), ['type'], "Represents the latest available observations of a namespace's current state."),
    phase: str('Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/', { enum: ['Active', 'Terminating'] }),
  }),
  [c + 'NamespaceCondition']: obj('NamespaceCondition contains details about state of namespace.', {
    lastTransitionTime: time('Last time the condition transitioned from one status to another.'),
    message: str('Human-readable message indicating details about last transition.'),
    reason: str("Unique, one-word, CamelCase reason for the condition's last transition."),
    status: str('Status of the condition, one of True, False, Unknown.'),
    type: str('Type of namespace controller condition.'),
  }, ['type', 'status']),

  [c + 'Binding']: kindObj('Binding ties one object to another; for example, a pod is bound to a node by a scheduler.', {
    target: coreRef('ObjectReference', 'The target object that you want to bind to the standard object.'),
  }, ['target']),

  [c + 'Event']: kindObj('Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.', {
    action: str('What action was taken/failed regarding to the Regarding object.'),
    count: int32('The number of times this event has occurred.'),
    eventTime: time('Time when this Event was first observed.'),
    firstTimestamp: time('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    involvedObject: coreRef('ObjectReference', 'The object that this event is about.'),
    lastTimestamp: time('The time at which the most recent occurrence of this event was recorded.'),
    message: str('A human-readable description of the status of this operation.'),
    reason: str("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    related: coreRef('ObjectReference', 'Optional secondary object for more complex actions.'),
    reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
    reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.'),
    series: coreRef('EventSeries', "Data about the Event series this event represents or nil if it's a singleton Event."),
    source: coreRef('EventSource', 'The component reporting this event. Should be a short machine understandable string.'),
    type: str('Type of this event (Normal, Warning), new types could be added in the future'),
  }, ['metadata', 'involvedObject'], "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"),
  [c + 'EventSeries']: obj('EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.', {
    count: int32('Number of occurrences in this series up to the last heartbeat time'),
    lastObservedTime: time('Time of the last occurrence observed'),
  }),
  [c + 'EventSource']: obj('EventSource contains information for an event.', {
    component: str('Component from which the event is generated.'),
    host: str('Node name on which the event is generated.'),
  }),

  [c + 'Service']: kindObj('Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.', {
    spec: coreRef('ServiceSpec', 'Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
    status: coreRef('ServiceStatus', 'Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'),
  }),
  [c + 'ServiceSpec']: obj('ServiceSpec describes the attributes that a user creates on a service.', {
    allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.  Default is "true".'),
    clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP). More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    clusterIPs: strList('ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly. This field may hold a maximum of two entries (dual-stack IPs, in either order). More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    externalIPs: strList('externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.'),
    externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved.'),
    externalTrafficPolicy: str('externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses (NodePorts, ExternalIPs, and LoadBalancer IPs).'),
    healthCheckNodePort: int32('healthCheckNodePort specifies the healthcheck nodePort for the service. This only applies when type is set to LoadBalancer and externalTrafficPolicy is set to Local.'),
    internalTrafficPolicy: str('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.'),
    ipFamilies: strList('IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.'),
    ipFamilyPolicy: str('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service. Valid values are "SingleStack", "PreferDualStack" and "RequireDualStack".'),
    loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
    loadBalancerIP: str('Only applies to Service Type: LoadBalancer. This feature depends on whether the underlying cloud-provider supports specifying the loadBalancerIP when a load balancer is created. Deprecated: This field was under-specified and its meaning varies across implementations.'),
    loadBalancerSourceRanges: strList('If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs. More info: https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/'),
    ports: mapList(coreRef('ServicePort'), ['port', 'protocol'], 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
    selector: strMap('Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. More info: https://kubernetes.io/docs/concepts/services-networking/service/'),
    sessionAffinity: str('Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'),
    sessionAffinityConfig: coreRef('SessionAffinityConfig', 'sessionAffinityConfig contains the configurations of session affinity.'),
    trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
    type: str('type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'),
  }),
  [c + 'ServicePort']: obj("ServicePort contains information on service's port.", {
    appProtocol: str('The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'),
    name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
    nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer.  Usually assigned by the system. More info: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'),
    port: int32('The port that will be exposed by this service.'),
    protocol: str('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    targetPort: intOrString("Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map). More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service"),
  }, ['port']),
  [c + 'SessionAffinityConfig']: obj('SessionAffinityConfig represents the configurations of session affinity.', {
    clientIP: coreRef('ClientIPConfig', 'clientIP contains the configurations of Client IP based session affinity.'),
  }),
  [c + 'ClientIPConfig']: obj('ClientIPConfig represents the configurations of Client IP based session affinity.', {
    timeoutSeconds: int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time. The value must be >0 && <=86400(for 1 day) if ServiceAffinity == "ClientIP". Default value is 10800(for 3 hours).'),
  }),
  [c + 'ServiceStatus']: obj('ServiceStatus represents the current status of a service.', {
    conditions: mapList(metaRef('Condition'), ['type'], 'Current service state'),
    loadBalancer: coreRef('LoadBalancerStatus', 'LoadBalancer contains the current status of the load-balancer, if one is present.'),
  }),
  [c + 'LoadBalancerStatus']: obj('LoadBalancerStatus represents the status of a load-balancer.', {
    ingress: list(coreRef('LoadBalancerIngress'), 'Ingress is a list containing ingress points for the load-balancer. Traffic intended for the service should be sent to these ingress points.'),
  }),
  [c + 'LoadBalancerIngress']: obj('LoadBalancerIngress represents the status of a load-balancer ingress point: traffic intended for the service should be sent to an ingress point.', {
    hostname: str('Hostname is set for load-balancer ingress points that are DNS based (typically AWS load-balancers)'),
    ip: str('IP is set for load-balancer ingress points that are IP based (typically GCE or OpenStack load-balancers)'),
    ipMode: str('IPMode specifies how the load-balancer IP behaves, and may only be specified when the ip field is specified.'),
    ports: list(coreRef('PortStatus'), 'Ports is a list of records of service ports If used, every port defined in the service should have an entry in it'),
  }),
  [c + 'PortStatus']: obj('PortStatus represents the error condition of a service port', {
    error: str('Error is to record the problem with the service port The format of the error shall comply with the following rules: - built-in error values shall be specified in this file and those shall use CamelCase names - cloud provider specific error values must have names that comply with the format foo.example.com/CamelCase.'),
    port: int32('Port is the port number of the service port of which status is recorded here'),
    protocol: str('Protocol is the protocol of the service port of which status is recorded here The supported values are: "TCP", "UDP", "SCTP"'),
  }, ['port', 'protocol']),
};
