import type { FunctionInvoker } from '../functions/types.js';
import type { CompileDeps } from '../gateway/compile.js';
import { createHttpProxyIntegration, type UpstreamPools } from './http-proxy/index.js';
import { createLambdaProxyIntegration, functionRefOf } from './lambda-proxy/index.js';

export type { Integration, IntegrationResponse, BodySource } from './integration.js';
export { UpstreamPools } from './http-proxy/index.js';

/** The integration types Portico serves, keyed by AWS integration type, for `compileGateway`. */
export function createIntegrationFactories(deps: {
  pools: UpstreamPools;
  invoker: FunctionInvoker;
}): CompileDeps['integrations'] {
  return {
    HTTP_PROXY: (site) =>
      createHttpProxyIntegration({
        def: site.def,
        stageVariables: site.stage.stageVariables,
        // The $default route passes the whole request path to the integration URL (AWS §1.9).
        appendPath: site.routeKey === '$default',
        pools: deps.pools,
      }),
    AWS_PROXY: (site) =>
      createLambdaProxyIntegration({
        def: site.def,
        stageVariables: site.stage.stageVariables,
        routeKey: site.routeKey,
        invoker: deps.invoker,
        functionRef: functionRefOf(site.def.integrationUri ?? '', site.stage.stageVariables),
      }),
  };
}
