/** Node strategy (upstream pkg/registry/core/node/strategy.go): cluster-scoped, status subresource. */
import { findResource } from '../../api/resources.js';
import { asObject, keepAllBut, keepField, str } from '../common.js';
import type { Strategy } from '../types.js';
import { nodeTable } from './table.js';
import { validateNode, validateNodeStatusUpdate, validateNodeUpdate } from './validation.js';

export const nodeStrategy: Strategy = {
  info: findResource('', 'v1', 'nodes')!,
  prepareForUpdate: (obj, old) => keepField(obj, old, 'status'),
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: nodeTable,
  fieldLabels: (obj) => ({ 'spec.unschedulable': String(asObject(obj.spec).unschedulable === true) }),
  subresources: {
    status: { prepareForUpdate: (obj, old) => keepAllBut(obj, old, 'status'), validateUpdate: validateNodeStatusUpdate },
  },
};
void str;
