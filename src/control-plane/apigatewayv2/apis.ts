import type { ApiDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import {
  autoDeploy,
  commit,
  configApi,
  HTTP_ROUTE_SELECTION,
  listApis,
  managedByConfig,
  newStoredApi,
  readApi,
  writeApi,
} from './api-access.js';
import { parseCors } from './cors-input.js';
import { badRequest, notFound } from './errors.js';
import { optBool, optEnum, optObject, optString, optStringMap, reqString } from './fields.js';
import { newChildId } from './ids.js';
import { isHttpUrl, isLambdaUri } from './integration-input.js';
import { routeKeyProblem } from './route-key.js';
import { apiOut } from './shapes.js';
import { isoNow, json, noContent, operation, paginate, param, readBody, type JsonObject } from './wire.js';

/** Checks `name`, `protocolType` and `routeSelectionExpression` of an HTTP API body. */
function checkApiBasics(body: JsonObject, creating: boolean): void {
  if (creating) {
    const protocolType = optEnum(body, 'protocolType', ['HTTP', 'WEBSOCKET'] as const);
    if (protocolType === undefined) throw badRequest('protocolType is required');
    if (protocolType === 'WEBSOCKET') throw badRequest('WEBSOCKET APIs are not supported by Portico yet');
  }
  const name = creating ? reqString(body, 'name') : optString(body, 'name');
  if (name !== undefined && (name === '' || name.length > 128)) {
    throw badRequest('name must be 1-128 characters');
  }
  const rse = optString(body, 'routeSelectionExpression');
  if (rse !== undefined && rse !== HTTP_ROUTE_SELECTION) {
    throw badRequest(`routeSelectionExpression of an HTTP API must be ${HTTP_ROUTE_SELECTION}`);
  }
  optEnum(body, 'ipAddressType', ['ipv4', 'dualstack'] as const);
}

/** Applies the members UpdateApi may change (CreateApi uses the same). */
function applyApiMembers(api: ApiDef, body: JsonObject): void {
  const name = optString(body, 'name');
  if (name !== undefined) api.name = name;
  const description = optString(body, 'description');
  if (description !== undefined) api.description = description;
  const version = optString(body, 'version');
  if (version !== undefined) api.version = version;
  const disableExecute = optBool(body, 'disableExecuteApiEndpoint');
  if (disableExecute !== undefined) api.disableExecuteApiEndpoint = disableExecute;
  const disableSchema = optBool(body, 'disableSchemaValidation');
  if (disableSchema !== undefined) api.disableSchemaValidation = disableSchema;
  const cors = optObject(body, 'corsConfiguration');
  if (cors !== undefined) api.corsConfiguration = parseCors(cors);
}

/** The integration quick create makes of a `target`: a Lambda ARN -> AWS_PROXY 2.0, a URL -> HTTP_PROXY. */
function quickIntegration(target: string, integrationId: string, credentialsArn?: string) {
  if (isLambdaUri(target)) {
    return {
      integrationId,
      integrationType: 'AWS_PROXY' as const,
      integrationUri: target,
      integrationMethod: 'POST',
      payloadFormatVersion: '2.0' as const,
      timeoutInMillis: 30000,
      connectionType: 'INTERNET' as const,
      ...(credentialsArn === undefined ? {} : { credentialsArn }),
      apiGatewayManaged: true,
    };
  }
  if (isHttpUrl(target)) {
    return {
      integrationId,
      integrationType: 'HTTP_PROXY' as const,
      integrationUri: target,
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0' as const,
      timeoutInMillis: 30000,
      connectionType: 'INTERNET' as const,
      apiGatewayManaged: true,
    };
  }
  throw badRequest(`Invalid target ${target}: expected a Lambda function ARN or an http(s) URL`);
}

/**
 * Quick create (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-basic-concept.html#apigateway-definition-quick-create):
 * an integration for `target`, a route (`$default` unless `routeKey` says otherwise) and a
 * `$default` stage with auto-deploy, all marked apiGatewayManaged.
 */
function quickCreate(api: ApiDef, body: JsonObject, now: Date): void {
  const target = optString(body, 'target');
  const routeKey = optString(body, 'routeKey');
  const credentialsArn = optString(body, 'credentialsArn');
  if (target === undefined) {
    if (routeKey !== undefined) throw badRequest('routeKey can be specified only together with target');
    if (credentialsArn !== undefined)
      throw badRequest('credentialsArn can be specified only together with target');
    return;
  }
  const key = routeKey ?? '$default';
  const problem = routeKeyProblem(key);
  if (problem) throw badRequest(problem);
  const integration = quickIntegration(target, newChildId(), credentialsArn);
  api.integrations.push(integration);
  api.routes.push({
    routeId: newChildId(),
    routeKey: key,
    target: integration.integrationId,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    apiGatewayManaged: true,
  });
  api.stages.push({
    stageName: '$default',
    stageVariables: {},
    autoDeploy: true,
    createdDate: isoNow(now),
    lastUpdatedDate: isoNow(now),
    apiGatewayManaged: true,
  });
}

/** Quick-create members on UpdateApi change the managed integration and route. */
function quickUpdate(api: ApiDef, body: JsonObject): void {
  const target = optString(body, 'target');
  const routeKey = optString(body, 'routeKey');
  if (target === undefined && routeKey === undefined) return;
  const managedRoute = api.routes.find((r) => r.apiGatewayManaged);
  const managed = api.integrations.find((i) => i.apiGatewayManaged);
  if (!managedRoute || !managed) {
    throw badRequest('target and routeKey can be updated only on APIs made with quick create');
  }
  if (target !== undefined) {
    const next = quickIntegration(target, managed.integrationId, managed.credentialsArn);
    Object.assign(managed, next);
    if (next.integrationType === 'HTTP_PROXY') delete managed.credentialsArn;
  }
  if (routeKey !== undefined) {
    const problem = routeKeyProblem(routeKey);
    if (problem) throw badRequest(problem);
    managedRoute.routeKey = routeKey;
  }
}

/** CreateApi, GetApis, GetApi, UpdateApi, DeleteApi, DeleteCorsConfiguration. */
export function apiRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  return [
    operation('POST', '/v2/apis', 'CreateApi', async (req) => {
      const body = readBody(req);
      checkApiBasics(body, true);
      const tags = optStringMap(body, 'tags') ?? {};
      return commit(ctx, async (tx) => {
        const now = ctx.now();
        const api = await newStoredApi(ctx, tx, reqString(body, 'name'), tags, now);
        applyApiMembers(api, body);
        quickCreate(api, body, now);
        autoDeploy(api, now);
        await tx.apis.put(api);
        return json(201, apiOut(ctx, api));
      });
    }),
    operation('GET', '/v2/apis', 'GetApis', async (req) => {
      const page = paginate(await listApis(ctx), req);
      return json(200, { ...page, items: page.items.map((a) => apiOut(ctx, a)) });
    }),
    operation('GET', '/v2/apis/{apiId}', 'GetApi', async (req) => {
      return json(200, apiOut(ctx, await readApi(ctx, param(req, 'apiId'))));
    }),
    operation('PATCH', '/v2/apis/{apiId}', 'UpdateApi', async (req) => {
      const body = readBody(req);
      checkApiBasics(body, false);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        applyApiMembers(api, body);
        quickUpdate(api, body);
        return json(200, apiOut(ctx, api));
      });
    }),
    operation('DELETE', '/v2/apis/{apiId}', 'DeleteApi', async (req) => {
      const apiId = param(req, 'apiId');
      if (configApi(ctx, apiId)) throw managedByConfig(`API ${apiId}`);
      return commit(ctx, async (tx) => {
        if (!(await tx.apis.delete(apiId))) throw notFound('API', `${ctx.accountId}:${apiId}`);
        // Mappings to a deleted API would point nowhere (storage port: DeleteApi cleans them up).
        for (const { domainName, mapping } of await tx.domainNames.listMappingsForApi(apiId)) {
          await tx.domainNames.deleteMapping(domainName, mapping.apiMappingId);
        }
        return noContent();
      });
    }),
    operation('DELETE', '/v2/apis/{apiId}/cors', 'DeleteCorsConfiguration', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        delete api.corsConfiguration;
        return noContent();
      });
    }),
  ];
}
