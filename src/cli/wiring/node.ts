/**
 * The embedded node agent of `insignia serve` (src/node/agent.ts): one Node named by
 * --node-name (default insignia-node) whose pods' files live under DATA/kubelet;
 * --no-embedded-node turns it off.
 *
 * The agent is a client like any kubelet: it connects over loopback HTTPS to the server's own
 * URL with a client certificate issued from the cluster CA for user system:node:<name> in group
 * system:nodes (controller-certificates.ts, kept as DATA/pki/controllers/system_node_<name>.crt),
 * so the node authorizer and NodeRestriction confine it exactly as they confine a kubelet, and
 * with the kubelet's User-Agent. It starts after the server listens (waiting at most 10 s for
 * its registration, which it keeps retrying afterwards) and stops before the server closes.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { createHttpsTransport } from '../../client/https-transport.js';
import { createRestClient } from '../../client/rest-client.js';
import type { Transport } from '../../client/transport.js';
import { createNodeAgent, kubeletUserAgent, type NodeAgent } from '../../node/agent.js';
import { ensureIdentityCertificates } from './controller-certificates.js';
import type { PartModule, ServeContext } from './part.js';

interface NodeFlags {
  nodeName?: string;
  embeddedNode?: boolean;
}

export const defaultNodeName = 'insignia-node';

/** A node name must be a DNS-1123 subdomain (it names the Node object). */
export function validateNodeName(name: string): string {
  if (name.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    throw new Error(`invalid node name ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`);
  }
  return name;
}

/** The identity of a node's client certificate (upstream: the kubelet's client certificate). */
export const nodeIdentity = (nodeName: string) => ({ user: `system:node:${nodeName}`, groups: ['system:nodes'] });

export const nodePart: PartModule = {
  addFlags: (cmd: Command) =>
    cmd
      .option('--node-name <name>', 'name of the embedded node agent\'s Node', defaultNodeName)
      .option('--no-embedded-node', 'do not run the embedded node agent'),

  build(ctx: ServeContext) {
    const f = ctx.flags as unknown as NodeFlags;
    if (f.embeddedNode === false) return {};
    const nodeName = validateNodeName(f.nodeName ?? defaultNodeName);
    let agent: NodeAgent | undefined;
    let transport: Transport | undefined;
    const log = (message: string, err?: unknown) => {
      if (err === undefined) ctx.log.info({ component: 'kubelet', node: nodeName }, message);
      else ctx.log.warn({ component: 'kubelet', node: nodeName, err: err instanceof Error ? err.message : String(err) }, message);
    };
    return {
      async start() {
        const identity = nodeIdentity(nodeName);
        const pair = (await ensureIdentityCertificates(ctx as ServeContext, [identity])).get(identity.user)!;
        transport = createHttpsTransport({
          server: ctx.serverUrl(),
          caPem: ctx.pki.ca.certPem,
          clientCertPem: pair.certPem,
          clientKeyPem: pair.keyPem,
          userAgent: kubeletUserAgent,
          maxSockets: 32,
        });
        agent = createNodeAgent({ client: createRestClient(transport), nodeName, root: join(ctx.dataDir, 'kubelet'), log });
        let timer: NodeJS.Timeout | undefined;
        const registered = await Promise.race([
          agent.start().then(() => true),
          new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
        ]);
        clearTimeout(timer);
        if (!registered) log('the node is not registered yet; ready anyway (registration keeps retrying)', new Error('registration pending'));
      },
      async stop() {
        await agent?.stop();
        transport?.close?.();
      },
    };
  },
};
