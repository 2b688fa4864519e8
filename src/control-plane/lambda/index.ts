import { existsSync } from 'node:fs';
import { codeDirFor } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { accountSettingsRoute } from './account-settings-route.js';
import { aliasRoutes } from './alias-routes.js';
import { unpackZip } from './code-package.js';
import { codeRoutes } from './code-route.js';
import { sweepUnusedCode } from './code-sweep.js';
import { concurrencyRoutes } from './concurrency-routes.js';
import { eventInvokeConfigRoutes } from './event-invoke-config-routes.js';
import { lambdaTimestamp } from './configuration.js';
import { functionRoutes } from './function-routes.js';
import type { LambdaDeps } from './lambda-deps.js';
import { policyRoutes } from './policy-routes.js';
import { listAll } from '../../storage/index.js';
import { QualifierTable } from './qualifier-table.js';
import { tagRoutes } from './tag-routes.js';
import { updateRoutes } from './update-routes.js';
import { versionRoutes } from './version-routes.js';
import type { ErrorReporter } from './wire.js';

export { createInvokeRoutes, type InvokeRoutesOptions } from './invoke.js';
export { createFunctionLogRoutes, type FunctionLogSource } from './function-logs.js';

/** Options of {@link createLambdaControlPlane}. */
export interface LambdaControlPlaneOptions {
  /** Unexpected errors (answered as `ServiceException` 500). Default: written to stderr. */
  onError?: ErrorReporter;
}

/** The Lambda control plane: its admin routes and the reload of versions/aliases into the runtime. */
export interface LambdaControlPlane {
  routes: AdminRoute[];
  /** Reloads versions and aliases from the store (restoring unpacked code that is missing). */
  refresh(): Promise<void>;
}

/**
 * Creates the Lambda control-plane operations (CreateFunction ... TagResource, wire-compatible with
 * `@aws-sdk/client-lambda`) and installs the runtime's qualifier resolver. A first `refresh()` starts
 * at once; operations wait for it, so versions and aliases answer even if nobody calls it.
 */
export function createLambdaControlPlane(
  ctx: ControlPlaneContext,
  options: LambdaControlPlaneOptions = {},
): LambdaControlPlane {
  const onError: ErrorReporter =
    options.onError ??
    ((err, operation) =>
      process.stderr.write(
        `lambda ${operation} failed: ${err instanceof Error ? err.stack : String(err)}\n`,
      ));
  const table = new QualifierTable((name) => ctx.functions.getFunction(name));
  ctx.functions.setQualifierResolver(table.resolve);

  const refresh = async (): Promise<void> => {
    const moved = await restoreCode(ctx);
    if (moved.length > 0) {
      await ctx.store.transaction(async (tx) => {
        for (const def of moved) await tx.functions.put(def);
        await ctx.changed();
      });
    }
    await table.load(ctx.store, (sha) => codeDirFor(ctx.dataDir, sha));
  };
  // At start only: code that nothing uses any more is removed from disk (see sweepUnusedCode).
  const initial = refresh()
    .then(() => sweepUnusedCode(ctx))
    .then(
      () => undefined,
      (err: unknown) => onError(err, 'Refresh'),
    );
  const deps: LambdaDeps = {
    ctx,
    onError,
    refresh,
    startedAt: lambdaTimestamp(ctx.now()),
  };
  const routes = [
    ...functionRoutes(deps),
    ...updateRoutes(deps),
    ...versionRoutes(deps),
    ...aliasRoutes(deps),
    ...policyRoutes(deps),
    ...concurrencyRoutes(deps),
    ...eventInvokeConfigRoutes(deps),
    accountSettingsRoute(deps),
    ...tagRoutes(deps),
    ...codeRoutes(deps),
  ].map((route): AdminRoute => ({
    ...route,
    handler: async (req) => {
      await initial;
      return route.handler(req);
    },
  }));
  return { routes, refresh };
}

/**
 * Unpacks stored packages whose directory is missing (a new or cleaned data dir) and returns the
 * functions whose stored `codeDir` must point to the new place.
 */
async function restoreCode(ctx: ControlPlaneContext): Promise<FunctionDef[]> {
  const moved: FunctionDef[] = [];
  const restore = async (sha: string): Promise<string> => {
    const dir = codeDirFor(ctx.dataDir, sha);
    if (existsSync(dir)) return dir;
    const zip = await ctx.store.code.get(sha);
    if (zip !== undefined) unpackZip(zip, ctx.dataDir);
    return dir;
  };
  for (const def of await listAll((p) => ctx.store.functions.list(p))) {
    if (def.codeSha256 === undefined) continue;
    const dir = await restore(def.codeSha256);
    if (dir !== def.codeDir) moved.push({ ...def, codeDir: dir });
    for (const v of await listAll((p) => ctx.store.versions.list(def.functionName, p)))
      await restore(v.code.sha256);
  }
  return moved;
}
