/**
 * `insignia serve`: wires the server together from flags. The only place that picks
 * implementations (storage backend, authenticators, authorizers, admission plugins).
 *
 * Contract (the command-line contract of the README): first start generates the PKI under
 * --data-dir; when ready, DATA/admin.kubeconfig is written atomically and its path printed;
 * SIGTERM/SIGINT drain in-flight requests and exit 0 within 10 s.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { allResources } from '../api/resources.js';
import { createAdmissionChain } from '../admission/types.js';
import { createNamespaceLifecycle } from '../admission/plugins/namespace-lifecycle.js';
import { createAnonymousAuthenticator } from '../auth/authn/anonymous.js';
import { createUnionAuthenticator } from '../auth/authn/union.js';
import { createX509Authenticator } from '../auth/authn/x509.js';
import { createSystemMastersAuthorizer } from '../auth/authz/system-masters.js';
import { createUnionAuthorizer } from '../auth/authz/types.js';
import { ensurePki } from '../auth/pki.js';
import { schemaRegistry } from '../api/schema/registry.js';
import { createOpenApiDocuments } from '../server/openapi/index.js';
import { Store } from '../registry/store.js';
import { configMapStrategy } from '../registry/configmaps/strategy.js';
import { eventStrategy } from '../registry/events/strategy.js';
import { namespaceStrategy } from '../registry/namespaces/strategy.js';
import { nodeStrategy } from '../registry/nodes/strategy.js';
import { podStrategy } from '../registry/pods/strategy.js';
import { secretStrategy } from '../registry/secrets/strategy.js';
import { serviceAccountStrategy } from '../registry/serviceaccounts/strategy.js';
import { serviceStrategy } from '../registry/services/strategy.js';
import { leaseStrategy } from '../registry/leases/strategy.js';
import { createApiServer, type VersionInfo } from '../server/api-server.js';
import { createApiMetrics } from '../server/metrics.js';
import { setDefinitionLookup } from '../server/handlers/decode.js';
import { setPatchSchemaRegistry } from '../server/handlers/patch.js';
import { createSqliteBackend } from '../storage/sqlite/sqlite-backend.js';
import { writeKubeconfig } from './kubeconfig.js';
import { exitOnSignals } from './signals.js';
import type { PartModule, ServeContext, ServeFlags, ServePart } from './wiring/part.js';
import { tokensPart } from './wiring/tokens.js';
import { rbacPart } from './wiring/rbac.js';
import { admissionPart } from './wiring/admission.js';
import { controllersPart } from './wiring/controllers.js';
import { legacyTokensPart } from './wiring/legacy-tokens.js';
import { nodePart } from './wiring/node.js';
import type { Authorizer } from '../auth/authz/types.js';

export type { ServeFlags };

/** The parts of the server beyond the core, in build order (see wiring/part.ts). */
export const serveParts: PartModule[] = [tokensPart, rbacPart, admissionPart, controllersPart, legacyTokensPart, nodePart];

export const serverVersion: VersionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0+insignia',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const systemUser = { username: 'system:apiserver', groups: ['system:masters'] };

