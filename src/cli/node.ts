/**
 * `insignia node` and `insignia kubeconfig`: a standalone node agent against any server, and the
 * credentials it needs.
 *
 * `insignia node --kubeconfig K --node-name N --root DIR [--node-ip IP] [--pod-cidr CIDR]
 * [--sync-frequency 1m]` runs one node agent (src/node/agent.ts) with the credentials of the
 * kubeconfig's current context, writing its pods' files under DIR/pods. It prints one line when
 * the Node is registered; SIGTERM/SIGINT stop it cleanly and exit 0 (its files stay for the next
 * run to adopt). DIR belongs to that node: pod directories not matching its pods are removed.
 *
 * `insignia kubeconfig --data-dir DATA --user U [--group G ...] --out F [--server URL]` issues a
 * client certificate (CN=U, O=each G, one year) from DATA/pki's CA and writes a kubeconfig to F
 * (mode 0600) whose server is --server or the one of DATA/admin.kubeconfig. A short-lived
 * command: it may load the certificate library, which the long-running processes never do.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { issueCertificate } from '../auth/pki.js';
import { createHttpsTransport } from '../client/https-transport.js';
import { loadKubeconfig } from '../client/kubeconfig.js';
import { createRestClient } from '../client/rest-client.js';
import { parseGoDuration } from '../controllers/options.js';
import { createNodeAgent, defaultPodCIDR, kubeletUserAgent } from '../node/agent.js';
import { parseCidr } from '../node/agent-pod-ips.js';
import { writeKubeconfig } from './kubeconfig.js';
import { validateNodeName } from './wiring/node.js';
import { exitOnSignals } from './signals.js';

interface NodeCommandFlags {
  kubeconfig: string;
  nodeName?: string;
  root: string;
  nodeIp?: string;
  podCidr: string;
  syncFrequency: string;
  maxPods: string;
  v: string;
}

interface KubeconfigCommandFlags {
  dataDir: string;
  user: string;
  group: string[];
  out: string;
  server?: string;
  days: string;
}

const collect = (v: string, prev: string[]) => [...prev, v];

export async function runNode(flags: NodeCommandFlags): Promise<void> {
  const log = pino({ level: (Number(flags.v) || 0) >= 4 ? 'debug' : 'info', base: undefined });
  const nodeName = validateNodeName(flags.nodeName ?? hostname().toLowerCase());
  parseCidr(flags.podCidr);
  const syncFrequencyMs = parseGoDuration(flags.syncFrequency);
  if (!(syncFrequencyMs > 0)) throw new Error('--sync-frequency must be positive');
  const maxPods = Number(flags.maxPods);
  if (!Number.isInteger(maxPods) || maxPods < 1) throw new Error(`invalid --max-pods ${flags.maxPods}`);
  const config = loadKubeconfig(flags.kubeconfig);
  const transport = createHttpsTransport({ ...config, userAgent: kubeletUserAgent, maxSockets: 32 });
  const root = resolve(flags.root);
  const agent = createNodeAgent({
    client: createRestClient(transport),
    nodeName,
    root,
    nodeIP: flags.nodeIp,
    podCIDR: flags.podCidr,
    syncFrequencyMs,
    maxPods,
    log: (message, err) => {
      if (err === undefined) log.info({ node: nodeName }, message);
      else log.warn({ node: nodeName, err: err instanceof Error ? err.message : String(err) }, message);
    },
  });
  const signals = exitOnSignals(log, async () => {
    await agent.stop();
    transport.close?.();
  });
  // Keeps the process alive: the agent's own timers do not.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await agent.start();
  if (signals.stopping()) return;
  process.stdout.write(`Node ${nodeName} registered with ${config.server}\nPod files: ${join(root, 'pods')}\n`);
  void keepAlive;
}

export async function runKubeconfig(flags: KubeconfigCommandFlags): Promise<void> {
  const pkiDir = join(resolve(flags.dataDir), 'pki');
  const caCert = join(pkiDir, 'ca.crt');
  const caKey = join(pkiDir, 'ca.key');
  if (!existsSync(caCert) || !existsSync(caKey)) throw new Error(`no CA under ${pkiDir} (run \`insignia serve --data-dir ${flags.dataDir}\` first)`);
  if (!flags.user) throw new Error('--user is required');
  const days = Number(flags.days);
  if (!Number.isInteger(days) || days <= 0) throw new Error(`invalid --days ${flags.days}`);
  const server = flags.server ?? loadKubeconfig(join(resolve(flags.dataDir), 'admin.kubeconfig')).server;
  const ca = { certPem: readFileSync(caCert, 'utf8'), keyPem: readFileSync(caKey, 'utf8') };
  const pair = await issueCertificate(ca, { commonName: flags.user, organizations: [...new Set(flags.group)], usage: 'client', days });
  const out = resolve(flags.out);
  writeKubeconfig(out, { server, caPem: ca.certPem, clientCertPem: pair.certPem, clientKeyPem: pair.keyPem, userName: flags.user });
  process.stdout.write(`Kubeconfig for ${flags.user} written to ${out}\n`);
}

/** Adds `node` and `kubeconfig` to the program. */
export function addNodeCommands(program: Command): void {
  program
    .command('node')
    .description('run a node agent (registers a Node, runs the pods bound to it, writes their token volumes)')
    .requiredOption('--kubeconfig <file>', 'kubeconfig with the node\'s credentials (user system:node:<name>, group system:nodes)')
    .option('--node-name <name>', 'name of the Node (default: the host name)')
    .requiredOption('--root <dir>', 'directory of the pods\' files (<dir>/pods/<uid>/volumes/<volume>); owned by this node')
    .option('--node-ip <ip>', 'the node\'s InternalIP and the pods\' hostIP (default: the first non-loopback IPv4 address)')
    .option('--pod-cidr <cidr>', 'IPv4 range of the pods\' IPs', defaultPodCIDR)
    .option('--sync-frequency <duration>', 'period of each pod\'s resync (Go duration)', '1m')
    .option('--max-pods <n>', 'pods this node can run (its capacity and allocatable pods), like the kubelet\'s', '110')
    .option('--v <level>', 'log verbosity (0-10), like klog', '0')
    .action(async (flags: NodeCommandFlags) => {
      await runNode(flags);
    });
  program
    .command('kubeconfig')
    .description('issue a client certificate from the data directory\'s CA and write a kubeconfig with it')
    .requiredOption('--data-dir <dir>', 'data directory of `insignia serve` (its pki/ca.crt and ca.key)')
    .requiredOption('--user <name>', 'user name (certificate CN), e.g. system:node:<name>')
    .option('--group <name>', 'group (certificate O), repeatable, e.g. system:nodes', collect, [])
    .requiredOption('--out <file>', 'where to write the kubeconfig (mode 0600)')
    .option('--server <url>', 'server URL (default: the one of DATA/admin.kubeconfig)')
    .option('--days <n>', 'validity of the certificate in days', '365')
    .action(async (flags: KubeconfigCommandFlags) => {
      await runKubeconfig(flags);
    });
}
