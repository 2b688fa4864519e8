/**
 * Query string parsing for the proxy events. Keys and values are URL-decoded and `+` decodes to a
 * space (observed on REST APIs, reference §2.1; also applied to 2.0, where `rawQueryString` keeps the
 * undecoded form for functions that need the difference). Malformed `%` escapes are kept verbatim
 * instead of failing the request.
 */

/** Decodes one query component: `+` -> space, then percent-decoding (kept as is when malformed). */
export function decodeQueryComponent(text: string): string {
  let s = text;
  if (s.indexOf('+') !== -1) s = s.replace(/\+/g, ' ');
  if (s.indexOf('%') === -1) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Calls `onPair` for every `key=value` of a raw query string (without `?`), decoded, in order.
 * Empty segments (`a=1&&b=2`) are skipped; a key without `=` has the value `''`.
 */
export function forEachQueryPair(rawQuery: string, onPair: (key: string, value: string) => void): void {
  const len = rawQuery.length;
  let start = 0;
  while (start <= len) {
    let end = rawQuery.indexOf('&', start);
    if (end === -1) end = len;
    if (end > start) {
      const eq = rawQuery.indexOf('=', start);
      if (eq === -1 || eq > end) {
        onPair(decodeQueryComponent(rawQuery.slice(start, end)), '');
      } else {
        onPair(
          decodeQueryComponent(rawQuery.slice(start, eq)),
          decodeQueryComponent(rawQuery.slice(eq + 1, end)),
        );
      }
    }
    start = end + 1;
  }
}

/** 1.0 query maps: the LAST value per key, and all values per key; both `null` when empty (§2.1). */
export interface QueryMapsV1 {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
}

/** Parses a raw query string into the 1.0 `queryStringParameters` / `multiValueQueryStringParameters`. */
export function parseQueryV1(rawQuery: string): QueryMapsV1 {
  if (rawQuery === '') return { single: null, multi: null };
  // Null-prototype maps: a `__proto__` or `constructor` key is data, not an inherited member.
  const single: Record<string, string> = Object.create(null) as Record<string, string>;
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  let any = false;
  forEachQueryPair(rawQuery, (key, value) => {
    any = true;
    single[key] = value;
    const values = multi[key];
    if (values === undefined) multi[key] = [value];
    else values.push(value);
  });
  return any ? { single, multi } : { single: null, multi: null };
}

/** Parses a raw query string into the 2.0 `queryStringParameters` (duplicates comma-joined), or `undefined`. */
export function parseQueryV2(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let any = false;
  forEachQueryPair(rawQuery, (key, value) => {
    any = true;
    const prev = out[key];
    out[key] = prev === undefined ? value : `${prev},${value}`;
  });
  return any ? out : undefined;
}
