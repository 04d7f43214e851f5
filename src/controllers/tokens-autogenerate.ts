/**
 * Legacy mode of the tokens controller (LegacyServiceAccountTokenNoAutoGeneration=false), as
 * upstream 1.23's ensureReferencedToken: every ServiceAccount gets a token Secret named
 * `<account>-token-<5 characters>` (generateName), created already populated and listed in the
 * account's `.secrets`.
 *
 * ensureReferencedToken(sa):
 * 1. nothing to do when `.secrets` names a token Secret of this account (cache, or one this
 *    process just created: a small mutation cache, like upstream's MutationCache);
 * 2. GET the live account; a resourceVersion other than the cached one -> retry later;
 * 3. create the Secret (NamespaceTerminating: give up; other errors: retry);
 * 4. add `{name}` to the live account's `.secrets` (RetryOnConflict with client-go's DefaultRetry;
 *    each attempt re-reads the account, stops if its uid changed or it got a token meanwhile);
 * 5. when the reference could not be added, delete the new Secret (uid precondition).
 * Restart safety (an Insignia addition): a crash between 3 and 4 leaves a populated, unreferenced
 * Secret that this controller created (field manager kube-controller-manager, generated name,
 * the account's uid). Step 3 adopts such a Secret instead of creating another one, so a restart
 * converges to exactly one referenced token.
 */
import type { KubeObject } from '../api/meta.js';
import type { Clock } from '../client/clock.js';
import { hasStatusCause, isConflict, isNotFound, namespaceTerminatingCause } from '../client/errors.js';
import type { EventRecorder } from '../client/events.js';
import type { Lister } from '../client/lister.js';
import type { ResourceClient } from '../client/rest-client.js';
import { legacyTokenClaims } from '../tokens/claims.js';
import type { TokenSigner } from '../tokens/types.js';
import {
  controllerManagerFieldManager,
  defaultRetry,
  generateName,
  isServiceAccountToken,
  namespaceKey,
  retryOnConflict,
  rootCaKey,
  secretReferences,
  serviceAccountNameKey,
  serviceAccountTokenType,
  serviceAccountUidKey,
  setSecretData,
  tokenKey,
} from './tokens-shared.js';

export interface TokenAutogeneratorOptions {
  clock: Clock;
  secretClient: ResourceClient;
  saClient: ResourceClient;
  secretsLister: Lister;
  signer: Pick<TokenSigner, 'sign'>;
  rootCa?: string;
  events?: EventRecorder;
  log: (message: string, err?: unknown) => void;
  random?: () => number;
  /** How long a created Secret is remembered until the informer shows it (default 60 s). */
  mutationTtlMs?: number;
}

export interface TokenAutogenerator {
  /** Token Secrets of the account: the cache plus Secrets created here that the cache does not show yet. */
  listTokenSecrets(sa: { namespace: string; name: string; uid: string }): KubeObject[];
  ensureReferencedToken(sa: KubeObject): Promise<'done' | 'retry'>;
}

const alphabetClass = '[bcdfghjklmnpqrstvwxz2456789]';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** True when `secret` is a token this controller generated for `sa` (see restart safety above). */
export function isGeneratedToken(secret: KubeObject, sa: KubeObject): boolean {
  const base = `${sa.metadata.name}-token-`.slice(0, 58);
  if (!new RegExp(`^${escapeRegExp(base)}${alphabetClass}{5}$`).test(secret.metadata.name ?? '')) return false;
  if (secret.type !== serviceAccountTokenType || secret.metadata.deletionTimestamp) return false;
  if (secret.metadata.annotations?.[serviceAccountUidKey] !== sa.metadata.uid) return false;
  const created = secret.metadata.managedFields?.[0];
  return created?.manager === controllerManagerFieldManager;
}

