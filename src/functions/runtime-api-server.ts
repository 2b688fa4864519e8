import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An event waiting to be fetched by the runtime with `GET /invocation/next`. */
export interface RuntimeApiEvent {
  requestId: string;
  payload: Buffer;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
}

/** What the runtime told us. */
export interface RuntimeApiHandlers {
  /** The runtime asked for the next event (the first call marks the end of init). */
  onNext(): void;
  onResponse(requestId: string, body: Buffer): boolean;
  /**
   * A part of a response in streaming mode (`Lambda-Runtime-Function-Response-Mode: streaming`), as
   * it arrives, with the response's content type; the response (or error) follows when it ends.
   */
  onResponseChunk(requestId: string, chunk: Buffer, contentType: string | undefined): void;
  onError(requestId: string, body: Buffer, errorType: string | undefined): boolean;
  onInitError(body: Buffer, errorType: string | undefined): void;
}

const PREFIX = '/2018-06-01/runtime/';
const MAX_RESPONSE = 6 * 1024 * 1024;
/** A streamed response's limit (https://docs.aws.amazon.com/lambda/latest/dg/configuration-response-streaming.html). */
const MAX_STREAMED_RESPONSE = 200 * 1024 * 1024;

/**
 * Portico's implementation of the Lambda Runtime API for one custom-runtime environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html): a long-poll `next`, then
 * `response` / `error` for that request id, and `init/error`.
 */
export class RuntimeApiServer {
  readonly #server: Server;
  readonly #h: RuntimeApiHandlers;
  #waiting: ServerResponse | undefined;
  #queued: RuntimeApiEvent | undefined;
  #current: string | undefined;

  constructor(handlers: RuntimeApiHandlers) {
    this.#h = handlers;
    this.#server = createServer((req, res) => this.#route(req, res));
    this.#server.keepAliveTimeout = 0;
  }

  /** Listens on 127.0.0.1 and returns `host:port` for AWS_LAMBDA_RUNTIME_API. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Hands an event to the runtime (now, or at its next `next` call). */
  deliver(event: RuntimeApiEvent): void {
    this.#current = event.requestId;
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      this.#send(waiting, event);
    } else {
      this.#queued = event;
    }
  }

  /** Stops serving (pending long-polls are cut). */
  close(): void {
    this.#waiting?.destroy();
    this.#server.close();
    this.#server.closeAllConnections();
  }

  #send(res: ServerResponse, e: RuntimeApiEvent): void {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': e.requestId,
      'lambda-runtime-deadline-ms': String(e.deadlineMs),
      'lambda-runtime-invoked-function-arn': e.invokedFunctionArn,
      'lambda-runtime-trace-id': e.traceId,
    };
    if (e.clientContext !== undefined) headers['lambda-runtime-client-context'] = e.clientContext;
    res.writeHead(200, headers).end(e.payload);
  }

  #route(req: IncomingMessage, res: ServerResponse): void {
    const streamed = this.#streamedResponse(req);
    if (streamed !== undefined) return this.#streamResponse(req, res, streamed);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_RESPONSE) chunks.push(c);
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const body = Buffer.concat(chunks);
      const errorType = header(req, 'lambda-runtime-function-error-type');
      if (!path.startsWith(PREFIX)) return reply(res, 404, 'UnknownOperation', 'Unknown operation');
      const rest = path.slice(PREFIX.length);
      if (req.method === 'GET' && rest === 'invocation/next') {
        this.#h.onNext();
        const queued = this.#queued;
        if (queued) {
          this.#queued = undefined;
          return this.#send(res, queued);
        }
        this.#waiting = res;
        return;
      }
      if (req.method === 'POST' && rest === 'init/error') {
        this.#h.onInitError(body, errorType);
        return reply(res, 202, undefined, undefined);
      }
      const m = /^invocation\/([^/]+)\/(response|error)$/.exec(rest);
      if (req.method === 'POST' && m && m[1] !== undefined) {
        const id = decodeURIComponent(m[1]);
        if (id !== this.#current) return reply(res, 400, 'InvalidRequestID', 'Invalid request ID');
        if (size > MAX_RESPONSE) {
          this.#h.onError(
            id,
            Buffer.from(
              JSON.stringify({
                errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE} bytes).`,
                errorType: 'Function.ResponseSizeTooLarge',
              }),
            ),
            'Function.ResponseSizeTooLarge',
          );
          return reply(res, 413, 'RequestEntityTooLarge', 'Payload too large');
        }
        this.#current = undefined;
        const ok = m[2] === 'response' ? this.#h.onResponse(id, body) : this.#h.onError(id, body, errorType);
        return ok
          ? reply(res, 202, undefined, undefined)
          : reply(res, 400, 'InvalidRequestID', 'Invalid request ID');
      }
      return reply(res, 404, 'UnknownOperation', 'Unknown operation');
    });
  }

  /** The request id of a response in streaming mode for the current invocation, else undefined. */
  #streamedResponse(req: IncomingMessage): string | undefined {
    if (req.method !== 'POST') return undefined;
    if (header(req, 'lambda-runtime-function-response-mode')?.toLowerCase() !== 'streaming') return undefined;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const m = /^invocation\/([^/]+)\/response$/.exec(
      path.startsWith(PREFIX) ? path.slice(PREFIX.length) : '',
    );
    if (m?.[1] === undefined) return undefined;
    const id = decodeURIComponent(m[1]);
    return id === this.#current ? id : undefined;
  }

  /**
   * A response in streaming mode: each part goes on as it arrives; at the end, an error reported in
   * the trailers (`Lambda-Runtime-Function-Error-Type`, `-Error-Body` as base64) ends the invocation
   * as a function error, else the response is complete.
   */
  #streamResponse(req: IncomingMessage, res: ServerResponse, id: string): void {
    const contentType = header(req, 'content-type');
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_STREAMED_RESPONSE) tooLarge = true;
      if (!tooLarge) this.#h.onResponseChunk(id, c, contentType);
    });
    req.on('end', () => {
      this.#current = undefined;
      const trailer = (name: string): string | undefined => {
        const v = req.trailers[name];
        return v === undefined || v === '' ? undefined : v;
      };
      const errorType = trailer('lambda-runtime-function-error-type');
      if (tooLarge || errorType !== undefined) {
        const body = tooLarge
          ? JSON.stringify({
              errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_STREAMED_RESPONSE} bytes).`,
              errorType: 'Function.ResponseSizeTooLarge',
            })
          : Buffer.from(trailer('lambda-runtime-function-error-body') ?? '', 'base64').toString('utf8') ||
            JSON.stringify({ errorMessage: 'Unhandled', errorType });
        this.#h.onError(id, Buffer.from(body), tooLarge ? 'Function.ResponseSizeTooLarge' : errorType);
      } else this.#h.onResponse(id, Buffer.alloc(0));
      reply(res, 202, undefined, undefined);
    });
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function reply(
  res: ServerResponse,
  status: number,
  errorType: string | undefined,
  message: string | undefined,
): void {
  const body =
    errorType === undefined
      ? JSON.stringify({ status: 'OK' })
      : JSON.stringify({ errorMessage: message, errorType });
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
}
