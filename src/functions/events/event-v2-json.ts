/**
 * The payload 2.0 event written straight to JSON text: the same bytes as
 * `JSON.stringify(buildEventV2(input))` (member order, omitted members, escaping), without building
 * the event object first. The data plane sends this for every HTTP API request to a function, where
 * the object plus `JSON.stringify` measured about a fifth more CPU (docs/benchmarks.md).
 * `event-v2.ts` stays the definition of the event; tests compare the two on every input shape.
 */
import { formatClfTime } from './clf-time.js';
import { authorizerV2, hasKeys } from './event-v2.js';
import { collectHeadersV2 } from './headers.js';
import { isBase64RequestBody } from './media-type.js';
import { parseQueryV2 } from './query-string.js';
import type { ProxyRequestInput } from './types.js';

/** Characters that JSON text must escape (and lone surrogates, which `JSON.stringify` escapes). */
// eslint-disable-next-line no-control-regex -- the control characters are what needs escaping
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text. */
export function jsonString(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A string map as a JSON object, in the map's own key order (as `JSON.stringify` walks it). */
function jsonMap(map: Readonly<Record<string, string>>): string {
  let out = '';
  for (const key in map)
    out += `${out === '' ? '{' : ','}${jsonString(key)}:${jsonString(map[key] as string)}`;
  return out === '' ? '{}' : `${out}}`;
}

/** The 2.0 event of one request as JSON text (see the module comment). */
export function eventV2Json(input: ProxyRequestInput): string {
  const { headers, cookies } = collectHeadersV2(input.rawHeaders);
  const query = parseQueryV2(input.rawQueryString);

  let out = `{"version":"2.0","routeKey":${jsonString(input.routeKey)},"rawPath":${jsonString(input.rawPath)},"rawQueryString":${jsonString(input.rawQueryString)}`;
  if (cookies !== undefined) {
    out += ',"cookies":[';
    for (let i = 0; i < cookies.length; i++) out += (i === 0 ? '' : ',') + jsonString(cookies[i] as string);
    out += ']';
  }
  out += `,"headers":${jsonMap(headers)}`;
  if (query !== undefined) out += `,"queryStringParameters":${jsonMap(query)}`;
  if (hasKeys(input.pathParameters)) out += `,"pathParameters":${jsonMap(input.pathParameters)}`;
  if (hasKeys(input.stageVariables)) out += `,"stageVariables":${jsonMap(input.stageVariables)}`;

  out += `,"requestContext":{"accountId":${jsonString(input.accountId)},"apiId":${jsonString(input.apiId)}`;
  if (input.clientCert !== undefined) {
    out += `,"authentication":${JSON.stringify({ clientCert: input.clientCert })}`;
  }
  if (input.authorizer !== undefined)
    out += `,"authorizer":${JSON.stringify(authorizerV2(input.authorizer))}`;
  out +=
    `,"domainName":${jsonString(input.domainName)},"domainPrefix":${jsonString(input.domainPrefix)}` +
    `,"http":{"method":${jsonString(input.method)},"path":${jsonString(input.rawPath)}` +
    `,"protocol":${jsonString(input.protocol)},"sourceIp":${jsonString(input.sourceIp)}` +
    `,"userAgent":${jsonString(headers['user-agent'] ?? '')}}` +
    `,"requestId":${jsonString(input.requestId)},"routeKey":${jsonString(input.routeKey)}` +
    `,"stage":${jsonString(input.stage)},"time":"${formatClfTime(input.requestTimeEpoch)}"` +
    `,"timeEpoch":${JSON.stringify(input.requestTimeEpoch)}}`;

  const body = input.body;
  if (body !== undefined && body.length > 0) {
    const base64 = isBase64RequestBody('HTTP', headers['content-type'], undefined);
    out += `,"body":${base64 ? `"${body.toString('base64')}"` : jsonString(body.toString('utf8'))}`;
    out += `,"isBase64Encoded":${base64}}`;
  } else {
    out += ',"isBase64Encoded":false}';
  }
  return out;
}
