/**
 * Container validation (upstream validateContainers, validateInitContainers and
 * validateContainerCommon, 1.32): name, image, termination message policy, ports, env (relaxed
 * names, on by default in 1.32), envFrom, volume mounts, image pull policy, resource names and
 * host-port conflicts. Probes, lifecycle handlers and securityContext pass through unchecked.
 */
import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from '../../api/field-errors.js';
import {
  isConfigMapKey,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidPortName,
  isValidPortNum,
  maskTrailingDash,
} from '../../api/validation/names.js';
import { asArray, asObject, str, type Json } from '../common.js';
import {
  envFieldPaths,
  validateLocalDescendingPath,
  validateObjectFieldSelector,
  validateResourceFieldSelector,
} from './validation-volumes.js';

const protocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const propagations = ['Bidirectional', 'HostToContainer', 'None'];
const standardContainerResources = ['cpu', 'memory', 'ephemeral-storage'];
const standardResources = [
  ...standardContainerResources, 'storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets',
  'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers', 'requests.cpu', 'requests.memory',
  'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
];

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  asArray(ports).forEach((raw, i) => {
    const p = asObject(raw);
    const idx = `${path}[${i}]`;
    const name = str(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...msgs.map((m) => invalid(`${idx}.name`, name, m)));
      else if (names.has(name)) errs.push(duplicate(`${idx}.name`, name));
      else names.add(name);
    }
    const containerPort = typeof p.containerPort === 'number' ? p.containerPort : 0;
    if (containerPort === 0) errs.push(required(`${idx}.containerPort`));
    else errs.push(...isValidPortNum(containerPort).map((m) => invalid(`${idx}.containerPort`, containerPort, m)));
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) {
      errs.push(...isValidPortNum(p.hostPort).map((m) => invalid(`${idx}.hostPort`, p.hostPort, m)));
    }
    const protocol = str(p.protocol);
    if (!protocol) errs.push(required(`${idx}.protocol`));
    else if (!protocols.includes(protocol)) errs.push(notSupported(`${idx}.protocol`, protocol, protocols));
  });
  return errs;
}

function validateKeySelector(sel: Json, path: string): FieldError[] {
  const errs = isDNS1123Subdomain(str(sel.name)).map((m) => invalid(`${path}.name`, str(sel.name), m));
  const k = str(sel.key);
  if (!k) errs.push(required(`${path}.key`));
  else errs.push(...isConfigMapKey(k).map((m) => invalid(`${path}.key`, k, m)));
  return errs;
}