export function createTokenAutogenerator(o: TokenAutogeneratorOptions): TokenAutogenerator {
  const ttl = o.mutationTtlMs ?? 60_000;
  const created = new Map<string, { secret: KubeObject; expires: number }>();

  function listTokenSecrets(sa: { namespace: string; name: string; uid: string }): KubeObject[] {
    const now = o.clock.now();
    const out = o.secretsLister.list(sa.namespace).filter((s) => isServiceAccountToken(s, sa));
    for (const [key, entry] of created) {
      const [ns, name] = JSON.parse(key) as [string, string];
      if (entry.expires <= now || o.secretsLister.get(ns, name)) {
        created.delete(key);
        continue;
      }
      if (ns === sa.namespace && isServiceAccountToken(entry.secret, sa)) out.push(entry.secret);
    }
    return out;
  }

  function hasReferencedToken(sa: KubeObject): boolean {
    const refs = secretReferences(sa);
    if (refs.size === 0) return false;
    const id = { namespace: sa.metadata.namespace ?? '', name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' };
    return listTokenSecrets(id).some((s) => refs.has(s.metadata.name ?? ''));
  }

  async function newTokenSecret(sa: KubeObject): Promise<KubeObject> {
    const ns = sa.metadata.namespace ?? '';
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: generateName(`${sa.metadata.name}-token-`, o.random),
        namespace: ns,
        annotations: { [serviceAccountNameKey]: sa.metadata.name ?? '', [serviceAccountUidKey]: sa.metadata.uid ?? '' },
      },
      type: serviceAccountTokenType,
      data: {},
    };
    const claims = legacyTokenClaims({
      serviceAccount: { namespace: ns, name: sa.metadata.name ?? '', uid: sa.metadata.uid ?? '' },
      secretName: secret.metadata.name ?? '',
    });
    setSecretData(secret, tokenKey, await o.signer.sign(claims));
    setSecretData(secret, namespaceKey, ns);
    if (o.rootCa) setSecretData(secret, rootCaKey, o.rootCa);
    return secret;
  }

  async function ensureReferencedToken(sa: KubeObject): Promise<'done' | 'retry'> {
    if (hasReferencedToken(sa)) return 'done';
    const ns = sa.metadata.namespace ?? '';
    const name = sa.metadata.name ?? '';
    let live: KubeObject | undefined;
    try {
      live = await o.saClient.get(ns, name);
    } catch (e) {
      o.log(`reading ServiceAccount ${ns}/${name} failed`, e);
      return 'retry';
    }
    // Either the live read or the cache is stale: look again later.
    if (live.metadata.resourceVersion !== sa.metadata.resourceVersion) return 'retry';

    let token = o.secretsLister
      .list(ns)
      .filter((s) => isGeneratedToken(s, sa) && !secretReferences(sa).has(s.metadata.name ?? ''))
      .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)))[0];
    if (!token) {
      try {
        token = await o.secretClient.create(ns, await newTokenSecret(sa), { fieldManager: controllerManagerFieldManager });
      } catch (e) {
        o.log(`creating a token Secret for ServiceAccount ${ns}/${name} failed`, e);
        return hasStatusCause(e, namespaceTerminatingCause) ? 'done' : 'retry';
      }
      created.set(JSON.stringify([ns, token.metadata.name]), { secret: token, expires: o.clock.now() + ttl });
    }
    const tokenName = token.metadata.name ?? '';

    let added = false;
    let error: unknown;
    try {
      await retryOnConflict(o.clock, defaultRetry, async () => {
        const current = live ?? (await o.saClient.get(ns, name));
        live = undefined; // re-read on every retry
        if (current.metadata.uid !== sa.metadata.uid || hasReferencedToken(current)) return;
        const refs = Array.isArray(current.secrets) ? (current.secrets as unknown[]) : [];
        current.secrets = [...refs, { name: tokenName }];
        await o.saClient.update(ns, current, { fieldManager: controllerManagerFieldManager });
        added = true;
      });
    } catch (e) {
      error = e;
    }
    if (added) {
      o.events?.event(sa, 'Normal', 'TokenSecretCreated', `Created token Secret ${tokenName}`);
      return 'done';
    }
    // The token could not be used: clean it up (failures are only logged).
    try {
      await o.secretClient.delete(ns, tokenName, { preconditions: { uid: token.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e)) o.log(`deleting unreferenced token Secret ${ns}/${tokenName} failed`, e);
    }
    if (error === undefined || isConflict(error) || isNotFound(error)) return 'done';
    o.log(`adding token Secret ${tokenName} to ServiceAccount ${ns}/${name} failed`, error);
    return 'retry';
  }

  return { listTokenSecrets, ensureReferencedToken };
}
