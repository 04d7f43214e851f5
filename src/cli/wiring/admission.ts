/**
 * Wiring of admission plugins beyond NamespaceLifecycle (issue 4): the ServiceAccount plugin,
 * reading accounts from the in-process serviceaccounts Store (its watch cache: a write the API
 * acknowledged is visible to the next pod create).
 *
 * The Store runs the chain on CREATE and UPDATE (mutating then validating, subresource included)
 * and on DELETE (validating only); the plugin itself ignores everything but pod creates and
 * pods/ephemeralcontainers updates.
 *
 * The `default` accounts themselves are the ServiceAccounts controller's (wiring/controllers.ts),
 * in every namespace; the plugin waits briefly for a missing `default`, as upstream's does.
 */
import { createServiceAccountAdmission } from '../../admission/plugins/service-account.js';
import type { PartModule } from './part.js';

export const admissionPart: PartModule = {
  addFlags: (cmd) => cmd,
  build(ctx) {
    const serviceAccounts = ctx.store('serviceaccounts');
    return {
      admissionPlugins: [createServiceAccountAdmission({ getServiceAccount: (namespace, name) => serviceAccounts.find(namespace, name) })],
    };
  },
};
