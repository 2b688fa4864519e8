import { toResponse } from '../errors/index.js';
import type { IntegrationResponse } from '../integrations/integration.js';
import type { RequestContext } from './context.js';
import { requestMappingSources } from './mapping-sources.js';
import { applyHeaderOps, evaluate, type MappingOp } from './parameter-mapping.js';

/**
 * Writes an integration's (or a stage's) response, applying response parameter mapping. Returns a
 * promise only while a streamed body is still flowing (most small bodies are complete already).
 */
export function respond(ctx: RequestContext, response: IntegrationResponse): Promise<void> | undefined {
  const res = ctx.res;
  let status = response.statusCode;
  const ops = ctx.route?.responseOps?.get(status);
  const stream = response.stream;
  const raw = response.rawHeaders;
  if (stream && raw !== undefined && ops === undefined) {
    // An upstream's fields go out as the bytes they arrived as.
    ctx.status = status;
    res.writeHeadRaw(status, raw, 'apigw-requestid', ctx.requestId);
    ctx.closeListener = stream;
    ctx.responseStream = stream;
    return stream.pipeTo(res);
  }
  let headers = response.headers;
  if (ops) ({ status, headers } = mapResponse(ctx, response, ops));
  headers.push('apigw-requestid', ctx.requestId);
  ctx.status = status;
  if (stream) {
    res.writeHead(status, headers);
    ctx.closeListener = stream;
    ctx.responseStream = stream;
    return stream.pipeTo(res);
  }
  const body = response.body ?? '';
  ctx.responseLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (status === 204 || status === 304 || status < 200) {
    // RFC 9110 §8.6: no Content-Length (and no body) on these.
    headers = withoutHeader(headers, 'content-length');
    ctx.responseLength = 0;
    res.writeHead(status, headers);
    res.end();
    return undefined;
  }
  if (!hasHeader(headers, 'content-length')) headers.push('content-length', String(ctx.responseLength));
  res.writeHead(status, headers);
  res.end(body);
  return undefined;
}

function mapResponse(
  ctx: RequestContext,
  response: IntegrationResponse,
  ops: MappingOp[],
): { status: number; headers: string[] } {
  const upstream = response.headers;
  const base = requestMappingSources(ctx);
  const src = {
    ...base,
    responseHeader(name: string): string | undefined {
      const values: string[] = [];
      for (let i = 0; i < upstream.length; i += 2) {
        if ((upstream[i] as string).toLowerCase() === name) values.push(upstream[i + 1] as string);
      }
      return values.length === 0 ? undefined : values.join(',');
    },
    responseBody(): string | undefined {
      return response.body === undefined ? undefined : response.body.toString();
    },
  };
  let status = response.statusCode;
  for (const op of ops) {
    if (op.target === 'statuscode') {
      const n = Number(evaluate(op.value, src));
      if (Number.isInteger(n) && n >= 100 && n <= 599) status = n;
    }
  }
  return { status, headers: applyHeaderOps(upstream, ops, src) };
}

/** Sends a gateway error in the AWS shape of the API's flavour (unless headers already went out). */
export function respondError(ctx: RequestContext, err: unknown): void {
  const res = ctx.res;
  const r = toResponse(err, ctx.api?.flavour === 'REST' ? 'REST' : 'HTTP');
  ctx.status = r.status;
  ctx.errorMessage = JSON.parse(r.body).message as string;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: string[] = [];
  for (const [k, v] of Object.entries(r.headers)) headers.push(k, v);
  headers.push('apigw-requestid', ctx.requestId);
  ctx.responseLength = Buffer.byteLength(r.body);
  headers.push('content-length', String(ctx.responseLength));
  res.writeHead(r.status, headers);
  res.end(r.body);
}

function hasHeader(headers: string[], lower: string): boolean {
  for (let i = 0; i < headers.length; i += 2) if ((headers[i] as string).toLowerCase() === lower) return true;
  return false;
}

function withoutHeader(headers: string[], lower: string): string[] {
  if (!hasHeader(headers, lower)) return headers;
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    if ((headers[i] as string).toLowerCase() !== lower)
      out.push(headers[i] as string, headers[i + 1] as string);
  }
  return out;
}
