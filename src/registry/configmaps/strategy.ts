/** ConfigMap strategy (upstream pkg/registry/core/configmap/strategy.go). */
import { findResource } from '../../api/resources.js';
import type { Strategy } from '../types.js';
import { configMapTable } from './table.js';
import { validateConfigMap, validateConfigMapUpdate } from './validation.js';

export const configMapStrategy: Strategy = {
  info: findResource('', 'v1', 'configmaps')!,
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: configMapTable,
};
