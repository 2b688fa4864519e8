/**
 * Payload format 1.0 response parsing (REST proxy and HTTP API 1.0), reference §2.3 and §9 items 4, 7:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format
 * REST is strict: only the five documented members, no `{}`, no bare values (observed on AWS via
 * LocalStack snapshots); a missing `statusCode` then means 200. HTTP APIs ignore unknown members but
 * require `statusCode` (as AWS SAM CLI's emulator, aws/aws-sam-cli#2941).
 */
import { firstAcceptType, matchesBinaryMediaTypes } from './media-type.js';
import {
  INVALID,
  decodeBase64Strict,
  findHeader,
  isJsonObject,
  parsePayload,
  readBody,
  readBoolean,
  readHeaderValue,
  readHeadersMap,
  readStatusCode,
} from './response-common.js';
import type { ProxyApiFlavour, ProxyResponseResult } from './types.js';

/** What the 1.0 parser needs to know about the API and the request. */
export interface ParseResponseV1Options {
  flavour: ProxyApiFlavour;
  /** REST: the API's `binaryMediaTypes`. */
  binaryMediaTypes?: readonly string[];
  /** REST: the request's `Accept` header (its first type decides binary decoding). */
  accept?: string;
}

const ALLOWED_KEYS: ReadonlySet<string> = new Set([
  'statusCode',
  'headers',
  'multiValueHeaders',
  'body',
  'isBase64Encoded',
]);

/** Renders multiple values of one header: one line per cookie, otherwise comma-joined (§2.3). */
function pushMulti(out: Array<[string, string]>, name: string, values: string[]): void {
  if (values.length === 0) return;
  if (name.toLowerCase() === 'set-cookie') {
    for (const value of values) out.push([name, value]);
  } else {
    out.push([name, values.length === 1 ? (values[0] as string) : values.join(', ')]);
  }
}

/** Parses a 1.0 function output into the response the client gets, or a malformed verdict. */
export function parseResponseV1(payload: Buffer, opts: ParseResponseV1Options): ProxyResponseResult {
  const rest = opts.flavour === 'REST';
  // REST: function error or malformed output -> 502; HTTP APIs -> 500 (§2.5).
  const failStatus = rest ? 502 : 500;
  const malformed = (reason: string): ProxyResponseResult => ({ ok: false, reason, status: failStatus });

  const output = parsePayload(payload);
  if (output === INVALID) return malformed('function output is not valid JSON');
  if (!isJsonObject(output)) return malformed('function output is not a JSON object');
  if (rest) {
    let keys = 0;
    for (const key of Object.keys(output)) {
      if (!ALLOWED_KEYS.has(key)) return malformed(`unexpected member ${key}`);
      keys++;
    }
    if (keys === 0) return malformed('function output is an empty object');
  }

  let statusCode = readStatusCode(output['statusCode']);
  if (statusCode === INVALID) return malformed('statusCode is not a valid HTTP status');
  if (statusCode === undefined) {
    if (!rest) return malformed('statusCode is missing');
    statusCode = 200;
  }

  // Collect single values first so a header present in both maps can be merged (multi first).
  const single = readHeadersMap(output['headers']);
  if (typeof single === 'string') return malformed(single);

  const headers: Array<[string, string]> = [];
  const rawMulti = output['multiValueHeaders'];
  if (rawMulti !== undefined && rawMulti !== null) {
    if (!isJsonObject(rawMulti)) return malformed('multiValueHeaders is not an object');
    for (const name of Object.keys(rawMulti)) {
      const list = rawMulti[name];
      if (list === null) continue;
      if (!Array.isArray(list)) return malformed(`multiValueHeaders.${name} is not an array`);
      const values: string[] = [];
      for (const item of list as unknown[]) {
        const value = readHeaderValue(item);
        if (value === INVALID) return malformed(`multiValueHeaders.${name} holds a non-scalar value`);
        if (value !== undefined) values.push(value);
      }
      // The same header in `headers`: observed on AWS as both values, multi first, multi's casing.
      const lower = name.toLowerCase();
      for (let i = 0; i < single.length; i++) {
        const entry = single[i] as [string, string];
        if (entry[0].toLowerCase() === lower) {
          values.push(entry[1]);
          single.splice(i, 1);
          i--;
        }
      }
      pushMulti(headers, name, values);
    }
  }
  for (const entry of single) headers.push(entry);

  let contentType = findHeader(headers, 'content-type');
  if (contentType === undefined) {
    contentType = 'application/json';
    headers.push([rest ? 'Content-Type' : 'content-type', contentType]);
  }

  const text = readBody(output['body']);
  if (text === INVALID) return malformed('body is not a string');
  const base64 = readBoolean(output['isBase64Encoded']);
  if (base64 === INVALID) return malformed('isBase64Encoded is not a boolean');

  let body: Buffer;
  // HTTP APIs always honour isBase64Encoded; REST only when binaryMediaTypes match the request's
  // first Accept type or the response Content-Type, otherwise the base64 text is sent verbatim.
  const decode =
    base64 &&
    (!rest ||
      matchesBinaryMediaTypes(firstAcceptType(opts.accept), opts.binaryMediaTypes) ||
      matchesBinaryMediaTypes(contentType, opts.binaryMediaTypes));
  if (decode) {
    const decoded = decodeBase64Strict(text);
    // REST: a failed conversion is a 500, not the 502 of a malformed response (§2.3).
    if (decoded === undefined) return { ok: false, reason: 'body is not valid base64', status: 500 };
    body = decoded;
  } else {
    body = Buffer.from(text, 'utf8');
  }
  return { ok: true, statusCode, headers, body };
}
