import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { apiRoutes } from './apis.js';
import { authorizerRoutes } from './authorizers.js';
import { deploymentRoutes } from './deployments.js';
import { domainNameRoutes } from './domain-names.js';
import { importExportRoutes } from './import-export.js';
import { integrationRoutes } from './integrations.js';
import { routeRoutes } from './routes.js';
import { stageRoutes } from './stages.js';

/**
 * The apigatewayv2 control plane for HTTP APIs, wire-compatible with `@aws-sdk/client-apigatewayv2`
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/api-reference.html): every write is
 * one store transaction that ends with `ctx.changed()`, so the served model is always compilable.
 */
export function createApiGatewayV2Routes(ctx: ControlPlaneContext): AdminRoute[] {
  return [
    ...apiRoutes(ctx),
    ...importExportRoutes(ctx),
    ...routeRoutes(ctx),
    ...integrationRoutes(ctx),
    ...authorizerRoutes(ctx),
    ...stageRoutes(ctx),
    ...deploymentRoutes(ctx),
    ...domainNameRoutes(ctx),
  ];
}

export { ResourceNotFoundError } from './errors.js';
