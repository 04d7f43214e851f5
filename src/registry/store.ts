/**
 * The generic Store: CRUD, watch and the resourceVersion rules for every resource, assembled from a
 * per-resource Strategy (upstream's genericregistry.Store). Only the registry touches a Backend.
 *
 * Contracts callers rely on:
 * - resourceVersion is the decimal storage revision of the object's last write;
 * - a write that changes nothing (after preparation) is not stored and returns the current object
 *   with its resourceVersion unchanged;
 * - an update with a resourceVersion that is not current fails 409 Conflict with kube's sentence;
 * - every failure is a StatusError with kube-apiserver's reason, code and wording.
 */
import { randomUUID } from 'node:crypto';
import { invalid as invalidField, type FieldError } from '../api/field-errors.js';
import { formatTime, type DeleteOptions, type KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resources.js';
import { groupVersion } from '../api/resources.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  internalError,
  invalid,
  notFound,
  successStatus,
  type Status,
  type StatusError,
} from '../api/status.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation/object-meta.js';
import type { AdmissionAttributes, AdmissionChain, UserInfo } from '../admission/types.js';
import type { Backend, KeyValue, WriteResult } from '../storage/backend.js';
import { clone, decodeFromStorage, encodeForStorage, orderTopLevel } from './codec.js';
import type { Strategy, SubresourceStrategy } from './types.js';
import { WatchCache, type CacheEntry } from './watch-cache.js';
import { listObjects, type ListOptions, type ListResult, type ReadView } from './list.js';
import { watchObjects, type WatchOptions, type WatchSink } from './watch.js';
import { parseResourceVersion, sameObject } from './versions.js';

export type { ListOptions, ListResult } from './list.js';
export type { WatchOptions, WatchSink } from './watch.js';
export { parseResourceVersion, sameObject } from './versions.js';
import { compileSelectors, type CompiledSelectors } from './filter.js';
import { updateManagedFields, type TypeSchema } from './managed-fields.js';
import type { SchemaRegistry } from '../api/schema/types.js';

export interface WriteContext {
  user: UserInfo;
  dryRun: boolean;
  /** Recorded in metadata.managedFields (when the store has a schema). */
  fieldManager?: string;
  admission?: AdmissionChain;
  /** Set for server-side apply: the fields of the applied configuration (operation Apply). */
  applied?: Set<string>;
}

export interface DeleteResult {
  /** The object as returned to the client (deleted, or marked for deletion). */
  object: KubeObject;
  /** True when the object is gone now; false when it was only marked (graceful / finalizers). */
  deleted: boolean;
}

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
}

export type TryUpdate = (current: KubeObject) => KubeObject | Promise<KubeObject>;

export interface StoreOptions {
  backend: Backend;
  strategy: Strategy;
  /** Current time in ms; injected for tests. */
  now?: () => number;
  /** Events kept in the watch cache window (watches from older revisions get 410). */
  watchCacheSize?: number;
  /** Schema definitions: enables metadata.managedFields tracking. */
  schema?: SchemaRegistry;
}

const generateNameChars = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += generateNameChars[Math.floor(Math.random() * generateNameChars.length)];
  return s;
}

export class Store {
  readonly info: ResourceInfo;
  readonly strategy: Strategy;
  readonly cache: WatchCache;
  private readonly backend: Backend;
  private readonly now: () => number;
  private readonly root: string;
  private readonly types: TypeSchema | undefined;

  constructor(options: StoreOptions) {
    this.backend = options.backend;
    this.strategy = options.strategy;
    this.info = options.strategy.info;
    this.now = options.now ?? Date.now;
    this.root = `/registry/${this.info.group ? this.info.group + '/' : ''}${this.info.resource}/`;
    this.types = options.schema ? { schema: { type: 'ref', ref: this.info.definition }, registry: options.schema } : undefined;
    this.cache = new WatchCache({ backend: this.backend, prefix: this.root, windowSize: options.watchCacheSize });
  }

  async start(): Promise<void> {
    await this.cache.start();
  }

  stop(): void {
    this.cache.stop();
  }

  get groupResource() {
    return { group: this.info.group, resource: this.info.resource };
  }

  private get groupKind() {
    return { group: this.info.group, kind: this.info.kind };
  }

  key(namespace: string, name: string): string {
    return this.info.namespaced ? `${this.root}${namespace}/${name}` : `${this.root}${name}`;
  }

  private prefix(namespace: string): string {
    return this.info.namespaced && namespace ? `${this.root}${namespace}/` : this.root;
  }

