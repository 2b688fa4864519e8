import { GatewayError } from '../errors/index.js';

/** One page request: at most `maxItems` items after the opaque `nextToken` of the previous page. */
export interface PageRequest {
  /** Page size; absent = everything that is left. */
  maxItems?: number;
  /** The `nextToken` of the previous page. */
  nextToken?: string;
}

/** One page of a listing in creation order; `nextToken` is present only when more items follow. */
export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * Cursors are the creation sequence number of the last item returned. Keyset pagination (`seq > n`)
 * stays correct when items are created or deleted between pages, which AWS list APIs also promise
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis.html#apis-http-methods).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

/** Decodes a `nextToken`; an invalid token is the caller's mistake (AWS answers 400 BadRequestException). */
export function decodeCursor(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^seq:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new GatewayError('BAD_REQUEST', 'Invalid pagination token');
  return Number(m[1]);
}

/** Validates `maxItems` (a positive integer) and returns the SQL-friendly limit (-1 = no limit). */
export function pageLimit(page: PageRequest | undefined): number {
  const max = page?.maxItems;
  if (max === undefined) return -1;
  if (!Number.isInteger(max) || max < 1) {
    throw new GatewayError('BAD_REQUEST', 'maxItems must be a positive integer');
  }
  return max;
}

/** Builds a page from rows fetched with `limit + 1` (the extra row only proves that more follow). */
export function toPage<T>(rows: Array<{ seq: number; item: T }>, limit: number): Page<T> {
  if (limit < 0 || rows.length <= limit) return { items: rows.map((r) => r.item) };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1] as { seq: number };
  return { items: kept.map((r) => r.item), nextToken: encodeCursor(last.seq) };
}

/** Reads every page of a listing (the store's `list` methods). */
export async function listAll<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await list(nextToken === undefined ? {} : { nextToken });
    out.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return out;
}
