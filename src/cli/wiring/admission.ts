/**
 * Wiring of admission plugins beyond NamespaceLifecycle (issue 4): the ServiceAccount plugin,
 * reading accounts from the in-process serviceaccounts Store (its watch cache: a write the API
 * acknowledged is visible to the next pod create).
 *
 * The Store runs the chain on CREATE and UPDATE (mutating then validating, subresource included)
 * and on DELETE (validating only); the plugin itself ignores everything but pod creates and
 * pods/ephemeralcontainers updates.
 */
import { createServiceAccountAdmission, defaultServiceAccountName } from '../../admission/plugins/service-account.js';
import type { PartModule, ServeContext } from './part.js';

/** Namespaces the server creates at startup (serve.ts), which get their `default` account at once. */
const bootstrapNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * INTERIM, until the ServiceAccounts controller (src/controllers, wired in controllers.ts) runs:
 * creates the `default` ServiceAccount in the bootstrap namespaces when missing, so pods can be
 * created in them. The controller does this for every namespace; delete this function then (it is
 * harmless alongside it: whoever comes second finds the account and does nothing).
 */
async function ensureBootstrapDefaultServiceAccounts(ctx: ServeContext): Promise<void> {
  const serviceAccounts = ctx.store('serviceaccounts');
  for (const namespace of bootstrapNamespaces) {
    if (serviceAccounts.find(namespace, defaultServiceAccountName)) continue;
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultServiceAccountName } };
    try {
      await serviceAccounts.create(namespace, account, { user: ctx.systemUser, dryRun: false });
    } catch (e) {
      if ((e as { code?: number }).code !== 409) throw e;
    }
  }
}

export const admissionPart: PartModule = {
  addFlags: (cmd) => cmd,
  build(ctx) {
    const serviceAccounts = ctx.store('serviceaccounts');
    return {
      admissionPlugins: [createServiceAccountAdmission({ getServiceAccount: (namespace, name) => serviceAccounts.find(namespace, name) })],
      start: () => ensureBootstrapDefaultServiceAccounts(ctx),
    };
  },
};
