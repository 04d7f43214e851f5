/**
 * Wiring of admission plugins beyond NamespaceLifecycle (issues 4 and 6), in upstream's order:
 * the ServiceAccount plugin, reading accounts from the in-process serviceaccounts Store (its watch
 * cache: a write the API acknowledged is visible to the next pod create), then NodeRestriction,
 * reading pods and nodes the same way. Also the `pods/binding` subresource, which runs this chain
 * as CREATE pods/binding before binding the pod through the pods Store, and its legacy form
 * `bindings` (POST .../namespaces/NS/bindings).
 *
 * The Store runs the chain on CREATE and UPDATE (mutating then validating, subresource included)
 * and on DELETE (validating only); the ServiceAccount plugin ignores everything but pod creates
 * and pods/ephemeralcontainers updates; NodeRestriction only node identities' requests.
 *
 * The `default` accounts themselves are the ServiceAccounts controller's (wiring/controllers.ts),
 * in every namespace; the plugin waits briefly for a missing `default`, as upstream's does.
 */
import { createNodeRestriction } from '../../admission/plugins/node-restriction.js';
import { createServiceAccountAdmission } from '../../admission/plugins/service-account.js';
import { conflict } from '../../api/status.js';
import { createBindingREST } from '../../registry/pods/binding.js';
import { decodeObject } from '../../server/handlers/decode.js';
import { dryRunOf } from '../../server/handlers/scope.js';
import { setWarnings, writeJson } from '../../server/responses.js';
import type { PartModule } from './part.js';

export const admissionPart: PartModule = {
  addFlags: (cmd) => cmd,
  build(ctx) {
    const serviceAccounts = ctx.store('serviceaccounts');
    const pods = ctx.store('pods');
    const nodes = ctx.store('nodes');
    const binding = createBindingREST({ pods });
    return {
      admissionPlugins: [
        createServiceAccountAdmission({ getServiceAccount: (namespace, name) => serviceAccounts.find(namespace, name) }),
        createNodeRestriction({ getPod: (namespace, name) => pods.find(namespace, name), getNode: (name) => nodes.find('', name) }),
      ],
      createHandlers: {
        // POST .../namespaces/NS/bindings (upstream LegacyBindingREST): the pod is the Binding's name.
        '/v1/bindings': async (scope, body) => {
          const dryRun = dryRunOf(scope.query);
          const obj = decodeObject(scope, body);
          const name = obj.metadata?.name ?? '';
          if (!name) throw conflict({ group: '', resource: 'pods/binding' }, '', 'Name parameter required.');
          const status = await binding.create(scope.info.namespace, name, obj, { user: scope.user, dryRun, admission: scope.api.admission });
          setWarnings(scope.res, scope.warnings);
          writeJson(scope.res, 201, status, scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
        },
      },
      subresourceHandlers: {
        // POST .../pods/NAME/binding: decodes a v1 Binding, answers 201 with a Success Status.
        '/pods/binding': async (scope, body) => {
          const resource = { ...scope.resource, kind: 'Binding', definition: 'io.k8s.api.core.v1.Binding' };
          const dryRun = dryRunOf(scope.query);
          const obj = decodeObject({ ...scope, resource }, body);
          const status = await binding.create(scope.info.namespace, scope.info.name, obj, { user: scope.user, dryRun, admission: scope.api.admission });
          setWarnings(scope.res, scope.warnings);
          writeJson(scope.res, 201, status, scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
        },
      },
    };
  },
};
