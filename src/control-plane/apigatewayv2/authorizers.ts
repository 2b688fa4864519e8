import type { ApiDef, AuthorizerDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import type { ControlPlaneContext } from '../context.js';
import { readApi, writeApi } from './api-access.js';
import { parseAuthorizer } from './authorizer-input.js';
import { badRequest, notFound } from './errors.js';
import { newChildId } from './ids.js';
import { checkRouteRefs } from './route-input.js';
import { authorizerOut } from './shapes.js';
import { json, noContent, operation, paginate, param, readBody } from './wire.js';

/** HTTP APIs allow 10 authorizers per API (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
const MAX_AUTHORIZERS = 10;

function findAuthorizer(api: ApiDef, authorizerId: string): AuthorizerDef {
  const authorizer = api.authorizers.find((a) => a.authorizerId === authorizerId);
  if (!authorizer) throw notFound('Authorizer', authorizerId);
  return authorizer;
}

/** CreateAuthorizer, GetAuthorizers, GetAuthorizer, UpdateAuthorizer, DeleteAuthorizer. */
export function authorizerRoutes(ctx: ControlPlaneContext): AdminRoute[] {
  const base = '/v2/apis/{apiId}/authorizers';
  return [
    operation('POST', base, 'CreateAuthorizer', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const taken = (id: string): boolean => api.authorizers.some((a) => a.authorizerId === id);
        const authorizer = parseAuthorizer(body, newChildId(taken));
        if (api.authorizers.length >= MAX_AUTHORIZERS) {
          throw badRequest(`An API can have at most ${MAX_AUTHORIZERS} authorizers`);
        }
        api.authorizers.push(authorizer);
        return json(201, authorizerOut(authorizer));
      });
    }),
    operation('GET', base, 'GetAuthorizers', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      const page = paginate(api.authorizers, req);
      return json(200, { ...page, items: page.items.map(authorizerOut) });
    }),
    operation('GET', `${base}/{authorizerId}`, 'GetAuthorizer', async (req) => {
      const api = await readApi(ctx, param(req, 'apiId'));
      return json(200, authorizerOut(findAuthorizer(api, param(req, 'authorizerId'))));
    }),
    operation('PATCH', `${base}/{authorizerId}`, 'UpdateAuthorizer', async (req) => {
      const body = readBody(req);
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const existing = findAuthorizer(api, param(req, 'authorizerId'));
        const authorizer = parseAuthorizer({ ...existing, ...body }, existing.authorizerId);
        api.authorizers[api.authorizers.indexOf(existing)] = authorizer;
        // The routes using it must still fit its type (JWT routes need a JWT authorizer).
        for (const route of api.routes)
          if (route.authorizerId === authorizer.authorizerId) checkRouteRefs(api, route);
        return json(200, authorizerOut(authorizer));
      });
    }),
    operation('DELETE', `${base}/{authorizerId}`, 'DeleteAuthorizer', async (req) => {
      return writeApi(ctx, param(req, 'apiId'), (api) => {
        const authorizer = findAuthorizer(api, param(req, 'authorizerId'));
        const user = api.routes.find((r) => r.authorizerId === authorizer.authorizerId);
        if (user) {
          throw badRequest(`Authorizer ${authorizer.authorizerId} is used by route ${user.routeKey}`);
        }
        api.authorizers = api.authorizers.filter((a) => a !== authorizer);
        return noContent();
      });
    }),
  ];
}
