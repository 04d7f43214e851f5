import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { serviceTable } from './table.js';

const now = Date.parse('2026-11-22T07:34:30Z');
const created = '2026-11-21T07:34:30Z';

describe('serviceTable', () => {
  it('has upstream columns', () =>
    assert.deepEqual(
      serviceTable.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ['Name', 'string', 'name', 0],
        ['Type', 'string', '', 0],
        ['Cluster-IP', 'string', '', 0],
        ['External-IP', 'string', '', 0],
        ['Port(s)', 'string', '', 0],
        ['Age', 'string', '', 0],
        ['Selector', 'string', '', 1],
      ],
    ));
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name: 'web', creationTimestamp: created },
    spec,
    status,
  });
  const cases: Array<[string, KubeObject, unknown[]]> = [
    [
      'kubernetes',
      svc({ type: 'ClusterIP', clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] }),
      ['web', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '24h', '<none>'],
    ],
    [
      'NodePort with selector',
      svc({ type: 'NodePort', clusterIP: '10.96.0.9', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { tier: 'web', app: 'x' } }),
      ['web', 'NodePort', '10.96.0.9', '<none>', '80:30080/TCP,53/UDP', '24h', 'app=x,tier=web'],
    ],
    [
      'LoadBalancer pending',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.0.3', ports: [{ port: 80 }] }, { loadBalancer: {} }),
      ['web', 'LoadBalancer', '10.96.0.3', '<pending>', '80/TCP', '24h', '<none>'],
    ],
    [
      'LoadBalancer with ingress and external IPs',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.0.3', externalIPs: ['5.6.7.8'], ports: [{ port: 80 }] }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { hostname: 'lb.example.com' }] } }),
      ['web', 'LoadBalancer', '10.96.0.3', '1.2.3.4,lb.example.com,5.6.7.8', '80/TCP', '24h', '<none>'],
    ],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'example.com' }), ['web', 'ExternalName', '<none>', 'example.com', '<none>', '24h', '<none>']],
    ['headless', svc({ type: 'ClusterIP', clusterIP: 'None', externalIPs: ['1.1.1.1'] }), ['web', 'ClusterIP', 'None', '1.1.1.1', '<none>', '24h', '<none>']],
  ];
  for (const [title, obj, want] of cases) it(title, () => assert.deepEqual(serviceTable.cells(obj, now), want));
});
