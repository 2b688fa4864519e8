import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import type {
  ApiDef,
  DomainNameDef,
  EventInvokeConfigDef,
  FunctionDef,
  FunctionRuntimeName,
  GatewayModel,
  IntegrationDef,
  LoggingConfigDef,
  RouteDef,
  StageDef,
} from '../model/types.js';
import type { ApiConfig, ConfigFile, FunctionConfig } from './schema.js';
import { functionNameFromArn } from './references.js';

/** Defaults applied when the file leaves a field out. */
export const CONFIG_DEFAULTS = {
  region: 'us-east-1',
  accountId: '000000000000',
  integrationTimeoutMs: 30_000,
  functionTimeout: 3,
  functionMemory: 128,
  runtime: 'nodejs20.x' as FunctionRuntimeName,
};

/** Settings that the file carries besides the model. */
export interface ModelSettings {
  region: string;
  accountId: string;
}

/**
 * Turns a validated config file into the model. Every stage of a file-defined API serves the file's
 * current content (a file edit is a deployment), so each API gets one deployment that all stages use.
 */
export function configToModel(file: string, config: ConfigFile, settings: ModelSettings): GatewayModel {
  const now = new Date(0).toISOString();
  const apis: ApiDef[] = Object.entries(config.apis ?? {}).map(([apiId, api]) =>
    apiToModel(apiId, api, settings, now),
  );
  const domainNames: DomainNameDef[] = Object.entries(config.domainNames ?? {}).map(([domainName, d]) => ({
    domainName: domainName.toLowerCase(),
    source: 'config',
    apiMappings: (d.apiMappings ?? []).map((m) => ({
      apiMappingId: shortId(`${domainName}/${m.apiMappingKey ?? ''}`),
      apiId: m.apiId,
      stage: m.stage,
      apiMappingKey: m.apiMappingKey ?? '',
    })),
  }));
  const baseDir = dirname(resolve(file));
  const functions: FunctionDef[] = Object.entries(config.functions ?? {}).map(([functionName, f]) => ({
    functionName,
    runtime: (f.runtime ?? CONFIG_DEFAULTS.runtime) as FunctionRuntimeName,
    handler: f.handler,
    codeDir: isAbsolute(f.code) ? f.code : resolve(baseDir, f.code),
    ...(f.description === undefined ? {} : { description: f.description }),
    timeout: f.timeout ?? CONFIG_DEFAULTS.functionTimeout,
    memorySize: f.memorySize ?? CONFIG_DEFAULTS.functionMemory,
    environment: f.environment ?? {},
    ...(f.reservedConcurrentExecutions === undefined
      ? {}
      : { reservedConcurrentExecutions: f.reservedConcurrentExecutions }),
    ...(f.isolation === undefined ? {} : { isolation: f.isolation }),
    ...(f.eventInvokeConfig === undefined
      ? {}
      : { eventInvokeConfigs: { $LATEST: eventInvokeConfigToModel(f.eventInvokeConfig, settings) } }),
    ...(f.loggingConfig === undefined ? {} : { loggingConfig: loggingConfigToModel(f.loggingConfig) }),
    source: 'config',
  }));
  return { apis, domainNames, functions };
}

/** The file's settings of `$LATEST`; destinations named by function become that function's ARN. */
function eventInvokeConfigToModel(
  c: NonNullable<FunctionConfig['eventInvokeConfig']>,
  settings: ModelSettings,
): EventInvokeConfigDef {
  return {
    ...(c.maximumRetryAttempts === undefined ? {} : { maximumRetryAttempts: c.maximumRetryAttempts }),
    ...(c.maximumEventAgeInSeconds === undefined
      ? {}
      : { maximumEventAgeInSeconds: c.maximumEventAgeInSeconds }),
    ...(c.onSuccess === undefined ? {} : { onSuccess: lambdaArn(c.onSuccess, settings) }),
    ...(c.onFailure === undefined ? {} : { onFailure: lambdaArn(c.onFailure, settings) }),
  };
}

