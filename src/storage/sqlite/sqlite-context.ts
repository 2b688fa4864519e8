import type Database from 'better-sqlite3';
import type { Page, PageRequest } from '../page.js';
import { decodeCursor, pageLimit, toPage } from '../page.js';

/** Runs one synchronous operation through the store's transaction gate. */
export type RunOp = <T>(fn: () => T) => Promise<T>;

/** What each SQLite port module is built from. */
export interface SqliteContext {
  db: Database.Database;
  op: RunOp;
  /** Wraps several statements into one atomic unit (a savepoint inside an outer transaction). */
  atomic<T>(fn: () => T): T;
}

/** A stored row: creation sequence and JSON document. */
export interface DocRow {
  seq: number;
  doc: string;
}

/**
 * Runs a keyset-paginated query. `stmt` must take its own parameters followed by `after` and `limit`
 * and select `seq` and `doc` ordered by `seq`.
 */
export function pageQuery<T>(
  stmt: Database.Statement,
  params: unknown[],
  page: PageRequest | undefined,
  map: (row: DocRow) => T,
): Page<T> {
  const after = decodeCursor(page?.nextToken);
  const limit = pageLimit(page);
  const rows = stmt.all(...params, after, limit < 0 ? -1 : limit + 1) as DocRow[];
  return toPage(
    rows.map((row) => ({ seq: row.seq, item: map(row) })),
    limit,
  );
}

/** Parses a JSON document column. */
export function parseDoc<T>(row: { doc: string }): T {
  return JSON.parse(row.doc) as T;
}
