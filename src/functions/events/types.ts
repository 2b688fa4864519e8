/**
 * Shapes of the Lambda proxy integration: the neutral description of one gateway request that the
 * data plane fills in, the 1.0 / 2.0 events built from it, and the parsed function response.
 * Event shapes follow https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * and https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 * (reference §2.1–2.4). JSON member order matches the events recorded from AWS.
 */

/** Which API flavour the request came through; it changes header casing, paths and error statuses. */
export type ProxyApiFlavour = 'HTTP' | 'REST';

/** mTLS client certificate details (REST `identity.clientCert`, HTTP 2.0 `authentication.clientCert`). */
export interface ProxyClientCert {
  clientCertPem: string;
  subjectDN: string;
  issuerDN: string;
  serialNumber: string;
  validity: { notBefore: string; notAfter: string };
}

/**
 * The result of an authorizer that ran before the integration. The event builders render it in the
 * shape of the payload version:
 * - `jwt` (HTTP API JWT authorizer): 2.0 `authorizer.jwt.{claims,scopes}`, 1.0 `authorizer.{claims,scopes}`.
 * - `lambda` (Lambda/CUSTOM authorizer): 2.0 `authorizer.lambda` (context as is), 1.0
 *   `authorizer.{principalId, integrationLatency, ...context}` with context values stringified.
 * - `cognito` (REST Cognito user pool authorizer): 1.0 `authorizer.claims`.
 */
export type ProxyAuthorizerResult =
  | { kind: 'jwt'; claims: Readonly<Record<string, unknown>>; scopes: readonly string[] | null }
  | {
      kind: 'lambda';
      /** Policy responses carry one; HTTP API simple responses do not. */
      principalId?: string;
      context?: Readonly<Record<string, unknown>>;
      /** Authorizer latency in ms (REST adds it to `requestContext.authorizer`). */
      integrationLatency?: number;
    }
  | { kind: 'cognito'; claims: Readonly<Record<string, string>> };

/**
 * One gateway request, described independently of the payload version. The data plane fills it in
 * once per request; `buildEventV1` / `buildEventV2` render it.
 */
export interface ProxyRequestInput {
  apiFlavour: ProxyApiFlavour;
  /** Upper-case HTTP method as sent (`GET`). */
  method: string;
  /**
   * The request path exactly as requested, percent-encoding kept, INCLUDING a named-stage prefix
   * (`/dev/items`); for the `$default` stage it has no prefix (`/items`). Reference §1.3.
   * Used for 2.0 `rawPath` / `http.path`, HTTP API 1.0 `path`, and 1.0 `requestContext.path`.
   */
  rawPath: string;
  /** The path without the stage prefix (`/items`); REST 1.0 `path`. */
  path: string;
  /** The query string without `?`; `''` when there is none. */
  rawQueryString: string;
  /**
   * Request headers as Node's `IncomingMessage.rawHeaders`: `[name, value, name, value, ...]`,
   * original case, duplicates kept. Add the gateway's own headers (`X-Forwarded-For`,
   * `X-Forwarded-Port`, `X-Forwarded-Proto`, `X-Amzn-Trace-Id`) here before building.
   */
  rawHeaders: readonly string[];
  /** The request body; `undefined` or empty when there is none. */
  body: Buffer | undefined;
  /** The immediate TCP peer. */
  sourceIp: string;
  /** Always `HTTP/1.1` on AWS (§7.4), even for HTTP/2 clients. */
  protocol: string;
  /** Matched route key (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`); HTTP APIs. */
  routeKey: string;
  /**
   * REST: matched resource template (`/pets/{id}`). HTTP API: the route path of the route key
   * (`/pets/{id}`), or `$default` for the `$default` route. 1.0 `resource` and `requestContext.resourcePath`.
   */
  resourcePath: string;
  /** Decoded path parameters (`{ proxy: 'a/b/c' }` for a greedy variable); `undefined` when none. */
  pathParameters: Readonly<Record<string, string>> | undefined;
  /** Stage variables; `undefined` when none. */
  stageVariables: Readonly<Record<string, string>> | undefined;
  /** Stage name, or `$default`. */
  stage: string;
  /** `$context.requestId`: a UUID for REST, the short `apigw-requestid` value for HTTP APIs. */
  requestId: string;
  /** REST `$context.extendedRequestId`; HTTP APIs use `requestId` (§7.4). */
  extendedRequestId?: string;
  /** Epoch milliseconds when the gateway received the request. */
  requestTimeEpoch: number;
  /** `Host` the API was called on (`abc123.execute-api.us-east-1.amazonaws.com`). */
  domainName: string;
  /** First label of `domainName`. */
  domainPrefix: string;
  apiId: string;
  accountId: string;
  authorizer?: ProxyAuthorizerResult;
  /** REST only: the API's `binaryMediaTypes` (decide request body base64 encoding). */
  binaryMediaTypes?: readonly string[];
  /** REST only: `requestContext.deploymentId`. */
  deploymentId?: string;
  /** REST only: `requestContext.resourceId`. */
  resourceId?: string;
  /** REST only: the API key value and id when the method requires a key (`identity.apiKey[Id]`). */
  apiKey?: string;
  apiKeyId?: string;
  clientCert?: ProxyClientCert;
}