  /** The current object, or 404. The returned object is frozen: clone before changing it. */
  get(namespace: string, name: string): KubeObject {
    const e = this.cache.get(this.key(namespace, name));
    if (!e) throw notFound(this.groupResource, name);
    return e.object;
  }

  /** The current object or undefined (frozen). */
  find(namespace: string, name: string): KubeObject | undefined {
    return this.cache.get(this.key(namespace, name))?.object;
  }

  entry(namespace: string, name: string): CacheEntry | undefined {
    return this.cache.get(this.key(namespace, name));
  }

  fieldsOf(obj: KubeObject): Record<string, string> {
    const f: Record<string, string> = { 'metadata.name': obj.metadata.name ?? '' };
    if (this.info.namespaced) f['metadata.namespace'] = obj.metadata.namespace ?? '';
    if (this.strategy.fieldLabels) Object.assign(f, this.strategy.fieldLabels(obj));
    return f;
  }

  compile(labelSelector?: string, fieldSelector?: string): CompiledSelectors {
    return compileSelectors(this, labelSelector, fieldSelector);
  }

  /** Serializes and writes `obj`, letting the watch cache adopt the object instead of re-parsing it. */
  private async write(key: string, obj: KubeObject, op: (key: string, value: Uint8Array) => Promise<WriteResult>): Promise<WriteResult> {
    const value = encodeForStorage(obj);
    // `obj` is this call's own object: on success the cache adopts it (and freezes it).
    this.cache.hint(key, value, obj);
    try {
      return await op(key, value);
    } finally {
      this.cache.dropHint(key, value);
    }
  }

  /** The object just written, from the watch cache when it has seen that version (no re-parse), frozen. */
  private stored(kv: KeyValue): KubeObject {
    const e = this.cache.get(kv.key);
    if (e && e.revision === kv.modRevision) return e.object;
    return decodeFromStorage(kv);
  }

  /** JSON bytes of an object returned by this store (cached bytes when they are of the same version). */
  rawOf(obj: KubeObject): Buffer {
    const e = this.cache.get(this.key(obj.metadata.namespace ?? '', obj.metadata.name ?? ''));
    if (e && e.object.metadata.resourceVersion === obj.metadata.resourceVersion && e.object === obj) return e.raw;
    return Buffer.from(JSON.stringify(obj));
  }

  // ---------------------------------------------------------------- list and watch

  /** A LIST (see list.ts for the resourceVersion and paging rules). */
  list(namespace: string, opts: ListOptions): Promise<ListResult> {
    return listObjects(this.readView(namespace), opts);
  }

  /** Starts a watch; returns a stop function. Errors (e.g. 410 Expired) are reported through the sink. */
  watch(namespace: string, opts: WatchOptions, sink: WatchSink): () => void {
    return watchObjects(this.readView(namespace), opts, sink);
  }

  private readView(namespace: string): ReadView {
    return {
      cache: this.cache,
      backend: this.backend,
      prefix: this.prefix(namespace),
      keyOf: (obj) => this.key(obj.metadata.namespace ?? '', obj.metadata.name!),
      compile: (l, f) => this.compile(l, f),
    };
  }

  // ---------------------------------------------------------------- create

  async create(namespace: string, input: KubeObject, ctx: WriteContext): Promise<KubeObject> {
    let obj = orderTopLevel(input);
    obj.apiVersion = groupVersion(this.info);
    obj.kind = this.info.kind;
    obj.metadata = obj.metadata ?? {};
    const meta = obj.metadata;
    if (this.info.namespaced) meta.namespace = namespace;
    else delete meta.namespace;
    if (meta.resourceVersion) {
      throw internalError('resourceVersion should not be set on objects to be created');
    }
    const attrs = this.admissionAttrs('CREATE', '', namespace, meta.name ?? '', obj, null, ctx);
    await ctx.admission?.admit(attrs);
    obj = attrs.object!;
    const generate = !obj.metadata.name && !!obj.metadata.generateName;
    for (let attempt = 0; ; attempt++) {
      const candidate = attempt === 0 ? obj : clone(obj);
      this.beforeCreate(candidate, generate, ctx);
      await ctx.admission?.validate(this.admissionAttrs('CREATE', '', namespace, candidate.metadata.name!, candidate, null, ctx));
      if (ctx.dryRun) {
        if (this.find(namespace, candidate.metadata.name!)) throw alreadyExists(this.groupResource, candidate.metadata.name!);
        return candidate;
      }
      const res = await this.write(this.key(namespace, candidate.metadata.name!), candidate, (k, v) => this.backend.create(k, v));
      if (res.ok) return this.stored(res.kv);
      if (generate && attempt < 7) continue;
      throw alreadyExists(this.groupResource, candidate.metadata.name!);
    }
  }

