import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { GatewayError } from '../errors/index.js';
import { MAX_PAYLOAD_BYTES } from '../integrations/http-proxy/request-body.js';
import {
  formatAccessLog,
  formatRejectedAccessLog,
  type AccessLogFormat,
  type LineSink,
} from '../observability/access-log.js';
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
  let draining = false;
  let drained: (() => void) | undefined;

  const onFinished = (ctx: RequestContext): void => {
    inFlight--;
    if (accessLog) accessLog.sink.write(formatAccessLog(ctx, accessLog.format, performance.now()));
    if (draining && inFlight === 0) drained?.();
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
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
    // 'close' follows 'finish' on a completed response and also fires when the client goes away:
    // one listener covers both.
    res.on('close', () => {
      const listener = ctx.closeListener;
      if (listener) {
        ctx.closeListener = undefined;
        listener.clientClosed();
      }
      onFinished(ctx);
    });
    if (draining) res.setHeader('connection', 'close');
    serve(ctx, options.table()).catch((err: unknown) => {
      if (!(err instanceof GatewayError) || err.status >= 500) options.onInternalError?.(err, ctx);
      respondError(ctx, err);
    });
  };

  const serverOptions = {
    maxHeaderSize: options.maxHeaderSize ?? 10_240,
    headersTimeout: options.headersTimeoutMs ?? 30_000,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    connectionsCheckingInterval: Math.min(1_000, options.headersTimeoutMs ?? 1_000),
    // Checked in refuseUnframeable instead, so the 400 has the gateway's shape and request id.
    requireHostHeader: false,
  };
  const server: Server = options.tls
    ? (createHttpsServer(
        { ...serverOptions, cert: options.tls.cert, key: options.tls.key },
        handle,
      ) as unknown as Server)
    : createHttpServer(serverOptions, handle);

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) =>
    onClientError(err, socket, nextRequestId, accessLog),
  );

  return {
    server,
    inFlight: () => inFlight,
    drain(timeoutMs) {
      draining = true;
      server.close();
      server.closeIdleConnections();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        const finish = (): void => {
          clearTimeout(timer);
          server.closeIdleConnections();
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
  refuseUnframeable(ctx);
  const target = parseRequestTarget(req.url ?? '');
  if ('error' in target) throw new GatewayError('BAD_REQUEST', 'Bad Request', { cause: target.error });
  ctx.target = target;
  const cl = req.headers['content-length'];
  if (cl !== undefined && Number(cl) > MAX_PAYLOAD_BYTES) {
    ctx.res.setHeader('connection', 'close');
    throw new GatewayError('REQUEST_TOO_LARGE');
  }
  const host = req.headers.host ?? '';
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
 * Requests Node's parser lets through but an upstream might read differently: a missing or repeated
 * Host, HTTP versions other than 1.x (`GET / HTTP/2.0` over HTTP/1 framing, HTTP/0.9) and transfer codings other than plain
 * `chunked`, which a proxy that re-frames the body cannot pass on (RFC 9112 §6.1: 501). The
 * connection is closed because its framing cannot be trusted.
 */
function refuseUnframeable(ctx: RequestContext): void {
  const req = ctx.req;
  if (req.httpVersionMajor !== 1) {
    ctx.res.setHeader('connection', 'close');
    throw new GatewayError('BAD_REQUEST', 'HTTP Version Not Supported', { status: 505 });
  }
  // RFC 9112 §3.2: a 1.1 request without Host, or with more than one, is answered 400.
  if (req.httpVersionMinor === 1 && hostCount(req.rawHeaders) !== 1) {
    ctx.res.setHeader('connection', 'close');
    throw new GatewayError('BAD_REQUEST');
  }
  const te = req.headers['transfer-encoding'];
  if (te !== undefined && te.trim().toLowerCase() !== 'chunked') {
    ctx.res.setHeader('connection', 'close');
    throw new GatewayError('BAD_REQUEST', 'Not Implemented', { status: 501 });
  }
}

function hostCount(raw: string[]): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host') n++;
  }
  return n;
}

/**
 * Malformed requests that Node's parser refused: answer 4xx in the AWS shape (and log it), or just
 * close.
 */
function onClientError(
  err: NodeJS.ErrnoException,
  socket: Socket,
  nextRequestId: () => string,
  accessLog: DataPlaneOptions['accessLog'],
): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  let status = 400;
  let message = 'Bad Request';
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    status = 431;
    message = 'Request Header Fields Too Large';
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408;
    message = 'Request Timeout';
  }
  const body = JSON.stringify({ message });
  const requestId = nextRequestId();
  socket.end(
    `HTTP/1.1 ${status} ${message}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(
      body,
    )}\r\napigw-requestid: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
  );
  accessLog?.sink.write(
    formatRejectedAccessLog(
      {
        requestId,
        ip: socket.remoteAddress ?? '-',
        status,
        responseLength: Buffer.byteLength(body),
        message,
      },
      accessLog.format,
    ),
  );
}
