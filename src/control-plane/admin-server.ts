import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../observability/logger.js';
import type { AdminRequest, AdminResponse, AdminRouter } from './admin-router.js';

/** Options of the admin (control-plane) listener. */
export interface AdminServerOptions {
  router: AdminRouter;
  logger: Logger;
  /** Largest accepted request body (zip uploads are base64 inside JSON: 50 MB zip ~ 67 MB). */
  maxBodyBytes?: number;
  /** Checks a request before dispatch (SigV4); returns a response to refuse it. */
  authenticate?(req: AdminRequest): AdminResponse | undefined;
}

/**
 * The admin port: buffers each request body, finds the operation in the router and writes its
 * answer. Unknown paths get 404 `UnknownOperationException` as AWS endpoints do.
 */
export function createAdminServer(options: AdminServerOptions): Server {
  const maxBody = options.maxBodyBytes ?? 80 * 1024 * 1024;
  return createServer({ requestTimeout: 300_000 }, (req, res) => {
    handle(req, res, options, maxBody).catch((err: unknown) => {
      options.logger.error('control-plane operation failed', { err, method: req.method, url: req.url });
      send(res, {
        status: 500,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ServiceException' },
        body: JSON.stringify({ message: 'Internal server error' }),
      });
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: AdminServerOptions,
  maxBody: number,
): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBody) {
    res.setHeader('connection', 'close');
    send(res, jsonError(413, 'RequestTooLargeException', 'Request must be smaller than the limit'));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) {
      res.setHeader('connection', 'close');
      send(res, jsonError(413, 'RequestTooLargeException', 'Request must be smaller than the limit'));
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const method = req.method ?? 'GET';
  const found = options.router.match(method, path);
  if (!('route' in found)) {
    send(
      res,
      found.methodMismatch
        ? jsonError(405, 'MethodNotAllowedException', `Method ${method} is not allowed on ${path}`)
        : jsonError(404, 'UnknownOperationException', `Unknown operation ${method} ${path}`),
    );
    return;
  }
  const request: AdminRequest = {
    method,
    path,
    query,
    rawQuery,
    headers: req.headers,
    body: Buffer.concat(chunks, size),
    params: found.params,
  };
  const refused = options.authenticate?.(request);
  if (refused) {
    send(res, refused);
    return;
  }
  const answer = await found.route.handler(request);
  const body = answer.body;
  if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
    send(res, answer);
    return;
  }
  await stream(res, answer, body);
}

function jsonError(status: number, type: string, message: string): AdminResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ message }),
  };
}

/** Writes a body that comes in parts, each as it arrives (waiting for the socket to drain). */
async function stream(res: ServerResponse, r: AdminResponse, body: AsyncIterable<Buffer>): Promise<void> {
  const headers: Record<string, string> = { ...r.headers };
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'x-amzn-requestid')) {
    headers['x-amzn-requestid'] = randomUUID();
  }
  res.writeHead(r.status, headers);
  try {
    for await (const part of body) {
      if (!res.write(part)) {
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
      if (res.destroyed) return;
    }
    res.end();
  } catch {
    // The headers are out: the only way to tell the client is to cut the response short.
    res.destroy();
  }
}

function send(res: ServerResponse, r: AdminResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = r.body ?? '';
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw new Error('send: a streamed body');
  const headers: Record<string, string | number> = { ...r.headers };
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'x-amzn-requestid')) {
    headers['x-amzn-requestid'] = randomUUID();
  }
  res.writeHead(r.status, headers);
  res.end(body);
}