  /** Sets system fields, validates, canonicalizes (upstream rest.BeforeCreate). Throws 422. */
  private beforeCreate(obj: KubeObject, generate: boolean, ctx: WriteContext): void {
    const meta = obj.metadata;
    if (generate) meta.name = meta.generateName + randomSuffix();
    meta.uid = randomUUID();
    meta.creationTimestamp = formatTime(this.now());
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    delete meta.generation;
    this.strategy.prepareForCreate?.(obj);
    const errs = [
      ...validateObjectMeta(meta, {
        namespaced: this.info.namespaced,
        nameValidation: this.strategy.nameValidation ?? 'subdomain',
      }),
      ...this.strategy.validate(obj),
    ];
    if (errs.length) throw invalid(this.groupKind, meta.name ?? '', errs);
    this.strategy.canonicalize?.(obj);
    delete meta.managedFields;
    this.trackFields(null, obj, ctx, '');
  }

  /** Updates metadata.managedFields for a write by ctx.fieldManager (no-op without a schema or manager). */
  private trackFields(old: KubeObject | null, obj: KubeObject, ctx: WriteContext, subresource: string): void {
    if (!this.types || !ctx.fieldManager) return;
    updateManagedFields(old, obj, this.types, {
      manager: ctx.fieldManager,
      operation: ctx.applied ? 'Apply' : 'Update',
      subresource,
      apiVersion: groupVersion(this.info),
      time: formatTime(this.now()),
      applied: ctx.applied,
    });
  }

  /** The type schema of this resource, when the store tracks managed fields. */
  get typeSchema(): TypeSchema | undefined {
    return this.types;
  }

  warningsOnCreate(obj: KubeObject): string[] {
    return this.strategy.warningsOnCreate?.(obj) ?? [];
  }

  // ---------------------------------------------------------------- update

  /**
   * PUT semantics: replaces the object. `input.metadata.resourceVersion`, when set, must be
   * current (409 otherwise); when unset the update is unconditional if the strategy allows it.
   */
  async update(namespace: string, name: string, input: KubeObject, ctx: WriteContext, subresource = ''): Promise<UpdateResult> {
    const rvText = input.metadata?.resourceVersion;
    const wanted = rvText ? parseResourceVersion(rvText) : 0;
    if (!this.find(namespace, name) && !subresource && this.strategy.allowCreateOnUpdate) {
      if (wanted) throw notFound(this.groupResource, name);
      return { object: await this.create(namespace, input, ctx), created: true };
    }
    if (!wanted && !this.strategy.allowUnconditionalUpdate) {
      throw invalid(this.groupKind, name, [
        invalidField('metadata.resourceVersion', '0x0', 'must be specified for an update'),
      ]);
    }
    const object = await this.guaranteedUpdate(namespace, name, ctx, () => clone(input), { subresource, resourceVersion: wanted });
    return { object, created: false };
  }

