import { compileMapping } from '../../gateway/parameter-mapping.js';
import type { IntegrationDef } from '../../model/types.js';
import { badRequest } from './errors.js';
import { optEnum, optInt, optObject, optString, optStringMap, reqString } from './fields.js';
import { ROUTE_METHODS } from './route-key.js';
import type { JsonObject } from './wire.js';

const INTEGRATION_TYPES = ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'] as const;
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_.-]+(:[A-Za-z0-9_$.-]+)?$/;
const INVOCATIONS_ARN =
  /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/;
const WEBSOCKET_ONLY = [
  'requestTemplates',
  'templateSelectionExpression',
  'passthroughBehavior',
  'contentHandlingStrategy',
] as const;

/** Stage-variable references (`${stageVariables.fn}`) become a placeholder so the shape can be checked. */
function withoutStageVariables(s: string): string {
  return s.replace(/\$\{stageVariables\.[A-Za-z0-9_]+\}/g, 'stagevar');
}

/**
 * True for what an AWS_PROXY integration URI may be on an HTTP API: a Lambda function ARN (with an
 * optional qualifier) or the `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`
 * form, each possibly using stage variables (reference §1.9).
 */
export function isLambdaUri(uri: string): boolean {
  const plain = withoutStageVariables(uri);
  const inner = INVOCATIONS_ARN.exec(plain);
  return LAMBDA_ARN.test(inner ? (inner[1] as string) : plain);
}

/** True for an http(s) URL (stage variables allowed), what HTTP_PROXY integrations call. */
export function isHttpUrl(uri: string): boolean {
  try {
    const u = new URL(withoutStageVariables(uri));
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Validates a parameter-mapping map with the data plane's own compiler, as a BadRequest. */
function checkMapping(params: Record<string, string>, side: 'request' | 'response'): void {
  try {
    compileMapping(params, {}, side);
  } catch (err) {
    throw badRequest(`Invalid mapping expression specified: ${(err as Error).message}`);
  }
}

/**
 * Validates a CreateIntegration body (or an UpdateIntegration body merged over the current
 * integration) of an HTTP API and returns the model integration
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-integrations.html).
 */
export function parseIntegration(body: JsonObject, integrationId: string): IntegrationDef {
  const type = optEnum(body, 'integrationType', INTEGRATION_TYPES);
  if (type === undefined) throw badRequest('integrationType is required');
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    throw badRequest(
      `Integration type ${type} is not supported for HTTP APIs by Portico; use AWS_PROXY or HTTP_PROXY`,
    );
  }
  for (const name of WEBSOCKET_ONLY) {
    if (body[name] !== undefined && body[name] !== null) {
      throw badRequest(`${name} is supported only for WebSocket APIs`);
    }
  }
  const uri = reqString(body, 'integrationUri');
  let payloadFormatVersion = optEnum(body, 'payloadFormatVersion', ['1.0', '2.0'] as const);
  let integrationMethod = optEnum(body, 'integrationMethod', ROUTE_METHODS);
  if (type === 'AWS_PROXY') {
    if (!isLambdaUri(uri)) {
      throw badRequest(
        `Invalid integrationUri for AWS_PROXY: ${uri} (expected a Lambda function ARN or arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations)`,
      );
    }
    if (payloadFormatVersion === undefined) {
      throw badRequest('payloadFormatVersion is required for AWS_PROXY integrations (1.0 or 2.0)');
    }
    integrationMethod ??= 'POST';
    if (integrationMethod !== 'POST')
      throw badRequest('integrationMethod must be POST for AWS_PROXY integrations');
  } else {
    if (!isHttpUrl(uri)) throw badRequest(`Invalid HTTP endpoint specified for URI: ${uri}`);
    payloadFormatVersion ??= '1.0';
    if (payloadFormatVersion !== '1.0') {
      throw badRequest('payloadFormatVersion must be 1.0 for HTTP_PROXY integrations');
    }
    integrationMethod ??= 'ANY';
  }
  const connectionType = optEnum(body, 'connectionType', ['INTERNET', 'VPC_LINK'] as const) ?? 'INTERNET';
  if (connectionType === 'VPC_LINK') throw badRequest('connectionType VPC_LINK is not supported by Portico');
  const timeoutInMillis = optInt(body, 'timeoutInMillis', 50, 30000) ?? 30000;
  const integration: IntegrationDef = {
    integrationId,
    integrationType: type,
    integrationUri: uri,
    integrationMethod,
    payloadFormatVersion,
    timeoutInMillis,
    connectionType,
  };
  const description = optString(body, 'description');
  if (description !== undefined) integration.description = description;
  const credentialsArn = optString(body, 'credentialsArn');
  if (credentialsArn !== undefined) integration.credentialsArn = credentialsArn;
  const requestParameters = optStringMap(body, 'requestParameters');
  if (requestParameters !== undefined) {
    checkMapping(requestParameters, 'request');
    integration.requestParameters = requestParameters;
  }
  const responseParameters = optObject(body, 'responseParameters');
  if (responseParameters !== undefined) {
    const out: Record<string, Record<string, string>> = {};
    for (const status of Object.keys(responseParameters)) {
      if (!/^[1-5]\d\d$/.test(status)) {
        throw badRequest(`Invalid responseParameters key ${status}: expected an HTTP status code`);
      }
      const map = optStringMap(responseParameters, status) ?? {};
      checkMapping(map, 'response');
      out[status] = map;
    }
    integration.responseParameters = out;
  }
  const tls = optObject(body, 'tlsConfig');
  if (tls !== undefined) {
    const serverNameToVerify = optString(tls, 'serverNameToVerify');
    integration.tlsConfig = serverNameToVerify === undefined ? {} : { serverNameToVerify };
  }
  const integrationSubtype = optString(body, 'integrationSubtype');
  if (integrationSubtype !== undefined) {
    throw badRequest('integrationSubtype (AWS service integrations) is not supported by Portico');
  }
  return integration;
}
