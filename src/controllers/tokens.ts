/**
 * The tokens controller (upstream pkg/controller/serviceaccount/tokens_controller.go, 1.32): keeps
 * Secrets of type kubernetes.io/service-account-token consistent with their ServiceAccounts.
 *
 * Triggers: token Secrets added, updated, deleted (key: namespace, name, uid and the account
 * name/uid annotations); ServiceAccounts added, updated, deleted (key: namespace, name, uid).
 * Handlers only enqueue keys; keys missing a part are dropped, as upstream's parse*Key do.
 *
 * syncSecret:
 * - the Secret is gone (from the cache): if its account (name, and uid when annotated) is still
 *   cached, remove `{name}` from the live account's `.secrets` (retried on Conflict, 10 steps of
 *   100 ms with jitter; errors are only logged);
 * - else look the account up (cache, then a live GET), requiring the annotated uid: missing or
 *   another uid -> DELETE the Secret with a uid precondition (NotFound/Conflict are success);
 * - else populate what is missing: `ca.crt` when it differs from the controller's CA, `namespace`
 *   when empty, `token` when empty (a legacy JWT, legacyTokenClaims), plus both annotations. The
 *   write is an UPDATE of a freshly read copy, given up when that copy's resourceVersion is not
 *   the cached one (the next event brings it back) and on Conflict/NotFound. A present token is
 *   never rotated.
 * syncServiceAccount: the account is gone (or has another uid) -> delete every token Secret that
 * names it (uid annotation empty or equal); in legacy mode, an existing account gets an
 * auto-generated `<name>-token-xxxxx` Secret referenced from `.secrets` (tokens-autogenerate.ts).
 *
 * Retriable failures requeue with rate limiting, at most `maxRetries` (10) times, as upstream.
 * Writes use the field manager `kube-controller-manager`. Events (an Insignia addition: upstream
 * records none) say what was generated or deleted.
 */
import type { KubeObject } from '../api/meta.js';
import { realClock, type Clock } from '../client/clock.js';
import { isConflict, isNotFound } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { InformerFactory } from '../client/informer-factory.js';
import { core, type RestClient } from '../client/rest-client.js';
import { createWorkQueue, type WorkQueue } from '../client/workqueue.js';
import { legacyTokenClaims } from '../tokens/claims.js';
import type { TokenSigner } from '../tokens/types.js';
import { runWorkers, type Controller } from './runner.js';
import { createTokenAutogenerator } from './tokens-autogenerate.js';
import {
  controllerManagerFieldManager,
  namespaceKey,
  removeTokenBackoff,
  retryOnConflict,
  rootCaKey,
  secretData,
  serviceAccountNameKey,
  serviceAccountTokenType,
  serviceAccountUidKey,
  setSecretData,
  tokenKey,
} from './tokens-shared.js';

export interface TokensControllerOptions {
  /** Shared informers (ServiceAccounts and Secrets); the caller starts and stops the factory. */
  informers: InformerFactory;
  /** The controller's own client (system:kube-controller-manager) for reads and writes. */
  client: RestClient;
  /** Signs legacy token claims (the server's signing key: the controller manager's --service-account-private-key-file). */
  signer: Pick<TokenSigner, 'sign'>;
  /** Root CA PEM written as `ca.crt` (none: `ca.crt` is left alone). */
  rootCa?: string;
  /** Legacy mode: every account gets an auto-generated, referenced token Secret. */
  autoGenerate?: boolean;
  clock?: Clock;
  workers?: number;
  /** Times a key is retried before it is dropped (default 10). */
  maxRetries?: number;
  events?: EventRecorder;
  log?: (message: string, err?: unknown) => void;
  /** Randomness of generated names (tests). */
  random?: () => number;
}

/** What a sync step asks of the worker loop. */
export type Outcome = 'done' | 'retry';

class RetryError extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : 'retry');
  }
}

export function serviceAccountKey(sa: KubeObject): string {
  return JSON.stringify([sa.metadata.namespace ?? '', sa.metadata.name ?? '', sa.metadata.uid ?? '']);
}

export function secretKey(secret: KubeObject): string {
  const a = secret.metadata.annotations ?? {};
  return JSON.stringify([secret.metadata.namespace ?? '', secret.metadata.name ?? '', secret.metadata.uid ?? '', a[serviceAccountNameKey] ?? '', a[serviceAccountUidKey] ?? '']);
}

