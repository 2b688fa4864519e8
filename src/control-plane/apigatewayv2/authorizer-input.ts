import type { AuthorizerDef } from '../../model/types.js';
import { badRequest } from './errors.js';
import { optBool, optEnum, optInt, optObject, optString, optStringList, reqString } from './fields.js';
import { isLambdaUri } from './integration-input.js';
import type { JsonObject } from './wire.js';

const IDENTITY_SOURCE =
  /^\$(request\.(header|querystring)\.[^\s,]+|context\.[A-Za-z0-9_.]+|stageVariables\.[A-Za-z0-9_]+)$/;

/**
 * Validates a CreateAuthorizer body (or an UpdateAuthorizer body merged over the current one) of an
 * HTTP API: JWT authorizers need an issuer and one identity source; REQUEST (Lambda) authorizers
 * need a function URI and a payload format version
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-authorizers.html).
 * Stored now; enforcement belongs to the data plane's authorizer stage.
 */
export function parseAuthorizer(body: JsonObject, authorizerId: string): AuthorizerDef {
  const name = reqString(body, 'name');
  if (name.length > 128) throw badRequest('name must be at most 128 characters');
  const authorizerType = optEnum(body, 'authorizerType', ['REQUEST', 'JWT'] as const);
  if (authorizerType === undefined) throw badRequest('authorizerType is required');
  const identitySource = optStringList(body, 'identitySource') ?? [];
  for (const source of identitySource) {
    if (!IDENTITY_SOURCE.test(source)) {
      throw badRequest(
        `Invalid identitySource ${source}: expected $request.header.<name>, $request.querystring.<name>, $context.<name> or $stageVariables.<name>`,
      );
    }
  }
  const authorizer: AuthorizerDef = { authorizerId, name, authorizerType, identitySource };
  const ttl = optInt(body, 'authorizerResultTtlInSeconds', 0, 3600);
  const identityValidationExpression = optString(body, 'identityValidationExpression');
  if (identityValidationExpression !== undefined) {
    throw badRequest('identityValidationExpression is not supported for HTTP APIs');
  }
  const credentials = optString(body, 'authorizerCredentialsArn');
  if (credentials !== undefined) authorizer.authorizerCredentialsArn = credentials;
  if (authorizerType === 'JWT') {
    if (identitySource.length !== 1) throw badRequest('JWT authorizers require exactly one identitySource');
    const jwt = optObject(body, 'jwtConfiguration');
    const issuer = jwt ? optString(jwt, 'issuer') : undefined;
    if (!jwt || !issuer) throw badRequest('jwtConfiguration.issuer is required for JWT authorizers');
    if (!/^https:\/\/\S+$/.test(issuer)) throw badRequest(`Invalid issuer ${issuer}: expected an https URL`);
    const audience = optStringList(jwt, 'audience') ?? [];
    authorizer.jwtConfiguration = { issuer, audience };
    for (const name of [
      'authorizerUri',
      'authorizerPayloadFormatVersion',
      'enableSimpleResponses',
    ] as const) {
      if (body[name] !== undefined && body[name] !== null) {
        throw badRequest(`${name} is not supported for JWT authorizers`);
      }
    }
    if (ttl !== undefined && ttl !== 0) {
      throw badRequest('authorizerResultTtlInSeconds is not supported for JWT authorizers');
    }
    return authorizer;
  }
  const uri = reqString(body, 'authorizerUri');
  if (!isLambdaUri(uri)) {
    throw badRequest(
      `Invalid authorizerUri ${uri}: expected arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`,
    );
  }
  authorizer.authorizerUri = uri;
  const version = optEnum(body, 'authorizerPayloadFormatVersion', ['1.0', '2.0'] as const);
  if (version === undefined) {
    throw badRequest('authorizerPayloadFormatVersion is required for REQUEST authorizers (1.0 or 2.0)');
  }
  authorizer.authorizerPayloadFormatVersion = version;
  const simple = optBool(body, 'enableSimpleResponses');
  if (simple === true && version !== '2.0') {
    throw badRequest('enableSimpleResponses is supported only with authorizerPayloadFormatVersion 2.0');
  }
  if (simple !== undefined) authorizer.enableSimpleResponses = simple;
  authorizer.authorizerResultTtlInSeconds = ttl ?? 0;
  if (authorizer.authorizerResultTtlInSeconds > 0 && identitySource.length === 0) {
    throw badRequest('identitySource is required when authorizer caching is enabled');
  }
  if (body.jwtConfiguration !== undefined && body.jwtConfiguration !== null) {
    throw badRequest('jwtConfiguration is supported only for JWT authorizers');
  }
  return authorizer;
}
