/**
 * The Normal events the kubelet (1.32) records while it starts and stops a pod's containers
 * (pkg/kubelet/kuberuntime/kuberuntime_container.go, pkg/kubelet/images/image_manager.go), in
 * order: for each init container then each container, Pulled (`Container image "x" already
 * present on machine`: the agent fetches no image, so it never says Pulling), Created
 * (`Created container name`: 1.33 added a colon) and Started (`Started container name`); on
 * deletion, Killing (`Stopping container name`) per container.
 */
import type { KubeObject } from '../api/meta.js';

export interface PodEvent {
  reason: string;
  message: string;
}

interface ContainerShape {
  name: string;
  image?: string;
}

function containers(pod: KubeObject, which: ('initContainers' | 'containers')[]): ContainerShape[] {
  const spec = (pod.spec ?? {}) as Record<string, ContainerShape[] | undefined>;
  return which.flatMap((w) => spec[w] ?? []);
}

export function podStartEvents(pod: KubeObject): PodEvent[] {
  return containers(pod, ['initContainers', 'containers']).flatMap((c) => [
    { reason: 'Pulled', message: `Container image ${JSON.stringify(c.image ?? '')} already present on machine` },
    { reason: 'Created', message: `Created container ${c.name}` },
    { reason: 'Started', message: `Started container ${c.name}` },
  ]);
}

export function podStopEvents(pod: KubeObject): PodEvent[] {
  return containers(pod, ['containers']).map((c) => ({ reason: 'Killing', message: `Stopping container ${c.name}` }));
}
