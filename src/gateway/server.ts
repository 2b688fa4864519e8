import type { Server, Socket } from 'node:net';
import { GatewayError } from '../errors/index.js';
import { MAX_PAYLOAD_BYTES } from '../integrations/http-proxy/request-body.js';
import {
  formatAccessLog,
  formatRejectedAccessLog,
  type AccessLogFormat,
  type LineSink,
} from '../observability/access-log.js';
import { Http1Server, httpDate } from '../http1/index.js';
import { resolveAddress } from './addressing.js';
import type { CompiledGateway } from './compiled.js';
import { RequestContext } from './context.js';
import { runStages } from './pipeline.js';
import { parseRequestTarget } from './request-target.js';
import { createRequestIdGenerator } from './request-id.js';
import { respond, respondError } from './respond.js';

/** Data-plane listener options. */
export interface DataPlaneOptions {
  /** Returns the table to serve; read once per request so a swap takes effect for the next one. */
  table(): CompiledGateway;
  tls?: { cert: string | Buffer; key: string | Buffer };
  accessLog?: { sink: LineSink; format: AccessLogFormat };
  /** Request line + headers limit in bytes (AWS HTTP APIs: 10240). */
  maxHeaderSize?: number;
  /** Time allowed to receive the request headers. */
  headersTimeoutMs?: number;
  /** Time allowed to receive the whole request. */
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  /** Called with errors that are Portico's fault (logged, never sent to clients). */
  onInternalError?(err: unknown, ctx: RequestContext): void;
}

/** The data-plane server plus in-flight tracking for graceful shutdown. */
export interface DataPlane {
  server: Server;
  inFlight(): number;
  /** Stops accepting, waits for in-flight requests (bounded), then closes remaining connections. */
  drain(timeoutMs: number): Promise<void>;
}

/** Creates the data-plane HTTP(S) server. */
export function createDataPlane(options: DataPlaneOptions): DataPlane {
  const nextRequestId = createRequestIdGenerator();
  const scheme = options.tls ? 'https' : 'http';
  const accessLog = options.accessLog;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const onFinished = (ctx: RequestContext): void => {
    inFlight--;
    if (accessLog) accessLog.sink.write(formatAccessLog(ctx, accessLog.format, performance.now()));
    if (http.draining && inFlight === 0) drained?.();
  };

  const http = new Http1Server<RequestContext>({
    tls: options.tls,
    maxHeaderSize: options.maxHeaderSize ?? 10_240,
    headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 5_000,
    onRequest(req, res) {
      inFlight++;
      const socket = req.socket;
      const ctx = new RequestContext(
        req,
        res,
        nextRequestId(),
        performance.now(),
        socket.remoteAddress ?? '-',
        scheme,
        socket.localPort ?? 0,
      );
      res.state = ctx;
      serve(ctx, options.table()).catch((err: unknown) => {
        if (!(err instanceof GatewayError) || err.status >= 500) options.onInternalError?.(err, ctx);
        respondError(ctx, err);
      });
    },
    // Once per request: the response ended, or the client went away first.
    onDone(res) {
      const ctx = res.state;
      if (ctx === undefined) return;
      const listener = ctx.closeListener;
      if (listener) {
        ctx.closeListener = undefined;
        listener.clientClosed();
      }
      onFinished(ctx);
    },
    onRefused(status, message, socket, res) {
      return refusal(status, message, socket, res?.state, nextRequestId, accessLog);
    },
  });
  const server = http.server;

  return {
    server,
    inFlight: () => inFlight,
    drain(timeoutMs) {
      http.stopAccepting();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        const finish = (): void => {
          clearTimeout(timer);
          http.closeIdleConnections();
          resolve();
        };
        if (inFlight === 0) finish();
        else drained = finish;
      });
    },
  };
}

async function serve(ctx: RequestContext, table: CompiledGateway): Promise<void> {
  const req = ctx.req;
  const target = parseRequestTarget(req.url ?? '');
  if ('error' in target) throw new GatewayError('BAD_REQUEST', 'Bad Request', { cause: target.error });
  ctx.target = target;
  const cl = req.contentLength;
  if (cl !== undefined && Number(cl) > MAX_PAYLOAD_BYTES) {
    ctx.res.setHeader('connection', 'close');
    throw new GatewayError('REQUEST_TOO_LARGE');
  }
  const host = req.host ?? '';
  const colon = host.lastIndexOf(':');
  ctx.domainName = (colon > host.lastIndexOf(']') ? host.slice(0, colon) : host).toLowerCase();
  if (!resolveAddress(table, ctx)) throw new GatewayError('NOT_FOUND');
  const match = (ctx.stage as NonNullable<typeof ctx.stage>).router.match(
    req.method ?? 'GET',
    ctx.routeSegments,
  );
  if (!match) throw new GatewayError('NOT_FOUND');
  const route = match.value;
  ctx.route = route;
  ctx.routeKey = match.routeKey;
  ctx.pathParameters = match.pathParameters;
  if (route.stages.length > 0) {
    const early = await runStages(route.stages, ctx);
    if (early) return respond(ctx, early);
  }
  if (!route.integration)
    throw new GatewayError('INTERNAL', undefined, { cause: 'route has no integration' });
  const response = await route.integration.invoke(ctx);
  return respond(ctx, response);
}

/**
 * The answer to a request the HTTP core refused (malformed, too slow, bad body framing), in the AWS
 * shape, sent with `connection: close`. Logged as its own access-log line unless the request had
 * reached the pipeline (then its context is logged when it ends).
 */
function refusal(
  status: number,
  message: string,
  socket: Socket,
  ctx: RequestContext | undefined,
  nextRequestId: () => string,
  accessLog: DataPlaneOptions['accessLog'],
): string {
  const body = JSON.stringify({ message });
  const length = Buffer.byteLength(body);
  const requestId = ctx?.requestId ?? nextRequestId();
  if (ctx) {
    ctx.status = status;
    ctx.errorMessage = message;
    ctx.responseLength = length;
  } else {
    accessLog?.sink.write(
      formatRejectedAccessLog(
        { requestId, ip: socket.remoteAddress ?? '-', status, responseLength: length, message },
        accessLog.format,
      ),
    );
  }
  return `HTTP/1.1 ${status} ${message}\r\ndate: ${httpDate()}\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\napigw-requestid: ${requestId}\r\nconnection: close\r\n\r\n${body}`;
}
