import type { ApiDef, StageDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { autoDeploy, readApi, writeApi } from './api-access.js';
import { badRequest, conflict, notFound } from './errors.js';
import { parseStage } from './stage-input.js';
import { stageOut } from './shapes.js';
import { isoNow, json, noContent, operation, paginate, param, readBody } from './wire.js';

/** Stages per API (reference §1.3). */
const MAX_STAGES = 10;

/** The stage of that name, or NotFoundException. */
export function findStage(api: ApiDef, stageName: string): StageDef {
  const stage = api.stages.find((s) => s.stageName === stageName);
  if (!stage) throw notFound('Stage', stageName);
  return stage;
}

/** Cross-checks a stage against its API: the deployment exists, routeSettings name existing routes. */
function checkStageRefs(api: ApiDef, stage: Pick<StageDef, 'deploymentId' | 'routeSettings'>): void {
  if (
    stage.deploymentId !== undefined &&
    !api.deployments.some((d) => d.deploymentId === stage.deploymentId)
  ) {
    throw badRequest(`Invalid deploymentId ${stage.deploymentId}: the deployment does not exist`);
  }
  for (const key of Object.keys(stage.routeSettings ?? {})) {
    if (!api.routes.some((r) => r.routeKey === key)) {
      throw badRequest(`Unable to find Route by key ${key} within the provided RouteSettings`);
    }
  }
}

/**
 * CreateStage, GetStages, GetStage, UpdateStage, DeleteStage, DeleteRouteSettings,
 * DeleteAccessLogSettings, ResetAuthorizersCache.
 */
export function stageRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/apis/{apiId}/stages';
  return [
    operation('POST', base, 'CreateStage', async (req) => {
      const input = parseStage(readBody(req));
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        if (api.stages.some((s) => s.stageName === input.stageName)) {
          throw conflict(`Stage ${input.stageName} already exists`);
        }
        if (api.stages.length >= MAX_STAGES) throw badRequest(`An API can have at most ${MAX_STAGES} stages`);
        checkStageRefs(api, input);
        const now = isoNow(ctx.now());
        const stage: StageDef = { ...input, createdDate: now, lastUpdatedDate: now };
        api.stages.push(stage);
        autoDeploy(api, ctx.now());
        return json(201, stageOut(stage));
      });
    }),
    operation('GET', base, 'GetStages', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      const page = paginate(api.stages, req);
      return json(200, { ...page, items: page.items.map(stageOut) });
    }),
    operation('GET', `${base}/{stageName}`, 'GetStage', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      return json(200, stageOut(findStage(api, param(req, 'stageName'))));
    }),
    operation('PATCH', `${base}/{stageName}`, 'UpdateStage', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const existing = findStage(api, param(req, 'stageName'));
        const input = parseStage({ ...existing, ...body, stageName: existing.stageName });
        checkStageRefs(api, input);
        const stage: StageDef = {
          ...input,
          createdDate: existing.createdDate,
          lastUpdatedDate: isoNow(ctx.now()),
          ...(existing.lastDeploymentStatusMessage === undefined
            ? {}
            : { lastDeploymentStatusMessage: existing.lastDeploymentStatusMessage }),
          ...(existing.apiGatewayManaged ? { apiGatewayManaged: true } : {}),
        };
        api.stages[api.stages.indexOf(existing)] = stage;
        autoDeploy(api, ctx.now());
        return json(200, stageOut(stage));
      });
    }),
    operation('DELETE', `${base}/{stageName}`, 'DeleteStage', async (req) => {
      const apiId = param(req, 'apiId');
      return writeApi(ctx, apiId, async (api, tx) => {
        const stage = findStage(api, param(req, 'stageName'));
        const mapped = (await tx.domainNames.listMappingsForApi(apiId)).find(
          (m) => m.mapping.stage === stage.stageName,
        );
        if (mapped) {
          throw badRequest(`Stage ${stage.stageName} is used by an API mapping of ${mapped.domainName}`);
        }
        api.stages = api.stages.filter((s) => s !== stage);
        return noContent();
      });
    }),
    operation(
      'DELETE',
      `${base}/{stageName}/routesettings/{routeKey}`,
      'DeleteRouteSettings',
      async (req) => {
        return writeApi(ctx, param(req, 'apiId'), (api) => {
          const stage = findStage(api, param(req, 'stageName'));
          const key = param(req, 'routeKey');
          if (!stage.routeSettings || !(key in stage.routeSettings)) throw notFound('RouteSettings', key);
          delete stage.routeSettings[key];
          stage.lastUpdatedDate = isoNow(ctx.now());
          return noContent();
        });
      },
    ),
    operation('DELETE', `${base}/{stageName}/accesslogsettings`, 'DeleteAccessLogSettings', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const stage = findStage(api, param(req, 'stageName'));
        delete stage.accessLogSettings;
        stage.lastUpdatedDate = isoNow(ctx.now());
        return noContent();
      });
    }),
    operation('DELETE', `${base}/{stageName}/cache/authorizers`, 'ResetAuthorizersCache', async (req) => {
      // Nothing is cached by the control plane; the stage must exist, as on AWS.
      findStage(await readApi(ctx, param(req, 'apiId')), param(req, 'stageName'));
      return noContent();
    }),
  ];
}
