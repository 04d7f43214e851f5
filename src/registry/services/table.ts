/** `kubectl get services` columns and cells (upstream printers.go printService, wide). */
import type { TableConvertor } from '../types.js';
import { asArray, asObject, str } from '../common.js';
import { ageCell, ageColumn, column, formatLabels, nameColumn } from '../table-columns.js';
import { primaryClusterIP } from './validation.js';

const typeDoc =
  'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. "ClusterIP" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is "None", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. "NodePort" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. "LoadBalancer" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. "ExternalName" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types';
const clusterIPDoc =
  'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are "None", empty string (""), or a valid IP address. Setting this to "None" makes a "headless service" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const externalIPsDoc =
  'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.';
const portsDoc =
  'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies';
const selectorDoc =
  'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/';

/** getServiceExternalIP with wide=true. */
export function serviceExternalIP(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const externalIPs = asArray(spec.externalIPs).map(str);
  switch (spec.type === undefined ? 'ClusterIP' : str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = asArray(asObject(status.loadBalancer).ingress).map((i) => str(asObject(i).ip) || str(asObject(i).hostname)).filter(Boolean);
      const lb = [...new Set(ingress)].sort();
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** makePortString: `port/PROTO` or `port:nodePort/PROTO`, comma-joined, "<none>" if empty. */
export function servicePorts(ports: unknown): string {
  const pieces = asArray(ports).map((raw) => {
    const p = asObject(raw);
    const protocol = p.protocol === undefined ? 'TCP' : str(p.protocol);
    const nodePort = typeof p.nodePort === 'number' ? p.nodePort : 0;
    return nodePort > 0 ? `${String(p.port)}:${nodePort}/${protocol}` : `${String(p.port)}/${protocol}`;
  });
  return pieces.join(',') || '<none>';
}

/** Name, Type, Cluster-IP, External-IP, Port(s), Age; wide: Selector. */
export const serviceTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Type', 'string', typeDoc),
    column('Cluster-IP', 'string', clusterIPDoc),
    column('External-IP', 'string', externalIPsDoc),
    column('Port(s)', 'string', portsDoc),
    ageColumn(),
    column('Selector', 'string', selectorDoc, { priority: 1 }),
  ],
  cells(svc, now) {
    const spec = asObject(svc.spec);
    return [
      svc.metadata.name ?? '',
      str(spec.type),
      primaryClusterIP(spec) || '<none>',
      serviceExternalIP(spec, asObject(svc.status)),
      servicePorts(spec.ports),
      ageCell(svc, now),
      formatLabels(spec.selector),
    ];
  },
};
