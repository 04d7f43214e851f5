/**
 * The storage contract: an ordered key space of opaque byte values with a single, global,
 * monotonically increasing revision (etcd's model). Every successful write (create, update,
 * delete) produces exactly one new revision, strictly greater than every earlier one. Storage
 * knows bytes, keys and revisions; it never interprets values.
 *
 * Keys are strings like `/registry/serviceaccounts/default/build-robot`. Prefix queries treat
 * the prefix literally (a prefix ending in `/` selects that "directory").
 *
 * Every backend must pass the shared conformance suite in `storage/testing`.
 */

/** One stored version of a key. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision at which this key was (last) created. */
  createRevision: number;
  /** Revision of the write that produced this version (the object's resourceVersion). */
  modRevision: number;
}

export interface ListOptions {
  /** Keys starting with this prefix. */
  prefix: string;
  /** Only keys strictly greater than this key (used to continue a paged list). */
  startAfter?: string;
  /** At most this many items; 0 or absent means no limit. */
  limit?: number;
  /**
   * Read the key space as it was at this revision (a snapshot). Absent or 0 means the current
   * revision. A revision older than the compacted revision fails with StorageError 'Compacted';
   * a revision newer than the current one fails with 'RevisionTooNew'.
   */
  revision?: number;
}

export interface ListResult {
  /** Sorted by key ascending. */
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** Number of matching keys after the returned page (0 when this is the last page). */
  remaining: number;
}

/** Result of a conditional write: a failed precondition is a value, not an exception. */
export type WriteResult =
  | { ok: true; kv: KeyValue }
  /** `current` is the key's current version, or null when the key does not exist. */
  | { ok: false; current: KeyValue | null };

export type DeleteResult =
  /** `kv` is the deleted version (its value), `revision` the revision of the delete itself. */
  | { ok: true; kv: KeyValue; revision: number }
  | { ok: false; current: KeyValue | null };

export interface WatchEvent {
  type: 'put' | 'delete';
  /** For put: the new version. For delete: the last version before deletion, with modRevision = that version's revision. */
  kv: KeyValue;
  /** Revision of this event (for put equal to kv.modRevision; for delete the delete's revision). */
  revision: number;
  /** For put of an existing key: the previous version. Absent on create. */
  prevKv?: KeyValue;
}

export interface WatchHandle {
  /** Stops delivery. Idempotent. After it returns no further callbacks are made. */
  stop(): void;
}

export interface WatchCallbacks {
  /**
   * Called with batches of events in strictly increasing revision order, with no gaps or
   * duplicates among the events matching the prefix.
   */
  onEvents(events: WatchEvent[]): void;
  /** Called at most once, after which the watch is dead (e.g. 'Compacted', 'Closed'). */
  onError(err: StorageError): void;
}

export type StorageErrorCode = 'Compacted' | 'RevisionTooNew' | 'Closed' | 'Internal';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    /** For 'Compacted': the compacted revision. For 'RevisionTooNew': the current revision. */
    readonly revision = 0,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface Backend {
  /** The current (latest committed) revision; 0 for an empty, never-written store. */
  currentRevision(): Promise<number>;
  /** The current version of `key`, or null. With `revision`, the version as of that revision. */
  get(key: string, revision?: number): Promise<KeyValue | null>;
  list(options: ListOptions): Promise<ListResult>;
  /** Creates `key`; fails (ok:false, current) if it exists. */
  create(key: string, value: Uint8Array): Promise<WriteResult>;
  /**
   * Replaces `key` only if its current modRevision equals `expectedRevision` (compare-and-swap).
   * Fails (ok:false, current) if the key is missing or has another revision.
   */
  update(key: string, value: Uint8Array, expectedRevision: number): Promise<WriteResult>;
  /** Deletes `key`, if `expectedRevision` is given only when it matches the current modRevision. */
  delete(key: string, expectedRevision?: number): Promise<DeleteResult>;
  /**
   * Delivers every event on keys under `prefix` with revision > `fromRevision`, first the
   * historical ones, then live ones, in order. A `fromRevision` older than the compacted
   * revision fails (onError 'Compacted', asynchronously). `fromRevision` 0 means "from now".
   * Events of a committed write are delivered before that write's promise resolves.
   */
  watch(prefix: string, fromRevision: number, callbacks: WatchCallbacks): WatchHandle;
  /** Discards history at and below `revision` (live values are kept). Returns the compacted revision. */
  compact(revision: number): Promise<number>;
  /** The highest revision compacted so far (0 if none). */
  compactedRevision(): Promise<number>;
  /** Flushes and releases resources; pending and later calls fail with 'Closed'. */
  close(): Promise<void>;
}
