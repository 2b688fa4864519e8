import { isGatewayError } from '../../errors/index.js';
import type { ApiDef, ApiSnapshot, DeploymentDef } from '../../model/types.js';
import type { StorePorts } from '../../storage/index.js';
import type { ControlPlaneContext } from '../context.js';
import { badRequest, notFound } from './errors.js';
import { newApiId, newChildId } from './ids.js';
import { isoNow } from './wire.js';

/** The only route selection expression of HTTP APIs (reference §1.1). */
export const HTTP_ROUTE_SELECTION = '${request.method} ${request.path}';

/** The API of that id in the config file, if any (read-only through the control plane). */
export function configApi(ctx: ControlPlaneContext, apiId: string): ApiDef | undefined {
  return ctx.configModel().apis.find((a) => a.apiId === apiId);
}

/** An API from the config file or the store; NotFoundException otherwise. */
export async function readApi(ctx: ControlPlaneContext, apiId: string): Promise<ApiDef> {
  const api = configApi(ctx, apiId) ?? (await ctx.store.apis.get(apiId));
  if (!api) throw notFound('API', `${ctx.accountId}:${apiId}`);
  return api;
}

/** Every API: the config file's first, then the stored ones in creation order. */
export async function listApis(ctx: ControlPlaneContext): Promise<ApiDef[]> {
  const stored = await ctx.store.apis.list();
  return [...ctx.configModel().apis, ...stored.items];
}

/** The error for a write to a config-file resource (see docs/control-plane.md "Config file and control plane"). */
export function managedByConfig(what: string): Error {
  return badRequest(
    `${what} is managed by the config file and is read-only through the API; edit the config file instead`,
  );
}

/**
 * Runs one control-plane write as a single store transaction whose last step is `ctx.changed()`:
 * the gateway compiles the would-be model before the commit, so a model that cannot be served
 * rejects, the transaction rolls back and nothing is half-written.
 */
export async function commit<T>(ctx: ControlPlaneContext, fn: (tx: StorePorts) => Promise<T>): Promise<T> {
  return ctx.store.transaction(async (tx) => {
    const result = await fn(tx);
    try {
      await ctx.changed();
    } catch (err) {
      // The would-be model does not compile: the request asked for something that cannot be served.
      if (isGatewayError(err)) throw err;
      throw badRequest(`The change cannot be applied: ${(err as Error).message}`);
    }
    return result;
  });
}

/**
 * Changes one stored API: loads it inside the transaction, lets `fn` edit it in place, redeploys the
 * auto-deploy stages, stores it and activates the result (see `commit`).
 */
export async function writeApi<T>(
  ctx: ControlPlaneContext,
  apiId: string,
  fn: (api: ApiDef, tx: StorePorts) => T | Promise<T>,
): Promise<T> {
  if (configApi(ctx, apiId)) throw managedByConfig(`API ${apiId}`);
  return commit(ctx, async (tx) => {
    const api = await tx.apis.get(apiId);
    if (!api) throw notFound('API', `${ctx.accountId}:${apiId}`);
    const result = await fn(api, tx);
    autoDeploy(api, ctx.now());
    await tx.apis.put(api);
    return result;
  });
}

/**
 * A new HTTP API with no routes, integrations or stages (CreateApi, ImportApi), under an id that
 * neither the config file nor the store uses; the caller fills it in and stores it in `tx`.
 */
export async function newStoredApi(
  ctx: ControlPlaneContext,
  tx: StorePorts,
  name: string,
  tags: Record<string, string>,
  now: Date,
): Promise<ApiDef> {
  let apiId = newApiId((id) => configApi(ctx, id) !== undefined);
  while (await tx.apis.get(apiId)) apiId = newApiId((id) => configApi(ctx, id) !== undefined);
  return {
    apiId,
    name,
    protocolType: 'HTTP',
    routeSelectionExpression: HTTP_ROUTE_SELECTION,
    apiKeySelectionExpression: '$request.header.x-api-key',
    disableExecuteApiEndpoint: false,
    createdDate: isoNow(now),
    tags,
    routes: [],
    integrations: [],
    authorizers: [],
    stages: [],
    deployments: [],
    source: 'api',
  };
}

/** What a deployment freezes of the API's working copy. */
export function snapshotOf(api: ApiDef): ApiSnapshot {
  const snapshot: ApiSnapshot = structuredClone({
    routes: api.routes,
    integrations: api.integrations,
    authorizers: api.authorizers,
  });
  if (api.corsConfiguration) snapshot.corsConfiguration = structuredClone(api.corsConfiguration);
  return snapshot;
}

/** A new deployment of the API's working copy (not yet added to the API). */
export function newDeployment(
  api: ApiDef,
  now: Date,
  autoDeployed: boolean,
  description?: string,
): DeploymentDef {
  const taken = new Set(api.deployments.map((d) => d.deploymentId));
  return {
    deploymentId: newChildId((id) => taken.has(id)),
    createdDate: isoNow(now),
    ...(description === undefined ? {} : { description }),
    autoDeployed,
    deploymentStatus: 'DEPLOYED',
    snapshot: snapshotOf(api),
  };
}

/**
 * Auto-deploy stages serve every change (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html):
 * when the working copy differs from what such a stage serves, one new deployment (autoDeployed)
 * is created and those stages point at it. Stages without autoDeploy keep their deployment.
 * Auto-deployments that no stage uses any more are dropped so repeated edits do not pile up snapshots.
 */
export function autoDeploy(api: ApiDef, now: Date): void {
  const stages = api.stages.filter((s) => s.autoDeploy);
  if (stages.length === 0) return;
  const current = JSON.stringify(snapshotOf(api));
  let fresh: DeploymentDef | undefined;
  for (const stage of stages) {
    const served = api.deployments.find((d) => d.deploymentId === stage.deploymentId);
    if (served && JSON.stringify(served.snapshot) === current) continue;
    if (!fresh) {
      fresh = newDeployment(api, now, true);
      api.deployments.push(fresh);
    }
    stage.deploymentId = fresh.deploymentId;
    stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${fresh.deploymentId}'`;
    stage.lastUpdatedDate = isoNow(now);
  }
  if (!fresh) return;
  const used = new Set(api.stages.map((s) => s.deploymentId));
  api.deployments = api.deployments.filter((d) => !d.autoDeployed || used.has(d.deploymentId));
}
