import type { Integration } from '../integrations/integration.js';
import type { MappingOp } from './parameter-mapping.js';
import type { PipelineStage } from './pipeline.js';
import type { Router } from './router.js';

/** A route ready to serve: its pipeline stages, integration and response mapping, built at deploy time. */
export interface CompiledRoute {
  routeId: string;
  routeKey: string;
  /** Stages before the integration, in phase order (empty for a plain route). */
  stages: PipelineStage[];
  integration: Integration | undefined;
  /** HTTP API responseParameters, by integration status code. */
  responseOps: Map<number, MappingOp[]> | undefined;
}

/** One stage of an API, serving one deployment. */
export interface CompiledStage {
  stageName: string;
  deploymentId: string | undefined;
  stageVariables: Record<string, string>;
  router: Router<CompiledRoute>;
  api: CompiledApi;
}

/** One API with its stages. */
export interface CompiledApi {
  apiId: string;
  name: string;
  flavour: 'HTTP' | 'REST' | 'WEBSOCKET';
  accountId: string;
  region: string;
  disableExecuteApiEndpoint: boolean;
  stages: Map<string, CompiledStage>;
  defaultStage: CompiledStage | undefined;
}

/** A custom domain's base path mapping. */
export interface CompiledMapping {
  /** Decoded segments of the base path (empty for the `(none)` mapping). */
  keySegments: string[];
  key: string;
  stage: CompiledStage;
}

/** Everything the data plane serves; swapped as one object when a deployment activates. */
export interface CompiledGateway {
  apis: Map<string, CompiledApi>;
  /** Lowercased host -> mappings, longest base path first. */
  domains: Map<string, CompiledMapping[]>;
}
