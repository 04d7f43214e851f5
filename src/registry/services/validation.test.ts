import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateService, validateServiceUpdate } from './validation.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'kubernetes', namespace: 'default' }, spec });
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('validateService', () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    ['kubernetes service', svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' }), []],
    ['defaults may be absent', svc({ ports: [{ port: 80 }] }), []],
    ['headless without ports', svc({ clusterIP: 'None' }), []],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'example.com.' }), []],
    ['ports required', svc({ type: 'ClusterIP' }), ['spec.ports: Required value']],
    [
      'type',
      svc({ type: 'Internal', ports: [{ port: 80 }] }),
      ['spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
    ],
    [
      'port range and protocol',
      svc({ ports: [{ port: 0, protocol: 'HTTP' }] }),
      [
        'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      'names required with several ports, unique and labels',
      svc({ ports: [{ port: 80 }, { name: 'Web', port: 81 }, { name: 'a', port: 82 }, { name: 'a', port: 83 }] }),
      [
        'spec.ports[0].name: Required value',
        `spec.ports[1].name: Invalid value: "Web": ${labelMsg}`,
        'spec.ports[3].name: Duplicate value: "a"',
      ],
    ],
    ['targetPort', svc({ ports: [{ port: 80, targetPort: 70000 }] }), ['spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    [
      'nodePort with ClusterIP',
      svc({ type: 'ClusterIP', ports: [{ port: 80, nodePort: 30080 }] }),
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'duplicate port and protocol',
      svc({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80, protocol: 'TCP' }] }),
      ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'],
    ],
    ['ExternalName requires externalName', svc({ type: 'ExternalName' }), ['spec.externalName: Required value']],
    [
      'sessionAffinity',
      svc({ ports: [{ port: 80 }], sessionAffinity: 'Sticky' }),
      ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    ],
    [
      'externalIPs',
      svc({ ports: [{ port: 80 }], externalIPs: ['nope'] }),
      ['spec.externalIPs[0]: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
    ],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(validateService(obj).map(fieldErrorMessage), want));
});

describe('validateServiceUpdate', () => {
  const old = svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 443 }] });
  const cases: Array<[string, KubeObject, string[]]> = [
    ['ports may change', svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ port: 8443 }] }), []],
    [
      'cluster IP may not change',
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'], ports: [{ port: 443 }] }),
      ['spec.clusterIPs[0]: Invalid value: "10.96.0.2": may not change once set'],
    ],
    ['create rules apply', svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', ports: [] }), ['spec.ports: Required value']],
  ];
  for (const [title, next, want] of cases) it(title, () => assert.deepEqual(validateServiceUpdate(next, old).map(fieldErrorMessage), want));
});
