import type { ApiDef, IntegrationDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { readApi, writeApi } from './api-access.js';
import { badRequest, notFound } from './errors.js';
import { newChildId } from './ids.js';
import { parseIntegration } from './integration-input.js';
import { integrationOut } from './shapes.js';
import { json, noContent, operation, paginate, param, readBody } from './wire.js';

/** The integration of that id, or NotFoundException. */
export function findIntegration(api: ApiDef, integrationId: string): IntegrationDef {
  const integration = api.integrations.find((i) => i.integrationId === integrationId);
  if (!integration) throw notFound('Integration', integrationId);
  return integration;
}

/** CreateIntegration, GetIntegrations, GetIntegration, UpdateIntegration, DeleteIntegration. */
export function integrationRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/apis/{apiId}/integrations';
  return [
    operation('POST', base, 'CreateIntegration', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const taken = (id: string): boolean => api.integrations.some((i) => i.integrationId === id);
        const integration = parseIntegration(body, newChildId(taken));
        api.integrations.push(integration);
        return json(201, integrationOut(integration));
      });
    }),
    operation('GET', base, 'GetIntegrations', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      const page = paginate(api.integrations, req);
      return json(200, { ...page, items: page.items.map(integrationOut) });
    }),
    operation('GET', `${base}/{integrationId}`, 'GetIntegration', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      return json(200, integrationOut(findIntegration(api, param(req, 'integrationId'))));
    }),
    operation('PATCH', `${base}/{integrationId}`, 'UpdateIntegration', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const existing = findIntegration(api, param(req, 'integrationId'));
        const merged: Record<string, unknown> = { ...existing, ...body };
        // A new integration type gets that type's defaults unless the body sets them.
        if (body.integrationType !== undefined && body.integrationType !== existing.integrationType) {
          if (body.integrationMethod === undefined) delete merged.integrationMethod;
          if (body.payloadFormatVersion === undefined) delete merged.payloadFormatVersion;
        }
        const integration = parseIntegration(merged, existing.integrationId);
        if (existing.apiGatewayManaged) integration.apiGatewayManaged = true;
        api.integrations[api.integrations.indexOf(existing)] = integration;
        return json(200, integrationOut(integration));
      });
    }),
    operation('DELETE', `${base}/{integrationId}`, 'DeleteIntegration', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const integration = findIntegration(api, param(req, 'integrationId'));
        const user = api.routes.find((r) => r.target === integration.integrationId);
        if (user) {
          throw badRequest(
            `Integration ${integration.integrationId} is the target of route ${user.routeKey}; change or delete the route first`,
          );
        }
        api.integrations = api.integrations.filter((i) => i !== integration);
        return noContent();
      });
    }),
  ];
}
