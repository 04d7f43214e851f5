import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './validation.js';

type Json = Record<string, unknown>;

/** A container as the strategy leaves it after defaulting. */
const ctr = (extra: Json = {}): Json => ({
  name: 'nginx',
  image: 'nginx',
  imagePullPolicy: 'Always',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  resources: {},
  ...extra,
});
/** A pod spec as the strategy leaves it after defaulting. */
const podSpec = (extra: Json = {}): Json => ({
  containers: [ctr()],
  restartPolicy: 'Always',
  terminationGracePeriodSeconds: 30,
  dnsPolicy: 'ClusterFirst',
  serviceAccountName: 'default',
  serviceAccount: 'default',
  securityContext: {},
  schedulerName: 'default-scheduler',
  enableServiceLinks: true,
  priority: 0,
  preemptionPolicy: 'PreemptLowerPriority',
  ...extra,
});
const pod = (spec: Json = {}, extra: Json = {}): KubeObject => ({
  metadata: { name: 'my-pod', namespace: 'default' },
  spec: podSpec(spec),
  ...extra,
});
const msgs = (obj: KubeObject) => validatePod(obj).map(fieldErrorMessage);

const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const tokenVolume = (token: Json, name = 'vault-token'): Json => ({
  name,
  projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 'vault-token', expirationSeconds: 7200, audience: 'vault', ...token } }] },
});

describe('validatePod: valid pods from the walkthroughs', () => {
  const cases: Array<[string, KubeObject]> = [
    ['kubectl run nginx', pod()],
    ['automountServiceAccountToken false', pod({ serviceAccountName: 'build-robot', serviceAccount: 'build-robot', automountServiceAccountToken: false })],
    [
      'projected token volume (pod-projected-svc-token.yaml)',
      pod({
        containers: [ctr({ volumeMounts: [{ mountPath: '/var/run/secrets/tokens', name: 'vault-token' }] })],
        serviceAccountName: 'build-robot',
        volumes: [tokenVolume({})],
      }),
    ],
    [
      'command, args, env, ports, resources',
      pod({
        containers: [
          ctr({
            command: ['sh', '-c'],
            args: ['sleep 3600'],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
              { name: 'KEY', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } },
              { name: 'PLAIN', value: 'x' },
            ],
            envFrom: [{ configMapRef: { name: 'cfg' } }],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
          }),
        ],
      }),
    ],
    [
      'secret, configMap, downwardAPI and emptyDir volumes',
      pod({
        containers: [
          ctr({
            volumeMounts: [
              { name: 's', mountPath: '/s' },
              { name: 'c', mountPath: '/c' },
              { name: 'd', mountPath: '/d' },
              { name: 'e', mountPath: '/e' },
            ],
          }),
        ],
        volumes: [
          { name: 's', secret: { secretName: 'creds', defaultMode: 420 } },
          { name: 'c', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a.txt' }], defaultMode: 420 } },
          { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app']" } }], defaultMode: 420 } },
          { name: 'e', emptyDir: {} },
        ],
      }),
    ],
    ['imagePullSecrets', pod({ imagePullSecrets: [{ name: 'myregistrykey' }] })],
    ['sidecar init container', pod({ initContainers: [ctr({ name: 'side', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } })] })],
  ];
  for (const [title, obj] of cases) it(title, () => assert.deepEqual(msgs(obj), []));
});

