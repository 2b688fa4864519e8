import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/index.js';
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
import type { UpstreamPools } from './pools.js';
import { hasRequestBody, readBody, upstreamBody } from './request-body.js';
import { UpstreamBody } from './upstream-response.js';
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

  return {
    type: 'HTTP_PROXY',
    async invoke(ctx: RequestContext): Promise<IntegrationResponse> {
      const req = ctx.req;
      let path = renderUri(uri, ctx.pathParameters);
      let pool = staticPool;
      if (!pool) {
        const u = new URL(path);
        pool = pools.get(u.origin);
        path = u.pathname + u.search;
      }
      let src: MappingSources | undefined;
      if (requestOps.length > 0) {
        if (needsBody && ctx.body === undefined && hasRequestBody(req)) ctx.body = await readBody(req);
        src = requestMappingSources(ctx);
      }
      if (pathOp && src) path = evaluate(pathOp.value, src);
      else if (appendPath) path = (path.endsWith('/') ? path.slice(0, -1) : path) + ctx.rawRoutePath;
      if (path === '') path = '/';
      let query = ctx.target?.rawQuery ?? '';
      if (src) query = applyQueryOps(query, requestOps, src);
      if (query !== '') path += (uri.hasQuery ? '&' : '?') + query;

      let headers = forwardHeaders(ctx);
      if (src) headers = applyHeaderOps(headers, requestOps, src);

      const body = ctx.body ?? (hasRequestBody(req) ? upstreamBody(req) : null);
      const upstream = new UpstreamBody();
      const started = performance.now();
      return new Promise<IntegrationResponse>((resolve, reject) => {
        let settled = false;
        let abortUpstream: ((err?: Error) => void) | undefined;
        let cancelled: Error | undefined;
        const cancel = (err: Error): void => {
          cancelled = err;
          abortUpstream?.(err);
        };
        // A client that leaves before the upstream answered must not keep the upstream request
        // (and a pooled connection) busy until the integration timeout; once headers are in,
        // respond() takes over (it aborts the body stream when the client leaves).
        ctx.onClose = (): void => {
          if (!settled) cancel(new Error('client closed the connection'));
        };
        // The integration timeout is one deadline for the whole wait for the response, connecting
        // included (undici's headersTimeout starts after connecting and fires up to ~0.5 s late).
        const deadline = deadlines.add(() => {
          if (settled) return;
          settled = true;
          ctx.onClose = undefined;
          ctx.integrationLatency = performance.now() - started;
          const err = new GatewayError('INTEGRATION_TIMEOUT');
          cancel(err);
          reject(err);
        });
        const settle = (): boolean => {
          if (settled) return false;
          settled = true;
          deadline.cancel();
          ctx.onClose = undefined;
          ctx.integrationLatency = performance.now() - started;
          return true;
        };
        const handler: Dispatcher.DispatchHandler = {
          onConnect(abort) {
            abortUpstream = abort;
            upstream.setControls(abort);
            if (cancelled) abort(cancelled);
            else if (ctx.res.destroyed) cancel(new Error('client closed the connection'));
          },
          onHeaders(statusCode, rawHeaders, resume) {
            if (statusCode < 200) return true;
            if (!settle()) return false;
            upstream.setResume(resume);
            ctx.integrationStatus = statusCode;
            resolve({ statusCode, headers: responseHeaders(rawHeaders), stream: upstream });
            return true;
          },
          onData(chunk) {
            return upstream.push(chunk);
          },
          onComplete() {
            upstream.end();
          },
          onError(err) {
            if (settle()) reject(mapUpstreamError(err));
            else upstream.fail(err);
          },
        };
        (pool as Dispatcher).dispatch(
          {
            path,
            method: (fixedMethod ?? req.method ?? 'GET') as Dispatcher.HttpMethod,
            headers,
            body: body as Dispatcher.DispatchOptions['body'],
            headersTimeout: timeout,
            bodyTimeout: timeout,
          },
          handler,
        );
      });
    },
  };
}

/** By name length: could this header be hop-by-hop (response) or dropped/rewritten (request)? */
const MAYBE_HOP_BY_HOP: boolean[] = [];
for (const name of HOP_BY_HOP) MAYBE_HOP_BY_HOP[name.length] = true;
MAYBE_HOP_BY_HOP['connection'.length] = true;
const MAYBE_DROPPED_REQUEST: boolean[] = MAYBE_HOP_BY_HOP.slice();
for (const name of ['host', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port']) {
  MAYBE_DROPPED_REQUEST[name.length] = true;
}

/** The client's headers minus hop-by-hop ones and Host, plus X-Forwarded-For/-Proto/-Port. */
function forwardHeaders(ctx: RequestContext): string[] {
  const raw = ctx.req.rawHeaders;
  const extra = connectionTokens(ctx.req.headers.connection);
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
    if (HOP_BY_HOP.has(lower) || lower === 'host' || (extra !== undefined && extra.has(lower))) continue;
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

/** Upstream response headers as strings, minus hop-by-hop ones. */
function responseHeaders(raw: Buffer[]): string[] {
  const out: string[] = [];
  let extra: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    if (!MAYBE_HOP_BY_HOP[name.length]) {
      out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'connection') {
      extra = connectionTokens((raw[i + 1] as Buffer).toString('latin1'));
      continue;
    }
    if (HOP_BY_HOP.has(lower)) continue;
    out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
  }
  if (extra) {
    const filtered: string[] = [];
    for (let i = 0; i < out.length; i += 2) {
      if (!extra.has((out[i] as string).toLowerCase())) filtered.push(out[i] as string, out[i + 1] as string);
    }
    return filtered;
  }
  return out;
}

/** Maps an undici failure to the gateway's answer (HTTP API: 503 on timeout, 502 when unreachable). */
export function mapUpstreamError(err: Error): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new GatewayError('INTEGRATION_TIMEOUT', undefined, { cause: err });
  }
  return new GatewayError('INTEGRATION_FAILURE', undefined, { cause: err });
}
