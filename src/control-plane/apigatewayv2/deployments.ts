import type { ApiDef, DeploymentDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { newDeployment, readApi, writeApi } from './api-access.js';
import { badRequest, notFound } from './errors.js';
import { optString } from './fields.js';
import { deploymentOut } from './shapes.js';
import { findStage } from './stages.js';
import { isoNow, json, noContent, operation, paginate, param, readBody } from './wire.js';

function findDeployment(api: ApiDef, deploymentId: string): DeploymentDef {
  const deployment = api.deployments.find((d) => d.deploymentId === deploymentId);
  if (!deployment) throw notFound('Deployment', deploymentId);
  return deployment;
}

/**
 * CreateDeployment, GetDeployments, GetDeployment, UpdateDeployment, DeleteDeployment. A deployment
 * is an immutable snapshot of routes, integrations, authorizers and CORS; a stage serves one
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html).
 */
export function deploymentRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/apis/{apiId}/deployments';
  return [
    operation('POST', base, 'CreateDeployment', async (req) => {
      const body = readBody(req);
      const description = optString(body, 'description');
      const stageName = optString(body, 'stageName');
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const stage = stageName === undefined ? undefined : findStage(api, stageName);
        if (stage?.autoDeploy) {
          // [reference §6.2, unsure on AWS] an auto-deploy stage deploys itself.
          throw badRequest(`Stage ${stage.stageName} has autoDeploy enabled and cannot be deployed manually`);
        }
        if (api.routes.length === 0)
          throw badRequest('Unable to deploy API because no routes exist in this API');
        const now = ctx.now();
        const deployment = newDeployment(api, now, false, description);
        api.deployments.push(deployment);
        if (stage) {
          stage.deploymentId = deployment.deploymentId;
          stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${deployment.deploymentId}'`;
          stage.lastUpdatedDate = isoNow(now);
        }
        return json(201, deploymentOut(deployment));
      });
    }),
    operation('GET', base, 'GetDeployments', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      const page = paginate(api.deployments, req);
      return json(200, { ...page, items: page.items.map(deploymentOut) });
    }),
    operation('GET', `${base}/{deploymentId}`, 'GetDeployment', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      return json(200, deploymentOut(findDeployment(api, param(req, 'deploymentId'))));
    }),
    operation('PATCH', `${base}/{deploymentId}`, 'UpdateDeployment', async (req) => {
      const description = optString(readBody(req), 'description');
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const deployment = findDeployment(api, param(req, 'deploymentId'));
        if (description !== undefined) deployment.description = description;
        return json(200, deploymentOut(deployment));
      });
    }),
    operation('DELETE', `${base}/{deploymentId}`, 'DeleteDeployment', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const deployment = findDeployment(api, param(req, 'deploymentId'));
        const user = api.stages.find((s) => s.deploymentId === deployment.deploymentId);
        if (user) {
          throw badRequest(
            `Active stages pointing to this deployment must be moved or deleted (stage ${user.stageName})`,
          );
        }
        api.deployments = api.deployments.filter((d) => d !== deployment);
        return noContent();
      });
    }),
  ];
}