  /**
   * Read-modify-write with optimistic concurrency: `tryUpdate` gets a private copy of the current
   * object and returns the desired one. Retries on a lost compare-and-swap unless a
   * resourceVersion precondition was given (then 409). `tryUpdate` may set
   * metadata.resourceVersion to request a precondition (patches that carry one).
   * `subresourceStrategy` serves a subresource with its own REST (pods/binding) that the
   * resource's Strategy does not list.
   */
  async guaranteedUpdate(
    namespace: string,
    name: string,
    ctx: WriteContext,
    tryUpdate: TryUpdate,
    opts: { subresource?: string; resourceVersion?: number; subresourceStrategy?: SubresourceStrategy } = {},
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    const subresource = opts.subresource ?? '';
    for (let attempt = 0; attempt < 100; attempt++) {
      const entry = this.cache.get(key);
      if (!entry) throw notFound(this.groupResource, name);
      const current = entry.object;
      if (opts.resourceVersion && opts.resourceVersion !== entry.revision) throw conflict(this.groupResource, name);
      let obj = orderTopLevel(await tryUpdate(clone(current) as KubeObject));
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw badRequest('the object must be a JSON object');
      obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
      const requestedRv = obj.metadata.resourceVersion;
      if (requestedRv !== undefined && requestedRv !== '' && requestedRv !== current.metadata.resourceVersion) {
        parseResourceVersion(requestedRv);
        throw conflict(this.groupResource, name);
      }
      obj.apiVersion = groupVersion(this.info);
      obj.kind = this.info.kind;
      if (obj.metadata.name === undefined || obj.metadata.name === '') obj.metadata.name = name;
      if (obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (this.info.namespaced) {
        if (obj.metadata.namespace === undefined || obj.metadata.namespace === '') obj.metadata.namespace = namespace;
      }
      const attrs = this.admissionAttrs('UPDATE', subresource, namespace, name, obj, current, ctx);
      await ctx.admission?.admit(attrs);
      obj = attrs.object!;
      this.beforeUpdate(obj, current, subresource, opts.subresourceStrategy);
      await ctx.admission?.validate(this.admissionAttrs('UPDATE', subresource, namespace, name, obj, current, ctx));
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
      // managedFields are the server's: recomputed from the change, never taken from the request.
      if (current.metadata.managedFields) obj.metadata.managedFields = current.metadata.managedFields;
      else delete obj.metadata.managedFields;
      if (sameObject(obj, current)) return current;
      this.trackFields(current, obj, ctx, subresource);
      if (this.shouldDeleteDuringUpdate(obj)) {
        if (ctx.dryRun) return obj;
        const res = await this.backend.delete(key, entry.revision);
        if (res.ok) {
          const gone = decodeFromStorage(res.kv);
          gone.metadata.resourceVersion = String(res.revision);
          return gone;
        }
        if (opts.resourceVersion) throw conflict(this.groupResource, name);
        continue;
      }
      if (ctx.dryRun) return obj;
      const res = await this.write(key, obj, (k, v) => this.backend.update(k, v, entry.revision));
      if (res.ok) return this.stored(res.kv);
      if (!res.current) throw notFound(this.groupResource, name);
      // Lost the compare-and-swap: retry on the newer object; a resourceVersion the caller put
      // into the object (a patch precondition) fails the check above on the next round.
      if (opts.resourceVersion) throw conflict(this.groupResource, name);
      await this.cache.waitForRevision(res.current.modRevision, 1000);
    }
    throw conflict(this.groupResource, name, 'too many concurrent updates');
  }

  /** Upstream rest.BeforeUpdate: system fields carried over, then validation (422). */
  private beforeUpdate(obj: KubeObject, old: KubeObject, subresource: string, override?: SubresourceStrategy): void {
    const meta = obj.metadata;
    const oldMeta = old.metadata;
    if (oldMeta.generation !== undefined) meta.generation = oldMeta.generation;
    else delete meta.generation;
    const sub = subresource ? (override ?? this.strategy.subresources?.[subresource]) : undefined;
    if (subresource && !sub) throw notFound(this.groupResource, `${meta.name}/${subresource}`);
    if (sub) sub.prepareForUpdate(obj, old);
    else this.strategy.prepareForUpdate?.(obj, old);
    if (!meta.uid) meta.uid = oldMeta.uid;
    if (oldMeta.creationTimestamp) meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (this.info.namespaced && meta.namespace !== oldMeta.namespace) {
      // Reported by validateObjectMetaUpdate as immutable.
    }
    const errs: FieldError[] = [
      ...validateObjectMeta(meta, {
        namespaced: this.info.namespaced,
        nameValidation: this.strategy.nameValidation ?? 'subdomain',
      }),
      ...validateObjectMetaUpdate(meta, oldMeta),
      ...(sub ? sub.validateUpdate(obj, old) : this.strategy.validateUpdate(obj, old)),
    ];
    if (errs.length) throw invalid(this.groupKind, meta.name ?? '', errs);
    this.strategy.canonicalize?.(obj);
  }

  private shouldDeleteDuringUpdate(obj: KubeObject): boolean {
    const m = obj.metadata;
    return (
      !!m.deletionTimestamp &&
      (!m.finalizers || m.finalizers.length === 0) &&
      (m.deletionGracePeriodSeconds ?? 0) === 0 &&
      !this.strategy.needsFinalization?.(obj)
    );
  }

  warningsOnUpdate(obj: KubeObject, old: KubeObject): string[] {
    return this.strategy.warningsOnUpdate?.(obj, old) ?? [];
  }

  // ---------------------------------------------------------------- delete

  async delete(namespace: string, name: string, options: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    for (let attempt = 0; attempt < 100; attempt++) {
      const entry = this.cache.get(key);
      if (!entry) throw notFound(this.groupResource, name);
      const current = entry.object;
      checkPreconditions(this.groupResource, name, current, options);
      await ctx.admission?.validate(this.admissionAttrs('DELETE', '', namespace, name, current, current, ctx));
      const grace = this.strategy.gracePeriodSeconds?.(current, options.gracePeriodSeconds);
      const finalizers = gcFinalizers(current.metadata.finalizers ?? [], options);
      const finalizing = finalizers.length > 0 || !!this.strategy.needsFinalization?.(current);
      const needsMark = (grace !== undefined && grace > 0) || finalizing;
      if (needsMark) {
        const obj = clone(current) as KubeObject;
        const meta = obj.metadata;
        if (finalizers.length) meta.finalizers = finalizers;
        else delete meta.finalizers;
        const now = this.now();
        if (grace !== undefined && grace > 0) {
          const existing = meta.deletionGracePeriodSeconds;
          if (!meta.deletionTimestamp || existing === undefined || grace < existing) {
            meta.deletionTimestamp = formatTime(now + grace * 1000);
            meta.deletionGracePeriodSeconds = grace;
          }
        } else if (!meta.deletionTimestamp) {
          meta.deletionTimestamp = formatTime(now);
          meta.deletionGracePeriodSeconds = 0;
        } else if (grace === 0) {
          meta.deletionGracePeriodSeconds = 0;
        }
        this.strategy.prepareForDelete?.(obj);
        if (!finalizing && grace === 0) {
          // fall through to immediate deletion
        } else {
          if (sameObject(obj, current)) return { object: current, deleted: false };
          if (ctx.dryRun) return { object: obj, deleted: false };
          const res = await this.backend.update(key, encodeForStorage(obj), entry.revision);
          if (res.ok) return { object: decodeFromStorage(res.kv), deleted: false };
          if (!res.current) throw notFound(this.groupResource, name);
          continue;
        }
      }
      if (ctx.dryRun) return { object: current, deleted: true };
      const res = await this.backend.delete(key, entry.revision);
      if (res.ok) return { object: current, deleted: true };
      if (!res.current) throw notFound(this.groupResource, name);
    }
    throw conflict(this.groupResource, name, 'too many concurrent updates');
  }

  /** The body DELETE answers with: the object, or a Success Status naming it. */
  deleteResponse(result: DeleteResult): KubeObject | Status {
    if (this.strategy.returnDeletedObject || !result.deleted) return result.object;
    return successStatus({
      name: result.object.metadata.name,
      group: this.info.group || undefined,
      kind: this.info.resource,
      uid: result.object.metadata.uid,
    });
  }

  async deleteCollection(namespace: string, listOpts: ListOptions, options: DeleteOptions, ctx: WriteContext): Promise<KubeObject[]> {
    const { items } = await this.list(namespace, { labelSelector: listOpts.labelSelector, fieldSelector: listOpts.fieldSelector });
    const out: KubeObject[] = [];
    for (const { object } of items) {
      try {
        const r = await this.delete(object.metadata.namespace ?? '', object.metadata.name!, { ...options, preconditions: undefined }, ctx);
        out.push(r.object);
      } catch (e) {
        if ((e as StatusError).code !== 404) throw e;
      }
    }
    return out;
  }

  private admissionAttrs(
    operation: AdmissionAttributes['operation'],
    subresource: string,
    namespace: string,
    name: string,
    object: KubeObject | null,
    oldObject: KubeObject | null,
    ctx: WriteContext,
  ): AdmissionAttributes {
    return { operation, resource: this.info, subresource, namespace, name, object, oldObject, user: ctx.user, dryRun: ctx.dryRun };
  }
}

/**
 * The finalizers a DELETE leaves on the object for the garbage collector (upstream
 * deletionFinalizersForGarbageCollection): orphanDependents (true: `orphan`, false: neither)
 * wins over propagationPolicy (Orphan: `orphan`, Foreground: `foregroundDeletion`, Background:
 * neither); with neither option the object keeps what it has.
 */
function gcFinalizers(existing: string[], options: DeleteOptions): string[] {
  const explicit = options.orphanDependents !== undefined || options.propagationPolicy !== undefined;
  if (!explicit) return existing;
  const orphan = options.orphanDependents ?? options.propagationPolicy === 'Orphan';
  const foreground = options.orphanDependents === undefined && options.propagationPolicy === 'Foreground';
  const out = existing.filter((f) => f !== 'orphan' && f !== 'foregroundDeletion');
  if (orphan) out.push('orphan');
  if (foreground) out.push('foregroundDeletion');
  return out;
}

function checkPreconditions(gr: { group: string; resource: string }, name: string, obj: KubeObject, options: DeleteOptions): void {
  const p = options.preconditions;
  if (!p) return;
  if (p.uid && p.uid !== obj.metadata.uid) {
    throw conflict(gr, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (p.resourceVersion && p.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(
      gr,
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    );
  }
}

