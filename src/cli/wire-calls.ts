import type { AdminClient } from './admin-client.js';
import { wirePath } from './admin-client.js';

/**
 * Typed calls of the AWS wire APIs the CLI uses (reference §6.2 apigatewayv2, §5.2 Lambda). Only the
 * members the CLI reads are typed; everything else passes through untouched for `--json`.
 */

/** apigatewayv2 Api (camelCase). */
export interface WireApi {
  apiId: string;
  name: string;
  protocolType?: string;
  apiEndpoint?: string;
  description?: string;
  corsConfiguration?: Record<string, unknown>;
  disableExecuteApiEndpoint?: boolean;
  tags?: Record<string, string>;
  warnings?: string[];
  [key: string]: unknown;
}

/** apigatewayv2 Route. */
export interface WireRoute {
  routeId: string;
  routeKey: string;
  /** `integrations/{integrationId}`. */
  target?: string;
  authorizationType?: string;
  authorizerId?: string;
  authorizationScopes?: string[];
  apiKeyRequired?: boolean;
  operationName?: string;
  [key: string]: unknown;
}

/** apigatewayv2 Integration. */
export interface WireIntegration {
  integrationId: string;
  integrationType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion?: string;
  timeoutInMillis?: number;
  description?: string;
  requestParameters?: Record<string, string>;
  responseParameters?: Record<string, Record<string, string>>;
  [key: string]: unknown;
}

/** apigatewayv2 Stage. */
export interface WireStage {
  stageName: string;
  deploymentId?: string;
  autoDeploy?: boolean;
  description?: string;
  stageVariables?: Record<string, string>;
  defaultRouteSettings?: Record<string, unknown>;
  routeSettings?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** apigatewayv2 Deployment. */
export interface WireDeployment {
  deploymentId: string;
  description?: string;
  deploymentStatus?: string;
  [key: string]: unknown;
}

/** Lambda FunctionConfiguration (PascalCase). */
export interface WireFunction {
  FunctionName: string;
  Runtime?: string;
  Handler?: string;
  MemorySize?: number;
  Timeout?: number;
  LastModified?: string;
  Description?: string;
  CodeSha256?: string;
  Environment?: { Variables?: Record<string, string> };
  [key: string]: unknown;
}

/** Follows apigatewayv2 `nextToken` paging (`{items, nextToken}`) to the end. */
export async function listAllV2<T>(client: AdminClient, path: string): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.json<{ items?: T[]; nextToken?: string }>({
      service: 'apigateway',
      method: 'GET',
      path,
      query: { nextToken },
    });
    out.push(...(page.items ?? []));
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return out;
}

/** GetApis. */
export function getApis(client: AdminClient): Promise<WireApi[]> {
  return listAllV2<WireApi>(client, wirePath('v2', 'apis'));
}

/** GetRoutes. */
export function getRoutes(client: AdminClient, apiId: string): Promise<WireRoute[]> {
  return listAllV2<WireRoute>(client, wirePath('v2', 'apis', apiId, 'routes'));
}

/** GetIntegrations. */
export function getIntegrations(client: AdminClient, apiId: string): Promise<WireIntegration[]> {
  return listAllV2<WireIntegration>(client, wirePath('v2', 'apis', apiId, 'integrations'));
}

/** GetStages. */
export function getStages(client: AdminClient, apiId: string): Promise<WireStage[]> {
  return listAllV2<WireStage>(client, wirePath('v2', 'apis', apiId, 'stages'));
}

/** GetDeployments. */
export function getDeployments(client: AdminClient, apiId: string): Promise<WireDeployment[]> {
  return listAllV2<WireDeployment>(client, wirePath('v2', 'apis', apiId, 'deployments'));
}

/** ListFunctions, following `NextMarker`. */
export async function listFunctions(client: AdminClient): Promise<WireFunction[]> {
  const out: WireFunction[] = [];
  let marker: string | undefined;
  do {
    const page = await client.json<{ Functions?: WireFunction[]; NextMarker?: string }>({
      service: 'lambda',
      method: 'GET',
      path: wirePath('2015-03-31', 'functions'),
      query: { Marker: marker },
    });
    out.push(...(page.Functions ?? []));
    marker = page.NextMarker || undefined;
  } while (marker);
  return out;
}

/** The integration id of a route target (`integrations/abc1234` -> `abc1234`). */
export function targetIntegrationId(target: string | undefined): string | undefined {
  if (!target) return undefined;
  return target.startsWith('integrations/') ? target.slice('integrations/'.length) : target;
}
