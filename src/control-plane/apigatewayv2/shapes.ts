import type {
  ApiDef,
  ApiMappingDef,
  AuthorizerDef,
  DeploymentDef,
  DomainNameDef,
  IntegrationDef,
  RouteDef,
  StageDef,
} from '../../model/types.js';
import type { ControlPlaneContext } from '../context.js';

/** Tag that marks resources defined in the server's config file (read-only through the API). */
export const SOURCE_TAG = 'portico:source';

/**
 * Model -> wire shapes of apigatewayv2 (camelCase members, ISO-8601 dates). The model already uses
 * the AWS member names; these functions drop internal fields and add derived ones.
 */

/** The invoke URL of an API (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-publish.html). */
export function apiEndpoint(ctx: Pick<ControlPlaneContext, 'region'>, apiId: string): string {
  return `https://${apiId}.execute-api.${ctx.region}.amazonaws.com`;
}

/** The Api shape (GetApi, CreateApi, ...). */
export function apiOut(ctx: ControlPlaneContext, api: ApiDef): Record<string, unknown> {
  return {
    apiEndpoint: apiEndpoint(ctx, api.apiId),
    apiGatewayManaged: false,
    apiId: api.apiId,
    apiKeySelectionExpression: api.apiKeySelectionExpression,
    ...(api.corsConfiguration ? { corsConfiguration: api.corsConfiguration } : {}),
    createdDate: api.createdDate,
    ...(api.description === undefined ? {} : { description: api.description }),
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    ...(api.disableSchemaValidation === undefined
      ? {}
      : { disableSchemaValidation: api.disableSchemaValidation }),
    ...(api.importInfo && api.importInfo.length > 0 ? { importInfo: api.importInfo } : {}),
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    tags: api.source === 'config' ? { ...api.tags, [SOURCE_TAG]: 'config-file' } : api.tags,
    ...(api.version === undefined ? {} : { version: api.version }),
    ...(api.warnings && api.warnings.length > 0 ? { warnings: api.warnings } : {}),
  };
}

/** The Route shape: the model keeps the integration id, the wire says `integrations/{id}`. */
export function routeOut(route: RouteDef): Record<string, unknown> {
  const { target, ...rest } = route;
  return {
    apiGatewayManaged: false,
    ...rest,
    ...(target === undefined ? {} : { target: `integrations/${target}` }),
  };
}

/** The Integration shape. */
export function integrationOut(integration: IntegrationDef): Record<string, unknown> {
  return { apiGatewayManaged: false, connectionType: 'INTERNET', ...integration };
}

/** The Authorizer shape. */
export function authorizerOut(authorizer: AuthorizerDef): Record<string, unknown> {
  return { ...authorizer };
}

/** The Stage shape. */
export function stageOut(stage: StageDef): Record<string, unknown> {
  return {
    apiGatewayManaged: false,
    defaultRouteSettings: { detailedMetricsEnabled: false },
    routeSettings: {},
    tags: {},
    ...stage,
  };
}

/** The Deployment shape (the snapshot is internal). */
export function deploymentOut(deployment: DeploymentDef): Record<string, unknown> {
  const { snapshot: _snapshot, ...rest } = deployment;
  return rest;
}

/** The DomainName shape. */
export function domainNameOut(ctx: ControlPlaneContext, domain: DomainNameDef): Record<string, unknown> {
  return {
    apiMappingSelectionExpression: '$request.basepath',
    domainName: domain.domainName,
    domainNameConfigurations: (domain.domainNameConfigurations ?? [{}]).map((c) => ({
      apiGatewayDomainName: `d-${domain.domainName.replace(/[^a-z0-9]/g, '').slice(0, 10)}.execute-api.${ctx.region}.amazonaws.com`,
      domainNameStatus: 'AVAILABLE',
      endpointType: 'REGIONAL',
      securityPolicy: 'TLS_1_2',
      ...c,
    })),
    // Config-file domains say so in a tag, so tools (portico deploy) can tell they are read-only.
    tags: domain.source === 'config' ? { ...domain.tags, [SOURCE_TAG]: 'config-file' } : (domain.tags ?? {}),
  };
}

/** The ApiMapping shape. */
export function apiMappingOut(mapping: ApiMappingDef): Record<string, unknown> {
  return {
    apiId: mapping.apiId,
    apiMappingId: mapping.apiMappingId,
    apiMappingKey: mapping.apiMappingKey,
    stage: mapping.stage,
  };
}