/** The file's LoggingConfig: `Text` unless it says JSON; the members it leaves out stay unset. */
function loggingConfigToModel(c: NonNullable<FunctionConfig['loggingConfig']>): LoggingConfigDef {
  return {
    logFormat: c.logFormat ?? 'Text',
    ...(c.applicationLogLevel === undefined ? {} : { applicationLogLevel: c.applicationLogLevel }),
    ...(c.systemLogLevel === undefined ? {} : { systemLogLevel: c.systemLogLevel }),
    ...(c.logGroup === undefined ? {} : { logGroup: c.logGroup }),
  };
}

function apiToModel(apiId: string, api: ApiConfig, settings: ModelSettings, now: string): ApiDef {
  const integrations: IntegrationDef[] = Object.entries(api.integrations ?? {}).map(([integrationId, i]) => {
    const isLambda = i.type === 'AWS_PROXY';
    const uri = isLambda
      ? lambdaArn(i.function ?? functionNameFromArn(i.uri ?? '') ?? '', settings)
      : (i.uri as string);
    return {
      integrationId,
      integrationType: i.type,
      integrationUri: uri,
      integrationMethod: isLambda ? 'POST' : (i.method ?? 'ANY'),
      payloadFormatVersion: i.payloadFormatVersion ?? (isLambda ? '2.0' : '1.0'),
      timeoutInMillis: i.timeoutInMillis ?? CONFIG_DEFAULTS.integrationTimeoutMs,
      connectionType: 'INTERNET',
      ...(i.description === undefined ? {} : { description: i.description }),
      ...(i.requestParameters === undefined ? {} : { requestParameters: i.requestParameters }),
      ...(i.responseParameters === undefined ? {} : { responseParameters: i.responseParameters }),
    };
  });
  const routes: RouteDef[] = Object.entries(api.routes ?? {}).map(([routeKey, r]) => {
    const obj = typeof r === 'string' ? { integration: r } : r;
    return {
      routeId: shortId(`${apiId} ${routeKey}`),
      routeKey,
      ...(obj.integration === undefined ? {} : { target: obj.integration }),
      authorizationType: obj.authorizationType ?? 'NONE',
      ...(obj.authorizerId === undefined ? {} : { authorizerId: obj.authorizerId }),
      ...(obj.authorizationScopes === undefined ? {} : { authorizationScopes: obj.authorizationScopes }),
      apiKeyRequired: obj.apiKeyRequired ?? false,
      ...(obj.operationName === undefined ? {} : { operationName: obj.operationName }),
    };
  });
  const deploymentId = shortId(`${apiId} config deployment`);
  const stages: StageDef[] = Object.entries(api.stages ?? {}).map(([stageName, s]) => ({
    stageName,
    ...(s?.description === undefined ? {} : { description: s.description }),
    stageVariables: s?.stageVariables ?? {},
    autoDeploy: true,
    deploymentId,
    ...(s?.defaultRouteSettings === undefined ? {} : { defaultRouteSettings: s.defaultRouteSettings }),
    ...(s?.routeSettings === undefined ? {} : { routeSettings: s.routeSettings }),
    createdDate: now,
    lastUpdatedDate: now,
  }));
  return {
    apiId,
    name: api.name ?? apiId,
    protocolType: 'HTTP',
    ...(api.description === undefined ? {} : { description: api.description }),
    routeSelectionExpression: '${request.method} ${request.path}',
    apiKeySelectionExpression: '$request.header.x-api-key',
    ...(api.corsConfiguration === undefined ? {} : { corsConfiguration: api.corsConfiguration }),
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    createdDate: now,
    tags: api.tags ?? {},
    routes,
    integrations,
    authorizers: [],
    stages,
    deployments: [
      {
        deploymentId,
        createdDate: now,
        autoDeployed: true,
        deploymentStatus: 'DEPLOYED',
        description: 'Deployed from the config file',
        snapshot: { routes, integrations, authorizers: [], corsConfiguration: api.corsConfiguration },
      },
    ],
    source: 'config',
  };
}

/** The Lambda ARN of a function name (`name` or `name:qualifier`); ARNs pass through. */
export function lambdaArn(nameOrArn: string, settings: ModelSettings): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return `arn:aws:lambda:${settings.region}:${settings.accountId}:function:${nameOrArn}`;
}

/** A short, stable id (7 lowercase alphanumerics) derived from a seed, like AWS's resource ids. */
export function shortId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < 7; i++) out += 'abcdefghijklmnopqrstuvwxyz0123456789'[(digest[i] as number) % 36];
  return out;
}
