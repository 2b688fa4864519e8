/**
 * Canonical request of AWS Signature Version 4, built exactly the way the AWS SDK for JavaScript v3
 * signer (`@smithy/signature-v4`) builds it for every service except S3:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request
 */

/** The SigV4 signing algorithm identifier. */
export const ALGORITHM = 'AWS4-HMAC-SHA256';

/** Payload hash value that opts out of body signing. */
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 percent-encoding (encodeURIComponent plus `!'()*`), as the SDK's `escapeUri`. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Canonical URI from the raw (still percent-encoded) request path: dot-segments and empty segments are
 * removed, then the path is encoded again ("double encoding": `%3A` becomes `%253A`) with `/` kept.
 * The SDK signs the already-encoded path it sends, so the server must encode the wire path once more.
 */
export function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
}

/** Percent-decodes a query component; `+` stays a plus (SigV4 clients encode spaces as `%20`). */
function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The decoded name/value pairs of a raw query string, in order. */
export function parseQuery(query: URLSearchParams | string): Array<[string, string]> {
  if (typeof query !== 'string') return [...query.entries()];
  const pairs: Array<[string, string]> = [];
  for (const part of query.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(
      eq < 0
        ? [decodeComponent(part), '']
        : [decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))],
    );
  }
  return pairs;
}

/** Canonical query string: pairs encoded, sorted by name then value; `X-Amz-Signature` excluded. */
export function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .filter(([name]) => name.toLowerCase() !== 'x-amz-signature')
    .map(([name, value]) => [escapeUri(name), escapeUri(value)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** A header value as SigV4 canonicalises it: repeated values joined with `,`, whitespace runs folded. */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

/** Builds the canonical request from its already-canonical parts. */
export function buildCanonicalRequest(parts: {
  method: string;
  uri: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  signedHeaders: string[];
  payloadHash: string;
}): string {
  const headerLines = parts.signedHeaders.map(
    (name) => `${name}:${canonicalHeaderValue(parts.headers[name])}`,
  );
  return [
    parts.method.toUpperCase(),
    parts.uri,
    parts.query,
    ...headerLines,
    '',
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}
