import type { Integration } from '../integrations/integration.js';
import type {
  ApiDef,
  ApiSnapshot,
  GatewayModel,
  IntegrationDef,
  RouteDef,
  StageDef,
} from '../model/types.js';
import type {
  CompiledApi,
  CompiledGateway,
  CompiledMapping,
  CompiledRoute,
  CompiledStage,
} from './compiled.js';
import { compileMapping, type MappingOp } from './parameter-mapping.js';
import { orderStages, type PipelineStage, type StageFactory } from './pipeline.js';
import { compileRouter } from './router.js';

/** What an integration factory is told about where the integration is used. */
export interface IntegrationSite {
  def: IntegrationDef;
  api: ApiDef;
  stage: StageDef;
  routeKey: string;
}

/** Builds integrations by type; the composition root registers one per supported type. */
export type IntegrationFactory = (site: IntegrationSite) => Integration;

/** What a route's stage factories see. */
export interface RouteSite {
  api: ApiDef;
  stage: StageDef;
  route: RouteDef;
  snapshot: ApiSnapshot;
}

/** Everything compilation needs besides the model. */
export interface CompileDeps {
  region: string;
  accountId: string;
  integrations: Partial<Record<IntegrationDef['integrationType'], IntegrationFactory>>;
  /** Capabilities that add pipeline stages to routes (authorizers, throttling, ...). */
  stageFactories?: ReadonlyArray<StageFactory<RouteSite>>;
}

/**
 * Compiles the model into the table the data plane serves. Everything that can be decided per
 * deployment is decided here: routers, integration URIs with stage variables, mappings, stages.
 * Throws when something in the model cannot be served (the caller keeps the previous table).
 */
export function compileGateway(model: GatewayModel, deps: CompileDeps): CompiledGateway {
  const apis = new Map<string, CompiledApi>();
  for (const api of model.apis) apis.set(api.apiId, compileApi(api, deps));
  const domains = new Map<string, CompiledMapping[]>();
  for (const domain of model.domainNames) {
    const mappings: CompiledMapping[] = [];
    for (const m of domain.apiMappings) {
      const stage = apis.get(m.apiId)?.stages.get(m.stage);
      if (!stage) continue;
      mappings.push({
        key: m.apiMappingKey,
        keySegments: m.apiMappingKey === '' ? [] : m.apiMappingKey.split('/'),
        stage,
      });
    }
    mappings.sort((a, b) => b.keySegments.length - a.keySegments.length);
    domains.set(domain.domainName.toLowerCase(), mappings);
  }
  return { apis, domains };
}

function compileApi(api: ApiDef, deps: CompileDeps): CompiledApi {
  const compiled: CompiledApi = {
    apiId: api.apiId,
    name: api.name,
    flavour: api.protocolType,
    accountId: deps.accountId,
    region: deps.region,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    stages: new Map(),
    defaultStage: undefined,
  };
  for (const stage of api.stages) {
    const deployment = stage.deploymentId
      ? api.deployments.find((d) => d.deploymentId === stage.deploymentId)
      : undefined;
    const snapshot: ApiSnapshot = deployment?.snapshot ?? { routes: [], integrations: [], authorizers: [] };
    const cs: CompiledStage = {
      stageName: stage.stageName,
      deploymentId: deployment?.deploymentId,
      stageVariables: stage.stageVariables,
      router: compileRouter<CompiledRoute>([]),
      api: compiled,
    };
    const routes = deployment
      ? snapshot.routes.map((route) => compileRoute(api, stage, snapshot, route, deps))
      : [];
    cs.router = compileRouter(routes.map((r) => ({ routeKey: r.routeKey, value: r })));
    compiled.stages.set(stage.stageName, cs);
    if (stage.stageName === '$default') compiled.defaultStage = cs;
  }
  return compiled;
}

function compileRoute(
  api: ApiDef,
  stage: StageDef,
  snapshot: ApiSnapshot,
  route: RouteDef,
  deps: CompileDeps,
): CompiledRoute {
  const def = route.target ? snapshot.integrations.find((i) => i.integrationId === route.target) : undefined;
  if (route.target && !def) {
    throw new Error(
      `API ${api.apiId}: route "${route.routeKey}" targets missing integration ${route.target}`,
    );
  }
  let integration: Integration | undefined;
  let responseOps: Map<number, MappingOp[]> | undefined;
  if (def) {
    const factory = deps.integrations[def.integrationType];
    if (!factory)
      throw new Error(`API ${api.apiId}: integration type ${def.integrationType} is not supported`);
    integration = factory({ def, api, stage, routeKey: route.routeKey });
    if (def.responseParameters) {
      responseOps = new Map();
      for (const [status, params] of Object.entries(def.responseParameters)) {
        responseOps.set(Number(status), compileMapping(params, stage.stageVariables, 'response'));
      }
    }
  }
  const stages: PipelineStage[] = [];
  for (const factory of deps.stageFactories ?? []) {
    const s = factory({ api, stage, route, snapshot });
    if (s) stages.push(s);
  }
  return {
    routeId: route.routeId,
    routeKey: route.routeKey,
    stages: orderStages(stages),
    integration,
    responseOps,
  };
}
