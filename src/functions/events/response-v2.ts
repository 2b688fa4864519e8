/**
 * Payload format 2.0 response parsing (HTTP APIs), reference §2.4 and §9 item 4:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
 * Output without `statusCode` is inferred as `200`, `content-type: application/json`, body = the whole
 * output. Unknown members are ignored. Failures are 500 (§2.5).
 */
import {
  INVALID,
  decodeBase64Strict,
  hasHeader,
  isJsonObject,
  parsePayload,
  readBody,
  readBoolean,
  readHeaderValue,
  readHeadersMap,
  readStatusCode,
} from './response-common.js';
import type { ProxyResponseResult } from './types.js';

/** HTTP APIs answer every unusable function output with 500 (§1.10). */
const MALFORMED_STATUS = 500;

function malformed(reason: string): ProxyResponseResult {
  return { ok: false, reason, status: MALFORMED_STATUS };
}

function inferred(output: unknown): ProxyResponseResult {
  // A JSON string is sent as its text; every other value as its JSON serialisation.
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return {
    ok: true,
    statusCode: 200,
    headers: [['content-type', 'application/json']],
    body: Buffer.from(text, 'utf8'),
  };
}

/** Parses a 2.0 function output into the response the client gets, or a malformed verdict. */
export function parseResponseV2(payload: Buffer): ProxyResponseResult {
  const output = parsePayload(payload);
  if (output === INVALID) return malformed('function output is not valid JSON');
  if (!isJsonObject(output)) return inferred(output);
  const statusCode = readStatusCode(output['statusCode']);
  if (statusCode === undefined) return inferred(output);
  if (statusCode === INVALID) return malformed('statusCode is not a valid HTTP status');

  const headers = readHeadersMap(output['headers']);
  if (typeof headers === 'string') return malformed(headers);
  if (!hasHeader(headers, 'content-type')) headers.push(['content-type', 'application/json']);

  const cookies = output['cookies'];
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) return malformed('cookies is not an array');
    // Each cookie becomes its own Set-Cookie header (§2.4).
    for (const cookie of cookies as unknown[]) {
      const value = readHeaderValue(cookie);
      if (value === INVALID) return malformed('cookies holds a non-string value');
      if (value !== undefined) headers.push(['set-cookie', value]);
    }
  }

  const rawBody = output['body'];
  // [unsure] §2.4: a structured response whose body is not a string is most likely an error.
  if (rawBody !== undefined && rawBody !== null && typeof rawBody !== 'string') {
    return malformed('body is not a string');
  }
  const text = readBody(rawBody);
  if (text === INVALID) return malformed('body is not a string');
  const base64 = readBoolean(output['isBase64Encoded']);
  if (base64 === INVALID) return malformed('isBase64Encoded is not a boolean');
  let body: Buffer;
  if (base64) {
    const decoded = decodeBase64Strict(text);
    if (decoded === undefined) return malformed('body is not valid base64');
    body = decoded;
  } else {
    body = Buffer.from(text, 'utf8');
  }
  return { ok: true, statusCode, headers, body };
}
