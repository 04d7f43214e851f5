/** Service strategy: stored and listed (kubectl cluster-info reads services); no IP allocation. */
import { findResource } from '../../api/resources.js';
import type { KubeObject } from '../../api/meta.js';
import { asArray, asObject, keepAllBut, keepField } from '../common.js';
import type { Strategy } from '../types.js';
import { serviceTable } from './table.js';
import { validateService, validateServiceUpdate } from './validation.js';

/** v1 defaults: type ClusterIP, sessionAffinity None, port protocol TCP, targetPort = port. */
function applyServiceDefaults(obj: KubeObject): void {
  const spec: Record<string, unknown> = { type: 'ClusterIP', sessionAffinity: 'None', ...asObject(obj.spec) };
  for (const p of asArray(spec.ports)) {
    const port = asObject(p);
    if (port.protocol === undefined) port.protocol = 'TCP';
    if (port.targetPort === undefined && port.port !== undefined) port.targetPort = port.port;
  }
  obj.spec = spec;
}

export const serviceStrategy: Strategy = {
  info: findResource('', 'v1', 'services')!,
  nameValidation: 'dns1035',
  prepareForCreate(obj) {
    applyServiceDefaults(obj);
    obj.status = { loadBalancer: {} };
  },
  prepareForUpdate(obj, old) {
    applyServiceDefaults(obj);
    keepField(obj, old, 'status');
  },
  validate: validateService,
  validateUpdate: validateServiceUpdate,
  allowUnconditionalUpdate: true,
  allowCreateOnUpdate: false,
  returnDeletedObject: true,
  table: serviceTable,
  subresources: {
    status: { prepareForUpdate: (obj, old) => keepAllBut(obj, old, 'status'), validateUpdate: () => [] },
  },
};
