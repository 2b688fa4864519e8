import type { ApiDef, RouteDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { readApi, writeApi } from './api-access.js';
import { badRequest, notFound } from './errors.js';
import { newChildId } from './ids.js';
import { checkRouteRefs, parseRoute } from './route-input.js';
import { routeOut } from './shapes.js';
import { json, noContent, operation, paginate, param, readBody } from './wire.js';

/** The route of that id, or NotFoundException. */
export function findRoute(api: ApiDef, routeId: string): RouteDef {
  const route = api.routes.find((r) => r.routeId === routeId);
  if (!route) throw notFound('Route', routeId);
  return route;
}

/** CreateRoute, GetRoutes, GetRoute, UpdateRoute, DeleteRoute, DeleteRouteRequestParameter. */
export function routeRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/apis/{apiId}/routes';
  return [
    operation('POST', base, 'CreateRoute', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const route = parseRoute(
          body,
          newChildId((id) => api.routes.some((r) => r.routeId === id)),
        );
        checkRouteRefs(api, route);
        api.routes.push(route);
        return json(201, routeOut(route));
      });
    }),
    operation('GET', base, 'GetRoutes', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      const page = paginate(api.routes, req);
      return json(200, { ...page, items: page.items.map(routeOut) });
    }),
    operation('GET', `${base}/{routeId}`, 'GetRoute', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      return json(200, routeOut(findRoute(api, param(req, 'routeId'))));
    }),
    operation('PATCH', `${base}/{routeId}`, 'UpdateRoute', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const existing = findRoute(api, param(req, 'routeId'));
        const merged = { ...routeOut(existing), ...body };
        // Switching to an authorization type without an authorizer drops the old authorizer.
        if (
          (body.authorizationType === 'NONE' || body.authorizationType === 'AWS_IAM') &&
          !body.authorizerId
        ) {
          delete merged.authorizerId;
          delete merged.authorizationScopes;
        }
        if (existing.routeKey === '$default' && merged.routeKey !== '$default') {
          throw badRequest('The $default route key cannot be changed');
        }
        const route = parseRoute(merged, existing.routeId);
        if (existing.apiGatewayManaged) route.apiGatewayManaged = true;
        checkRouteRefs(api, route);
        api.routes[api.routes.indexOf(existing)] = route;
        return json(200, routeOut(route));
      });
    }),
    operation('DELETE', `${base}/{routeId}`, 'DeleteRoute', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const route = findRoute(api, param(req, 'routeId'));
        api.routes = api.routes.filter((r) => r !== route);
        return noContent();
      });
    }),
    operation(
      'DELETE',
      `${base}/{routeId}/requestparameters/{requestParameterKey}`,
      'DeleteRouteRequestParameter',
      async (req) => {
        return writeApi(ctx, param(req, 'apiId'), (api) => {
          const route = findRoute(api, param(req, 'routeId'));
          const key = param(req, 'requestParameterKey');
          if (!route.requestParameters || !(key in route.requestParameters)) {
            throw notFound('RouteRequestParameter', key);
          }
          delete route.requestParameters[key];
          return noContent();
        });
      },
    ),
  ];
}
