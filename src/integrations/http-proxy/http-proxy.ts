import type { Dispatcher } from 'undici';
import type { RequestContext } from '../../gateway/context.js';
import { HOP_BY_HOP, connectionTokens } from '../../gateway/headers.js';
import {
  applyHeaderOps,
  applyQueryOps,
  compileMapping,
  evaluate,
  type MappingOp,
  type MappingSources,
} from '../../gateway/parameter-mapping.js';
import { requestMappingSources } from '../../gateway/mapping-sources.js';
import type { IntegrationDef } from '../../model/types.js';
import type { Integration, IntegrationResponse } from '../integration.js';
import { loadUndici, type UpstreamPools } from './pools.js';
import { hasRequestBody, readBody, upstreamBody } from './request-body.js';
import { UpstreamBody } from './upstream-response.js';
import { ProxyExchange } from './proxy-exchange.js';
import { DeadlineQueue } from '../deadline-queue.js';
import { compileUri, renderUri, type CompiledUri } from './uri-template.js';

/** What an HTTP_PROXY integration needs at compile time. */
export interface HttpProxyOptions {
  def: IntegrationDef;
  stageVariables: Record<string, string>;
  /** `$default` routes append the request path to the integration URI. */
  appendPath: boolean;
  pools: UpstreamPools;
}

/**
 * HTTP_PROXY integration (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html):
 * streams method, path, query, headers and body to the upstream over a keep-alive pool and streams
 * the answer back without buffering.
 */
export function createHttpProxyIntegration(options: HttpProxyOptions): Integration {
  const { def, stageVariables, appendPath, pools } = options;
  const uri: CompiledUri = compileUri(def.integrationUri ?? '', stageVariables);
  // undici starts loading with the first HTTP_PROXY integration, so it is ready for the first request.
  void loadUndici().catch(() => undefined);
  const staticPool = uri.staticOrigin === undefined ? undefined : pools.get(uri.staticOrigin);
  const fixedMethod =
    def.integrationMethod && def.integrationMethod !== 'ANY' ? def.integrationMethod : undefined;
  const timeout = def.timeoutInMillis;
  const requestOps: MappingOp[] = def.requestParameters
    ? compileMapping(def.requestParameters, stageVariables, 'request')
    : [];
  const needsBody = requestOps.some((op) => op.value.usesBody);
  const pathOp = requestOps.find((op) => op.target === 'path');
  const deadlines = new DeadlineQueue(timeout);

  // Not an async function: the common request (no body to read for mapping) returns the exchange's
  // own promise instead of wrapping it in another one.
  const forward = (ctx: RequestContext): Promise<IntegrationResponse> => {
    const req = ctx.req;
    let path = renderUri(uri, ctx.pathParameters);
    let pool = staticPool;
    if (!pool) {
      const u = new URL(path);
      pool = pools.get(u.origin);
      path = u.pathname + u.search;
    }
    const src: MappingSources | undefined = requestOps.length > 0 ? requestMappingSources(ctx) : undefined;
    if (pathOp && src) path = evaluate(pathOp.value, src);
    else if (appendPath) path = (path.endsWith('/') ? path.slice(0, -1) : path) + ctx.rawRoutePath;
    if (path === '') path = '/';
    let query = ctx.target?.rawQuery ?? '';
    if (src) query = applyQueryOps(query, requestOps, src);
    if (query !== '') path += (uri.hasQuery ? '&' : '?') + query;

    let headers = forwardHeaders(ctx);
    if (src) headers = applyHeaderOps(headers, requestOps, src);

    const body = ctx.body ?? (hasRequestBody(req) ? upstreamBody(req) : null);
    const exchange = new ProxyExchange(ctx, new UpstreamBody());
    const response = exchange.response();
    ctx.closeListener = exchange;
    // The integration timeout is one deadline for the whole wait for the response, connecting
    // included (undici's headersTimeout starts after connecting and fires up to ~0.5 s late).
    exchange.deadline = deadlines.add(exchange);
    pool.dispatch(
      {
        path,
        method: (fixedMethod ?? req.method ?? 'GET') as Dispatcher.HttpMethod,
        headers,
        body: body as Dispatcher.DispatchOptions['body'],
        // Only the body phase needs undici's timer: the deadline above covers the wait for headers.
        headersTimeout: 0,
        bodyTimeout: timeout,
      },
      exchange,
    );
    return response;
  };

  return {
    type: 'HTTP_PROXY',
    invoke(ctx: RequestContext): Promise<IntegrationResponse> {
      if (needsBody && ctx.body === undefined && hasRequestBody(ctx.req)) {
        return readBody(ctx.req).then((body) => {
          ctx.body = body;
          return forward(ctx);
        });
      }
      try {
        return forward(ctx);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
  };
}

/** By name length: could this request header be dropped or rewritten? Only those are lower-cased. */
const MAYBE_DROPPED_REQUEST: boolean[] = [];
for (const name of [
  ...HOP_BY_HOP,
  'connection',
  'host',
  'expect',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-port',
]) {
  MAYBE_DROPPED_REQUEST[name.length] = true;
}

/**
 * The client's headers minus hop-by-hop ones, Host and Expect (the gateway answered `100-continue`
 * itself and streams the body), plus X-Forwarded-For/-Proto/-Port.
 */
function forwardHeaders(ctx: RequestContext): string[] {
  const raw = ctx.req.rawHeaders;
  const extra = connectionTokens(ctx.req.connection);
  const out: string[] = [];
  let xff: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // Only names of the lengths we look for need lower-casing (most headers are none of these).
    const len = name.length;
    if (!MAYBE_DROPPED_REQUEST[len] && extra === undefined) {
      out.push(name, raw[i + 1] as string);
      continue;
    }
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'host' || lower === 'expect') continue;
    if (extra !== undefined && extra.has(lower)) continue;
    if (lower === 'x-forwarded-for') {
      xff = xff === undefined ? (raw[i + 1] as string) : `${xff}, ${raw[i + 1] as string}`;
      continue;
    }
    if (lower === 'x-forwarded-proto' || lower === 'x-forwarded-port') continue;
    out.push(name, raw[i + 1] as string);
  }
  out.push(
    'x-forwarded-for',
    xff === undefined ? ctx.sourceIp : `${xff}, ${ctx.sourceIp}`,
    'x-forwarded-proto',
    ctx.scheme,
    'x-forwarded-port',
    String(ctx.localPort),
  );
  return out;
}
