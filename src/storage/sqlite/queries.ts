/**
 * Prepared statements over the kv table (see schema.ts) and conversions from rows to the
 * storage contract's types. Every statement is prepared once per database; statements whose
 * shape depends on the query (prefix upper bound, startAfter) are prepared lazily, once per
 * shape. Rows are read in raw (array) mode, which is markedly cheaper for large lists.
 */
import type { Statement } from 'better-sqlite3';
import type { KeyValue, WatchEvent } from '../backend.js';
import type { SqliteDatabase } from './schema.js';

/** A kv row: [id, name, created, deleted, create_revision, prev_revision, value, old_value]. */
export type Row = [
  id: number,
  name: string,
  created: number,
  deleted: number,
  createRevision: number,
  prevRevision: number,
  value: Buffer,
  oldValue: Buffer | null,
];

/** A list row: [name, id, create_revision, value] of the latest live version of a key. */
type ListRow = [name: string, id: number, createRevision: number, value: Buffer];

const ROW_COLUMNS = 'id, name, created, deleted, create_revision, prev_revision, value, old_value';

/** Bounds of a key range: `name >= prefix AND name < end AND name > after` (absent bounds omitted). */
export interface KeyRange {
  prefix: string;
  end: string | null;
  after?: string;
}

export interface Queries {
  /** The newest row of `name` with id <= `revision` (Infinity: the newest), tombstones included. */
  latest(name: string, revision?: number): Row | undefined;
  insert(row: Row): void;
  /** The latest live version of each key in range as of `revision`, sorted by key. limit < 0: all. */
  list(range: KeyRange, revision: number, limit: number): KeyValue[];
  /** How many keys in range are live as of `revision`. */
  count(range: KeyRange, revision: number): number;
  /** Rows with fromExclusive < id <= toInclusive in range, by id, at most `limit`. */
  history(range: KeyRange, fromExclusive: number, toInclusive: number, limit: number): Row[];
}

/** Prepares the statements used by the backend. */
export function prepareQueries(db: SqliteDatabase): Queries {
  const latestStmt = db.prepare<[string], Row>(`SELECT ${ROW_COLUMNS} FROM kv WHERE name = ? ORDER BY id DESC LIMIT 1`).raw(true);
  const latestAtStmt = db
    .prepare<[string, number], Row>(`SELECT ${ROW_COLUMNS} FROM kv WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1`)
    .raw(true);
  const insertStmt = db.prepare<Row>(`INSERT INTO kv (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const shapes = new Map<string, Statement<[Record<string, unknown>], unknown>>();

  function shaped<R>(kind: 'list' | 'count' | 'history', range: KeyRange, build: (where: string) => string): Statement<[Record<string, unknown>], R> {
    const shape = `${kind}:${range.end !== null ? 'e' : ''}${range.after !== undefined ? 'a' : ''}`;
    let stmt = shapes.get(shape);
    if (!stmt) {
      let where = 'name >= @prefix';
      if (range.end !== null) where += ' AND name < @end';
      if (range.after !== undefined) where += ' AND name > @after';
      stmt = db.prepare<[Record<string, unknown>], unknown>(build(where));
      if (kind !== 'count') stmt.raw(true);
      else stmt.pluck(true);
      shapes.set(shape, stmt);
    }
    return stmt as Statement<[Record<string, unknown>], R>;
  }

  // The GROUP BY subquery walks the (name, id, deleted) index in key order, yielding each key's
  // newest row at `revision` and (SQLite's bare-column rule for MAX) that row's deleted flag;
  // SQLite keeps the key order through the join, so no sort is needed and LIMIT stops early.
  const latestRows = (where: string) =>
    `SELECT name, MAX(id) AS mid, deleted FROM kv WHERE ${where} AND id <= @revision GROUP BY name ORDER BY name`;

  function bind(range: KeyRange, extra: Record<string, unknown>): Record<string, unknown> {
    const params: Record<string, unknown> = { prefix: range.prefix, ...extra };
    if (range.end !== null) params['end'] = range.end;
    if (range.after !== undefined) params['after'] = range.after;
    return params;
  }

  return {
    latest(name, revision = Infinity) {
      return revision === Infinity ? latestStmt.get(name) : latestAtStmt.get(name, revision);
    },
    insert(row) {
      insertStmt.run(...row);
    },
    list(range, revision, limit) {
      const stmt = shaped<ListRow>(
        'list',
        range,
        (w) => `SELECT m.name, k.id, k.create_revision, k.value FROM (${latestRows(w)}) m CROSS JOIN kv k ON k.id = m.mid WHERE m.deleted = 0 ORDER BY m.name LIMIT @limit`,
      );
      const rows = stmt.all(bind(range, { revision, limit }));
      const items = new Array<KeyValue>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        items[i] = { key: r[0], value: r[3], createRevision: r[2], modRevision: r[1] };
      }
      return items;
    },
    count(range, revision) {
      const stmt = shaped<number>('count', range, (w) => `SELECT COUNT(*) FROM (${latestRows(w)}) WHERE deleted = 0`);
      return stmt.get(bind(range, { revision })) ?? 0;
    },
    history(range, fromExclusive, toInclusive, limit) {
      const stmt = shaped<Row>(
        'history',
        range,
        (w) => `SELECT ${ROW_COLUMNS} FROM kv WHERE id > @from AND id <= @to AND ${w} ORDER BY id LIMIT @limit`,
      );
      return stmt.all(bind(range, { from: fromExclusive, to: toInclusive, limit }));
    },
  };
}

/** The version a live row represents, or null for a tombstone or no row. */
export function rowToKeyValue(row: Row | undefined): KeyValue | null {
  if (!row || row[3] === 1) return null;
  return { key: row[1], value: row[6], createRevision: row[4], modRevision: row[0] };
}

/** The watch event a row represents. A delete carries the deleted version as both kv and prevKv (as etcd's prev_kv does). */
export function rowToEvent(row: Row): WatchEvent {
  const [id, name, created, deleted, createRevision, prevRevision, value, oldValue] = row;
  if (deleted === 1) {
    const kv: KeyValue = { key: name, value, createRevision, modRevision: prevRevision };
    return { type: 'delete', kv, revision: id, prevKv: kv };
  }
  const kv: KeyValue = { key: name, value, createRevision, modRevision: id };
  if (created === 1 || oldValue === null) return { type: 'put', kv, revision: id };
  return { type: 'put', kv, revision: id, prevKv: { key: name, value: oldValue, createRevision, modRevision: prevRevision } };
}
