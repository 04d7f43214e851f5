/**
 * The node agent (issue 6) against the real server process, driven with the real kubectl as the
 * issue's user does: the embedded node registers and turns Ready, a pod with a ServiceAccount is
 * scheduled and runs (1/1 Running), its token volumes are written under DATA/kubelet with the
 * atomic writer's layout and the expected claims, a missing ConfigMap holds a pod with a
 * FailedMount event until it appears, deletion removes the pod, its files and the validity of its
 * tokens. The second part restarts the embedded agent (adoption, no new tokens) and runs a
 * standalone `insignia node` with credentials from `insignia kubeconfig`, across a server restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOk, kubectl, readKubeconfigCa, serverEntry, startServer, useServerAndKubectl, type Kubectl, type ServerProcess } from './harness.js';
import { eventually, getJson, payloadOf, runInsignia } from './support.js';

const ok = expectOk;

const projectedPod = (name: string, sa: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - image: nginx\n    name: nginx\n    volumeMounts:\n    - mountPath: /var/run/secrets/tokens\n      name: vault-token\n  serviceAccountName: ${sa}\n${extra}  volumes:\n  - name: vault-token\n    projected:\n      sources:\n      - serviceAccountToken:\n          path: vault-token\n          expirationSeconds: 7200\n          audience: vault\n`;

/** Waits until `kubectl get po NAME` shows `1/1 Running`; returns the pod. */
async function running(k: Kubectl, name: string, ns: string, ms = 30_000): Promise<any> {
  await eventually(`${ns}/${name} Running`, async () => {
    const r = await k(['get', 'po', name, '-n', ns]);
    return new RegExp(`^${name}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s*$`, 'm').test(r.stdout) ? r.stdout : undefined;
  }, ms);
  return getJson(k, ['po', name, '-n', ns]);
}

