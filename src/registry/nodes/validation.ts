/**
 * Node validation (upstream ValidateNode / ValidateNodeUpdate, 1.32), the parts that do not need
 * resource quantities: taints (reported under `metadata.taints`, an upstream quirk), podCIDRs,
 * and on update the immutability of podCIDRs, providerID and externalID plus unique addresses.
 * The status subresource uses the same update rules, as upstream's nodeStatusStrategy does.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { semanticEqual } from '../../api/validation/helpers.js';
import { invalidCIDRDetail, isCIDR, isQualifiedName, isValidLabelValue } from '../../api/validation/names.js';
import { asArray, asObject, str } from '../common.js';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateNodeTaints: key a label name, value a label value, effect required, unique key+effect. */
export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  asArray(taints).forEach((raw, i) => {
    const t = asObject(raw);
    const idx = `${path}[${i}]`;
    const key = str(t.key);
    const value = str(t.value);
    const effect = str(t.effect);
    errs.push(...isQualifiedName(key).map((m) => invalid(`${idx}.key`, key, m)));
    const vmsgs = isValidLabelValue(value);
    if (vmsgs.length) errs.push(invalid(`${idx}.value`, value, vmsgs.join(';')));
    if (!effect) errs.push(required(`${idx}.effect`));
    else if (!taintEffects.includes(effect)) errs.push(notSupported(`${idx}.effect`, effect, taintEffects));
    const k = `${effect}\u0000${key}`;
    if (seen.has(k)) {
      errs.push({ ...duplicate(idx, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(k);
  });
  return errs;
}

/** spec.podCIDRs (or the legacy single spec.podCIDR): valid CIDRs, one per family, no duplicates. */
function podCIDRs(spec: Record<string, unknown>): string[] {
  const list = asArray(spec.podCIDRs).map(str);
  return list.length ? list : str(spec.podCIDR) ? [str(spec.podCIDR)] : [];
}

function validatePodCIDRs(cidrs: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.podCIDRs';
  cidrs.forEach((c, i) => {
    if (!isCIDR(c)) errs.push(invalid(`${path}[${i}]`, c, invalidCIDRDetail));
  });
  if (cidrs.length > 1) {
    const v6 = cidrs.filter((c) => c.includes(':')).length;
    if (cidrs.length > 2 || v6 !== 1) errs.push(invalid(path, cidrs, 'may specify no more than one CIDR for each IP family'));
    cidrs.forEach((c, i) => {
      if (cidrs.indexOf(c) !== i) errs.push(duplicate(`${path}[${i}]`, c));
    });
  }
  return errs;
}

/** Kind-specific create validation. */
export function validateNode(obj: KubeObject): FieldError[] {
  const spec = asObject(obj.spec);
  return [...validateTaints(spec.taints, 'metadata.taints'), ...validatePodCIDRs(podCIDRs(spec))];
}

/** Kind-specific update validation (ValidateNodeUpdate without ObjectMeta). */
export function validateNodeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asObject(obj.spec);
  const oldSpec = asObject(old.spec);
  const addresses = asArray(asObject(obj.status).addresses);
  addresses.forEach((a, i) => {
    if (addresses.slice(0, i).some((b) => semanticEqual(a, b))) errs.push(duplicate(`status.addresses[${i}]`, a));
  });
  const oldCIDRs = podCIDRs(oldSpec);
  const newCIDRs = podCIDRs(spec);
  if (oldCIDRs.length > 0) {
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== newCIDRs.length) errs.push(forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(forbidden('spec.podCIDRs', msg)));
  }
  if (str(oldSpec.providerID) && str(oldSpec.providerID) !== str(spec.providerID)) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateTaints(spec.taints, 'metadata.taints'));
  if (str(spec.externalID) !== str(oldSpec.externalID)) errs.push(forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** The status subresource: the same rules as an update (upstream uses ValidateNodeUpdate for both). */
export function validateNodeStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateNodeUpdate(obj, old);
}
