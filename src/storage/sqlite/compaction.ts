/**
 * Chunked compaction of the kv table. The caller records the compacted revision (in memory and
 * durably) BEFORE calling `deleteCompactedRows`, so no reader ever relies on rows this deletes.
 *
 * Rows are visited in ascending id order, CHUNK rows per transaction, yielding to the event loop
 * between chunks. Within a chunk, first the rows superseded at or below `revision` are deleted,
 * then tombstones at or below it. A tombstone's predecessors have smaller ids, so they are gone
 * (in an earlier chunk or earlier in the same transaction) before the tombstone is; a snapshot
 * read at a revision >= `revision` therefore never sees a deleted key come back, even between
 * chunks. The row holding the current revision is never deleted (belt and braces: the
 * AUTOINCREMENT sequence already keeps revisions from being reused).
 */
import { StorageError } from '../backend.js';
import type { SqliteDatabase } from './schema.js';

const CHUNK = 2000;

export interface CompactionContext {
  db: SqliteDatabase;
  /** The current revision (the id of the newest row). */
  currentRevision(): number;
  /** True when the backend is closing; the compaction then stops with 'Closed'. */
  closing(): boolean;
}

export interface Compactor {
  /** Deletes history at and below `revision`; resolves with the number of rows deleted. */
  deleteCompactedRows(revision: number): Promise<number>;
}

export function createCompactor(ctx: CompactionContext): Compactor {
  const { db } = ctx;
  const chunkEnd = db
    .prepare<[{ lo: number; revision: number; n: number }], number | null>(
      'SELECT MAX(id) FROM (SELECT id FROM kv WHERE id > @lo AND id <= @revision ORDER BY id LIMIT @n)',
    )
    .pluck();
  type Bounds = { lo: number; hi: number; keep: number; revision: number };
  const deleteSuperseded = db.prepare<[Bounds]>(
    'DELETE FROM kv WHERE id > @lo AND id <= @hi AND id <> @keep ' +
      'AND EXISTS (SELECT 1 FROM kv n WHERE n.name = kv.name AND n.id > kv.id AND n.id <= @revision)',
  );
  const deleteTombstones = db.prepare<[Omit<Bounds, 'revision'>]>('DELETE FROM kv WHERE id > @lo AND id <= @hi AND id <> @keep AND deleted = 1');
  const deleteChunk = db.transaction((b: Bounds): number => {
    const superseded = deleteSuperseded.run(b).changes;
    return superseded + deleteTombstones.run({ lo: b.lo, hi: b.hi, keep: b.keep }).changes;
  });

  return {
    async deleteCompactedRows(revision) {
      let lo = 0;
      let deleted = 0;
      for (;;) {
        if (ctx.closing()) throw new StorageError('Closed', 'storage backend closed during compaction');
        const hi = chunkEnd.get({ lo, revision, n: CHUNK });
        if (hi === null || hi === undefined) return deleted;
        deleted += deleteChunk.immediate({ lo, hi, keep: ctx.currentRevision(), revision });
        lo = hi;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
  };
}
