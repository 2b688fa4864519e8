/**
 * Validation helpers shared by the 1.0 and 2.0 proxy response parsers. API Gateway deserialises
 * the function output into typed fields: scalars are coerced to strings where a string is expected,
 * `null` means "not set", and anything else makes the response malformed (§2.3, §2.4).
 */

/** Sentinel for a value that makes the response malformed. */
export const INVALID = Symbol('invalid');

/** JSON-parses a function payload; `INVALID` when it is not JSON. */
export function parsePayload(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8')) as unknown;
  } catch {
    return INVALID;
  }
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `statusCode`: an integer 100..599, or a string of digits (`"201"` is accepted by AWS).
 * `undefined` when absent or `null`; `INVALID` otherwise.
 */
export function readStatusCode(value: unknown): number | undefined | typeof INVALID {
  if (value === undefined || value === null) return undefined;
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value)) n = Number(value);
  else return INVALID;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : INVALID;
}

/** A header value: strings as is, numbers and booleans rendered (`true`); `undefined` for null. */
export function readHeaderValue(value: unknown): string | undefined | typeof INVALID {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return undefined;
  return INVALID;
}

/**
 * The single-value `headers` map as name/value pairs in member order (absent or null: none; null values
 * skipped), or the reason the response is malformed.
 */
export function readHeadersMap(value: unknown): Array<[string, string]> | string {
  const headers: Array<[string, string]> = [];
  if (value === undefined || value === null) return headers;
  if (!isJsonObject(value)) return 'headers is not an object';
  for (const name of Object.keys(value)) {
    const item = readHeaderValue(value[name]);
    if (item === INVALID) return `header ${name} has a non-scalar value`;
    if (item !== undefined) headers.push([name, item]);
  }
  return headers;
}

/** `body`: string, or a scalar coerced to a string; `''` when absent or null. */
export function readBody(value: unknown): string | typeof INVALID {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return INVALID;
}

/** `isBase64Encoded`: boolean (or its string form); `false` when absent or null. */
export function readBoolean(value: unknown): boolean | typeof INVALID {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false' || value === undefined || value === null) return false;
  return INVALID;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64 decoding (standard alphabet, padding optional, no whitespace), because Node's
 * decoder silently skips garbage and AWS rejects it (§2.3: invalid base64 -> 500).
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const len = text.length;
  if (len % 4 === 1 || !BASE64.test(text)) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (pad > 0 && len % 4 !== 0) return undefined;
  return Buffer.from(text, 'base64');
}

/** True when some header of the list is named `lowerName` (case-insensitive). */
export function hasHeader(headers: ReadonlyArray<readonly [string, string]>, lowerName: string): boolean {
  return findHeader(headers, lowerName) !== undefined;
}

/** The value of the first header named `lowerName` (case-insensitive), or `undefined`. */
export function findHeader(
  headers: ReadonlyArray<readonly [string, string]>,
  lowerName: string,
): string | undefined {
  for (const [name, value] of headers) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return value;
  }
  return undefined;
}