describe('validatePod: errors', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['no containers', pod({ containers: [] }), ['spec.containers: Required value']],
    ['container name required', pod({ containers: [ctr({ name: '' })] }), ['spec.containers[0].name: Required value']],
    ['container name not a label', pod({ containers: [ctr({ name: 'Web_1' })] }), [`spec.containers[0].name: Invalid value: "Web_1": ${labelMsg}`]],
    ['duplicate container names', pod({ containers: [ctr(), ctr()] }), ['spec.containers[1].name: Duplicate value: "nginx"']],
    ['image required', pod({ containers: [ctr({ image: '' })] }), ['spec.containers[0].image: Required value']],
    [
      'image whitespace',
      pod({ containers: [ctr({ image: ' nginx' })] }),
      ['spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ],
    [
      'restartPolicy',
      pod({ restartPolicy: 'Sometimes' }),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'dnsPolicy',
      pod({ dnsPolicy: 'Cluster' }),
      ['spec.dnsPolicy: Unsupported value: "Cluster": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"'],
    ],
    ['serviceAccountName', pod({ serviceAccountName: 'Build_Robot' }), [`spec.serviceAccountName: Invalid value: "Build_Robot": ${subdomainMsg}`]],
    ['terminationGracePeriodSeconds required', pod({ terminationGracePeriodSeconds: undefined }), ['spec.terminationGracePeriodSeconds: Required value']],
    [
      'mount of an unknown volume',
      pod({ containers: [ctr({ volumeMounts: [{ name: 'x', mountPath: '/x' }] })] }),
      ['spec.containers[0].volumeMounts[0].name: Not found: "x"'],
    ],
    [
      'mountPath required and unique',
      pod({
        containers: [ctr({ volumeMounts: [{ name: 'e', mountPath: '' }, { name: 'e', mountPath: '' }] })],
        volumes: [{ name: 'e', emptyDir: {} }],
      }),
      [
        'spec.containers[0].volumeMounts[0].mountPath: Required value',
        'spec.containers[0].volumeMounts[1].mountPath: Required value',
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "": must be unique',
      ],
    ],
    [
      'volume names unique and labels; mounts of bad volumes are not found',
      pod({
        containers: [ctr({ volumeMounts: [{ name: 'my.vol', mountPath: '/v' }] })],
        volumes: [
          { name: 'e', emptyDir: {} },
          { name: 'e', emptyDir: {} },
          { name: 'my.vol', emptyDir: {} },
        ],
      }),
      [
        'spec.volumes[1].name: Duplicate value: "e"',
        'spec.volumes[2].name: Invalid value: "my.vol": must not contain dots',
        'spec.containers[0].volumeMounts[0].name: Not found: "my.vol"',
      ],
    ],
    ['volume without a source', pod({ volumes: [{ name: 'v' }] }), ['spec.volumes[0]: Required value: must specify a volume type']],
    [
      'volume with two sources',
      pod({ volumes: [{ name: 'v', emptyDir: {}, downwardAPI: { items: [] } }] }),
      ['spec.volumes[0].downwarAPI: Forbidden: may not specify more than 1 volume type'],
    ],
    [
      'token expiration too short',
      pod({ volumes: [tokenVolume({ expirationSeconds: 60 })] }),
      ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes'],
    ],
    [
      'token expiration too long',
      pod({ volumes: [tokenVolume({ expirationSeconds: 2 ** 32 + 1 })] }),
      ['spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds'],
    ],
    ['token path required (reported on projected.path)', pod({ volumes: [tokenVolume({ path: '' })] }), ['spec.volumes[0].projected.path: Required value']],
    [
      'token path absolute',
      pod({ volumes: [tokenVolume({ path: '/abs' })] }),
      ['spec.volumes[0].projected.path: Invalid value: "/abs": must be a relative path'],
    ],
    [
      'token without serviceAccountName',
      pod({ serviceAccountName: undefined, serviceAccount: undefined, volumes: [tokenVolume({})] }),
      ['spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set'],
    ],
    [
      'projected duplicate paths',
      pod({
        volumes: [
          {
            name: 'p',
            projected: {
              sources: [
                { secret: { name: 's', items: [{ key: 'a', path: 'x' }] } },
                { configMap: { name: 'c', items: [{ key: 'b', path: 'x' }] } },
              ],
            },
          },
        ],
      }),
      ['spec.volumes[0].projected: Invalid value: "c": conflicting duplicate paths'],
    ],
    ['secret volume needs secretName', pod({ volumes: [{ name: 's', secret: {} }] }), ['spec.volumes[0].secret.secretName: Required value']],
    [
      'defaultMode out of range',
      pod({ volumes: [{ name: 'c', configMap: { name: 'c', defaultMode: 1000 } }] }),
      ['spec.volumes[0].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive'],
    ],
    [
      'downward API unsupported field',
      pod({ volumes: [{ name: 'd', downwardAPI: { items: [{ path: 'p', fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } }] } }] }),
      [
        'spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"',
      ],
    ],
    [
      'env fieldRef not convertible',
      pod({ containers: [ctr({ env: [{ name: 'X', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.bogus' } } }] })] }),
      ['spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus'],
    ],
    [
      'env valueFrom with value',
      pod({ containers: [ctr({ env: [{ name: 'X', value: 'v', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] })] }),
      ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ],
    ['env name required', pod({ containers: [ctr({ env: [{ value: 'v' }] })] }), ['spec.containers[0].env[0].name: Required value']],
    [
      'env name with =',
      pod({ containers: [ctr({ env: [{ name: 'A=B' }] })] }),
      ["spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"],
    ],
    [
      'envFrom without a source',
      pod({ containers: [ctr({ envFrom: [{ prefix: 'P_' }] })] }),
      ['spec.containers[0].envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    ],
    [
      'ports',
      pod({ containers: [ctr({ ports: [{ containerPort: 0, protocol: 'HTTP' }, { name: 'web', containerPort: 70000, protocol: 'TCP' }] })] }),
      [
        'spec.containers[0].ports[0].containerPort: Required value',
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
        'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      ],
    ],
    [
      'host port conflict',
      pod({
        containers: [
          ctr({ ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] }),
          ctr({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080, protocol: 'TCP' }] }),
        ],
      }),
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ],
    [
      'imagePullPolicy',
      pod({ containers: [ctr({ imagePullPolicy: 'Sometimes' })] }),
      ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ],
    [
      'resource name',
      pod({ containers: [ctr({ resources: { limits: { gpu: '1' } } })] }),
      [
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified',
        'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      ],
    ],
    [
      'imagePullSecrets with extra fields',
      pod({ imagePullSecrets: [{ name: 'k', namespace: 'x' }] }),
      ['spec.imagePullSecrets[0]: Invalid value: {"name":"k","namespace":"x"}: only name may be set'],
    ],
    ['nodeName', pod({ nodeName: 'Node_1' }), [`spec.nodeName: Invalid value: "Node_1": ${subdomainMsg}`]],
    [
      'restartPolicy on a regular container',
      pod({ containers: [ctr({ restartPolicy: 'Always' })] }),
      ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
    ],
    [
      'init container name clashes and probes',
      pod({ initContainers: [ctr({ livenessProbe: { exec: { command: ['x'] } } })] }),
      [
        'spec.initContainers[0].name: Duplicate value: "nginx"',
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ],
    ],
    [
      'toleration',
      pod({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v', effect: 'Never' }] }),
      [
        "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
        'spec.tolerations[0].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      ],
    ],
    [
      'activeDeadlineSeconds',
      pod({ activeDeadlineSeconds: 0 }),
      ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
    ],
    ['ephemeral containers on create', pod({ ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }), ['spec.ephemeralContainers: Forbidden: cannot be set on create']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(msgs(obj), want));
});

describe('validatePodUpdate', () => {
  const old = pod({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] });
  const updated = (spec: Json) => pod({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }], ...spec });
  const prefix =
    'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n';
  const cases: Array<[string, KubeObject, string[]]> = [
    ['unchanged', updated({}), []],
    ['image may change', updated({ containers: [ctr({ image: 'nginx:1.27' })] }), []],
    ['activeDeadlineSeconds may be set', updated({ activeDeadlineSeconds: 60 }), []],
    [
      'tolerations may be added and their seconds changed',
      updated({
        tolerations: [
          { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
          { key: 'b', operator: 'Exists' },
        ],
      }),
      [],
    ],
    ['existing toleration changed', updated({ tolerations: [{ key: 'z', operator: 'Exists' }] }), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']],
    ['containers added', updated({ containers: [ctr(), ctr({ name: 'b' })] }), ['spec.containers: Forbidden: pod updates may not add or remove containers']],
    [
      'serviceAccountName may not change',
      updated({ serviceAccountName: 'other', serviceAccount: 'other' }),
      [
        `${prefix}  core.PodSpec{\n  \t... // 9 identical fields\n- \tServiceAccountName: "default",\n+ \tServiceAccountName: "other",\n  \t... // 29 identical fields\n  }`,
      ],
    ],
    [
      'automountServiceAccountToken may not change',
      updated({ automountServiceAccountToken: false }),
      [
        `${prefix}  core.PodSpec{\n  \t... // 10 identical fields\n- \tAutomountServiceAccountToken: nil,\n+ \tAutomountServiceAccountToken: false,\n  \t... // 28 identical fields\n  }`,
      ],
    ],
  ];
  for (const [title, next, want] of cases) it(title, () => assert.deepEqual(validatePodUpdate(next, old).map(fieldErrorMessage), want));
  it('update also runs the create rules', () => {
    const got = validatePodUpdate(updated({ restartPolicy: 'Sometimes' }), old).map(fieldErrorMessage);
    assert.equal(got.length, 2);
    assert.equal(got[0], 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"');
    assert.ok(got[1].startsWith(prefix));
  });
  it('activeDeadlineSeconds may only decrease', () =>
    assert.deepEqual(validatePodUpdate(pod({ activeDeadlineSeconds: 90 }), pod({ activeDeadlineSeconds: 60 })).map(fieldErrorMessage), [
      'spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value',
    ]));
  it('volumes may not change', () => {
    const got = validatePodUpdate(pod({ volumes: [{ name: 'e', emptyDir: {} }] }), pod()).map(fieldErrorMessage);
    assert.equal(got.length, 1);
    assert.ok(got[0].startsWith(prefix));
    assert.match(got[0], /\n- \tVolumes: nil,\n\+ \tVolumes: \[\{"name":"e","emptyDir":\{\}\}\],\n/);
  });
});

describe('validatePodStatusUpdate', () => {
  const running = (status: Json, spec: Json = {}) => pod(spec, { status });
  const old = running({ phase: 'Pending', qosClass: 'BestEffort' });
  const cases: Array<[string, KubeObject, KubeObject, string[]]> = [
    [
      'kubelet-style status',
      running({
        phase: 'Running',
        qosClass: 'BestEffort',
        podIP: '10.244.0.5',
        podIPs: [{ ip: '10.244.0.5' }],
        hostIP: '10.0.0.1',
        hostIPs: [{ ip: '10.0.0.1' }],
        conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/gate', status: 'True' }],
      }),
      old,
      [],
    ],
    [
      'custom condition type (reported under metadata.conditions)',
      running({ qosClass: 'BestEffort', conditions: [{ type: 'bad type', status: 'True' }] }),
      old,
      [
        "metadata.conditions[0].Type: Invalid value: \"bad type\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    ['qosClass immutable', running({ qosClass: 'Guaranteed' }), old, ['status.qosClass: Invalid value: "Guaranteed": field is immutable']],
    [
      'podIPs',
      running({ qosClass: 'BestEffort', podIPs: [{ ip: 'x' }] }),
      old,
      ['status.podIPs[0]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ],
    [
      'hostIP must match hostIPs[0]',
      running({ qosClass: 'BestEffort', hostIP: '10.0.0.1', hostIPs: [{ ip: '10.0.0.2' }] }),
      old,
      ['status.hostIPs[0].ip: Invalid value: "10.0.0.2": must be equal to `hostIP`'],
    ],
    [
      'terminated containers of Never pods stay terminated',
      running({ qosClass: 'BestEffort', containerStatuses: [{ name: 'nginx', state: { running: {} } }] }, { restartPolicy: 'Never' }),
      running({ qosClass: 'BestEffort', containerStatuses: [{ name: 'nginx', state: { terminated: { exitCode: 0 } } }] }, { restartPolicy: 'Never' }),
      ['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state'],
    ],
  ];
  for (const [title, next, prev, want] of cases) {
    it(title, () => assert.deepEqual(validatePodStatusUpdate(next, prev).map(fieldErrorMessage), want));
  }
});
