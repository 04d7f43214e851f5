import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { schemaRegistry } from '../api/schema/registry.js';
import { podStrategy } from '../registry/pods/strategy.js';
import { validatePod, validatePodStatusUpdate } from '../registry/pods/validation.js';
import { conformToSchema } from '../server/field-validation.js';
import { containerID, imageID, normalizeImage, runningPodStatus, terminatedPodStatus } from './pod-status.js';

const t0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const at = (s: number) => new Date(t0 + s * 1000).toISOString().replace('.000Z', 'Z');

/** A pod as the server stores it after create + bind (defaults, Pending status, PodScheduled). */
function storedPod(spec: Record<string, unknown> = {}): KubeObject {
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'my-pod', namespace: 'my-ns', uid: '6f1c0c55-1111-4222-8333-944445555666', creationTimestamp: at(-10) },
    spec: {
      serviceAccountName: 'my-sa',
      containers: [{ name: 'nginx', image: 'nginx', volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      volumes: [{ name: 'kube-api-access-abcde', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
      ...spec,
    },
  };
  podStrategy.prepareForCreate!(pod);
  (pod.spec as Record<string, unknown>).nodeName = 'insignia-node';
  (pod.status as Record<string, unknown>).conditions = [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(-5) }];
  return pod;
}

const withStatus = (pod: KubeObject, status: object): KubeObject => ({ ...structuredClone(pod), status });
const lookup = (n: string) => schemaRegistry.definitions[n];

function assertValid(next: KubeObject, old: KubeObject) {
  assert.deepEqual(validatePodStatusUpdate(next, old), []);
  assert.deepEqual(validatePod(next), []);
  const conform = conformToSchema(structuredClone(next), 'io.k8s.api.core.v1.Pod', lookup, 'Pod');
  assert.deepEqual(conform.unknown, []);
  assert.equal(conform.typeError, undefined);
}

describe('image and container ids', () => {
  const images: [string, string, string][] = [
    ['nginx', 'docker.io/library/nginx:latest', 'docker.io/library/nginx@sha256:'],
    ['nginx:1.27', 'docker.io/library/nginx:1.27', 'docker.io/library/nginx@sha256:'],
    ['bitnami/kubectl', 'docker.io/bitnami/kubectl:latest', 'docker.io/bitnami/kubectl@sha256:'],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io/pause:3.10', 'registry.k8s.io/pause@sha256:'],
    ['localhost:5000/app', 'localhost:5000/app:latest', 'localhost:5000/app@sha256:'],
    ['index.docker.io/library/busybox', 'docker.io/library/busybox:latest', 'docker.io/library/busybox@sha256:'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
  ];
  for (const [image, normalized, idPrefix] of images) {
    it(image, () => {
      assert.equal(normalizeImage(image), normalized);
      assert.ok(imageID(image).startsWith(idPrefix));
      assert.match(imageID(image), /@sha256:[0-9a-f]{64}$/);
      assert.equal(imageID(image), imageID(image), 'deterministic');
    });
  }
  it('containerID is deterministic per pod uid and name', () => {
    assert.match(containerID('u', 'c'), /^containerd:\/\/[0-9a-f]{64}$/);
    assert.equal(containerID('u', 'c'), containerID('u', 'c'));
    assert.notEqual(containerID('u', 'c'), containerID('u', 'd'));
  });
});

describe('runningPodStatus', () => {
  it('reports a started pod like kubelet 1.32', () => {
    const pod = storedPod();
    const status = runningPodStatus(pod, { now: t0, podIP: '10.244.0.5', hostIP: '172.18.0.2' });
    const cid = containerID(pod.metadata.uid!, 'nginx');
    const cond = (type: string, ltt = at(0)) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: ltt });
    assert.deepEqual(JSON.parse(JSON.stringify(status)), {
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled', at(-5))],
      hostIP: '172.18.0.2',
      hostIPs: [{ ip: '172.18.0.2' }],
      podIP: '10.244.0.5',
      podIPs: [{ ip: '10.244.0.5' }],
      startTime: at(0),
      containerStatuses: [
        {
          name: 'nginx',
          state: { running: { startedAt: at(0) } },
          lastState: {},
          ready: true,
          restartCount: 0,
          image: 'docker.io/library/nginx:latest',
          imageID: imageID('nginx'),
          containerID: cid,
          started: true,
          volumeMounts: [{ name: 'kube-api-access-abcde', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
        },
      ],
      qosClass: 'BestEffort',
    });
    assertValid(withStatus(pod, status), pod);
  });

  it('keeps transition times, startedAt, startTime and other conditions on a later sync', () => {
    const pod = storedPod({ readinessGates: [{ conditionType: 'example.com/gate' }] });
    const first = runningPodStatus(pod, { now: t0, podIP: '10.0.0.1', hostIP: '10.0.0.2' });
    assert.deepEqual(first.conditions.find((c) => c.type === 'Ready'), {
      type: 'Ready',
      status: 'False',
      lastProbeTime: null,
      lastTransitionTime: at(0),
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/gate" does not exist.',
    });
    const gated = withStatus(pod, { ...first, conditions: [{ type: 'example.com/gate', status: 'True', lastProbeTime: null, lastTransitionTime: at(30) }, ...first.conditions] });
    const second = runningPodStatus(gated, { now: t0 + 60_000, podIP: '10.0.0.1', hostIP: '10.0.0.2' });
    assert.deepEqual(
      second.conditions.map((c) => [c.type, c.status, c.lastTransitionTime]),
      [
        ['example.com/gate', 'True', at(30)],
        ['PodReadyToStartContainers', 'True', at(0)],
        ['Initialized', 'True', at(0)],
        ['Ready', 'True', at(60)],
        ['ContainersReady', 'True', at(0)],
        ['PodScheduled', 'True', at(-5)],
      ],
    );
    assert.equal(second.startTime, at(0));
    assert.deepEqual((second.containerStatuses[0].state as { running: object }).running, { startedAt: at(0) });
    assertValid(withStatus(gated, second), gated);
  });

  it('init containers completed, sidecars running, containers sorted by name, hostNetwork uses the host IP', () => {
    const pod = storedPod({
      hostNetwork: true,
      initContainers: [{ name: 'init', image: 'busybox:1.36' }, { name: 'sidecar', image: 'envoy', restartPolicy: 'Always' }],
      containers: [{ name: 'zeta', image: 'nginx' }, { name: 'alpha', image: 'quay.io/org/app:v1' }],
    });
    const status = runningPodStatus(pod, { now: t0, podIP: '10.244.0.9', hostIP: '192.168.1.10', startTime: at(-1) });
    assert.equal(status.podIP, '192.168.1.10');
    assert.equal(status.startTime, at(-1));
    assert.deepEqual(status.containerStatuses.map((c) => c.name), ['alpha', 'zeta']);
    const [init, sidecar] = status.initContainerStatuses!;
    assert.deepEqual(init.state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(0), finishedAt: at(0), containerID: containerID(pod.metadata.uid!, 'init') } });
    assert.equal(init.ready, true);
    assert.equal(init.started, false);
    assert.equal(init.image, 'docker.io/library/busybox:1.36');
    assert.deepEqual(sidecar.state, { running: { startedAt: at(0) } });
    assert.equal(sidecar.started, true);
    assertValid(withStatus(pod, status), pod);
  });
});