async function tokenReview(k: Kubectl, dir: string, token: string): Promise<any> {
  const path = join(dir, `review-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }));
  return JSON.parse(ok(await k(['create', '-f', path, '-o', 'json']), 'tokenreview')).status;
}

describe('node agent with kubectl 1.32', () => {
  const t = useServerAndKubectl('1.32', { before, after });
  const file = (name: string, text: string) => {
    const p = join(t.dir, name);
    writeFileSync(p, text);
    return p;
  };
  const volumeDir = (uid: string, volume: string) => join(t.server.dataDir, 'kubelet', 'pods', uid, 'volumes', volume);

  it('kubectl get nodes shows insignia-node Ready, v1.32.0, with its Lease', async () => {
    const out = await eventually('insignia-node Ready', async () => {
      const r = await t.k(['get', 'nodes']);
      return /^insignia-node\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s*$/m.test(r.stdout) ? r.stdout : undefined;
    });
    assert.match(out, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s*$/m);
    const node = await getJson(t.k, ['node', 'insignia-node']);
    const lease = await eventually('lease', () => getJson(t.k, ['lease', 'insignia-node', '-n', 'kube-node-lease']));
    assert.equal(lease.spec.holderIdentity, 'insignia-node');
    assert.equal(lease.spec.leaseDurationSeconds, 40);
    assert.match(lease.spec.renewTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'insignia-node', uid: node.metadata.uid }]);
    const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    assert.equal(ready.reason, 'KubeletReady');
    assert.equal(node.status.nodeInfo.kubeletVersion, 'v1.32.0');
    assert.notEqual(node.status.capacity['ephemeral-storage'], '0', 'measured on the filesystem of DATA/kubelet');
    assert.deepEqual(node.spec.podCIDRs, ['10.244.0.0/24']);
  });

  it('a pod with serviceAccountName runs: 1/1 Running; describe shows its ServiceAccount and node', async () => {
    assert.equal(ok(await t.k(['create', 'ns', 'my-ns']), 'create ns').trim(), 'namespace/my-ns created');
    assert.equal(ok(await t.k(['create', 'serviceaccount', 'my-sa', '-n=my-ns']), 'create sa').trim(), 'serviceaccount/my-sa created');
    const generated = ok(await t.k(['run', 'my-pod', '--image=nginx', '-n=my-ns', '--dry-run=client', '-oyaml']), 'run --dry-run');
    const manifest = generated.replace(/^spec:\n/m, 'spec:\n  serviceAccountName: my-sa\n');
    assert.notEqual(manifest, generated);
    assert.equal(ok(await t.k(['apply', '-f', file('pod.yaml', manifest)]), 'apply').trim(), 'pod/my-pod created');
    const pod = await running(t.k, 'my-pod', 'my-ns');
    assert.match(pod.status.podIP, /^10\.244\.0\.\d+$/);
    assert.ok(pod.status.hostIP);
    assert.ok(pod.status.startTime);
    assert.equal(pod.status.containerStatuses[0].ready, true);
    assert.ok(pod.status.containerStatuses[0].state.running.startedAt);
    const described = ok(await t.k(['describe', 'po', 'my-pod', '-n=my-ns']), 'describe');
    assert.match(described, /^Service Account:\s+my-sa$/m);
    assert.match(described, new RegExp(`^Node:\\s+insignia-node/${pod.status.hostIP.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(described, /^Status:\s+Running$/m);
    await eventually('container events', async () => {
      const d = ok(await t.k(['describe', 'po', 'my-pod', '-n=my-ns']), 'describe');
      return /Normal\s+Pulled\s+.*kubelet\s+Container image "nginx" already present on machine/.test(d) &&
        /Normal\s+Created\s+.*kubelet\s+Created container my-pod/.test(d) &&
        /Normal\s+Started\s+.*kubelet\s+Started container my-pod/.test(d)
        ? d
        : undefined;
    });

    // The kube-api-access volume: token, ca.crt, namespace through the atomic writer's ..data link.
    const volume = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-')).name;
    const dir = volumeDir(pod.metadata.uid, volume);
    const data = readlinkSync(join(dir, '..data'));
    assert.match(data, /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/);
    for (const name of ['token', 'ca.crt', 'namespace']) {
      assert.ok(lstatSync(join(dir, name)).isSymbolicLink(), name);
      assert.equal(readlinkSync(join(dir, name)), `..data/${name}`);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['..data', data, 'ca.crt', 'namespace', 'token'].sort());
    assert.equal(readFileSync(join(dir, 'ca.crt'), 'utf8'), readKubeconfigCa(t.server.kubeconfig));
    assert.equal(readFileSync(join(dir, 'namespace'), 'utf8'), 'my-ns');
    const claims = payloadOf(readFileSync(join(dir, 'token'), 'utf8'));
    assert.equal(claims['kubernetes.io'].namespace, 'my-ns');
    assert.equal(claims['kubernetes.io'].serviceaccount.name, 'my-sa');
    assert.equal(claims['kubernetes.io'].pod.name, 'my-pod');
    assert.equal(claims['kubernetes.io'].node.name, 'insignia-node');
    assert.equal(claims.sub, 'system:serviceaccount:my-ns:my-sa');
  });

  it('a projected token for audience vault: a JWT with aud [vault], a 7200 s lifetime and the pod and node claims', async () => {
    ok(await t.k(['create', '-n=my-ns', '-f', file('pod-projected-svc-token.yaml', projectedPod('nginx', 'my-sa'))]), 'create');
    const pod = await running(t.k, 'nginx', 'my-ns');
    const node = await getJson(t.k, ['node', 'insignia-node']);
    const dir = volumeDir(pod.metadata.uid, 'vault-token');
    assert.deepEqual(readdirSync(dir).filter((n) => !n.startsWith('..')), ['vault-token']);
    const path = join(dir, 'vault-token');
    assert.equal(statSync(path).mode & 0o777, 0o644);
    const claims = payloadOf(readFileSync(path, 'utf8'));
    assert.deepEqual(claims.aud, ['vault']);
    assert.equal(claims.exp - claims.iat, 7200);
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'nginx', uid: pod.metadata.uid });
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'insignia-node', uid: node.metadata.uid });
    assert.deepEqual(claims['kubernetes.io'].serviceaccount.name, 'my-sa');
    assert.notEqual((await tokenReview(t.k, t.dir, readFileSync(path, 'utf8'))).authenticated, true, 'audience vault is not the API audience');
  });

  it('kubectl delete po: the pod goes, its folder is removed and its tokens stop working', async () => {
    const pod = await getJson(t.k, ['po', 'my-pod', '-n', 'my-ns']);
    const volume = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-')).name;
    const token = readFileSync(join(volumeDir(pod.metadata.uid, volume), 'token'), 'utf8');
    assert.equal((await tokenReview(t.k, t.dir, token)).authenticated, true);
    assert.equal(ok(await t.k(['delete', 'po', 'my-pod', '-n=my-ns']), 'delete').trim(), 'pod "my-pod" deleted');
    assert.equal((await t.k(['get', 'po', 'my-pod', '-n=my-ns'])).code, 1);
    await eventually('pod folder removed', async () => (existsSync(join(t.server.dataDir, 'kubelet', 'pods', pod.metadata.uid)) ? undefined : true));
    const review = await tokenReview(t.k, t.dir, token);
    assert.notEqual(review.authenticated, true);
    // --grace-period=0 --force removes the pod at once; the agent cleans up after it.
    const other = await getJson(t.k, ['po', 'nginx', '-n', 'my-ns']);
    const forced = await t.k(['delete', 'po', 'nginx', '-n=my-ns', '--grace-period=0', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    await eventually('forced pod folder removed', async () => (existsSync(join(t.server.dataDir, 'kubelet', 'pods', other.metadata.uid)) ? undefined : true));
  });

  it('a pod whose ConfigMap is missing waits with FailedMount, starts when it appears and sees its updates', async () => {
    const manifest = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: configured\nspec:\n  serviceAccountName: my-sa\n  containers:\n  - name: app\n    image: nginx\n    volumeMounts:\n    - {name: settings, mountPath: /etc/settings}\n  volumes:\n  - name: settings\n    configMap:\n      name: app-config\n`;
    ok(await t.k(['create', '-n=my-ns', '-f', file('configured.yaml', manifest)]), 'create');
    await eventually('FailedMount', async () => {
      const d = ok(await t.k(['describe', 'po', 'configured', '-n=my-ns']), 'describe');
      return /Warning\s+FailedMount\s+.*kubelet\s+MountVolume\.SetUp failed for volume "settings" : configmap "app-config" not found/.test(d) ? d : undefined;
    });
    await eventually('ContainerCreating', async () => (/^configured\s+0\/1\s+ContainerCreating\s+0\s+/m.test(ok(await t.k(['get', 'po', 'configured', '-n=my-ns']), 'get')) ? true : undefined));
    ok(await t.k(['create', 'configmap', 'app-config', '-n=my-ns', '--from-literal=greeting=hello']), 'create cm');
    const pod = await running(t.k, 'configured', 'my-ns');
    const path = join(volumeDir(pod.metadata.uid, 'settings'), 'greeting');
    assert.equal(readFileSync(path, 'utf8'), 'hello');
    ok(await t.k(['patch', 'configmap', 'app-config', '-n=my-ns', '-p', '{"data":{"greeting":"bye"}}']), 'patch cm');
    await eventually('updated file', async () => (readFileSync(path, 'utf8') === 'bye' ? true : undefined));
  });

  it('kubectl delete node: its node-bound tokens are refused; the agent registers it again and its pods get new tokens', async () => {
    ok(await t.k(['run', 'survivor', '--image=nginx', '-n=my-ns']), 'run');
    const pod = await running(t.k, 'survivor', 'my-ns');
    const first = await getJson(t.k, ['node', 'insignia-node']);
    const volume = pod.spec.volumes.find((v: any) => v.name.startsWith('kube-api-access-')).name;
    const path = join(volumeDir(pod.metadata.uid, volume), 'token');
    const token = readFileSync(path, 'utf8');
    assert.equal(payloadOf(token)['kubernetes.io'].node.uid, first.metadata.uid);
    assert.equal((await tokenReview(t.k, t.dir, token)).authenticated, true);
    const nodeBound = ok(await t.k(['create', 'token', 'my-sa', '-n=my-ns', '--bound-object-kind=Node', '--bound-object-name=insignia-node']), 'node-bound token').trim();
    assert.equal((await tokenReview(t.k, t.dir, nodeBound)).authenticated, true);
    assert.equal(ok(await t.k(['delete', 'node', 'insignia-node']), 'delete node').trim(), 'node "insignia-node" deleted');
    assert.notEqual((await tokenReview(t.k, t.dir, nodeBound)).authenticated, true, 'a token bound to the deleted Node');
    // A pod-bound token's node claim is informational (upstream does not verify it): still valid.
    assert.equal((await tokenReview(t.k, t.dir, token)).authenticated, true);
    const again = await eventually('insignia-node registered again', async () => {
      const node = await getJson(t.k, ['node', 'insignia-node']);
      return node && node.metadata.uid !== first.metadata.uid ? node : undefined;
    });
    const renewed = await eventually('a new token in the file', async () => {
      const current = readFileSync(path, 'utf8');
      return current !== token ? current : undefined;
    });
    assert.equal(payloadOf(renewed)['kubernetes.io'].node.uid, again.metadata.uid);
    assert.equal((await tokenReview(t.k, t.dir, renewed)).authenticated, true);
    await running(t.k, 'survivor', 'my-ns');
  });
});

describe('node agent restarts, standalone nodes and server restarts', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let dir: string;
  let standalone: ChildProcess | undefined;
  let standaloneOut = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'insignia-e2e-node-'));

  before(async () => {
    server = await startServer({ dataDir });
    k = kubectl(server.kubeconfig, '1.32');
    dir = mkdtempSync(join(tmpdir(), 'insignia-kubectl-'));
  });
  after(async () => {
    if (standalone && standalone.exitCode === null) standalone.kill('SIGKILL');
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('an agent restart adopts its pods and their token files: no new tokens, stale folders removed', async () => {
    ok(await k(['create', 'sa', 'robot']), 'sa');
    ok(await k(['create', '-f', (writeFileSync(join(dir, 'p.yaml'), projectedPod('keeper', 'robot')), join(dir, 'p.yaml'))]), 'pod');
    const pod = await running(k, 'keeper', 'default');
    const path = join(dataDir, 'kubelet', 'pods', pod.metadata.uid, 'volumes', 'vault-token', 'vault-token');
    const token = readFileSync(path, 'utf8');
    assert.equal(await server.stop(), 0);
    const stale = join(dataDir, 'kubelet', 'pods', '00000000-0000-0000-0000-000000000000');
    mkdirSync(join(stale, 'volumes', 'x'), { recursive: true });
    server = await startServer({ dataDir });
    k = kubectl(server.kubeconfig, '1.32');
    await eventually('stale folder removed', async () => (existsSync(stale) ? undefined : true));
    const again = await running(k, 'keeper', 'default');
    assert.equal(again.status.podIP, pod.status.podIP, 'the pod keeps its IP');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(readFileSync(path, 'utf8'), token, 'the adopted token is still the one on disk');
  });

  it('insignia kubeconfig + insignia node: a standalone node runs the pods bound to it, across a server restart', async () => {
    const kubeconfig = join(dir, 'worker-1.kubeconfig');
    const minted = await runInsignia(['kubeconfig', '--data-dir', dataDir, '--user', 'system:node:worker-1', '--group', 'system:nodes', '--out', kubeconfig]);
    assert.equal(minted.code, 0, minted.out);
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    // The node's credentials are confined by the node authorizer: no listing of Secrets.
    const asNode = kubectl(kubeconfig, '1.32');
    const secrets = await asNode(['get', 'secrets', '-n', 'default']);
    assert.equal(secrets.code, 1);
    assert.match(secrets.stderr, /secrets is forbidden: User "system:node:worker-1" cannot list resource "secrets"/);
    const root = join(dir, 'worker-1');
    standalone = spawn(process.execPath, [...serverEntry(), 'node', '--kubeconfig', kubeconfig, '--node-name', 'worker-1', '--root', root, '--pod-cidr', '10.244.1.0/24'], { stdio: ['ignore', 'pipe', 'pipe'] });
    standalone.stdout!.on('data', (d) => (standaloneOut += d));
    standalone.stderr!.on('data', (d) => (standaloneOut += d));
    await eventually('worker-1 registered', async () => (/Node worker-1 registered/.test(standaloneOut) ? true : undefined));
    await eventually('worker-1 Ready', async () => (/^worker-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s*$/m.test(ok(await k(['get', 'nodes']), 'nodes')) ? true : undefined));
    const bound = projectedPod('on-worker', 'robot', '  nodeName: worker-1\n');
    ok(await k(['create', '-f', (writeFileSync(join(dir, 'w.yaml'), bound), join(dir, 'w.yaml'))]), 'pod');
    const pod = await running(k, 'on-worker', 'default');
    assert.match(pod.status.podIP, /^10\.244\.1\.\d+$/);
    const claims = payloadOf(readFileSync(join(root, 'pods', pod.metadata.uid, 'volumes', 'vault-token', 'vault-token'), 'utf8'));
    assert.equal(claims['kubernetes.io'].node.name, 'worker-1');

    // The server restarts on the same port: the agent relists and keeps going.
    const port = server.port;
    assert.equal(await server.stop(), 0);
    server = await startServer({ dataDir, args: ['--secure-port', String(port)] });
    k = kubectl(server.kubeconfig, '1.32');
    ok(await k(['create', '-f', (writeFileSync(join(dir, 'w2.yaml'), projectedPod('after-restart', 'robot', '  nodeName: worker-1\n')), join(dir, 'w2.yaml'))]), 'pod 2');
    await running(k, 'after-restart', 'default', 60_000);
    assert.equal(ok(await k(['delete', 'po', 'on-worker']), 'delete').trim(), 'pod "on-worker" deleted');
    await eventually('folder removed', async () => (existsSync(join(root, 'pods', pod.metadata.uid)) ? undefined : true));

    standalone.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => (standalone!.exitCode !== null ? r(standalone!.exitCode) : standalone!.once('exit', (c) => r(c))));
    assert.equal(code, 0, standaloneOut);
  });
});

describe('serve --no-embedded-node', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--no-embedded-node']);

  it('registers no Node', async () => {
    await new Promise((r) => setTimeout(r, 1000));
    const r = await t.k(['get', 'nodes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim(), 'No resources found');
    assert.equal(existsSync(join(t.server.dataDir, 'kubelet')), false);
  });
});

describe('a node whose agent stops turns NotReady, and Ready again when it comes back', () => {
  const t = useServerAndKubectl('1.32', { before, after }, ['--no-embedded-node', '--node-monitor-grace-period', '4s', '--node-monitor-period', '1s']);
  let agent: ChildProcess | undefined;
  after(() => {
    if (agent && agent.exitCode === null) agent.kill('SIGKILL');
  });
  const startAgent = (kubeconfig: string, root: string) => {
    const child = spawn(process.execPath, [...serverEntry(), 'node', '--kubeconfig', kubeconfig, '--node-name', 'worker-2', '--root', root], { stdio: 'ignore' });
    return child;
  };
  const nodeRow = async () => ok(await t.k(['get', 'nodes']), 'get nodes');

  it('kill -9 of the agent: NotReady, unreachable taints, its pod not Ready; a new agent heals it', async () => {
    const kubeconfig = join(t.dir, 'worker-2.kubeconfig');
    const minted = await runInsignia(['kubeconfig', '--data-dir', t.server.dataDir, '--user', 'system:node:worker-2', '--group', 'system:nodes', '--out', kubeconfig]);
    assert.equal(minted.code, 0, minted.out);
    const root = join(t.dir, 'worker-2');
    agent = startAgent(kubeconfig, root);
    await eventually('worker-2 Ready', async () => (/^worker-2\s+Ready\s/m.test(await nodeRow()) ? true : undefined));
    ok(await t.k(['run', 'web', '--image=nginx']), 'run');
    await eventually('web Running', async () => (/^web\s+1\/1\s+Running\s/m.test(ok(await t.k(['get', 'po', 'web']), 'get po')) ? true : undefined));

    agent.kill('SIGKILL');
    await eventually('worker-2 NotReady', async () => (/^worker-2\s+NotReady\s/m.test(await nodeRow()) ? true : undefined));
    const node = await getJson(t.k, ['node', 'worker-2']);
    const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    const taints = await eventually('unreachable taints', async () => {
      const n = await getJson(t.k, ['node', 'worker-2']);
      const keys = (n.spec.taints ?? []).map((x: any) => `${x.key}:${x.effect}`).sort();
      return keys.length === 2 ? keys : undefined;
    });
    assert.deepEqual(taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const podReady = async () => (await getJson(t.k, ['po', 'web'])).status.conditions.find((c: any) => c.type === 'Ready');
    // The condition, as upstream's MarkPodsNotReady (kubectl's READY column counts container statuses).
    const notReady = await eventually('web Ready=False', async () => ((await podReady()).status === 'False' ? podReady() : undefined));
    assert.equal(notReady.reason, undefined);

    agent = startAgent(kubeconfig, root);
    await eventually('worker-2 Ready again', async () => (/^worker-2\s+Ready\s/m.test(await nodeRow()) ? true : undefined));
    await eventually('taints removed', async () => ((await getJson(t.k, ['node', 'worker-2'])).spec.taints?.length ? undefined : true));
    await eventually('web Ready=True again', async () => ((await podReady()).status === 'True' ? true : undefined));
    agent.kill('SIGTERM');
  });
});
