/**
 * The garbage collector against the real server, driven with kubectl 1.32: dependents named by
 * ownerReferences go with their owner (background), before it (foreground, blockOwnerDeletion),
 * or stay without the reference (orphan); a dependent whose owner never existed is deleted.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOk, useServerAndKubectl } from './harness.js';
import { eventually, getJson, controllerDenials } from './support.js';

const ok = expectOk;

describe('garbage collector with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });

  /** Creates ConfigMap `owner` and Secrets `names` owned by it; returns the owner's uid. */
  async function family(owner: string, names: string[], block = false): Promise<string> {
    ok(await t.k(['create', 'configmap', owner]), 'create owner');
    const uid = (await getJson(t.k, ['configmap', owner])).metadata.uid;
    for (const name of names) {
      const file = join(t.dir, `${name}.yaml`);
      writeFileSync(
        file,
        `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ${owner}\n    uid: ${uid}\n${block ? '    blockOwnerDeletion: true\n' : ''}stringData:\n  a: b\n`,
      );
      ok(await t.k(['create', '-f', file]), `create ${name}`);
    }
    return uid;
  }

  it('background: dependents are deleted after their owner', async () => {
    await family('bg-owner', ['bg-a', 'bg-b']);
    assert.equal(ok(await t.k(['delete', 'configmap', 'bg-owner']), 'delete').trim(), 'configmap "bg-owner" deleted');
    await eventually('dependents gone', async () => ((await t.k(['get', 'secret', 'bg-a'])).code === 1 && (await t.k(['get', 'secret', 'bg-b'])).code === 1 ? true : undefined));
  });

  it('foreground: the owner waits with foregroundDeletion until blocking dependents are gone', async () => {
    await family('fg-owner', ['fg-a'], true);
    ok(await t.k(['delete', 'configmap', 'fg-owner', '--cascade=foreground']), 'delete foreground');
    // kubectl waited for the owner to disappear; its dependent had to go first.
    assert.equal((await t.k(['get', 'configmap', 'fg-owner'])).code, 1);
    assert.equal((await t.k(['get', 'secret', 'fg-a'])).code, 1);
  });

  it('foreground deletion is visible while a dependent holds it back', async () => {
    await family('held-owner', ['held-a'], true);
    ok(await t.k(['patch', 'secret', 'held-a', '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']), 'hold dependent');
    ok(await t.k(['delete', 'configmap', 'held-owner', '--cascade=foreground', '--wait=false']), 'delete foreground');
    const owner = await getJson(t.k, ['configmap', 'held-owner']);
    assert.ok(owner.metadata.deletionTimestamp);
    assert.deepEqual(owner.metadata.finalizers, ['foregroundDeletion']);
    await eventually('dependent marked deleted', async () => ((await getJson(t.k, ['secret', 'held-a']))?.metadata.deletionTimestamp ? true : undefined));
    ok(await t.k(['patch', 'secret', 'held-a', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']), 'release');
    await eventually('owner gone', async () => ((await t.k(['get', 'configmap', 'held-owner'])).code === 1 ? true : undefined));
  });

  it('orphan: dependents stay, without the reference', async () => {
    await family('or-owner', ['or-a']);
    ok(await t.k(['delete', 'configmap', 'or-owner', '--cascade=orphan']), 'delete orphan');
    assert.equal((await t.k(['get', 'configmap', 'or-owner'])).code, 1);
    const dep = await eventually('reference removed', async () => {
      const s = await getJson(t.k, ['secret', 'or-a']);
      return s && !s.metadata.ownerReferences ? s : undefined;
    });
    assert.equal(dep.metadata.name, 'or-a');
  });

  it('a dependent whose owner does not exist is deleted; one with a live owner stays', async () => {
    const file = join(t.dir, 'dangling.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: dangling\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ghost\n    uid: 00000000-0000-0000-0000-000000000000\n');
    await family('live-owner', ['kept']);
    ok(await t.k(['create', '-f', file]), 'create dangling');
    await eventually('dangling deleted', async () => ((await t.k(['get', 'secret', 'dangling'])).code === 1 ? true : undefined));
    assert.equal((await t.k(['get', 'secret', 'kept'])).code, 0);
  });

  it('a cluster-scoped object owned by a namespaced one is deleted, with a Warning event', async () => {
    ok(await t.k(['create', 'configmap', 'ns-owner']), 'create owner');
    const uid = (await getJson(t.k, ['configmap', 'ns-owner'])).metadata.uid;
    const file = join(t.dir, 'node.yaml');
    writeFileSync(file, `apiVersion: v1\nkind: Node\nmetadata:\n  name: owned-node\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: ns-owner\n    uid: ${uid}\n`);
    ok(await t.k(['create', '-f', file]), 'create node');
    await eventually('node deleted', async () => ((await t.k(['get', 'node', 'owned-node'])).code === 1 ? true : undefined));
    const events = await eventually('event', async () => {
      const list = await getJson(t.k, ['events', '-n', 'default', '--field-selector', 'reason=OwnerRefInvalidNamespace']);
      return list?.items.length ? list.items : undefined;
    });
    assert.equal(events[0].involvedObject.kind, 'Node');
    assert.equal(events[0].involvedObject.name, 'owned-node');
    assert.equal(events[0].type, 'Warning');
    assert.equal(events[0].source.component, 'garbage-collector-controller');
    assert.equal(events[0].message, `ownerRef [v1/ConfigMap, namespace: , name: ns-owner, uid: ${uid}] does not exist in namespace ""`);
  });

  it('RBAC refused no controller request', () => {
    assert.deepEqual(controllerDenials(t.server.output()), []);
  });
});
