import type { AdminRouter } from '../control-plane/admin-router.js';
import type { ControlPlaneContext } from '../control-plane/context.js';
import { createLambdaControlPlane } from '../control-plane/lambda/index.js';

/** Registers the AWS-compatible control-plane operations on the admin router. */
export function registerControlPlane(admin: AdminRouter, ctx: ControlPlaneContext): void {
  admin.add(...createLambdaControlPlane(ctx).routes);
  void ctx;
}
