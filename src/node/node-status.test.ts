import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { schemaRegistry } from '../api/schema/registry.js';
import { validateNode, validateNodeStatusUpdate } from '../registry/nodes/validation.js';
import { conformToSchema } from '../server/field-validation.js';
import { formatBinaryQuantity, nodeObject, nodeStatus, readMachineInfoSync, type MachineInfo } from './node-status.js';

const t0 = Date.UTC(2026, 0, 1, 10, 0, 0);
const at = (s: number) => new Date(t0 + s * 1000).toISOString().replace('.000Z', 'Z');
const machine: MachineInfo = {
  cpus: 8,
  memoryBytes: 16318412 * 1024,
  ephemeralStorageBytes: 102625208 * 1024,
  machineID: '0f2a4c7e9b8d4e1f8a3b5c6d7e8f9a0b',
  systemUUID: '0f2a4c7e-9b8d-4e1f-8a3b-5c6d7e8f9a0b',
  bootID: 'b7e1e0d4-6d7a-4c1e-9f0a-1b2c3d4e5f60',
  kernelVersion: '6.1.0-28-amd64',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
  operatingSystem: 'linux',
  architecture: 'amd64',
};
const lookup = (n: string) => schemaRegistry.definitions[n];

describe('formatBinaryQuantity', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1000, '1000'],
    [1024, '1Ki'],
    [8 * 1024 ** 3, '8Gi'],
    [16318412 * 1024, '16318412Ki'],
    [94580335255, '94580335255'],
  ];
  for (const [n, want] of cases) it(`${n} → ${want}`, () => assert.equal(formatBinaryQuantity(n), want));
});

describe('node object and status', () => {
  it('registers like kubelet 1.32 on linux/amd64', () => {
    const status = nodeStatus({ now: t0, ip: '172.18.0.2', hostname: 'insignia-node', machine });
    const node = nodeObject({ name: 'insignia-node', ip: '172.18.0.2', labels: { 'node-role.example/x': '' }, status });
    const cond = (type: string, s: string, reason: string, message: string) => ({ type, status: s, lastHeartbeatTime: at(0), lastTransitionTime: at(0), reason, message });
    assert.deepEqual(node, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'insignia-node',
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': 'insignia-node',
          'kubernetes.io/os': 'linux',
          'node-role.example/x': '',
        },
        annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
      },
      spec: {},
      status: {
        capacity: { cpu: '8', 'ephemeral-storage': '102625208Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16318412Ki', pods: '110' },
        allocatable: { cpu: '8', 'ephemeral-storage': '94579391693', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '16216012Ki', pods: '110' },
        conditions: [
          cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        addresses: [
          { type: 'InternalIP', address: '172.18.0.2' },
          { type: 'Hostname', address: 'insignia-node' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: machine.machineID,
          systemUUID: machine.systemUUID,
          bootID: machine.bootID,
          kernelVersion: '6.1.0-28-amd64',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          containerRuntimeVersion: 'containerd://1.7.24',
          kubeletVersion: 'v1.32.0',
          kubeProxyVersion: 'v1.32.0',
          operatingSystem: 'linux',
          architecture: 'amd64',
        },
      },
    });
    assert.deepEqual(validateNode(node), []);
    const conform = conformToSchema(structuredClone(node), 'io.k8s.api.core.v1.Node', lookup, 'Node');
    assert.deepEqual(conform.unknown, []);
    assert.equal(conform.typeError, undefined);
  });

  it('keeps lastTransitionTime while a condition is unchanged and moves the heartbeat', () => {
    const first = nodeStatus({ now: t0, ip: '10.0.0.1', hostname: 'n', machine });
    const previous = structuredClone(first);
    previous.conditions[3] = { ...previous.conditions[3], status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    const next = nodeStatus({ now: t0 + 300_000, ip: '10.0.0.1', hostname: 'n', machine, previous });
    assert.deepEqual(
      next.conditions.map((c) => [c.type, c.lastHeartbeatTime, c.lastTransitionTime]),
      [
        ['MemoryPressure', at(300), at(0)],
        ['DiskPressure', at(300), at(0)],
        ['PIDPressure', at(300), at(0)],
        ['Ready', at(300), at(300)],
      ],
    );
    const old: KubeObject = { ...nodeObject({ name: 'n', ip: '10.0.0.1', podCIDR: '10.244.0.0/24' }), status: previous };
    const updated: KubeObject = { ...structuredClone(old), status: next };
    assert.deepEqual(validateNodeStatusUpdate(updated, old), []);
    assert.deepEqual(validateNode(old), []);
    assert.deepEqual(old.spec, { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] });
  });

  it('reads this machine', async () => {
    const m = readMachineInfoSync(process.cwd());
    assert.ok(m.cpus >= 1);
    assert.ok(m.memoryBytes > 0);
    assert.ok(m.ephemeralStorageBytes > 0);
    assert.ok(m.kernelVersion);
    assert.ok(m.osImage);
    assert.equal(m.operatingSystem, 'linux');
    const s = nodeStatus({ now: t0, ip: '10.0.0.1', machine: m });
    assert.match(s.capacity.memory, /^\d+(Ki|Mi|Gi)?$/);
    const defaulted = nodeStatus({ now: t0, ip: '10.0.0.1', hostname: 'n', root: process.cwd() });
    assert.equal(defaulted.capacity.cpu, String(m.cpus));
    assert.equal(defaulted.nodeInfo.machineID, m.machineID);
  });
});