export function createTokensController(o: TokensControllerOptions): Controller & { readonly queues: { serviceAccounts: WorkQueue; secrets: WorkQueue } } {
  const clock = o.clock ?? realClock;
  const maxRetries = o.maxRetries ?? 10;
  const log = o.log ?? (() => {});
  const saQueue = createWorkQueue({ name: 'serviceaccount_tokens_service', clock });
  const secretQueue = createWorkQueue({ name: 'serviceaccount_tokens_secret', clock });
  const serviceAccounts = o.informers.informer(core('serviceaccounts'));
  const secrets = o.informers.informer(core('secrets'));
  const saClient = o.client.resource(core('serviceaccounts'));
  const secretClient = o.client.resource(core('secrets'));
  const writeOptions = { fieldManager: controllerManagerFieldManager };
  let workers: Promise<void> | undefined;

  const isToken = (s: KubeObject) => s.type === serviceAccountTokenType;
  const enqueueSecret = (s: KubeObject) => {
    if (isToken(s)) secretQueue.add(secretKey(s));
  };
  secrets.addEventHandler({ add: enqueueSecret, update: (_, s) => enqueueSecret(s), delete: enqueueSecret });
  const enqueueAccount = (sa: KubeObject) => saQueue.add(serviceAccountKey(sa));
  serviceAccounts.addEventHandler({ add: enqueueAccount, update: (_, sa) => enqueueAccount(sa), delete: enqueueAccount });

  const uidMatches = (obj: KubeObject, uid: string) => uid === '' || obj.metadata.uid === uid;

  /** getServiceAccount: the cached account (uid checked), else optionally a live GET; undefined when absent. */
  async function getServiceAccount(ns: string, name: string, uid: string, fetchOnCacheMiss: boolean): Promise<KubeObject | undefined> {
    const cached = serviceAccounts.lister.get(ns, name);
    if (cached && uidMatches(cached, uid)) return cached;
    if (!fetchOnCacheMiss || name === '') return undefined;
    try {
      const live = await saClient.get(ns, name);
      return uidMatches(live, uid) ? live : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  const autogen = createTokenAutogenerator({
    clock,
    secretClient,
    saClient,
    secretsLister: secrets.lister,
    signer: o.signer,
    rootCa: o.rootCa,
    events: o.events,
    log,
    random: o.random,
  });

  /** Every cached (or just created) token Secret of the account. */
  const listTokenSecrets = (sa: { namespace: string; name: string; uid: string }) => autogen.listTokenSecrets(sa);

  async function deleteToken(ns: string, name: string, uid: string): Promise<Outcome> {
    try {
      await secretClient.delete(ns, name, uid ? { preconditions: { uid } } : undefined);
      return 'done';
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return 'done';
      log(`deleting service account token ${ns}/${name} failed`, e);
      return 'retry';
    }
  }

  async function syncServiceAccount(key: string): Promise<Outcome> {
    const [ns = '', name = '', uid = ''] = JSON.parse(key) as string[];
    if (!ns || !name || !uid) return 'done';
    const sa = await getServiceAccount(ns, name, uid, false);
    if (!sa) {
      let outcome: Outcome = 'done';
      for (const token of listTokenSecrets({ namespace: ns, name, uid })) {
        const r = await deleteToken(ns, token.metadata.name ?? '', token.metadata.uid ?? '');
        if (r === 'retry') outcome = 'retry';
        else o.events?.event(token, 'Normal', 'TokenSecretDeleted', `Deleted token Secret of deleted ServiceAccount ${ns}/${name}`);
      }
      return outcome;
    }
    if (!o.autoGenerate) return 'done';
    return autogen.ensureReferencedToken(sa);
  }

  /** The live account's `.secrets` without `{name: secretName}` (nothing when it has another uid or no such entry). */
  async function removeSecretReference(ns: string, saName: string, saUid: string, secretName: string): Promise<void> {
    let live: KubeObject;
    try {
      live = await saClient.get(ns, saName);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (saUid && live.metadata.uid !== saUid) return;
    const refs = Array.isArray(live.secrets) ? (live.secrets as { name?: string }[]) : [];
    if (!refs.some((r) => r?.name === secretName)) return;
    live.secrets = refs.filter((r) => r?.name !== secretName);
    try {
      await saClient.update(ns, live, writeOptions);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  function updateNeeded(secret: KubeObject): { ca: boolean; namespace: boolean; token: boolean } {
    return {
      ca: !!o.rootCa && !secretData(secret, rootCaKey).equals(Buffer.from(o.rootCa)),
      namespace: secretData(secret, namespaceKey).length === 0,
      token: secretData(secret, tokenKey).length === 0,
    };
  }

  async function generateTokenIfNeeded(sa: KubeObject, cached: KubeObject): Promise<Outcome> {
    const first = updateNeeded(cached);
    if (!first.ca && !first.namespace && !first.token) return 'done';
    const ns = cached.metadata.namespace ?? '';
    let live: KubeObject;
    try {
      live = await secretClient.get(ns, cached.metadata.name ?? '');
    } catch (e) {
      if (isNotFound(e)) return 'done';
      log(`reading secret ${ns}/${cached.metadata.name} failed`, e);
      return 'retry';
    }
    // Our view of the secret is not up to date: the update event will bring us back.
    if (live.metadata.resourceVersion !== cached.metadata.resourceVersion) return 'done';
    const need = updateNeeded(live);
    if (!need.ca && !need.namespace && !need.token) return 'done';
    if (need.ca) setSecretData(live, rootCaKey, o.rootCa!);
    if (need.namespace) setSecretData(live, namespaceKey, ns);
    if (need.token) {
      const claims = legacyTokenClaims({
        serviceAccount: { namespace: sa.metadata.namespace ?? ns, name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' },
        secretName: live.metadata.name ?? '',
      });
      // A signing failure is not retried (upstream returns false, err).
      try {
        setSecretData(live, tokenKey, await o.signer.sign(claims));
      } catch (e) {
        log(`signing a token for secret ${ns}/${live.metadata.name} failed`, e);
        return 'done';
      }
    }
    live.metadata.annotations = { ...(live.metadata.annotations ?? {}), [serviceAccountNameKey]: sa.metadata.name ?? '', [serviceAccountUidKey]: sa.metadata.uid ?? '' };
    try {
      const updated = await secretClient.update(ns, live, writeOptions);
      if (need.token) o.events?.event(updated, 'Normal', 'TokenGenerated', `Generated a token for ServiceAccount ${ns}/${sa.metadata.name}`);
      return 'done';
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) return 'done';
      log(`populating service account token ${ns}/${live.metadata.name} failed`, e);
      return 'retry';
    }
  }

  async function syncSecret(key: string): Promise<Outcome> {
    const [ns = '', name = '', uid = '', saName = '', saUid = ''] = JSON.parse(key) as string[];
    // parseSecretQueueKey: a key without namespace, name, uid or account name is dropped.
    if (!ns || !name || !uid || !saName) return 'done';
    const cached = secrets.lister.get(ns, name);
    const secret = cached && uidMatches(cached, uid) && isToken(cached) ? cached : undefined;
    if (!secret) {
      const sa = await getServiceAccount(ns, saName, saUid, false);
      if (sa) {
        try {
          await retryOnConflict(clock, removeTokenBackoff, () => removeSecretReference(ns, saName, saUid, name));
        } catch (e) {
          log(`removing the reference to secret ${ns}/${name} from ServiceAccount ${saName} failed`, e);
        }
      }
      return 'done';
    }
    let sa: KubeObject | undefined;
    try {
      sa = await getServiceAccount(ns, saName, saUid, true);
    } catch (e) {
      log(`looking up ServiceAccount ${ns}/${saName} failed`, e);
      return 'retry';
    }
    if (!sa) {
      const r = await deleteToken(ns, name, secret.metadata.uid ?? '');
      if (r === 'done') o.events?.event(secret, 'Normal', 'TokenSecretDeleted', `Deleted: ServiceAccount ${ns}/${saName}${saUid ? ` (uid ${saUid})` : ''} does not exist`);
      return r;
    }
    return generateTokenIfNeeded(sa, secret);
  }

  /** Runs a sync step; a 'retry' (or a thrown error) requeues the key unless it was retried maxRetries times. */
  const bounded = (queue: WorkQueue, step: (key: string) => Promise<Outcome>) => async (key: string) => {
    let outcome: Outcome;
    let cause: unknown;
    try {
      outcome = await step(key);
    } catch (e) {
      outcome = 'retry';
      cause = e;
    }
    if (outcome === 'done') return;
    if (queue.numRequeues(key) < maxRetries) throw new RetryError(cause);
    log(`giving up on ${key} after ${maxRetries} retries`, cause);
  };

  return {
    name: 'serviceaccount-token-controller',
    queues: { serviceAccounts: saQueue, secrets: secretQueue },
    async start() {
      await Promise.all([serviceAccounts.waitForSync(), secrets.waitForSync()]);
      const workerCount = o.workers ?? 5;
      const onError = (key: string, e: unknown) => {
        const cause = e instanceof RetryError ? e.cause : e;
        if (cause) log(`syncing ${key} failed`, cause);
      };
      workers = Promise.all([
        runWorkers({ queue: saQueue, workers: workerCount, sync: bounded(saQueue, syncServiceAccount), onError }),
        runWorkers({ queue: secretQueue, workers: workerCount, sync: bounded(secretQueue, syncSecret), onError }),
      ]).then(() => undefined);
    },
    async stop() {
      saQueue.shutDown();
      secretQueue.shutDown();
      await workers;
    },
  };
}
