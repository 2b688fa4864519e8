/**
 * Request header collection for the proxy events, from Node's raw `[name, value, ...]` pairs.
 * HTTP APIs lowercase names (both payload versions); REST APIs keep the client's casing (§2.1).
 * 2.0 comma-joins duplicates and moves `Cookie` into `cookies[]`; 1.0 keeps the last value in
 * `headers` and all values in `multiValueHeaders` (§2.1, §2.2, §9 items 2–3).
 */

/**
 * Hop-by-hop headers that no API Gateway flavour forwards (they describe our client connection,
 * not the request), and HTTP/2 pseudo-headers (`:path`) are skipped separately.
 */
const HTTP_API_DROPPED: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers REST APIs never forward to integrations (observed, LocalStack header_utils; §2.1). */
const REST_API_DROPPED: ReadonlySet<string> = new Set([
  ...HTTP_API_DROPPED,
  'content-length',
  'content-md5',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'www-authenticate',
]);

/** True for a header name (lower-cased) that is not forwarded to a Lambda proxy integration. */
export function isDroppedRequestHeader(lowerName: string, flavour: 'HTTP' | 'REST'): boolean {
  if (lowerName.charCodeAt(0) === 58 /* ':' */) return true;
  return (flavour === 'REST' ? REST_API_DROPPED : HTTP_API_DROPPED).has(lowerName);
}

/** Splits a `Cookie` header value into its `name=value` pairs (2.0 `cookies[]`). */
export function splitCookieHeader(value: string, into: string[]): void {
  let start = 0;
  const len = value.length;
  while (start < len) {
    let end = value.indexOf(';', start);
    if (end === -1) end = len;
    const pair = value.slice(start, end).trim();
    if (pair !== '') into.push(pair);
    start = end + 1;
  }
}

/** 2.0 headers: lowercased names, duplicates joined with `,`, cookies split out. */
export interface HeadersV2 {
  headers: Record<string, string>;
  cookies: string[] | undefined;
}

/** Collects 2.0 `headers` / `cookies` from raw header pairs. */
export function collectHeadersV2(rawHeaders: readonly string[]): HeadersV2 {
  // Null-prototype map: a header named `constructor` or `__proto__` is data.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  let cookies: string[] | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    const value = rawHeaders[i + 1] as string;
    if (isDroppedRequestHeader(name, 'HTTP')) continue;
    if (name === 'cookie') {
      cookies ??= [];
      splitCookieHeader(value, cookies);
      continue;
    }
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${prev},${value}`;
  }
  return { headers, cookies: cookies !== undefined && cookies.length > 0 ? cookies : undefined };
}

/** 1.0 headers: last value per name and all values per name; both `null` when there are none. */
export interface HeadersV1 {
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
}

/**
 * Collects 1.0 `headers` / `multiValueHeaders`. HTTP APIs lowercase names; REST APIs keep the
 * casing of the first occurrence and merge later occurrences that differ only in case.
 */
export function collectHeadersV1(rawHeaders: readonly string[], flavour: 'HTTP' | 'REST'): HeadersV1 {
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  const multi: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const keepCase = flavour === 'REST';
  // REST only: lower-case name -> the casing used as key (first occurrence wins).
  const casing: Map<string, string> | undefined = keepCase ? new Map() : undefined;
  let any = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i] as string;
    const lower = raw.toLowerCase();
    if (isDroppedRequestHeader(lower, flavour)) continue;
    let key = lower;
    if (casing !== undefined) {
      const seen = casing.get(lower);
      if (seen === undefined) {
        casing.set(lower, raw);
        key = raw;
      } else {
        key = seen;
      }
    }
    const value = rawHeaders[i + 1] as string;
    any = true;
    headers[key] = value;
    const values = multi[key];
    if (values === undefined) multi[key] = [value];
    else values.push(value);
  }
  return any ? { headers, multiValueHeaders: multi } : { headers: null, multiValueHeaders: null };
}

/** The value of the first header named `lowerName` (case-insensitive) in raw pairs, or `undefined`. */
export function findRawHeader(rawHeaders: readonly string[], lowerName: string): string | undefined {
  const len = lowerName.length;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === len && name.toLowerCase() === lowerName) return rawHeaders[i + 1];
  }
  return undefined;
}
