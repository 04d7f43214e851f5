/** Event strategy (upstream pkg/registry/core/event/strategy.go). */
import { findResource } from '../../api/resources.js';
import { asObject, str } from '../common.js';
import type { Strategy } from '../types.js';
import { eventTable } from './table.js';
import { validateEvent, validateEventUpdate } from './validation.js';

export const eventStrategy: Strategy = {
  info: findResource('', 'v1', 'events')!,
  // Upstream does not validate core/v1 Event names as DNS subdomains.
  nameValidation: 'path-segment',
  validate: validateEvent,
  validateUpdate: validateEventUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: true,
  returnDeletedObject: false,
  table: eventTable,
  fieldLabels(obj) {
    const io = asObject(obj.involvedObject);
    const source = asObject(obj.source);
    return {
      'involvedObject.kind': str(io.kind),
      'involvedObject.namespace': str(io.namespace),
      'involvedObject.name': str(io.name),
      'involvedObject.uid': str(io.uid),
      'involvedObject.apiVersion': str(io.apiVersion),
      'involvedObject.resourceVersion': str(io.resourceVersion),
      'involvedObject.fieldPath': str(io.fieldPath),
      reason: str(obj.reason),
      reportingComponent: str(obj.reportingComponent),
      source: str(source.component),
      type: str(obj.type),
    };
  },
};
