/**
 * NamespaceLifecycle admission (upstream plugin/pkg/admission/namespace/lifecycle): no creates in a
 * namespace that does not exist (404 `namespaces "x" not found`) or is terminating (403 with
 * cause NamespaceTerminating); the immortal namespaces cannot be deleted. Upstream runs it as the
 * first mutating plugin, so the create checks run in the mutating phase too: a create in a missing
 * namespace is refused before any other plugin (e.g. ServiceAccount's lookup) sees it.
 */
import type { KubeObject } from '../../api/meta.js';
import { failure, forbidden, notFound } from '../../api/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.js';

export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export interface NamespaceLookup {
  /** The namespace object, or undefined when it does not exist. */
  getNamespace(name: string): KubeObject | undefined;
}

export function createNamespaceLifecycle(lookup: NamespaceLookup): AdmissionPlugin {
  const checkCreate = (a: AdmissionAttributes): void => {
    if (!a.resource.namespaced || !a.namespace) return;
    // Events and reviews may still be written while a namespace terminates, as upstream allows.
    const ns = lookup.getNamespace(a.namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, a.namespace);
    const phase = (ns.status as { phase?: string } | undefined)?.phase;
    if ((ns.metadata.deletionTimestamp || phase === 'Terminating') && a.resource.resource !== 'events') {
      const gr = { group: a.resource.group, resource: a.resource.resource };
      const message = `unable to create new content in namespace ${a.namespace} because it is being terminated`;
      const name = a.object?.metadata.name ?? a.object?.metadata.generateName ?? '';
      const qualified = gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
      throw failure(403, 'Forbidden', `${qualified} "${name}" is forbidden: ${message}`, {
        name,
        group: gr.group || undefined,
        kind: gr.resource,
        causes: [{ reason: 'NamespaceTerminating', message, field: 'metadata.namespace' }],
      });
    }
  };
  return {
    name: 'NamespaceLifecycle',
    handles: (a) => a.operation === 'CREATE' || (a.operation === 'DELETE' && a.resource.resource === 'namespaces' && !a.resource.group),
    admit(a) {
      if (a.operation === 'CREATE') checkCreate(a);
    },
    validate(a) {
      if (a.operation === 'DELETE') {
        if (immortalNamespaces.includes(a.name)) {
          throw forbidden({ group: '', resource: 'namespaces' }, a.name, 'this namespace may not be deleted');
        }
        return;
      }
      checkCreate(a);
    },
  };
}
