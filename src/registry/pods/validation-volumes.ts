/**
 * Pod volume validation (upstream ValidateVolumes, validateVolumeSource and the projected,
 * secret, configMap, downwardAPI, hostPath, persistentVolumeClaim, nfs and csi sources), plus
 * the path and downward-API field-selector rules that container env validation shares.
 * Field paths keep upstream's quirks (e.g. downward API items report on the source path).
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import { isDNS1123Label, isQualifiedName } from '../../api/validation/names.js';
import { asArray, asObject, str, type Json } from '../common.js';

/** The volume sources of a v1 Volume, in upstream's validation order. */
const volumeSourceKeys = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc',
  'flexVolume', 'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk',
  'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];
/** Upstream's spellings in the "more than 1 volume type" errors (typos included). */
const forbiddenName: Record<string, string> = { downwardAPI: 'downwarAPI', cephfs: 'cephFS' };

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Volume fieldRef paths (validVolumeDownwardAPIFieldPathExpressions, sorted). */
export const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
/** Env fieldRef paths (validEnvDownwardAPIFieldPathExpressions, sorted). */
export const envFieldPaths = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
/** Labels ConvertDownwardAPIFieldLabel accepts for v1 pods. */
const convertibleFieldLabels = [
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs',
  'status.podIP', 'status.podIPs',
];

/** validatePathNoBacksteps: no `..` element. */
export function validatePathNoBacksteps(target: string, path: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(path, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative and without `..` elements. */
export function validateLocalDescendingPath(target: string, path: string): FieldError[] {
  const errs = target.startsWith('/') ? [invalid(path, target, 'must be a relative path')] : [];
  return [...errs, ...validatePathNoBacksteps(target, path)];
}

/** ValidateLocalNonReservedPath: a local descending path that does not start with `..`. */
export function validateLocalNonReservedPath(target: string, path: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, path);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateMode(mode: unknown, path: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [invalid(path, mode, fileModeErrorMsg)] : [];
}

/** validateKeyToPath: key and path required, path local, mode in range. */
function validateKeyToPath(kp: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(kp.key)) errs.push(required(`${path}.key`));
  if (!str(kp.path)) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(kp.path), `${path}.path`));
  errs.push(...validateMode(kp.mode, `${path}.mode`));
  return errs;
}

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['x']` -> ['metadata.labels', 'x']. */
function splitSubscript(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const s = fieldPath.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** validateObjectFieldSelector for downward API fieldRefs (env or volume expressions). */
export function validateObjectFieldSelector(fs: Json, expressions: string[], path: string): FieldError[] {
  const apiVersion = str(fs.apiVersion);
  const fieldPath = str(fs.fieldPath);
  if (!apiVersion) return [required(`${path}.apiVersion`)];
  if (!fieldPath) return [required(`${path}.fieldPath`)];
  const sub = splitSubscript(fieldPath);
  let convertError = '';
  if (apiVersion !== 'v1') convertError = `unsupported pod version: ${apiVersion}`;
  else if (sub && sub[0] !== 'metadata.annotations' && sub[0] !== 'metadata.labels') {
    convertError = `field label does not support subscript: ${fieldPath}`;
  } else if (!sub && !convertibleFieldLabels.includes(fieldPath) && fieldPath !== 'spec.host') {
    convertError = `field label not supported: ${fieldPath}`;
  }
  if (convertError) return [invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${convertError}`)];
  if (sub) {
    const value = sub[0] === 'metadata.annotations' ? sub[1].toLowerCase() : sub[1];
    return isQualifiedName(value).map((msg) => invalid(path, value, msg));
  }
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  return expressions.includes(internal) ? [] : [notSupported(`${path}.fieldPath`, internal, expressions)];
}

/** validateContainerResourceFieldSelector (divisors are not checked). */
export function validateResourceFieldSelector(fs: Json, path: string, volume: boolean): FieldError[] {
  const resource = str(fs.resource);
  if (volume && !str(fs.containerName)) return [required(`${path}.containerName`)];
  if (!resource) return [required(`${path}.resource`)];
  const hugepages = resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  return resourceFieldPaths.includes(resource) || hugepages ? [] : [notSupported(`${path}.resource`, resource, resourceFieldPaths)];
}

