import type { AdminRouter } from '../control-plane/admin-router.js';
import { createApiGatewayV2Routes } from '../control-plane/apigatewayv2/index.js';
import type { ControlPlaneContext } from '../control-plane/context.js';
import { createLambdaControlPlane } from '../control-plane/lambda/index.js';

/** Registers the AWS-compatible control-plane operations on the admin router and loads their state. */
export async function registerControlPlane(admin: AdminRouter, ctx: ControlPlaneContext): Promise<void> {
  const lambda = createLambdaControlPlane(ctx);
  admin.add(...lambda.routes, ...createApiGatewayV2Routes(ctx));
  await lambda.refresh();
}
