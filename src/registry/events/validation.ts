/**
 * core/v1 Event validation (upstream legacyValidateEvent, the only check ValidateEventCreate and
 * ValidateEventUpdate apply to requests in core/v1). Old-style events (no eventTime) must sit in
 * their involved object's namespace (or in "default" for cluster-scoped objects); new-style ones
 * need reportingComponent, reportingInstance, action and reason within their length limits. Field
 * names are upstream's internal ones (`reportingController`), as kube-apiserver reports them.
 */
import { invalid, required, type FieldError } from '../../api/field-errors.js';
import type { KubeObject } from '../../api/meta.js';
import { byteLength, isDNS1123Subdomain, isQualifiedName } from '../../api/validation/names.js';
import { asObject, str } from '../common.js';

const reportingInstanceLengthLimit = 128;
const actionLengthLimit = 128;
const reasonLengthLimit = 128;
const noteLengthLimit = 1024;

/** Kind-specific create validation. */
export function validateEvent(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const namespace = obj.metadata.namespace ?? '';
  const involved = asObject(obj.involvedObject);
  const involvedNs = str(involved.namespace);
  const mismatch = () => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!str(obj.eventTime)) {
    if (involvedNs === '') {
      if (namespace !== '' && namespace !== 'default') errs.push(mismatch());
    } else if (namespace !== involvedNs) {
      errs.push(mismatch());
    }
  } else {
    if (involvedNs === '' && namespace !== 'default' && namespace !== 'kube-system') errs.push(mismatch());
    const controller = str(obj.reportingComponent);
    if (!controller) errs.push(required('reportingController'));
    errs.push(...isQualifiedName(controller).map((m) => invalid('reportingController', controller, m)));
    const instance = str(obj.reportingInstance);
    if (!instance) errs.push(required('reportingInstance'));
    if (byteLength(instance) > reportingInstanceLengthLimit) {
      errs.push(invalid('reportingInstance', '', `can have at most ${reportingInstanceLengthLimit} characters`));
    }
    const action = str(obj.action);
    if (!action) errs.push(required('action'));
    if (byteLength(action) > actionLengthLimit) errs.push(invalid('action', '', `can have at most ${actionLengthLimit} characters`));
    const reason = str(obj.reason);
    if (!reason) errs.push(required('reason'));
    if (byteLength(reason) > reasonLengthLimit) errs.push(invalid('reason', '', `can have at most ${reasonLengthLimit} characters`));
    if (byteLength(str(obj.message)) > noteLengthLimit) errs.push(invalid('message', '', `can have at most ${noteLengthLimit} characters`));
  }
  errs.push(...isDNS1123Subdomain(namespace).map((m) => invalid('namespace', namespace, m)));
  return errs;
}

/** Kind-specific update validation: core/v1 applies the create rules to the new event only. */
export function validateEventUpdate(obj: KubeObject, _old: KubeObject): FieldError[] {
  return validateEvent(obj);
}
