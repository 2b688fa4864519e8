/**
 * Payload format 1.0 event, for REST `AWS_PROXY` and HTTP APIs with `payloadFormatVersion: "1.0"`
 * (reference §2.1, §9 items 1 and 3):
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
 * Differences by flavour: REST keeps header case, has no stage in `path`, and carries
 * `resourceId`/`deploymentId`; HTTP APIs lowercase headers, keep a named stage in `path`, add
 * `version: "1.0"` and always send `authorizer` (`{claims: null, scopes: null}` without one).
 * Empty maps and a missing body are `null`, never omitted.
 */
import { formatClfTime } from './clf-time.js';
import { collectHeadersV1, findRawHeader } from './headers.js';
import { isBase64RequestBody } from './media-type.js';
import { parseQueryV1 } from './query-string.js';
import type {
  ProxyAuthorizerResult,
  ProxyEventV1,
  ProxyIdentityV1,
  ProxyRequestContextV1,
  ProxyRequestInput,
} from './types.js';

/** REST authorizer `context` values reach the function as strings (`1` -> `"1"`, `true` -> `"true"`). */
function stringifyContextValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** Renders an authorizer result as 1.0 `requestContext.authorizer` (§2.1, §1.5, §1.6). */
export function authorizerV1(authorizer: ProxyAuthorizerResult): Record<string, unknown> {
  switch (authorizer.kind) {
    case 'jwt':
      return { claims: authorizer.claims, scopes: authorizer.scopes };
    case 'cognito':
      return { claims: authorizer.claims };
    case 'lambda': {
      const out: Record<string, unknown> = {};
      if (authorizer.principalId !== undefined) out['principalId'] = authorizer.principalId;
      if (authorizer.integrationLatency !== undefined)
        out['integrationLatency'] = authorizer.integrationLatency;
      const context = authorizer.context;
      if (context !== undefined) {
        for (const key of Object.keys(context)) {
          // `claims` is reserved in 1.0 authorizer context (§1.6); `principalId` comes from the policy.
          if (key === 'claims' || key === 'principalId' || key === '__proto__') continue;
          out[key] = stringifyContextValue(context[key]);
        }
      }
      return out;
    }
  }
}

function identityV1(input: ProxyRequestInput, userAgent: string | undefined): ProxyIdentityV1 {
  const identity: ProxyIdentityV1 = {
    cognitoIdentityPoolId: null,
    accountId: null,
    cognitoIdentityId: null,
    caller: null,
    sourceIp: input.sourceIp,
    principalOrgId: null,
    accessKey: null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: null,
    userAgent: userAgent ?? null,
    user: null,
  };
  if (input.apiKey !== undefined) identity.apiKey = input.apiKey;
  if (input.apiKeyId !== undefined) identity.apiKeyId = input.apiKeyId;
  if (input.clientCert !== undefined) identity.clientCert = input.clientCert;
  return identity;
}

function restContext(input: ProxyRequestInput, identity: ProxyIdentityV1): ProxyRequestContextV1 {
  const ctx = { resourceId: input.resourceId ?? null } as ProxyRequestContextV1;
  if (input.authorizer !== undefined) ctx.authorizer = authorizerV1(input.authorizer);
  ctx.resourcePath = input.resourcePath;
  ctx.httpMethod = input.method;
  ctx.extendedRequestId = input.extendedRequestId ?? input.requestId;
  ctx.requestTime = formatClfTime(input.requestTimeEpoch);
  ctx.path = input.rawPath;
  ctx.accountId = input.accountId;
  ctx.protocol = input.protocol;
  ctx.stage = input.stage;
  ctx.domainPrefix = input.domainPrefix;
  ctx.requestTimeEpoch = input.requestTimeEpoch;
  ctx.requestId = input.requestId;
  ctx.identity = identity;
  ctx.domainName = input.domainName;
  if (input.deploymentId !== undefined) ctx.deploymentId = input.deploymentId;
  ctx.apiId = input.apiId;
  return ctx;
}

/** HTTP API 1.0 context: AWS's documented member order, `resourceId: null`, no `deploymentId`. */
function httpContext(input: ProxyRequestInput, identity: ProxyIdentityV1): ProxyRequestContextV1 {
  return {
    accountId: input.accountId,
    apiId: input.apiId,
    authorizer:
      input.authorizer === undefined ? { claims: null, scopes: null } : authorizerV1(input.authorizer),
    domainName: input.domainName,
    domainPrefix: input.domainPrefix,
    // HTTP APIs: `extendedRequestId` equals `requestId` (§7.4).
    extendedRequestId: input.requestId,
    httpMethod: input.method,
    identity,
    path: input.rawPath,
    protocol: input.protocol,
    requestId: input.requestId,
    requestTime: formatClfTime(input.requestTimeEpoch),
    requestTimeEpoch: input.requestTimeEpoch,
    resourceId: null,
    resourcePath: input.resourcePath,
    stage: input.stage,
  };
}

function copyOrNull(map: Readonly<Record<string, string>> | undefined): Record<string, string> | null {
  if (map === undefined) return null;
  for (const _ in map) return { ...map };
  return null;
}

/** Builds the 1.0 event for one request, in the shape of `input.apiFlavour` (REST or HTTP API). */
export function buildEventV1(input: ProxyRequestInput): ProxyEventV1 {
  const flavour = input.apiFlavour;
  const rest = flavour === 'REST';
  const { headers, multiValueHeaders } = collectHeadersV1(input.rawHeaders, flavour);
  const query = parseQueryV1(input.rawQueryString);
  const identity = identityV1(input, findRawHeader(input.rawHeaders, 'user-agent'));

  let body: string | null = null;
  let isBase64Encoded = false;
  const raw = input.body;
  if (raw !== undefined && raw.length > 0) {
    isBase64Encoded = isBase64RequestBody(
      flavour,
      findRawHeader(input.rawHeaders, 'content-type'),
      input.binaryMediaTypes,
    );
    body = raw.toString(isBase64Encoded ? 'base64' : 'utf8');
  }

  const event = {} as ProxyEventV1;
  if (!rest) event.version = '1.0';
  event.resource = input.resourcePath;
  // REST: no stage in `path`; HTTP APIs: the path as requested, named stage included (§1.3, §9.1).
  event.path = rest ? input.path : input.rawPath;
  event.httpMethod = input.method;
  event.headers = headers;
  event.multiValueHeaders = multiValueHeaders;
  event.queryStringParameters = query.single;
  event.multiValueQueryStringParameters = query.multi;
  event.pathParameters = copyOrNull(input.pathParameters);
  event.stageVariables = copyOrNull(input.stageVariables);
  event.requestContext = rest ? restContext(input, identity) : httpContext(input, identity);
  event.body = body;
  event.isBase64Encoded = isBase64Encoded;
  return event;
}
