/**
 * The Node object and its status as a kubelet 1.32 with containerd 1.7 on Linux reports them
 * (kubelet_node_status.go initialNode, pkg/kubelet/nodestatus/setters.go). The builders are pure;
 * readMachineInfoSync gathers the machine facts (node:os, /etc/machine-id, /proc, statfs) once.
 */
import { readFileSync, statfsSync } from 'node:fs';
import * as os from 'node:os';
import type { KubeObject } from '../api/meta.js';
import { rfc3339 } from './pod-status.js';

export const kubeletVersion = 'v1.32.0';
export const containerRuntimeVersion = 'containerd://1.7.24';
export const kubeletPort = 10250;
export const maxPods = 110;
/** --eviction-hard defaults the kubelet subtracts for allocatable: memory.available<100Mi, nodefs.available<10%. */
const evictionMemoryBytes = 100 * 1024 * 1024;
const evictionNodefsFraction = 0.1;

export interface MachineInfo {
  cpus: number;
  memoryBytes: number;
  /** Size of the filesystem holding the agent's root (ephemeral-storage capacity). */
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  /** GOOS / GOARCH spelling: linux, amd64, arm64 ... */
  operatingSystem: string;
  architecture: string;
}

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastHeartbeatTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface NodeStatus {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  conditions: NodeCondition[];
  addresses: { type: string; address: string }[];
  daemonEndpoints: { kubeletEndpoint: { Port: number } };
  nodeInfo: Record<string, string>;
  [field: string]: unknown;
}

const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Machine facts as cadvisor gathers them, for the filesystem holding `root`; unreadable files
 * give '' (systemUUID falls back to the machine id formatted as a UUID). */
export function readMachineInfoSync(root = '/'): MachineInfo {
  const machineID = readText('/etc/machine-id') || readText('/var/lib/dbus/machine-id');
  const pretty = /^PRETTY_NAME=(.*)$/m.exec(readText('/etc/os-release'))?.[1]?.replace(/^["']|["']$/g, '');
  let ephemeralStorageBytes = 0;
  try {
    const st = statfsSync(root);
    ephemeralStorageBytes = Number(st.blocks) * Number(st.bsize);
  } catch {
    // unknown filesystem: capacity 0
  }
  const uuidFromMachineID = /^[0-9a-f]{32}$/.test(machineID)
    ? `${machineID.slice(0, 8)}-${machineID.slice(8, 12)}-${machineID.slice(12, 16)}-${machineID.slice(16, 20)}-${machineID.slice(20)}`
    : '';
  return {
    cpus: os.cpus().length || 1,
    memoryBytes: os.totalmem(),
    ephemeralStorageBytes,
    machineID,
    systemUUID: readText('/sys/class/dmi/id/product_uuid').toLowerCase() || uuidFromMachineID,
    bootID: readText('/proc/sys/kernel/random/boot_id'),
    kernelVersion: os.release(),
    osImage: pretty || 'Linux',
    operatingSystem: os.platform() === 'win32' ? 'windows' : os.platform(),
    architecture: goArch[os.arch()] ?? os.arch(),
  };
}

const machineCache = new Map<string, MachineInfo>();

/** resource.Quantity's canonical BinarySI form: `8Gi`, `16318412Ki`, or plain bytes when not a multiple of 1024. */
export function formatBinaryQuantity(bytes: number): string {
  let v = Math.max(0, Math.floor(bytes));
  if (v < 1024) return String(v);
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let e = 0;
  while (e < suffixes.length - 1 && v % 1024 === 0) {
    v /= 1024;
    e++;
  }
  return `${v}${suffixes[e]}`;
}

export interface NodeObjectOptions {
  name: string;
  /** Extra labels (--node-labels), merged over the kubelet's own. */
  labels?: Record<string, string>;
  ip: string;
  /** kubernetes.io/hostname (default: the node name). */
  hostname?: string;
  podCIDR?: string;
  architecture?: string;
  operatingSystem?: string;
  /** The status to register with (the kubelet creates its Node with a full status). */
  status?: NodeStatus;
}

/** The Node the kubelet registers (initialNode): well-known labels, attach/detach annotation. */
export function nodeObject(o: NodeObjectOptions): KubeObject {
  const arch = o.architecture ?? o.status?.nodeInfo.architecture ?? 'amd64';
  const osName = o.operatingSystem ?? o.status?.nodeInfo.operatingSystem ?? 'linux';
  const node: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: o.name,
      labels: {
        'beta.kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': osName,
        'kubernetes.io/arch': arch,
        'kubernetes.io/hostname': o.hostname ?? o.name,
        'kubernetes.io/os': osName,
        ...o.labels,
      },
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: o.podCIDR ? { podCIDR: o.podCIDR, podCIDRs: [o.podCIDR] } : {},
  };
  if (o.status) node.status = o.status;
  return node;
}

export interface NodeStatusOptions {
  now: number;
  ip: string;
  /** The Hostname address (default: os.hostname()). */
  hostname?: string;
  /** Machine facts; default: readMachineInfoSync(root), read once per process and root. */
  machine?: MachineInfo;
  /** The agent's root directory, whose filesystem is the ephemeral storage (default '/'). */
  root?: string;
  /** The node's current status: conditions keep their lastTransitionTime while unchanged. */
  previous?: object;
  maxPods?: number;
}

const conditionSpecs: [string, NodeCondition['status'], string, string][] = [
  ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
];

/** Node status: capacity/allocatable, the four kubelet conditions (heartbeat now), addresses, nodeInfo. */
export function nodeStatus(o: NodeStatusOptions): NodeStatus {
  const now = rfc3339(o.now);
  const root = o.root ?? '/';
  if (!o.machine && !machineCache.has(root)) machineCache.set(root, readMachineInfoSync(root));
  const m = o.machine ?? machineCache.get(root)!;
  const previous = (o.previous ?? {}) as { conditions?: unknown };
  const oldConditions = Array.isArray(previous.conditions) ? (previous.conditions as Partial<NodeCondition>[]) : [];
  const pods = String(o.maxPods ?? maxPods);
  const eph = m.ephemeralStorageBytes;
  return {
    capacity: {
      cpu: String(m.cpus),
      'ephemeral-storage': formatBinaryQuantity(eph),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: formatBinaryQuantity(m.memoryBytes),
      pods,
    },
    allocatable: {
      cpu: String(m.cpus),
      'ephemeral-storage': formatBinaryQuantity(eph - Math.floor(eph * evictionNodefsFraction)),
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: formatBinaryQuantity(m.memoryBytes - evictionMemoryBytes),
      pods,
    },
    conditions: conditionSpecs.map(([type, status, reason, message]) => {
      const prev = oldConditions.find((c) => c?.type === type);
      const lastTransitionTime = prev?.status === status && typeof prev.lastTransitionTime === 'string' ? prev.lastTransitionTime : now;
      return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
    }),
    addresses: [
      { type: 'InternalIP', address: o.ip },
      { type: 'Hostname', address: o.hostname ?? os.hostname() },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: m.machineID,
      systemUUID: m.systemUUID,
      bootID: m.bootID,
      kernelVersion: m.kernelVersion,
      osImage: m.osImage,
      containerRuntimeVersion,
      kubeletVersion,
      kubeProxyVersion: kubeletVersion,
      operatingSystem: m.operatingSystem,
      architecture: m.architecture,
    },
  };
}
