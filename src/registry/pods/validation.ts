/**
 * Pod validation (upstream ValidatePodCreate, ValidatePodUpdate and ValidatePodStatusUpdate,
 * 1.32), on objects the strategy has already defaulted. ObjectMeta is the Store's; everything
 * else, including upstream's wording and field-path quirks, follows pkg/apis/core/validation.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { semanticEqual, validateImmutableField } from '../../api/validation/helpers.js';
import { validateLabels } from '../../api/validation/object-meta.js';
import {
  inclusiveRangeError,
  invalidIPDetail,
  isDNS1123Label,
  isDNS1123Subdomain,
  isIP,
  isQualifiedName,
  isValidLabelValue,
} from '../../api/validation/names.js';
import { asArray, asObject, str, type Json } from '../common.js';
import { podSpecDiff } from './spec-diff.js';
import { validateContainers, validateInitContainers } from './validation-containers.js';
import { validateVolumes } from './validation-volumes.js';

const maxInt32 = 2147483647;
const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** The allowed-changes list of upstream's "pod updates may not change fields other than ..." error. */
export const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

function subdomainErrs(value: string, path: string): FieldError[] {
  return isDNS1123Subdomain(value).map((m) => invalid(path, value, m));
}

/** ValidateTolerations: key a label name, operator Equal/Exists rules, effect values. */
export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(tolerations).forEach((raw, i) => {
    const t = asObject(raw);
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const operator = str(t.operator);
    const effect = str(t.effect);
    if (key) errs.push(...isQualifiedName(key).map((m) => invalid(`${idx}.key`, key, m)));
    if (!key && operator !== 'Exists') {
      errs.push(invalid(`${idx}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (isSet(t.tolerationSeconds) && effect !== 'NoExecute') {
      errs.push(invalid(`${idx}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(str(t.value));
      if (msgs.length) errs.push(invalid(`${idx}.operator`, str(t.value), msgs.join(';')));
    } else if (operator === 'Exists') {
      if (str(t.value)) errs.push(invalid(`${idx}.operator`, str(t.value), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${idx}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect && !taintEffects.includes(effect)) errs.push(notSupported(`${idx}.effect`, effect, taintEffects));
  });
  return errs;
}

/** ValidatePodSpec for the fields Insignia's users write (scheduling internals pass through). */
export function validatePodSpec(spec: Json, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(spec.terminationGracePeriodSeconds)) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const vols = validateVolumes(spec.volumes, `${path}.volumes`);
  errs.push(...vols.errs);
  errs.push(...validateContainers(spec.containers, vols.names, `${path}.containers`));
  errs.push(...validateInitContainers(spec.initContainers, spec.containers, vols.names, `${path}.initContainers`));
  if (spec.hostNetwork === true) {
    asArray(spec.containers).forEach((c, i) => {
      asArray(asObject(c).ports).forEach((raw, j) => {
        const p = asObject(raw);
        if (typeof p.hostPort === 'number' && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, p.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
        }
      });
    });
  }
  const restartPolicy = str(spec.restartPolicy);
  if (!restartPolicy) errs.push(required(`${path}.restartPolicy`));
  else if (!restartPolicies.includes(restartPolicy)) errs.push(notSupported(`${path}.restartPolicy`, restartPolicy, restartPolicies));
  const dnsPolicy = str(spec.dnsPolicy);
  if (!dnsPolicy) errs.push(required(`${path}.dnsPolicy`));
  else if (!dnsPolicies.includes(dnsPolicy)) errs.push(notSupported(`${path}.dnsPolicy`, dnsPolicy, dnsPolicies));
  errs.push(...validateLabels(asObject(spec.nodeSelector) as Record<string, string>, `${path}.nodeSelector`));
  asArray(spec.imagePullSecrets).forEach((ref, i) => {
    if (Object.keys(asObject(ref)).some((k) => k !== 'name')) errs.push(invalid(`${path}.imagePullSecrets[${i}]`, ref, 'only name may be set'));
  });
  if (dnsPolicy === 'None') {
    if (!isSet(spec.dnsConfig)) errs.push(required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
    else if (asArray(asObject(spec.dnsConfig).nameservers).length === 0) {
      errs.push(required(`${path}.dnsConfig.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    }
  }
  asArray(spec.readinessGates).forEach((g, i) => {
    const t = str(asObject(g).conditionType);
    errs.push(...isQualifiedName(t).map((m) => invalid(`${path}.readinessGates[${i}].conditionType`, t, m)));
  });
  if (str(spec.serviceAccountName)) errs.push(...subdomainErrs(str(spec.serviceAccountName), `${path}.serviceAccountName`));
  if (str(spec.nodeName)) errs.push(...subdomainErrs(str(spec.nodeName), `${path}.nodeName`));
  if (typeof spec.activeDeadlineSeconds === 'number' && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > maxInt32)) {
    errs.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, inclusiveRangeError(1, maxInt32)));
  }
  for (const f of ['hostname', 'subdomain']) {
    if (str(spec[f])) errs.push(...isDNS1123Label(str(spec[f])).map((m) => invalid(`${path}.${f}`, str(spec[f]), m)));
  }
  errs.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  if (str(spec.priorityClassName)) errs.push(...subdomainErrs(str(spec.priorityClassName), `${path}.priorityClassName`));
  if (isSet(spec.preemptionPolicy)) {
    const p = str(spec.preemptionPolicy);
    if (!p) errs.push(required(`${path}.preemptionPolicy`));
    else if (p !== 'PreemptLowerPriority' && p !== 'Never') errs.push(notSupported(`${path}.preemptionPolicy`, p, ['PreemptLowerPriority', 'Never']));
  }
  return errs;
}

/** validatePodMetadataAndSpec minus ObjectMeta: the spec plus pod-only rules. */
function validatePodSpecForPod(obj: KubeObject): FieldError[] {
  const spec = asObject(obj.spec);
  const errs = validatePodSpec(spec, 'spec');
  if (!str(spec.serviceAccountName)) {
    asArray(spec.volumes).forEach((v, vi) => {
      asArray(asObject(asObject(v).projected).sources).forEach((s, si) => {
        if (isSet(asObject(s).serviceAccountToken)) {
          errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
        }
      });
    });
  }
  for (const list of ['containers', 'initContainers']) {
    asArray(spec[list]).forEach((c, i) => {
      const image = str(asObject(c).image);
      if (image !== image.trim()) errs.push(invalid(`spec.${list}[${i}].image`, image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/** Kind-specific create validation (ValidatePodCreate without ObjectMeta). */
export function validatePod(obj: KubeObject): FieldError[] {
  const spec = asObject(obj.spec);
  const errs = validatePodSpecForPod(obj);
  if (asArray(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && asArray(spec.schedulingGates).length > 0) {
    errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errs;
}

/** ValidateContainerUpdates: same number of containers; images present and trimmed. */
function validateContainerUpdates(next: unknown[], prev: unknown[], path: string): { errs: FieldError[]; stop: boolean } {
  if (next.length !== prev.length) return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  next.forEach((c, i) => {
    const image = str(asObject(c).image);
    if (!image) errs.push(required(`${path}[${i}].image`));
    if (image.trim().length !== image.length) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

/** validateOnlyAddedTolerations: existing tolerations may only change tolerationSeconds. */
function validateOnlyAddedTolerations(next: unknown, prev: unknown, path: string): FieldError[] {
  for (const old of asArray(prev)) {
    const found = asArray(next).some((n) => semanticEqual({ ...asObject(old), tolerationSeconds: asObject(n).tolerationSeconds }, n));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

/**
 * Kind-specific update validation (ValidatePodUpdate without ObjectMeta): the new pod must be
 * valid, and only images, activeDeadlineSeconds (set or lowered), added tolerations and a
 * terminationGracePeriodSeconds of 1 after a negative one may change; anything else is
 * `spec: Forbidden: pod updates may not change fields other than ...` followed by a short diff.
 */
export function validatePodUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObject(obj.spec);
  const oldSpec = asObject(old.spec);
  const errs = validatePodSpecForPod(obj);
  for (const list of ['containers', 'initContainers']) {
    const r = validateContainerUpdates(asArray(spec[list]), asArray(oldSpec[list]), `spec.${list}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (typeof ads === 'number') {
    if (ads < 0 || ads > maxInt32) return [...errs, invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, maxInt32))];
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < ads) {
      return [...errs, invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (isSet(oldSpec.activeDeadlineSeconds)) {
    errs.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));

  const munged: Json = { ...spec, serviceAccount: oldSpec.serviceAccount };
  for (const list of ['containers', 'initContainers']) {
    if (Array.isArray(spec[list])) {
      munged[list] = asArray(spec[list]).map((c, i) => ({ ...asObject(c), image: asObject(asArray(oldSpec[list])[i]).image }));
    }
  }
  for (const f of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates']) {
    if (isSet(oldSpec[f])) munged[f] = oldSpec[f];
    else delete munged[f];
  }
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(
      forbidden('spec', `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${podSpecDiff(oldSpec, munged)}`),
    );
  }
  return errs;
}

const systemConditions = ['PodScheduled', 'Ready', 'Initialized'];

/** IPs in status.podIPs / status.hostIPs: valid, at most one per family, no duplicates. */
function validateStatusIPs(ips: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArray(ips).map((x) => str(asObject(x).ip));
  list.forEach((ip, i) => {
    if (!isIP(ip)) errs.push(invalid(`${path}[${i}]`, ip, invalidIPDetail));
  });
  if (list.length > 1) {
    const v6 = list.filter((ip) => ip.includes(':')).length;
    if (list.length > 2 || v6 !== 1) errs.push(invalid(path, asArray(ips), 'may specify no more than one IP for each IP family'));
    list.forEach((ip, i) => {
      if (list.indexOf(ip) !== i) errs.push(duplicate(`${path}[${i}]`, asArray(ips)[i]));
    });
  }
  return errs;
}

/**
 * The status subresource (ValidatePodStatusUpdate without ObjectMeta): custom condition types are
 * qualified names (reported under `metadata.conditions`, as upstream does), nodeName cannot move,
 * qosClass is immutable, terminated containers of non-Always pods stay terminated, pod/host IPs
 * are valid. Phase values are not checked (upstream does not either).
 */
export function validatePodStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const status = asObject(obj.status);
  const oldStatus = asObject(old.status);
  asArray(status.conditions).forEach((c, i) => {
    const type = str(asObject(c).type);
    if (!systemConditions.includes(type)) errs.push(...isQualifiedName(type).map((m) => invalid(`metadata.conditions[${i}].Type`, type, m)));
  });
  if (str(asObject(obj.spec).nodeName) !== str(asObject(old.spec).nodeName)) {
    errs.push(forbidden('status.nodeName', 'may not be changed directly'));
  }
  const nominated = str(status.nominatedNodeName);
  if (nominated && nominated !== str(oldStatus.nominatedNodeName)) errs.push(...subdomainErrs(nominated, 'status.nominatedNodeName'));
  errs.push(...validateImmutableField(str(status.qosClass), str(oldStatus.qosClass), 'status.qosClass'));
  const restartPolicy = str(asObject(old.spec).restartPolicy);
  if (restartPolicy !== 'Always') {
    asArray(oldStatus.containerStatuses).forEach((raw, i) => {
      const prev = asObject(raw);
      const terminated = asObject(asObject(prev.state).terminated);
      if (!isSet(asObject(prev.state).terminated)) return;
      if (terminated.exitCode !== 0 && restartPolicy === 'OnFailure') return;
      for (const n of asArray(status.containerStatuses)) {
        if (str(asObject(n).name) === str(prev.name) && !isSet(asObject(asObject(n).state).terminated)) {
          errs.push(forbidden(`status.containerStatuses[${i}].state`, 'may not be transitioned to non-terminated state'));
        }
      }
    });
  }
  errs.push(...validateStatusIPs(status.podIPs, 'status.podIPs'));
  const hostIPs = asArray(status.hostIPs);
  if (hostIPs.length > 0) {
    const first = str(asObject(hostIPs[0]).ip);
    if (str(status.hostIP) !== first) errs.push(invalid('status.hostIPs[0].ip', first, 'must be equal to `hostIP`'));
    errs.push(...validateStatusIPs(hostIPs, 'status.hostIPs'));
  }
  return errs;
}
