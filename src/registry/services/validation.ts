/**
 * Service validation, a minimal subset of upstream ValidateService / ValidateServiceUpdate (1.32):
 * type, ports (names, numbers, protocols, targetPort, nodePort with ClusterIP, duplicates),
 * selector labels, sessionAffinity, externalName and externalIPs; on update the primary cluster
 * IP may not change. Fields v1 defaulting would fill (type, protocol, targetPort,
 * sessionAffinity) are accepted when absent.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { validateLabels } from '../../api/validation/object-meta.js';
import { invalidIPDetail, isDNS1123Label, isDNS1123Subdomain, isIP, isValidPortName, isValidPortNum } from '../../api/validation/names.js';
import { asArray, asObject, str, type Json } from '../common.js';

const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const protocols = ['SCTP', 'TCP', 'UDP'];

/** The first cluster IP (spec.clusterIPs[0], else spec.clusterIP). */
export const primaryClusterIP = (spec: Json): string => str(asArray(spec.clusterIPs)[0]) || str(spec.clusterIP);

function validatePort(p: Json, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(p.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const port = typeof p.port === 'number' ? p.port : 0;
  errs.push(...isValidPortNum(port).map((m) => invalid(`${path}.port`, port, m)));
  const protocol = p.protocol === undefined ? 'TCP' : str(p.protocol);
  if (!protocol) errs.push(required(`${path}.protocol`));
  else if (!protocols.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, protocols));
  if (typeof p.targetPort === 'number') {
    errs.push(...isValidPortNum(p.targetPort).map((m) => invalid(`${path}.targetPort`, p.targetPort, m)));
  } else if (typeof p.targetPort === 'string') {
    errs.push(...isValidPortName(p.targetPort).map((m) => invalid(`${path}.targetPort`, p.targetPort, m)));
  }
  return errs;
}

/** Kind-specific create validation. */
export function validateService(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asObject(obj.spec);
  const type = spec.type === undefined ? 'ClusterIP' : str(spec.type);
  const ports = asArray(spec.ports).map(asObject);
  const headless = primaryClusterIP(spec) === 'None';
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  if (type === 'ExternalName') {
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
    else errs.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validatePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector !== undefined && spec.selector !== null) {
    errs.push(...validateLabels(asObject(spec.selector) as Record<string, string>, 'spec.selector'));
  }
  if (spec.sessionAffinity !== undefined && !['ClientIP', 'None'].includes(str(spec.sessionAffinity))) {
    errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']));
  }
  asArray(spec.externalIPs).forEach((ip, i) => {
    if (!isIP(str(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, str(ip), invalidIPDetail));
  });
  if (!type) errs.push(required('spec.type'));
  else if (!serviceTypes.includes(type)) errs.push(notSupported('spec.type', type, serviceTypes));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (typeof p.nodePort === 'number' && p.nodePort !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const keyText = `${p.protocol === undefined ? 'TCP' : str(p.protocol)}/${String(p.port)}`;
    if (seen.has(keyText)) errs.push(duplicate(`spec.ports[${i}]`, { port: p.port, protocol: p.protocol ?? 'TCP' }));
    seen.add(keyText);
  });
  return errs;
}

/** Kind-specific update validation: the primary cluster IP may not change, then the create rules. */
export function validateServiceUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asObject(obj.spec);
  const oldSpec = asObject(old.spec);
  const oldIP = primaryClusterIP(oldSpec);
  const newIP = primaryClusterIP(spec);
  if (oldSpec.type !== 'ExternalName' && spec.type !== 'ExternalName' && oldIP && newIP && oldIP !== newIP) {
    errs.push(invalid('spec.clusterIPs[0]', newIP, 'may not change once set'));
  }
  return [...errs, ...validateService(obj)];
}
