import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryBackend } from '../../storage/memory/memory-backend.js';
import { Store } from '../../registry/store.js';
import { clusterRoleBindingStrategy, clusterRoleStrategy } from '../../registry/rbac/strategy.js';
import { createAdmissionChain } from '../../admission/types.js';
import { isStatusError } from '../../api/status.js';
import { feedBindingIndex } from './watch-feed.js';
import { BindingIndex, createRuleResolver } from './rule-resolver.js';
import { createRbacAuthorizer } from './rbac.js';
import { createEscalationCheck } from './escalation.js';
import { createUnionAuthorizer, type Attributes } from './types.js';
import { createSystemMastersAuthorizer } from './system-masters.js';

const g = 'rbac.authorization.k8s.io';
const admin = { user: { username: 'admin', groups: ['system:masters'] }, dryRun: false };
const bob = { username: 'bob', groups: ['system:authenticated'] };
const listPods: Attributes = { user: bob, verb: 'list', isResourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace: 'dev', resource: 'pods', subresource: '', name: '' };

describe('RBAC over real Stores (memory backend)', () => {
  it('a binding governs the next decision after its write returns, and stops with its deletion', async () => {
    const backend = createMemoryBackend();
    const clusterRoles = new Store({ backend, strategy: clusterRoleStrategy });
    const bindings = new Store({ backend, strategy: clusterRoleBindingStrategy });
    await clusterRoles.start();
    await bindings.start();
    const index = new BindingIndex(false);
    const stop = feedBindingIndex(bindings, index, () => {});
    const resolver = createRuleResolver({
      roles: { role: () => undefined, clusterRole: (n) => clusterRoles.find('', n), generation: () => clusterRoles.cache.revision },
      clusterRoleBindings: index,
      roleBindings: new BindingIndex(true),
    });
    const rbac = createRbacAuthorizer(resolver);
    const decision = () => (rbac.authorize(listPods) as { decision: string }).decision;

    await clusterRoles.create('', { metadata: { name: 'reader' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] }, admin);
    assert.equal(decision(), 'no-opinion');
    await bindings.create('', { metadata: { name: 'bob-reads' }, roleRef: { kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'User', name: 'bob' }] }, admin);
    assert.equal(decision(), 'allow');
    // Rules of the role change: seen at once.
    await clusterRoles.update('', 'reader', { metadata: { name: 'reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, admin);
    assert.equal(decision(), 'no-opinion');
    await clusterRoles.update('', 'reader', { metadata: { name: 'reader' }, rules: [{ verbs: ['list'], apiGroups: [''], resources: ['pods'] }] }, admin);
    assert.equal(decision(), 'allow');
    await bindings.delete('', 'bob-reads', {}, admin);
    assert.equal(decision(), 'no-opinion');

    // The escalation plugin through the Store's admission: bob may not bind what he lacks.
    const admission = createAdmissionChain([
      createEscalationCheck({ resolver, authorizer: () => createUnionAuthorizer([createSystemMastersAuthorizer(), rbac]) }),
    ]);
    await assert.rejects(
      bindings.create('', { metadata: { name: 'x' }, roleRef: { apiGroup: g, kind: 'ClusterRole', name: 'reader' }, subjects: [{ kind: 'User', name: 'bob' }] }, { user: bob, dryRun: false, admission }),
      (e: unknown) => isStatusError(e) && e.code === 403,
    );
    assert.equal(bindings.find('', 'x'), undefined);
    stop();
    bindings.stop();
    clusterRoles.stop();
  });
});
