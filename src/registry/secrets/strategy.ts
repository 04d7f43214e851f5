/** Secret strategy (upstream pkg/registry/core/secret/strategy.go + v1 conversion of stringData). */
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { asObject, str } from '../common.js';
import type { Strategy } from '../types.js';
import { secretTable } from './table.js';
import { validateSecret, validateSecretUpdate } from './validation.js';

/** stringData is write-only: merged into data (base64) and dropped, as v1 conversion does. */
function mergeStringData(obj: KubeObject): void {
  if (obj.stringData !== undefined) {
    const data = { ...asObject(obj.data) };
    for (const [k, v] of Object.entries(asObject(obj.stringData))) data[k] = Buffer.from(str(v), 'utf8').toString('base64');
    obj.data = data;
    delete obj.stringData;
  }
}

export const secretStrategy: Strategy = {
  info: findResource('', 'v1', 'secrets')!,
  prepareForCreate(obj) {
    mergeStringData(obj);
    if (!obj.type) obj.type = 'Opaque';
  },
  prepareForUpdate(obj) {
    mergeStringData(obj);
    if (!obj.type) obj.type = 'Opaque';
  },
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: false,
  table: secretTable,
  fieldLabels: (obj) => ({ type: str(obj.type) }),
};