export async function runServe(flags: ServeFlags): Promise<void> {
  const verbosity = Number(flags.v) || 0;
  const log = pino({ level: verbosity >= 4 ? 'debug' : 'info', base: undefined });
  const dataDir = resolve(flags.dataDir);
  const port = Number(flags.securePort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --secure-port ${flags.securePort}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const pki = await ensurePki(join(dataDir, 'pki'), flags.bindAddress, flags.tlsSans);
  const clientCa = flags.clientCaFile ? readFileSync(flags.clientCaFile, 'utf8') : pki.ca.certPem;
  const backend = createSqliteBackend({ path: join(dataDir, 'insignia.db') });

  const strategies = [
    namespaceStrategy,
    serviceAccountStrategy,
    secretStrategy,
    configMapStrategy,
    podStrategy,
    nodeStrategy,
    eventStrategy,
    serviceStrategy,
    leaseStrategy,
  ];
  const watchCacheSize = Number(flags.defaultWatchCacheSize) || 10000;
  const stores = strategies.map((strategy) => new Store({ backend, strategy, watchCacheSize, schema: schemaRegistry }));
  await Promise.all(stores.map((s) => s.start()));
  const namespaces = stores.find((s) => s.info.resource === 'namespaces')!;

  setDefinitionLookup((name) => schemaRegistry.definitions[name]);
  setPatchSchemaRegistry(schemaRegistry);

  let serverUrl: string | undefined;
  let authorizer: Authorizer | undefined;
  const ctx: ServeContext = {
    flags,
    dataDir,
    log,
    backend,
    pki,
    systemUser,
    stores,
    store(resource, group = '') {
      const s = stores.find((x) => x.info.resource === resource && x.info.group === group);
      if (!s) throw new Error(`no store for ${resource}${group ? '.' + group : ''}`);
      return s;
    },
    serverUrl() {
      if (!serverUrl) throw new Error('the server is not listening yet');
      return serverUrl;
    },
    authorizer() {
      if (!authorizer) throw new Error('the authorizer is not built yet');
      return authorizer;
    },
  };
  const parts: ServePart[] = [];
  for (const module of serveParts) {
    const part = await module.build(ctx);
    if (part.stores?.length) {
      await Promise.all(part.stores.map((s) => s.start()));
      stores.push(...part.stores);
    }
    parts.push(part);
  }
  authorizer = createUnionAuthorizer([createSystemMastersAuthorizer(), ...parts.flatMap((p) => p.authorizers ?? [])]);
  const servedResources = allResources.filter(
    (r) => stores.some((s) => s.info.group === r.group && s.info.version === r.version && s.info.resource === r.resource) ||
      parts.some((p) => p.createHandlers?.[`${r.group}/${r.version}/${r.resource}`]),
  );

  const admission = createAdmissionChain([
    createNamespaceLifecycle({ getNamespace: (name) => namespaces.find('', name) }),
    ...parts.flatMap((p) => p.admissionPlugins ?? []),
  ]);

  for (const name of systemNamespaces) {
    if (!namespaces.find('', name)) {
      try {
        await namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { user: systemUser, dryRun: false });
      } catch (e) {
        if ((e as { code?: number }).code !== 409) throw e;
      }
    }
  }

  const openapi = createOpenApiDocuments();
  const server = createApiServer({
    tls: { cert: pki.serving.certPem, key: pki.serving.keyPem, ca: clientCa },
    bindAddress: flags.bindAddress,
    port,
    resources: servedResources,
    stores,
    authenticator: createUnionAuthenticator(
      [createX509Authenticator(), ...parts.flatMap((p) => p.authenticators ?? [])],
      flags.anonymousAuth === false ? undefined : createAnonymousAuthenticator(),
    ),
    authorizer,
    admission,
    extraRoutes: Object.assign({}, ...parts.map((p) => p.extraRoutes ?? {})),
    subresourceHandlers: Object.assign({}, ...parts.map((p) => p.subresourceHandlers ?? {})),
    createHandlers: Object.assign({}, ...parts.map((p) => p.createHandlers ?? {})),
    impersonate: parts.find((p) => p.impersonate)?.impersonate,
    version: serverVersion,
    openapi,
    minRequestTimeoutSeconds: Number(flags.minRequestTimeout) || 1800,
    metrics: createApiMetrics(),
    log: (level, message, fields) => log[level](fields ?? {}, message),
  });
  const boundPort = await server.listen();
  serverUrl = server.url;

  for (const part of parts) await part.start?.();

  // Compaction: every 5 minutes, discard history older than the revision seen 5 minutes before.
  let lastRevision = await backend.currentRevision();
  const compactor = setInterval(() => {
    void (async () => {
      const target = lastRevision;
      lastRevision = await backend.currentRevision();
      if (target > 0) await backend.compact(target);
    })().catch((e) => log.warn({ err: String(e) }, 'compaction failed'));
  }, 5 * 60 * 1000);
  compactor.unref();

  const kubeconfigPath = join(dataDir, 'admin.kubeconfig');
  writeKubeconfig(kubeconfigPath, {
    server: server.url,
    caPem: pki.ca.certPem,
    clientCertPem: pki.admin.certPem,
    clientKeyPem: pki.admin.keyPem,
  });
  server.setReady(true);
  log.info({ url: server.url, port: boundPort, dataDir }, 'insignia API server ready');
  process.stdout.write(`Serving on ${server.url}\nAdmin kubeconfig: ${kubeconfigPath}\n`);

  exitOnSignals(log, async () => {
    clearInterval(compactor);
    for (const part of [...parts].reverse()) await part.stop?.();
    await server.close(7000);
    for (const s of stores) s.stop();
    await backend.close();
  });
}
