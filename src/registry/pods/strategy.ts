/**
 * Pod strategy (upstream pkg/registry/core/pod/strategy.go): defaults, status reset on create
 * (phase Pending, qosClass), status only through the status subresource, graceful deletion
 * (unscheduled or finished pods are deleted at once).
 */
import { findResource } from '../../api/resources.js';
import { asObject, keepAllBut, keepField, str } from '../common.js';
import type { Strategy } from '../types.js';
import { applyPodDefaults, podQOSClass } from './defaults.js';
import { podTable } from './table.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './validation.js';

export const podStrategy: Strategy = {
  info: findResource('', 'v1', 'pods')!,
  prepareForCreate(obj) {
    applyPodDefaults(obj);
    obj.status = { phase: 'Pending', qosClass: podQOSClass(obj) };
  },
  prepareForUpdate(obj, old) {
    applyPodDefaults(obj);
    keepField(obj, old, 'status');
  },
  validate: validatePod,
  validateUpdate: validatePodUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: podTable,
  gracePeriodSeconds(obj, requested) {
    const spec = asObject(obj.spec);
    const phase = str(asObject(obj.status).phase);
    if (!spec.nodeName || phase === 'Failed' || phase === 'Succeeded') return 0;
    if (requested !== undefined) return Math.max(0, requested);
    const g = spec.terminationGracePeriodSeconds;
    return typeof g === 'number' ? Math.max(0, g) : 30;
  },
  fieldLabels(obj) {
    const spec = asObject(obj.spec);
    const status = asObject(obj.status);
    return {
      'spec.nodeName': str(spec.nodeName),
      'spec.restartPolicy': str(spec.restartPolicy),
      'spec.schedulerName': str(spec.schedulerName),
      'spec.serviceAccountName': str(spec.serviceAccountName),
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': str(status.phase),
      'status.podIP': str(status.podIP),
      'status.nominatedNodeName': str(status.nominatedNodeName),
    };
  },
  subresources: {
    status: {
      prepareForUpdate: (obj, old) => keepAllBut(obj, old, 'status'),
      validateUpdate: validatePodStatusUpdate,
    },
  },
};
