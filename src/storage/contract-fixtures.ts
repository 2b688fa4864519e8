import type {
  ApiDef,
  DeploymentDef,
  DomainNameDef,
  FunctionDef,
  IntegrationDef,
  RouteDef,
  StageDef,
} from '../model/types.js';
import type { AliasDef, FunctionVersionDef } from './functions.port.js';

/** A route fixture. */
export function route(routeId: string, routeKey = `GET /${routeId}`): RouteDef {
  return { routeId, routeKey, authorizationType: 'NONE', apiKeyRequired: false, target: `int-${routeId}` };
}

/** An HTTP_PROXY integration fixture. */
export function integration(integrationId: string): IntegrationDef {
  return {
    integrationId,
    integrationType: 'HTTP_PROXY',
    integrationUri: `http://upstream.example/${integrationId}`,
    integrationMethod: 'ANY',
    payloadFormatVersion: '1.0',
    timeoutInMillis: 30000,
  };
}

/** A stage fixture. */
export function stage(stageName: string, deploymentId?: string): StageDef {
  return {
    stageName,
    stageVariables: { name: stageName },
    autoDeploy: false,
    ...(deploymentId === undefined ? {} : { deploymentId }),
    createdDate: '2024-05-01T12:00:00Z',
    lastUpdatedDate: '2024-05-01T12:00:00Z',
  };
}

/** A deployment fixture with a snapshot of the given routes. */
export function deployment(deploymentId: string, routes: RouteDef[] = []): DeploymentDef {
  return {
    deploymentId,
    createdDate: '2024-05-01T12:00:00Z',
    autoDeployed: false,
    deploymentStatus: 'DEPLOYED',
    snapshot: { routes, integrations: [], authorizers: [] },
  };
}

/** An HTTP API fixture with one of each child. */
export function api(apiId: string, overrides: Partial<ApiDef> = {}): ApiDef {
  return {
    apiId,
    name: `api ${apiId}`,
    protocolType: 'HTTP',
    routeSelectionExpression: '$request.method $request.path',
    apiKeySelectionExpression: '$request.header.x-api-key',
    disableExecuteApiEndpoint: false,
    createdDate: '2024-05-01T12:00:00Z',
    tags: { team: 'core' },
    routes: [route('r1'), route('r2', 'POST /items')],
    integrations: [integration('i1')],
    authorizers: [
      {
        authorizerId: 'a1',
        name: 'jwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: { issuer: 'https://issuer.example', audience: ['aud'] },
      },
    ],
    stages: [stage('$default', 'd1')],
    deployments: [deployment('d1', [route('r1')])],
    source: 'api',
    ...overrides,
  };
}

/** A domain name fixture with one mapping. */
export function domain(domainName: string, apiId = 'api1'): DomainNameDef {
  return {
    domainName,
    apiMappings: [{ apiMappingId: `m-${domainName}`, apiId, stage: '$default', apiMappingKey: '' }],
    tags: { env: 'test' },
    source: 'api',
  };
}

/** A function fixture. */
export function fn(functionName: string, overrides: Partial<FunctionDef> = {}): FunctionDef {
  return {
    functionName,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir: `/data/functions/${functionName}`,
    timeout: 3,
    memorySize: 128,
    environment: { STAGE: 'dev' },
    source: 'api',
    lastModified: '2024-05-01T12:00:00.000+0000',
    revisionId: `rev-${functionName}`,
    ...overrides,
  };
}

/** A version draft fixture (everything but the number storage allocates). */
export function versionDraft(config: FunctionDef, sha256: string): Omit<FunctionVersionDef, 'version'> {
  return {
    config,
    code: { sha256, size: 4 },
    description: 'published',
    revisionId: `rev-v-${sha256}`,
    lastModified: '2024-05-02T00:00:00.000+0000',
  };
}

/** An alias fixture. */
export function alias(name: string, functionVersion: string): AliasDef {
  return {
    name,
    functionVersion,
    description: `alias ${name}`,
    routingConfig: { additionalVersionWeights: { '1': 0.25 } },
    revisionId: `rev-a-${name}`,
  };
}
