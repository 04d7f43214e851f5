/**
 * How `insignia serve` is assembled: the core (storage, PKI, core Stores, the HTTPS server) plus
 * parts, one per subsystem (tokens, RBAC, controllers, admission). Each part is a wiring module
 * in this folder: it adds its command-line flags to `serve` and, given the ServeContext, returns
 * the pieces it contributes. Only cli/ picks implementations; parts are where it does so.
 */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import type { AdmissionPlugin, UserInfo } from '../../admission/types.js';
import type { Authenticator } from '../../auth/authn/types.js';
import type { Authorizer } from '../../auth/authz/types.js';
import type { Pki } from '../../auth/pki.js';
import type { Store } from '../../registry/store.js';
import type { Backend } from '../../storage/backend.js';
import type { ApiServerOptions } from '../../server/api-server.js';

/** Parsed `serve` flags: the core's, plus whatever the parts registered (commander camelCases names). */
export interface ServeFlags {
  dataDir: string;
  securePort: string;
  bindAddress: string;
  clientCaFile?: string;
  tlsSans: string[];
  minRequestTimeout: string;
  v: string;
  defaultWatchCacheSize: string;
  anonymousAuth: boolean;
  [flag: string]: unknown;
}

export interface ServeContext {
  flags: ServeFlags;
  /** Absolute data directory (database, PKI, keys, kubeconfigs). */
  dataDir: string;
  log: Logger;
  backend: Backend;
  pki: Pki;
  /** The identity the server uses for its own bootstrap writes. */
  systemUser: UserInfo;
  /** Every Store created so far (the core's, then earlier parts'). */
  stores: Store[];
  /** The Store of a resource by plural name and group ('' for core); throws when missing. */
  store(resource: string, group?: string): Store;
  /** The server's URL (https://host:port); valid once the server listens (in `start`). */
  serverUrl(): string;
  /** The server's whole authorizer (the union of every part's); valid once all parts are built. */
  authorizer(): Authorizer;
}

/** What a part contributes. Everything is optional. */
export interface ServePart {
  /** Stores of the resources this part serves (started by the core before the server listens). */
  stores?: Store[];
  /** Authenticators, tried after x509 and before anonymous. */
  authenticators?: Authenticator[];
  /** Authorizers, asked after system:masters, in part order. */
  authorizers?: Authorizer[];
  /** Admission plugins, run after NamespaceLifecycle, in part order. */
  admissionPlugins?: AdmissionPlugin[];
  extraRoutes?: ApiServerOptions['extraRoutes'];
  subresourceHandlers?: ApiServerOptions['subresourceHandlers'];
  createHandlers?: ApiServerOptions['createHandlers'];
  impersonate?: ApiServerOptions['impersonate'];
  /** Runs after the server listens and the system namespaces exist, before readiness. */
  start?(): Promise<void> | void;
  /** Runs on shutdown, before the server closes. */
  stop?(): Promise<void> | void;
}

export interface PartModule {
  /** Adds this part's flags to the `serve` command. */
  addFlags(cmd: Command): Command;
  /** Builds the part. Parts are built in order; a later part sees earlier parts' stores. */
  build(ctx: ServeContext): Promise<ServePart> | ServePart;
}
