import type { Page, PageRequest } from '../page.js';
import { decodeCursor, pageLimit, toPage } from '../page.js';

/** One stored row: the JSON document (so callers never share objects with the store) and its order. */
export interface MemRow {
  readonly seq: number;
  readonly doc: string;
  /** Secondary key used for filtering (parent id, api id). */
  readonly ref?: string;
  readonly counter?: number;
}

/** Shared sequence so every table orders by creation like SQLite's AUTOINCREMENT does. */
export interface SeqSource {
  next(): number;
}

/**
 * An insertion-ordered table of immutable rows. Rows are replaced, never mutated, so a transaction
 * snapshot is a shallow copy of the map.
 */
export class MemTable {
  #rows = new Map<string, MemRow>();
  readonly #seq: SeqSource;

  constructor(seq: SeqSource) {
    this.#seq = seq;
  }

  /** The row under a key. */
  get(key: string): MemRow | undefined {
    return this.#rows.get(key);
  }

  /** Inserts (new sequence number) or replaces (keeps the sequence number) a row. */
  set(key: string, doc: string, extra: { ref?: string; counter?: number } = {}): void {
    const existing = this.#rows.get(key);
    this.#rows.set(key, { seq: existing?.seq ?? this.#seq.next(), doc, ...extra });
  }

  /** Deletes a row; false when absent. */
  delete(key: string): boolean {
    return this.#rows.delete(key);
  }

  /** Rows whose key starts with `prefix`, in creation order. */
  rows(prefix = ''): Array<[string, MemRow]> {
    const out: Array<[string, MemRow]> = [];
    for (const entry of this.#rows) if (entry[0].startsWith(prefix)) out.push(entry);
    return out.sort((a, b) => a[1].seq - b[1].seq);
  }

  /** Deletes every row whose key starts with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const key of [...this.#rows.keys()]) if (key.startsWith(prefix)) this.#rows.delete(key);
  }

  /** A page of rows under `prefix` (optionally filtered) mapped to items. */
  page<T>(
    prefix: string,
    page: PageRequest | undefined,
    map: (row: MemRow) => T,
    filter?: (row: MemRow) => boolean,
  ): Page<T> {
    const after = decodeCursor(page?.nextToken);
    const limit = pageLimit(page);
    const selected = this.rows(prefix)
      .filter(([, row]) => row.seq > after && (filter === undefined || filter(row)))
      .slice(0, limit < 0 ? undefined : limit + 1)
      .map(([, row]) => ({ seq: row.seq, item: map(row) }));
    return toPage(selected, limit);
  }

  /** A copy of the current rows (for rollback). */
  snapshot(): Map<string, MemRow> {
    return new Map(this.#rows);
  }

  /** Restores a snapshot. */
  restore(rows: Map<string, MemRow>): void {
    this.#rows = rows;
  }
}

/** Composite key helper: NUL never occurs in names or ids. */
export function key(...parts: string[]): string {
  return parts.join('\u0000') + '\u0000';
}