describe('terminatedPodStatus', () => {
  it('terminates running containers with Completed/0 and ends Succeeded', () => {
    const pod = storedPod();
    const running = withStatus(pod, runningPodStatus(pod, { now: t0, podIP: '10.244.0.5', hostIP: '172.18.0.2' }));
    running.metadata.deletionTimestamp = at(100);
    const status = terminatedPodStatus(running, { now: t0 + 101_000 });
    assert.equal(status.phase, 'Succeeded');
    const c = status.containerStatuses[0];
    assert.deepEqual(c.state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(0), finishedAt: at(101), containerID: containerID(pod.metadata.uid!, 'nginx') } });
    assert.equal(c.ready, false);
    assert.equal(c.started, false);
    assert.deepEqual(
      status.conditions.map((x) => [x.type, x.status, x.reason ?? '', x.lastTransitionTime]),
      [
        ['PodReadyToStartContainers', 'False', '', at(101)],
        ['Initialized', 'True', 'PodCompleted', at(0)],
        ['Ready', 'False', 'PodCompleted', at(101)],
        ['ContainersReady', 'False', 'PodCompleted', at(101)],
        ['PodScheduled', 'True', '', at(-5)],
      ],
    );
    assert.equal(status.podIP, '10.244.0.5');
    assert.equal(status.startTime, at(0));
    assert.equal(status.qosClass, 'BestEffort');
    assertValid(withStatus(running, status), running);
    // restartPolicy Never: terminated containers may not come back, and they do not
    const never = storedPod({ restartPolicy: 'Never' });
    const neverRunning = withStatus(never, runningPodStatus(never, { now: t0, podIP: '10.0.0.1', hostIP: '10.0.0.2' }));
    const neverDone = withStatus(neverRunning, terminatedPodStatus(neverRunning, { now: t0 + 5000 }));
    assertValid(neverDone, neverRunning);
    assertValid(withStatus(neverDone, terminatedPodStatus(neverDone, { now: t0 + 9000 })), neverDone);
  });

  it('a pod whose containers never started ends Failed with its containers waiting', () => {
    const pod = storedPod({ initContainers: [{ name: 'init', image: 'busybox' }] });
    const status = terminatedPodStatus(pod, { now: t0 });
    assert.equal(status.phase, 'Failed');
    assert.deepEqual(status.containerStatuses[0].state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(
      status.conditions.map((x) => [x.type, x.status, x.reason ?? '', x.message ?? '']),
      [
        ['PodReadyToStartContainers', 'False', '', ''],
        ['Initialized', 'False', 'ContainersNotInitialized', 'containers with incomplete status: [init]'],
        ['Ready', 'False', 'PodFailed', ''],
        ['ContainersReady', 'False', 'PodFailed', ''],
        ['PodScheduled', 'True', '', ''],
      ],
    );
    assertValid(withStatus(pod, status), pod);
  });
});
