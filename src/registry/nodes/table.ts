/** `kubectl get nodes` columns and cells (upstream printers.go printNode). */
import type { TableConvertor } from '../types.js';
import { asArray, asObject, str } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** apiv1.NodeStatus{}.SwaggerDoc()["addresses"] (1.32 text). */
const addressesDoc =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const rolePrefix = 'node-role.kubernetes.io/';

/** findNodeRoles: node-role.kubernetes.io/<role> keys and the kubernetes.io/role value, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (k.startsWith(rolePrefix)) {
      if (k.length > rolePrefix.length) roles.add(k.slice(rolePrefix.length));
    } else if (k === 'kubernetes.io/role' && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

const address = (status: Record<string, unknown>, type: string): string =>
  str(asObject(asArray(status.addresses).find((a) => asObject(a).type === type)).address) || '<none>';

/** Name, Status, Roles, Age, Version; wide: Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime. */
export const nodeTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', addressesDoc, { priority: 1 }),
    column('External-IP', 'string', addressesDoc, { priority: 1 }),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { priority: 1 }),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { priority: 1 }),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { priority: 1 }),
  ],
  cells(node, now) {
    const status = asObject(node.status);
    const info = asObject(status.nodeInfo);
    let ready: string | undefined;
    for (const c of asArray(status.conditions)) {
      if (asObject(c).type === 'Ready') ready = asObject(c).status === 'True' ? 'Ready' : 'NotReady';
    }
    const state = [ready ?? 'Unknown'];
    if (asObject(node.spec).unschedulable === true) state.push('SchedulingDisabled');
    const roles = nodeRoles(node.metadata.labels).join(',') || '<none>';
    return [
      node.metadata.name ?? '',
      state.join(','),
      roles,
      ageCell(node, now),
      str(info.kubeletVersion),
      address(status, 'InternalIP'),
      address(status, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
