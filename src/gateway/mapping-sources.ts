import type { RequestContext } from './context.js';
import { contextVariable } from './context-variables.js';
import type { MappingSources } from './parameter-mapping.js';

/** Parameter-mapping sources for a request (`$request.*`, `$context.*`). */
export function requestMappingSources(ctx: RequestContext): MappingSources {
  return {
    header(name) {
      const v = ctx.req.headers[name];
      return Array.isArray(v) ? v.join(',') : v;
    },
    querystring(name) {
      const values = new URLSearchParams(ctx.target?.rawQuery ?? '').getAll(name);
      return values.length === 0 ? undefined : values.join(',');
    },
    pathParam(name) {
      return ctx.pathParameters?.[name];
    },
    path() {
      return ctx.rawRoutePath;
    },
    context(name) {
      return contextVariable(ctx, name);
    },
    body() {
      return ctx.body?.toString('utf8');
    },
  };
}