/** validateDownwardAPIVolumeFile; `path` is the source's path (upstream does not index items). */
function validateDownwardAPIFile(file: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(file.path)) errs.push(required(`${path}.path`));
  errs.push(...validateLocalNonReservedPath(str(file.path), `${path}.path`));
  if (file.fieldRef) {
    errs.push(...validateObjectFieldSelector(asObject(file.fieldRef), volumeFieldPaths, `${path}.fieldRef`));
    if (file.resourceFieldRef) errs.push(invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) {
    errs.push(...validateResourceFieldSelector(asObject(file.resourceFieldRef), `${path}.resourceFieldRef`, true));
  } else {
    errs.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  errs.push(...validateMode(file.mode, `${path}.mode`));
  return errs;
}

/** validateProjectionSources: one source kind per entry, unique paths, token audience/expiry/path. */
function validateProjected(projected: Json, path: string): FieldError[] {
  const errs = validateMode(projected.defaultMode, `${path}.defaultMode`);
  const allPaths = new Set<string>();
  const addPath = (p: string, shown: string) => {
    if (allPaths.has(p)) errs.push(invalid(path, shown, 'conflicting duplicate paths'));
    else allPaths.add(p);
  };
  asArray(projected.sources).forEach((raw, i) => {
    const src = asObject(raw);
    const srcPath = `${path}.sources[${i}]`;
    let n = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      if (!src[kind]) continue;
      n++;
      const s = asObject(src[kind]);
      if (!str(s.name)) errs.push(required(`${srcPath}.${kind}.name`));
      asArray(s.items).forEach((kp, j) => {
        const item = asObject(kp);
        errs.push(...validateKeyToPath(item, `${srcPath}.${kind}.items[${j}]`));
        if (str(item.path)) addPath(str(item.path), str(s.name));
      });
    }
    if (src.downwardAPI) {
      n++;
      for (const f of asArray(asObject(src.downwardAPI).items)) {
        const file = asObject(f);
        errs.push(...validateDownwardAPIFile(file, `${srcPath}.downwardAPI`));
        if (str(file.path)) addPath(str(file.path), str(file.path));
      }
    }
    if (src.serviceAccountToken) {
      n++;
      const t = asObject(src.serviceAccountToken);
      const exp = typeof t.expirationSeconds === 'number' ? t.expirationSeconds : 3600;
      const expPath = `${srcPath}.serviceAccountToken.expirationSeconds`;
      if (exp < 600) errs.push(invalid(expPath, exp, 'may not specify a duration less than 10 minutes'));
      if (exp > 2 ** 32) errs.push(invalid(expPath, exp, 'may not specify a duration larger than 2^32 seconds'));
      if (!str(t.path)) errs.push(required(`${path}.path`));
      else errs.push(...validateLocalNonReservedPath(str(t.path), `${path}.path`));
    }
    if (src.clusterTrustBundle) {
      n++;
      const b = asObject(src.clusterTrustBundle);
      if (!str(b.path)) errs.push(required(`${srcPath}.clusterTrustBundle.path`));
      errs.push(...validateLocalNonReservedPath(str(b.path), `${srcPath}.clusterTrustBundle.path`));
      if (str(b.path)) addPath(str(b.path), str(b.path));
    }
    if (n > 1) errs.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return errs;
}

const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** validateVolumeSource for the sources Insignia's users write; others are accepted as given. */
function validateSource(kind: string, src: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'emptyDir':
      if (typeof src.sizeLimit === 'string' && src.sizeLimit.startsWith('-')) {
        errs.push(forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
      }
      break;
    case 'hostPath':
      if (!str(src.path)) return [required(`${path}.path`)];
      errs.push(...validatePathNoBacksteps(str(src.path), `${path}.path`));
      if (src.type !== undefined && !hostPathTypes.includes(str(src.type))) errs.push(notSupported(`${path}.type`, src.type, hostPathTypes));
      break;
    case 'secret':
      if (!str(src.secretName)) errs.push(required(`${path}.secretName`));
      errs.push(...validateMode(src.defaultMode, `${path}.defaultMode`));
      asArray(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(asObject(kp), `${path}.items[${i}]`)));
      break;
    case 'configMap':
      if (!str(src.name)) errs.push(required(`${path}.name`));
      errs.push(...validateMode(src.defaultMode, `${path}.defaultMode`));
      asArray(src.items).forEach((kp, i) => errs.push(...validateKeyToPath(asObject(kp), `${path}.items[${i}]`)));
      break;
    case 'downwardAPI':
      errs.push(...validateMode(src.defaultMode, `${path}.defaultMode`));
      for (const f of asArray(src.items)) errs.push(...validateDownwardAPIFile(asObject(f), path));
      break;
    case 'projected':
      errs.push(...validateProjected(src, path));
      break;
    case 'persistentVolumeClaim':
      if (!str(src.claimName)) errs.push(required(`${path}.claimName`));
      break;
    case 'nfs':
      if (!str(src.server)) errs.push(required(`${path}.server`));
      if (!str(src.path)) errs.push(required(`${path}.path`));
      if (!str(src.path).startsWith('/')) errs.push(invalid(`${path}.path`, str(src.path), 'must be an absolute path'));
      break;
    case 'csi':
      if (!str(src.driver)) errs.push(required(`${path}.driver`));
      break;
    default:
      break;
  }
  return errs;
}

/**
 * ValidateVolumes: exactly one source per volume, names DNS-1123 labels and unique. Returns the
 * volumes that validated cleanly (upstream only lets mounts refer to those) and the errors.
 */
export function validateVolumes(volumes: unknown, path: string): { names: Map<string, Json>; errs: FieldError[] } {
  const names = new Map<string, Json>();
  const errs: FieldError[] = [];
  asArray(volumes).forEach((raw, i) => {
    const vol = asObject(raw);
    const idxPath = `${path}[${i}]`;
    const name = str(vol.name);
    const el: FieldError[] = [];
    let n = 0;
    for (const kind of volumeSourceKeys) {
      if (vol[kind] === undefined || vol[kind] === null) continue;
      if (n > 0) {
        el.push(forbidden(`${idxPath}.${forbiddenName[kind] ?? kind}`, 'may not specify more than 1 volume type'));
        continue;
      }
      n++;
      el.push(...validateSource(kind, asObject(vol[kind]), `${idxPath}.${kind}`));
    }
    if (n === 0) el.push(required(idxPath, 'must specify a volume type'));
    if (!name) el.push(required(`${idxPath}.name`));
    else el.push(...isDNS1123Label(name).map((msg) => invalid(`${idxPath}.name`, name, msg)));
    if (names.has(name)) el.push(duplicate(`${idxPath}.name`, name));
    if (el.length === 0) names.set(name, vol);
    else errs.push(...el);
  });
  return { names, errs };
}
