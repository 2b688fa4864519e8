/**
 * Payload format 2.0 event (HTTP APIs), reference §2.2 and §9 item 2:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * Empty optional members are omitted (never `null`); members are inserted in AWS's order.
 */
import { formatClfTime } from './clf-time.js';
import { collectHeadersV2 } from './headers.js';
import { isBase64RequestBody } from './media-type.js';
import { parseQueryV2 } from './query-string.js';
import type {
  ProxyAuthorizerResult,
  ProxyEventV2,
  ProxyRequestContextV2,
  ProxyRequestInput,
} from './types.js';

/** Renders an authorizer result as 2.0 `requestContext.authorizer`. */
export function authorizerV2(authorizer: ProxyAuthorizerResult): Record<string, unknown> {
  switch (authorizer.kind) {
    case 'jwt':
      return { jwt: { claims: authorizer.claims, scopes: authorizer.scopes } };
    case 'lambda':
      return { lambda: authorizer.context ?? {} };
    case 'cognito':
      // Not an HTTP API authorizer; closest 2.0 rendering is the JWT shape.
      return { jwt: { claims: authorizer.claims, scopes: null } };
  }
}

/** True when `map` is set and has a member (an empty map is omitted from the event). */
export function hasKeys(
  map: Readonly<Record<string, string>> | undefined,
): map is Readonly<Record<string, string>> {
  if (map === undefined) return false;
  for (const _ in map) return true;
  return false;
}

/** Builds the 2.0 event for one request. `rawPath` already carries a named-stage prefix (§1.3). */
export function buildEventV2(input: ProxyRequestInput): ProxyEventV2 {
  const { headers, cookies } = collectHeadersV2(input.rawHeaders);
  const query = parseQueryV2(input.rawQueryString);

  const requestContext: ProxyRequestContextV2 = {
    accountId: input.accountId,
    apiId: input.apiId,
  } as ProxyRequestContextV2;
  if (input.clientCert !== undefined) requestContext.authentication = { clientCert: input.clientCert };
  if (input.authorizer !== undefined) requestContext.authorizer = authorizerV2(input.authorizer);
  requestContext.domainName = input.domainName;
  requestContext.domainPrefix = input.domainPrefix;
  requestContext.http = {
    method: input.method,
    path: input.rawPath,
    protocol: input.protocol,
    sourceIp: input.sourceIp,
    userAgent: headers['user-agent'] ?? '',
  };
  requestContext.requestId = input.requestId;
  requestContext.routeKey = input.routeKey;
  requestContext.stage = input.stage;
  requestContext.time = formatClfTime(input.requestTimeEpoch);
  requestContext.timeEpoch = input.requestTimeEpoch;

  const event: ProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
  } as ProxyEventV2;
  if (cookies !== undefined) event.cookies = cookies;
  event.headers = headers;
  if (query !== undefined) event.queryStringParameters = query;
  if (hasKeys(input.pathParameters)) event.pathParameters = { ...input.pathParameters };
  if (hasKeys(input.stageVariables)) event.stageVariables = { ...input.stageVariables };
  event.requestContext = requestContext;
  const body = input.body;
  if (body !== undefined && body.length > 0) {
    const base64 = isBase64RequestBody('HTTP', headers['content-type'], undefined);
    event.body = body.toString(base64 ? 'base64' : 'utf8');
    event.isBase64Encoded = base64;
  } else {
    event.isBase64Encoded = false;
  }
  return event;
}