function validateEnv(vars: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(vars).forEach((raw, i) => {
    const ev = asObject(raw);
    const idx = `${path}[${i}]`;
    const name = str(ev.name);
    if (!name) errs.push(required(`${idx}.name`));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(`${idx}.name`, name, m)));
    if (ev.valueFrom === undefined || ev.valueFrom === null) return;
    const from = asObject(ev.valueFrom);
    const vf = `${idx}.valueFrom`;
    let n = 0;
    if (from.fieldRef) {
      n++;
      errs.push(...validateObjectFieldSelector(asObject(from.fieldRef), envFieldPaths, `${vf}.fieldRef`));
    }
    if (from.resourceFieldRef) {
      n++;
      errs.push(...validateResourceFieldSelector(asObject(from.resourceFieldRef), `${vf}.resourceFieldRef`, false));
    }
    for (const sel of ['configMapKeyRef', 'secretKeyRef']) {
      if (!from[sel]) continue;
      n++;
      errs.push(...validateKeySelector(asObject(from[sel]), `${vf}.${sel}`));
    }
    if (n === 0) errs.push(invalid(vf, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (str(ev.value)) errs.push(invalid(vf, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(invalid(vf, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(sources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(sources).forEach((raw, i) => {
    const src = asObject(raw);
    const idx = `${path}[${i}]`;
    const prefix = str(src.prefix);
    if (prefix) errs.push(...isRelaxedEnvVarName(prefix).map((m) => invalid(`${idx}.prefix`, prefix, m)));
    let n = 0;
    for (const ref of ['configMapRef', 'secretRef']) {
      if (!src[ref]) continue;
      n++;
      const name = str(asObject(src[ref]).name);
      if (!name) errs.push(required(`${idx}.${ref}.name`));
      else errs.push(...isDNS1123Subdomain(maskTrailingDash(name)).map((m) => invalid(`${idx}.${ref}.name`, name, m)));
    }
    if (n === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(mounts: unknown, volumes: Map<string, Json>, ctr: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const privileged = asObject(ctr.securityContext).privileged === true;
  asArray(mounts).forEach((raw, i) => {
    const m = asObject(raw);
    const idx = `${path}[${i}]`;
    const name = str(m.name);
    const mountPath = str(m.mountPath);
    if (!name) errs.push(required(`${idx}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${idx}.name`, name));
    if (!mountPath) errs.push(required(`${idx}.mountPath`));
    if (seen.has(mountPath)) errs.push(invalid(`${idx}.mountPath`, mountPath, 'must be unique'));
    seen.add(mountPath);
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath) errs.push(...validateLocalDescendingPath(subPath, `${path}.subPath`));
    if (subPathExpr) {
      if (subPath) errs.push(invalid(`${idx}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
    const propagation = m.mountPropagation;
    if (propagation !== undefined && propagation !== null) {
      if (!propagations.includes(str(propagation))) errs.push(notSupported(`${path}.mountPropagation`, propagation, propagations));
      if (propagation === 'Bidirectional' && !privileged) {
        errs.push(forbidden(`${path}.mountPropagation`, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const rro = m.recursiveReadOnly;
    if (rro === 'Enabled' || rro === 'IfPossible') {
      if (m.readOnly !== true) errs.push(forbidden(`${path}.recursiveReadOnly`, 'may only be specified when readOnly is true'));
      if (propagation && propagation !== 'None') {
        errs.push(forbidden(`${path}.recursiveReadOnly`, 'may only be specified when mountPropagation is None or not specified'));
      }
    } else if (rro !== undefined && rro !== null && rro !== 'Disabled') {
      errs.push(notSupported(`${path}.recursiveReadOnly`, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
  return errs;
}

/** validateContainerResourceName for each key of resources.limits / resources.requests. */
function validateResources(resources: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const kind of ['limits', 'requests']) {
    for (const name of Object.keys(asObject(asObject(resources)[kind]))) {
      const p = `${path}.${kind}[${name}]`;
      const qerrs = isQualifiedName(name).map((m) => invalid(p, name, m));
      if (qerrs.length) {
        errs.push(...qerrs);
        continue;
      }
      const hugepages = name.startsWith('hugepages-');
      if (!name.includes('/')) {
        if (!standardResources.includes(name) && !hugepages) errs.push(invalid(p, name, 'must be a standard resource type or fully qualified'));
        if (!standardContainerResources.includes(name) && !hugepages) errs.push(invalid(p, name, 'must be a standard resource for containers'));
      } else if (!name.includes('kubernetes.io/') && (name.startsWith('requests.') || isQualifiedName(`requests.${name}`).length > 0)) {
        errs.push(invalid(p, name, "doesn't follow extended resource name standard"));
      }
    }
  }
  return errs;
}

/** validateContainerCommon: the rules shared by regular and init containers. */
function validateContainerCommon(ctr: Json, volumes: Map<string, Json>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(ctr.name);
  if (!name) errs.push(required(`${path}.name`));
  else errs.push(...isDNS1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
  if (!str(ctr.image)) errs.push(required(`${path}.image`));
  const tmp = str(ctr.terminationMessagePolicy);
  if (!tmp) errs.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    errs.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  errs.push(...validatePorts(ctr.ports, `${path}.ports`));
  errs.push(...validateEnv(ctr.env, `${path}.env`));
  errs.push(...validateEnvFrom(ctr.envFrom, `${path}.envFrom`));
  errs.push(...validateVolumeMounts(ctr.volumeMounts, volumes, ctr, `${path}.volumeMounts`));
  const pull = str(ctr.imagePullPolicy);
  if (!pull) errs.push(required(`${path}.imagePullPolicy`));
  else if (!pullPolicies.includes(pull)) errs.push(notSupported(`${path}.imagePullPolicy`, pull, pullPolicies));
  errs.push(...validateResources(ctr.resources, `${path}.resources`));
  return errs;
}

/** checkHostPortConflicts: `protocol/hostIP/hostPort` unique across the given containers. */
function hostPortConflicts(containers: Json[], indexes: number[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((ctr, ci) => {
    asArray(ctr.ports).forEach((raw, pi) => {
      const p = asObject(raw);
      if (typeof p.hostPort !== 'number' || p.hostPort === 0) return;
      const k = `${str(p.protocol)}/${str(p.hostIP)}/${p.hostPort}`;
      if (seen.has(k)) errs.push(duplicate(`${path}[${indexes[ci]}].ports[${pi}].hostPort`, k));
      else seen.add(k);
    });
  });
  return errs;
}

/** validateContainers: at least one, unique names, no per-container restartPolicy. */
export function validateContainers(containers: unknown, volumes: Map<string, Json>, path: string): FieldError[] {
  const list = asArray(containers).map(asObject);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((ctr, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ctr, volumes, p));
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
    }
  });
  errs.push(...hostPortConflicts(list, list.map((_, i) => i), path));
  return errs;
}

/** validateInitContainers: names unique across regular and init containers; sidecar rules. */
export function validateInitContainers(init: unknown, regular: unknown, volumes: Map<string, Json>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(asArray(regular).map((c) => str(asObject(c).name)));
  asArray(init).map(asObject).forEach((ctr, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(ctr, volumes, p));
    let restartAlways = false;
    if (ctr.restartPolicy !== undefined && ctr.restartPolicy !== null) {
      if (ctr.restartPolicy !== 'Always') errs.push(notSupported(`${p}.restartPolicy`, ctr.restartPolicy, ['Always']));
      restartAlways = ctr.restartPolicy === 'Always';
    }
    const name = str(ctr.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    errs.push(...hostPortConflicts([ctr], [i], path));
    if (!restartAlways) {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (ctr[f] !== undefined && ctr[f] !== null) {
          errs.push(forbidden(`${p}.${f}`, 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
  });
  return errs;
}
