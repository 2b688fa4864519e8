import type { ApiDef, AuthorizationType, RouteDef } from '../../model/types.js';
import { badRequest, conflict } from './errors.js';
import { optBool, optEnum, optObject, optString, optStringList, reqString } from './fields.js';
import { routeKeyProblem } from './route-key.js';
import type { JsonObject } from './wire.js';

const AUTHORIZATION_TYPES: readonly AuthorizationType[] = ['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'];
const WEBSOCKET_ONLY = [
  'modelSelectionExpression',
  'requestModels',
  'routeResponseSelectionExpression',
] as const;

/**
 * Validates a CreateRoute body (or an UpdateRoute body merged over the current route, in wire form)
 * of an HTTP API (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-routes.html).
 * References (target, authorizer, duplicate keys) are checked against the API by `checkRouteRefs`.
 */
export function parseRoute(body: JsonObject, routeId: string): RouteDef {
  const routeKey = reqString(body, 'routeKey');
  const problem = routeKeyProblem(routeKey);
  if (problem) throw badRequest(problem);
  for (const name of WEBSOCKET_ONLY) {
    if (body[name] !== undefined && body[name] !== null) {
      throw badRequest(`${name} is supported only for WebSocket APIs`);
    }
  }
  const route: RouteDef = {
    routeId,
    routeKey,
    authorizationType: optEnum(body, 'authorizationType', AUTHORIZATION_TYPES) ?? 'NONE',
    apiKeyRequired: optBool(body, 'apiKeyRequired') ?? false,
  };
  if (route.apiKeyRequired) throw badRequest('API keys are not supported for HTTP APIs');
  const target = optString(body, 'target');
  if (target !== undefined && target !== '') {
    const m = /^integrations\/([A-Za-z0-9]+)$/.exec(target);
    if (!m) throw badRequest(`Invalid target ${target}: expected integrations/{integrationId}`);
    route.target = m[1] as string;
  }
  const authorizerId = optString(body, 'authorizerId');
  if (authorizerId !== undefined && authorizerId !== '') route.authorizerId = authorizerId;
  const scopes = optStringList(body, 'authorizationScopes');
  if (scopes !== undefined && scopes.length > 0) route.authorizationScopes = scopes;
  const operationName = optString(body, 'operationName');
  if (operationName !== undefined) route.operationName = operationName;
  const requestParameters = optObject(body, 'requestParameters');
  if (requestParameters !== undefined) {
    const out: Record<string, { required: boolean }> = {};
    for (const key of Object.keys(requestParameters)) {
      const constraint = optObject(requestParameters, key) ?? {};
      out[key] = { required: optBool(constraint, 'required') ?? false };
    }
    route.requestParameters = out;
  }
  if (route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') {
    if (!route.authorizerId) {
      throw badRequest(`authorizerId is required when authorizationType is ${route.authorizationType}`);
    }
  } else {
    if (route.authorizerId) {
      throw badRequest(`authorizerId cannot be set when authorizationType is ${route.authorizationType}`);
    }
  }
  if (route.authorizationScopes && route.authorizationType !== 'JWT') {
    throw badRequest('authorizationScopes are supported only with authorizationType JWT');
  }
  return route;
}

/**
 * Checks a route against the rest of its API: the route key is unique (ConflictException), the
 * target integration and the authorizer exist and the authorizer type fits the authorization type.
 */
export function checkRouteRefs(
  api: Pick<ApiDef, 'routes' | 'integrations' | 'authorizers'>,
  route: RouteDef,
): void {
  if (api.routes.some((r) => r.routeKey === route.routeKey && r.routeId !== route.routeId)) {
    throw conflict(`Route with key ${route.routeKey} already exists for this API`);
  }
  if (route.target !== undefined && !api.integrations.some((i) => i.integrationId === route.target)) {
    throw badRequest(`Invalid target integrations/${route.target}: the integration does not exist`);
  }
  if (route.authorizerId !== undefined) {
    const authorizer = api.authorizers.find((a) => a.authorizerId === route.authorizerId);
    if (!authorizer)
      throw badRequest(`Invalid authorizerId ${route.authorizerId}: the authorizer does not exist`);
    const expected = route.authorizationType === 'JWT' ? 'JWT' : 'REQUEST';
    if (authorizer.authorizerType !== expected) {
      throw badRequest(
        `authorizationType ${route.authorizationType} requires a ${expected} authorizer; ${route.authorizerId} is ${authorizer.authorizerType}`,
      );
    }
  }
}
