import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/meta.js';
import { findResource } from '../../api/resources.js';
import { StatusError } from '../../api/status.js';
import { createAdmissionChain, type AdmissionAttributes, type Operation } from '../types.js';
import { createNamespaceLifecycle } from './namespace-lifecycle.js';
import { createServiceAccountAdmission } from './service-account.js';

const namespaces: Record<string, KubeObject> = {
  live: { metadata: { name: 'live' } },
  going: { metadata: { name: 'going', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Terminating' } },
};
const plugin = createNamespaceLifecycle({ getNamespace: (name) => namespaces[name] });
const pods = findResource('', 'v1', 'pods')!;
const nsResource = findResource('', 'v1', 'namespaces')!;

function attrs(operation: Operation, namespace: string, over: Partial<AdmissionAttributes> = {}): AdmissionAttributes {
  return {
    operation,
    resource: pods,
    subresource: '',
    namespace,
    name: 'p',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    oldObject: null,
    user: { username: 'admin', groups: ['system:masters'] },
    dryRun: false,
    ...over,
  };
}

async function outcome(run: () => Promise<void> | void): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    if (e instanceof StatusError) return `${e.code} ${e.status.message}`;
    throw e;
  }
}

describe('NamespaceLifecycle', () => {
  const terminating = '403 pods "p" is forbidden: unable to create new content in namespace going because it is being terminated';
  const cases: Array<[string, 'admit' | 'validate', AdmissionAttributes, string]> = [
    ['create in a live namespace (mutating phase)', 'admit', attrs('CREATE', 'live'), 'ok'],
    ['create in a missing namespace (mutating phase)', 'admit', attrs('CREATE', 'nope'), '404 namespaces "nope" not found'],
    ['create in a missing namespace (validating phase)', 'validate', attrs('CREATE', 'nope'), '404 namespaces "nope" not found'],
    ['create in a terminating namespace', 'admit', attrs('CREATE', 'going'), terminating],
    ['delete of an immortal namespace', 'validate', attrs('DELETE', '', { resource: nsResource, name: 'default', object: null }), '403 namespaces "default" is forbidden: this namespace may not be deleted'],
    ['delete of another namespace', 'validate', attrs('DELETE', '', { resource: nsResource, name: 'live', object: null }), 'ok'],
  ];
  for (const [title, phase, a, want] of cases) {
    it(title, async () => {
      assert.equal(plugin.handles(a), true);
      assert.equal(await outcome(() => plugin[phase]!(a)), want);
    });
  }

  it('runs before the ServiceAccount plugin: a pod in a missing namespace is a 404, with no account lookup', async () => {
    const lookups: string[] = [];
    const chain = createAdmissionChain([
      plugin,
      createServiceAccountAdmission({
        getServiceAccount: (ns, name) => void lookups.push(`${ns}/${name}`),
        sleep: async () => {},
      }),
    ]);
    assert.equal(await outcome(() => chain.admit(attrs('CREATE', 'nope'))), '404 namespaces "nope" not found');
    assert.deepEqual(lookups, []);
  });
});