/** `requestContext.identity` of a 1.0 event. Unused members are `null`, never omitted. */
export interface ProxyIdentityV1 {
  cognitoIdentityPoolId: null;
  accountId: null;
  cognitoIdentityId: null;
  caller: null;
  sourceIp: string;
  principalOrgId: null;
  accessKey: null;
  cognitoAuthenticationType: null;
  cognitoAuthenticationProvider: null;
  userArn: null;
  userAgent: string | null;
  user: null;
  apiKey?: string;
  apiKeyId?: string;
  clientCert?: ProxyClientCert;
}

/** `requestContext` of a 1.0 event (REST members and HTTP API members; see the builder). */
export interface ProxyRequestContextV1 {
  resourceId: string | null;
  authorizer?: Record<string, unknown>;
  resourcePath: string;
  httpMethod: string;
  extendedRequestId: string;
  requestTime: string;
  path: string;
  accountId: string;
  protocol: string;
  stage: string;
  domainPrefix: string;
  requestTimeEpoch: number;
  requestId: string;
  identity: ProxyIdentityV1;
  domainName: string;
  deploymentId?: string;
  apiId: string;
}

/** A payload format 1.0 event (REST `AWS_PROXY`, HTTP API `payloadFormatVersion: "1.0"`). */
export interface ProxyEventV1 {
  /** HTTP APIs only. */
  version?: '1.0';
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  requestContext: ProxyRequestContextV1;
  body: string | null;
  isBase64Encoded: boolean;
}

/** `requestContext` of a 2.0 event. */
export interface ProxyRequestContextV2 {
  accountId: string;
  apiId: string;
  authentication?: { clientCert: ProxyClientCert };
  authorizer?: Record<string, unknown>;
  domainName: string;
  domainPrefix: string;
  http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
  requestId: string;
  routeKey: string;
  stage: string;
  time: string;
  timeEpoch: number;
}

/** A payload format 2.0 event (HTTP APIs). Empty optional members are omitted, never `null`. */
export interface ProxyEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestContext: ProxyRequestContextV2;
  body?: string;
  isBase64Encoded: boolean;
}

/** A function response the gateway can send: headers in order, one `set-cookie` entry per cookie. */
export interface ProxyResponseOk {
  ok: true;
  statusCode: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

/**
 * A function output the gateway cannot use. `status` is what the client gets (HTTP API 500,
 * REST 502, REST failed base64 decode 500 per §2.3); raise `GatewayError('LAMBDA_FAILURE', undefined,
 * { status, cause: reason })`.
 */
export interface ProxyResponseMalformed {
  ok: false;
  reason: string;
  status: number;
}

/** Result of parsing a function's proxy response. */
export type ProxyResponseResult = ProxyResponseOk | ProxyResponseMalformed;
