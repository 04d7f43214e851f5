/** core/v1 Container, EphemeralContainer and their parts, plus ContainerStatus (k8s.io/api/core/v1, v0.32). */
import type { ObjectSchema, Schema } from '../types.js';
import {
  bool,
  corePrefix as c,
  coreRef,
  int32,
  int64,
  intOrString,
  list,
  mapList,
  obj,
  quantity,
  quantityMap,
  str,
  strList,
  time,
} from './helpers.js';

const containerProps = (ephemeral: boolean): Record<string, Schema> => ({
  args: strList('Arguments to the entrypoint. The container image\'s CMD is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container\'s environment. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell'),
  command: strList("Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Variable references $(VAR_NAME) are expanded using the container's environment. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell"),
  env: mapList(coreRef('EnvVar'), ['name'], 'List of environment variables to set in the container. Cannot be updated.'),
  envFrom: list(coreRef('EnvFromSource'), 'List of sources to populate environment variables in the container. The keys defined within a source must be a C_IDENTIFIER. All invalid keys will be reported as an event when the container is starting. When a key exists in multiple sources, the value associated with the last source will take precedence. Values defined by an Env with a duplicate key will take precedence. Cannot be updated.'),
  image: str('Container image name. More info: https://kubernetes.io/docs/concepts/containers/images'),
  imagePullPolicy: str('Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images', { enum: ['Always', 'IfNotPresent', 'Never'] }),
  lifecycle: coreRef('Lifecycle', ephemeral ? 'Lifecycle is not allowed for ephemeral containers.' : 'Actions that the management system should take in response to container lifecycle events. Cannot be updated.'),
  livenessProbe: coreRef('Probe', ephemeral ? 'Probes are not allowed for ephemeral containers.' : 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  name: str(ephemeral ? 'Name of the ephemeral container specified as a DNS_LABEL. This name must be unique among all containers, init containers and ephemeral containers.' : 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'),
  ports: mapList(coreRef('ContainerPort'), ['containerPort', 'protocol'], ephemeral ? 'Ports are not allowed for ephemeral containers.' : 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed. Cannot be updated.'),
  readinessProbe: coreRef('Probe', ephemeral ? 'Probes are not allowed for ephemeral containers.' : 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  resizePolicy: list(coreRef('ContainerResizePolicy'), 'Resources resize policy for the container.'),
  resources: coreRef('ResourceRequirements', ephemeral ? 'Resources are not allowed for ephemeral containers. Ephemeral containers use spare resources already allocated to the pod.' : 'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'),
  restartPolicy: str(ephemeral ? 'Restart policy for the container to manage the restart behavior of each container within a pod. This may only be set for init containers. You cannot set this field on ephemeral containers.' : 'RestartPolicy defines the restart behavior of individual containers in a pod. This field may only be set for init containers, and the only allowed value is "Always".'),
  securityContext: coreRef('SecurityContext', ephemeral ? 'Optional: SecurityContext defines the security options the ephemeral container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext.' : 'SecurityContext defines the security options the container should be run with. If set, the fields of SecurityContext override the equivalent fields of PodSecurityContext. More info: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'),
  startupProbe: coreRef('Probe', ephemeral ? 'Probes are not allowed for ephemeral containers.' : 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  stdin: bool('Whether this container should allocate a buffer for stdin in the container runtime. If this is not set, reads from stdin in the container will always result in EOF. Default is false.'),
  stdinOnce: bool('Whether the container runtime should close the stdin channel after it has been opened by a single attach. When stdin is true the stdin stream will remain open across multiple attach sessions. Default is false'),
  ...(ephemeral
    ? { targetContainerName: str('If set, the name of the container from PodSpec that this ephemeral container targets. The ephemeral container will be run in the namespaces (IPC, PID, etc) of this container. If not set then the ephemeral container uses the namespaces configured in the Pod spec.') }
    : {}),
  terminationMessagePath: str("Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated."),
  terminationMessagePolicy: str('Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. Defaults to File. Cannot be updated.', { enum: ['FallbackToLogsOnError', 'File'] }),
  tty: bool("Whether this container should allocate a TTY for itself, also requires 'stdin' to be true. Default is false."),
  volumeDevices: mapList(coreRef('VolumeDevice'), ['devicePath'], 'volumeDevices is the list of block devices to be used by the container.'),
  volumeMounts: mapList(coreRef('VolumeMount'), ['mountPath'], ephemeral ? "Pod volumes to mount into the container's filesystem. Subpath mounts are not allowed for ephemeral containers. Cannot be updated." : "Pod volumes to mount into the container's filesystem. Cannot be updated."),
  workingDir: str("Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."),
});

const handlerProps = (): Record<string, Schema> => ({
  exec: coreRef('ExecAction', 'Exec specifies a command to execute in the container.'),
  httpGet: coreRef('HTTPGetAction', 'HTTPGet specifies an HTTP GET request to perform.'),
  tcpSocket: coreRef('TCPSocketAction', 'TCPSocket specifies a connection to a TCP port.'),
});

export const coreContainerDefinitions: Record<string, ObjectSchema> = {
  [c + 'Container']: obj('A single application container that you want to run within a pod.', containerProps(false), ['name']),
  [c + 'EphemeralContainer']: obj('An EphemeralContainer is a temporary container that you may add to an existing Pod for user-initiated activities such as debugging. Ephemeral containers have no resource or scheduling guarantees, and they will not be restarted when they exit or when a Pod is removed or restarted.', containerProps(true), ['name']),
  [c + 'ContainerPort']: obj('ContainerPort represents a network port in a single container.', {
    containerPort: int32("Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."),
    hostIP: str('What host IP to bind the external port to.'),
    hostPort: int32('Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. If HostNetwork is specified, this must match ContainerPort. Most containers do not need this.'),
    name: str('If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.'),
    protocol: str('Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".', { enum: ['SCTP', 'TCP', 'UDP'] }),
  }, ['containerPort']),
  [c + 'EnvVar']: obj('EnvVar represents an environment variable present in a Container.', {
    name: str('Name of the environment variable. Must be a C_IDENTIFIER.'),
    value: str('Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. If a variable cannot be resolved, the reference in the input string will be unchanged. Defaults to "".'),
    valueFrom: coreRef('EnvVarSource', "Source for the environment variable's value. Cannot be used if value is not empty."),
  }, ['name']),
  [c + 'EnvVarSource']: obj('EnvVarSource represents a source for the value of an EnvVar.', {
    configMapKeyRef: coreRef('ConfigMapKeySelector', 'Selects a key of a ConfigMap.'),
    fieldRef: coreRef('ObjectFieldSelector', "Selects a field of the pod: supports metadata.name, metadata.namespace, `metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs."),
    resourceFieldRef: coreRef('ResourceFieldSelector', 'Selects a resource of the container: only resources limits and requests (limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu, requests.memory and requests.ephemeral-storage) are currently supported.'),
    secretKeyRef: coreRef('SecretKeySelector', "Selects a key of a secret in the pod's namespace"),
  }),
  [c + 'ConfigMapKeySelector']: obj('Selects a key from a ConfigMap.', {
    key: str('The key to select.'),
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    optional: bool('Specify whether the ConfigMap or its key must be defined'),
  }, ['key']),
  [c + 'SecretKeySelector']: obj('SecretKeySelector selects a key of a Secret.', {
    key: str('The key of the secret to select from.  Must be a valid secret key.'),
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    optional: bool('Specify whether the Secret or its key must be defined'),
  }, ['key']),
  [c + 'ObjectFieldSelector']: obj('ObjectFieldSelector selects an APIVersioned field of an object.', {
    apiVersion: str('Version of the schema the FieldPath is written in terms of, defaults to "v1".'),
    fieldPath: str('Path of the field to select in the specified API version.'),
  }, ['fieldPath']),
  [c + 'ResourceFieldSelector']: obj('ResourceFieldSelector represents container resources (cpu, memory) and their output format', {
    containerName: str('Container name: required for volumes, optional for env vars'),
    divisor: quantity('Specifies the output format of the exposed resources, defaults to "1"'),
    resource: str('Required: resource to select'),
  }, ['resource']),
  [c + 'EnvFromSource']: obj('EnvFromSource represents the source of a set of ConfigMaps or Secrets', {
    configMapRef: coreRef('ConfigMapEnvSource', 'The ConfigMap to select from'),
    prefix: str('Optional text to prepend to the name of each environment variable. Must be a C_IDENTIFIER.'),
    secretRef: coreRef('SecretEnvSource', 'The Secret to select from'),
  }),
  [c + 'ConfigMapEnvSource']: obj("ConfigMapEnvSource selects a ConfigMap to populate the environment variables with.\n\nThe contents of the target ConfigMap's Data field will represent the key-value pairs as environment variables.", {
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    optional: bool('Specify whether the ConfigMap must be defined'),
  }),
  [c + 'SecretEnvSource']: obj("SecretEnvSource selects a Secret to populate the environment variables with.\n\nThe contents of the target Secret's Data field will represent the key-value pairs as environment variables.", {
    name: str('Name of the referent. This field is effectively required, but due to backwards compatibility is allowed to be empty. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'),
    optional: bool('Specify whether the Secret must be defined'),
  }),
  [c + 'ResourceRequirements']: obj('ResourceRequirements describes the compute resource requirements.', {
    claims: mapList(coreRef('ResourceClaim'), ['name'], 'Claims lists the names of resources, defined in spec.resourceClaims, that are used by this container.', false),
    limits: quantityMap('Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'),
    requests: quantityMap('Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'),
  }),
  [c + 'ResourceClaim']: obj('ResourceClaim references one entry in PodSpec.ResourceClaims.', {
    name: str('Name must match the name of one entry in pod.spec.resourceClaims of the Pod where this field is used. It makes that resource available inside a container.'),
    request: str('Request is the name chosen for a request in the referenced claim. If empty, everything from the claim is made available, otherwise only the result of this request.'),
  }, ['name']),
  [c + 'ContainerResizePolicy']: obj('ContainerResizePolicy represents resource resize policy for the container.', {
    resourceName: str('Name of the resource to which this resource resize policy applies. Supported values: cpu, memory.'),
    restartPolicy: str('Restart policy to apply when specified resource is resized. If not specified, it defaults to NotRequired.'),
  }, ['resourceName', 'restartPolicy']),
  [c + 'VolumeMount']: obj('VolumeMount describes a mounting of a Volume within a container.', {
    mountPath: str("Path within the container at which the volume should be mounted.  Must not contain ':'."),
    mountPropagation: str('mountPropagation determines how mounts are propagated from the host to container and the other way around. When not set, MountPropagationNone is used. This field is beta in 1.10.', { enum: ['Bidirectional', 'HostToContainer', 'None'] }),
    name: str('This must match the Name of a Volume.'),
    readOnly: bool('Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'),
    recursiveReadOnly: str('RecursiveReadOnly specifies whether read-only mounts should be handled recursively.'),
    subPath: str('Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).'),
    subPathExpr: str('Expanded path within the volume from which the container\'s volume should be mounted. Behaves similarly to SubPath but environment variable references $(VAR_NAME) are expanded using the container\'s environment. Defaults to "" (volume\'s root). SubPathExpr and SubPath are mutually exclusive.'),
  }, ['name', 'mountPath']),
  [c + 'VolumeDevice']: obj('volumeDevice describes a mapping of a raw block device within a container.', {
    devicePath: str('devicePath is the path inside of the container that the device will be mapped to.'),
    name: str('name must match the name of a persistentVolumeClaim in the pod'),
  }, ['name', 'devicePath']),
  [c + 'Probe']: obj('Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.', {
    ...handlerProps(),
    failureThreshold: int32('Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.'),
    grpc: coreRef('GRPCAction', 'GRPC specifies a GRPC HealthCheckRequest.'),
    initialDelaySeconds: int32('Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
    periodSeconds: int32('How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.'),
    successThreshold: int32('Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.'),
    terminationGracePeriodSeconds: int64('Optional duration in seconds the pod needs to terminate gracefully upon probe failure.'),
    timeoutSeconds: int32('Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'),
  }),
  [c + 'ExecAction']: obj('ExecAction describes a "run in container" action.', {
    command: strList("Command is the command line to execute inside the container, the working directory for the command  is root ('/') in the container's filesystem. The command is simply exec'd, it is not run inside a shell, so traditional shell instructions ('|', etc) won't work. To use a shell, you need to explicitly call out to that shell. Exit status of 0 is treated as live/healthy and non-zero is unhealthy."),
  }),
  [c + 'HTTPGetAction']: obj('HTTPGetAction describes an action based on HTTP Get requests.', {
    host: str('Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.'),
    httpHeaders: list(coreRef('HTTPHeader'), 'Custom headers to set in the request. HTTP allows repeated headers.'),
    path: str('Path to access on the HTTP server.'),
    port: intOrString('Name or number of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
    scheme: str('Scheme to use for connecting to the host. Defaults to HTTP.', { enum: ['HTTP', 'HTTPS'] }),
  }, ['port']),
  [c + 'HTTPHeader']: obj('HTTPHeader describes a custom header to be used in HTTP probes', {
    name: str('The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.'),
    value: str('The header field value'),
  }, ['name', 'value']),
  [c + 'TCPSocketAction']: obj('TCPSocketAction describes an action based on opening a socket', {
    host: str('Optional: Host name to connect to, defaults to the pod IP.'),
    port: intOrString('Number or name of the port to access on the container. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME.'),
  }, ['port']),
  [c + 'GRPCAction']: obj('GRPCAction specifies an action involving a GRPC service.', {
    port: int32('Port number of the gRPC service. Number must be in the range 1 to 65535.'),
    service: str('Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).\n\nIf this is not specified, the default behavior is defined by gRPC.'),
  }, ['port']),
  [c + 'Lifecycle']: obj('Lifecycle describes actions that the management system should take in response to container lifecycle events. For the PostStart and PreStop lifecycle handlers, management of the container blocks until the action is complete, unless the container process fails, in which case the handler is aborted.', {
    postStart: coreRef('LifecycleHandler', 'PostStart is called immediately after a container is created. If the handler fails, the container is terminated and restarted according to its restart policy. Other management of the container blocks until the hook completes. More info: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#container-hooks'),
    preStop: coreRef('LifecycleHandler', "PreStop is called immediately before a container is terminated due to an API request or management event such as liveness/startup probe failure, preemption, resource contention, etc. The handler is not called if the container crashes or exits. More info: https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/#container-hooks"),
  }),
  [c + 'LifecycleHandler']: obj('LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.', {
    ...handlerProps(),
    sleep: coreRef('SleepAction', 'Sleep represents a duration that the container should sleep.'),
    tcpSocket: coreRef('TCPSocketAction', 'Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility. There is no validation of this field and lifecycle hooks will fail at runtime when it is specified.'),
  }),
  [c + 'SleepAction']: obj('SleepAction describes a "sleep" action.', {
    seconds: int64('Seconds is the number of seconds to sleep.'),
  }, ['seconds']),
  [c + 'ContainerStatus']: obj('ContainerStatus contains details for the current status of this container.', {
    allocatedResources: quantityMap('AllocatedResources represents the compute resources allocated for this container by the node. Kubelet sets this value to Container.Resources.Requests upon successful pod admission and after successfully admitting desired pod resize.'),
    allocatedResourcesStatus: mapList(coreRef('ResourceStatus'), ['name'], 'AllocatedResourcesStatus represents the status of various resources allocated for this Pod.', 'merge,retainKeys'),
    containerID: str("ContainerID is the ID of the container in the format '<type>://<container_id>'. Where type is a container runtime identifier, returned from Version call of CRI API (for example \"containerd\")."),
    image: str('Image is the name of container image that the container is running. The container image may not match the image used in the PodSpec, as it may have been resolved by the runtime. More info: https://kubernetes.io/docs/concepts/containers/images.'),
    imageID: str("ImageID is the image ID of the container's image. The image ID may not match the image ID of the image used in the PodSpec, as it may have been resolved by the runtime."),
    lastState: coreRef('ContainerState', "LastTerminationState holds the last termination state of the container to help debug container crashes and restarts. This field is not populated if the container is still running and RestartCount is 0."),
    name: str('Name is a DNS_LABEL representing the unique name of the container. Each container in a pod must have a unique name across all container types. Cannot be updated.'),
    ready: bool('Ready specifies whether the container is currently passing its readiness check. The value will change as readiness probes keep executing. If no readiness probes are specified, this field defaults to true once the container is fully started (see Started field).'),
    resources: coreRef('ResourceRequirements', 'Resources represents the compute resource requests and limits that have been successfully enacted on the running container after it has been started or has been successfully resized.'),
    restartCount: int32('RestartCount holds the number of times the container has been restarted. Kubelet makes an effort to always increment the value, but there are cases when the state may be lost due to node restarts and then the value may be reset to 0. The value is never negative.'),
    started: bool('Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe. Initialized as false, becomes true after startupProbe is considered successful. Resets to false when the container is restarted, or if kubelet loses state temporarily. In both cases, startup probes will run again. Is always true when no startupProbe is defined and container is running and has passed the postStart lifecycle hook. The null value must be treated the same as false.'),
    state: coreRef('ContainerState', 'State holds details about the container\'s current condition.'),
    user: coreRef('ContainerUser', 'User represents user identity information initially attached to the first process of the container'),
    volumeMounts: mapList(coreRef('VolumeMountStatus'), ['mountPath'], 'Status of volume mounts.'),
  }, ['name', 'ready', 'restartCount', 'image', 'imageID']),
  [c + 'ContainerState']: obj('ContainerState holds a possible state of container. Only one of its members may be specified. If none of them is specified, the default one is ContainerStateWaiting.', {
    running: coreRef('ContainerStateRunning', 'Details about a running container'),
    terminated: coreRef('ContainerStateTerminated', 'Details about a terminated container'),
    waiting: coreRef('ContainerStateWaiting', 'Details about a waiting container'),
  }),
  [c + 'ContainerStateRunning']: obj('ContainerStateRunning is a running state of a container.', {
    startedAt: time('Time at which the container was last (re-)started'),
  }),
  [c + 'ContainerStateTerminated']: obj('ContainerStateTerminated is a terminated state of a container.', {
    containerID: str("Container's ID in the format '<type>://<container_id>'"),
    exitCode: int32('Exit status from the last termination of the container'),
    finishedAt: time('Time at which the container last terminated'),
    message: str('Message regarding the last termination of the container'),
    reason: str('(brief) reason from the last termination of the container'),
    signal: int32('Signal from the last termination of the container'),
    startedAt: time('Time at which previous execution of the container started'),
  }, ['exitCode']),
  [c + 'ContainerStateWaiting']: obj('ContainerStateWaiting is a waiting state of a container.', {
    message: str('Message regarding why the container is not yet running.'),
    reason: str('(brief) reason the container is not yet running.'),
  }),
  [c + 'VolumeMountStatus']: obj('VolumeMountStatus shows status of volume mounts.', {
    mountPath: str('MountPath corresponds to the original VolumeMount.'),
    name: str('Name corresponds to the name of the original VolumeMount.'),
    readOnly: bool('ReadOnly corresponds to the original VolumeMount.'),
    recursiveReadOnly: str('RecursiveReadOnly must be set to Disabled, Enabled, or unspecified (for non-readonly mounts).'),
  }, ['name', 'mountPath']),
  [c + 'ResourceStatus']: obj('ResourceStatus represents the status of a single resource allocated to a Pod.', {
    name: str('Name of the resource. Must be unique within the pod and in case of non-DRA resource, match one of the resources from the pod spec.'),
    resources: mapList(coreRef('ResourceHealth'), ['resourceID'], 'List of unique resources health. Each element in the list contains an unique resource ID and its health.', false),
  }, ['name']),
  [c + 'ResourceHealth']: obj('ResourceHealth represents the health of a resource. It has the latest device health information.', {
    health: str('Health of the resource. can be one of:\n - Healthy: operates as normal\n - Unhealthy: reported unhealthy.\n - Unknown: The status cannot be determined.'),
    resourceID: str('ResourceID is the unique identifier of the resource. See the ResourceID type for more information.'),
  }, ['resourceID']),
  [c + 'ContainerUser']: obj('ContainerUser represents user identity information', {
    linux: coreRef('LinuxContainerUser', 'Linux holds user identity information initially attached to the first process of the containers in Linux.'),
  }),
  [c + 'LinuxContainerUser']: obj('LinuxContainerUser represents user identity information in Linux containers', {
    gid: int64('GID is the primary gid initially attached to the first process in the container'),
    supplementalGroups: list(int64(), 'SupplementalGroups are the supplemental groups initially attached to the first process in the container'),
    uid: int64('UID is the primary uid initially attached to the first process in the container'),
  }, ['uid', 'gid']),
};
