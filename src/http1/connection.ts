import type { Socket } from 'node:net';
import { CHUNKED_ERROR, CHUNKED_MORE, ChunkedDecoder } from './chunked-decoder.js';
import { HEAD_ERROR, HEAD_INCOMPLETE, HeadParser } from './head-parser.js';
import { Http1Request, RequestBody, type BodyFlow } from './request.js';
import { Http1Response, type ResponseWire } from './response.js';

/** Limits of one connection (see Http1ServerOptions). */
export interface Http1Limits {
  maxHeaderSize: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** What a connection reports to its server's owner. */
export interface Http1Handlers<T> {
  /** A parsed request; answer through `res`. */
  onRequest(req: Http1Request, res: Http1Response<T>): void;
  /** The response ended, or the connection was lost or refused first: once per request. */
  onDone(res: Http1Response<T>): void;
  /**
   * A request the server refuses itself (malformed, too slow, bad body framing): returns the whole
   * response to send before closing. `res` is the exchange in flight, when the request had reached
   * `onRequest` (its body went bad or stalled).
   */
  onRefused(status: number, message: string, socket: Socket, res: Http1Response<T> | undefined): string;
}

/** The server side a connection needs. */
export interface ConnectionHost<T> {
  readonly handlers: Http1Handlers<T>;
  readonly limits: Http1Limits;
  readonly draining: boolean;
  forget(conn: Http1Connection<T>): void;
}

const READ_HEAD = 0;
const READ_BODY = 1;
/** The request was read; bytes that arrive now belong to the next (pipelined) request. */
const READ_IDLE = 2;
const READ_CLOSED = 3;

/** Pipelined bytes buffered while a response is pending before the socket is paused. */
const MAX_PENDING = 64 * 1024;
const EMPTY = Buffer.alloc(0);

/**
 * One HTTP/1.1 connection: reads request heads and bodies, hands each request to the handler, writes
 * its response, and keeps the connection alive between requests (pipelined requests are answered in
 * order, one at a time). Timeouts are checked by the server's sweep (`check`), not by per-request
 * timers.
 */
export class Http1Connection<T> implements ResponseWire, BodyFlow {
  readonly socket: Socket;
  readonly #host: ConnectionHost<T>;
  readonly #parser = new HeadParser();
  #reading = READ_HEAD;
  #headBuf: Buffer = EMPTY;
  #headText = '';
  /** performance.now() when the current head started (0 = no byte yet). */
  #headStart: number;
  #requestStart = 0;
  #idleSince = 0;
  #pending: Buffer | undefined;
  #busy = false;
  #res: Http1Response<T> | undefined;
  #body: RequestBody | undefined;
  #bodyLeft = 0;
  #chunked: ChunkedDecoder | undefined;
  /** The response ended before the body was read: the rest of the body is read and dropped. */
  #discard = false;
  #keepAlive = true;
  #clientEnded = false;
  #drainWaiters: Array<() => void> | undefined;
  #closed = false;

  constructor(socket: Socket, host: ConnectionHost<T>, now: number) {
    this.socket = socket;
    this.#host = host;
    // The first request's header clock runs from the connection (as Node's does).
    this.#headStart = now;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('drain', () => this.#onDrain());
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose());
  }

  get keepAlive(): boolean {
    return this.#keepAlive && !this.#host.draining && !this.#clientEnded;
  }

  get chunkedOk(): boolean {
    return this.#parser.versionMinor === 1;
  }

  get keepAliveTimeoutSec(): number {
    return Math.floor(this.#host.limits.keepAliveTimeoutMs / 1000);
  }

  /** No request in progress (safe to close when draining). */
  get idle(): boolean {
    return this.#reading === READ_HEAD && this.#res === undefined && this.#headBuf.length === 0;
  }

  // --- reading -------------------------------------------------------------------------------

  #onData(chunk: Buffer): void {
    if (this.#closed || this.#reading === READ_CLOSED) return;
    let data: Buffer | undefined = chunk;
    if (this.#pending !== undefined) {
      data = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    if (this.#busy) {
      this.#pending = data;
      return;
    }
    this.#busy = true;
    try {
      while (data !== undefined && data.length > 0 && !this.#closed) {
        if (this.#reading === READ_HEAD) data = this.#readHead(data);
        else if (this.#reading === READ_BODY) data = this.#readBody(data);
        else if (this.#reading === READ_IDLE) {
          this.#pending = data;
          if (data.length > MAX_PENDING) this.socket.pause();
          data = undefined;
        } else data = undefined;
      }
    } finally {
      this.#busy = false;
    }
  }

  /** Consumes head bytes; returns what follows the head (body or next request), if anything. */
  #readHead(chunk: Buffer): Buffer | undefined {
    if (this.#headBuf.length === 0) {
      if (this.#headStart === 0) this.#headStart = performance.now();
      this.#headBuf = chunk;
      this.#headText = chunk.toString('latin1');
    } else {
      this.#headBuf = Buffer.concat([this.#headBuf, chunk]);
      this.#headText += chunk.toString('latin1');
    }
    const end = this.#parser.parse(this.#headText, this.#host.limits.maxHeaderSize);
    if (end === HEAD_INCOMPLETE) return undefined;
    if (end === HEAD_ERROR) {
      this.#refuse(this.#parser.errorStatus, this.#parser.errorMessage);
      return undefined;
    }
    const rest = end === this.#headBuf.length ? undefined : this.#headBuf.subarray(end);
    this.#headBuf = EMPTY;
    this.#headText = '';
    return this.#startRequest(rest);
  }

  /** Checks the framing of a parsed head and hands the request to the handler. */
  #startRequest(rest: Buffer | undefined): Buffer | undefined {
    const p = this.#parser;
    const http11 = p.versionMinor === 1;
    // RFC 9112 §3.2: exactly one Host in an HTTP/1.1 request.
    if (http11 && p.hostCount !== 1) return this.#refuse(400, 'Bad Request');
    let length = 0;
    let chunked = false;
    if (p.transferEncoding !== undefined) {
      // RFC 9112 §6.1–6.3: Transfer-Encoding with Content-Length (or in HTTP/1.0) is a smuggling
      // shape; chunked must be the final coding, once; other codings cannot be re-framed (501).
      if (p.contentLengthCount > 0 || !http11) return this.#refuse(400, 'Bad Request');
      const codings = p.transferEncoding.toLowerCase().split(',');
      for (let i = 0; i < codings.length; i++) {
        const c = (codings[i] as string).trim();
        if (c === 'chunked' && i < codings.length - 1) return this.#refuse(400, 'Bad Request');
        if (i === codings.length - 1 && c !== 'chunked') return this.#refuse(400, 'Bad Request');
        codings[i] = c;
      }
      if (codings.length > 1) return this.#refuse(501, 'Not Implemented');
      chunked = true;
    } else if (p.contentLengthCount > 0) {
      const cl = p.contentLength as string;
      if (p.contentLengthCount > 1 || !/^\d{1,15}$/.test(cl)) return this.#refuse(400, 'Bad Request');
      length = Number(cl);
    }
    const hasBody = chunked || length > 0;
    // RFC 9110 §10.1.1: an expectation in an HTTP/1.0 request is ignored.
    if (p.expect !== undefined && http11) {
      if (p.expect.toLowerCase() !== '100-continue') return this.#refuse(417, 'Expectation Failed');
      if (hasBody) this.socket.write('HTTP/1.1 100 Continue\r\n\r\n');
    }
    const conn = p.connection;
    this.#keepAlive = http11
      ? conn === undefined || !/(?:^|,)\s*close\s*(?:,|$)/i.test(conn)
      : conn !== undefined && /(?:^|,)\s*keep-alive\s*(?:,|$)/i.test(conn);
    this.#requestStart = this.#headStart;
    this.#headStart = 0;
    const body = hasBody ? new RequestBody(this) : undefined;
    this.#body = body;
    this.#bodyLeft = length;
    this.#chunked = chunked ? new ChunkedDecoder() : undefined;
    this.#discard = false;
    this.#reading = hasBody ? READ_BODY : READ_IDLE;
    const req = new Http1Request(p.method, p.url, 1, p.versionMinor, p.rawHeaders, this.socket, body, p);
    const res = new Http1Response<T>(this, p.method === 'HEAD');
    this.#res = res;
    this.#host.handlers.onRequest(req, res);
    return rest;
  }

  /** Consumes body bytes; returns what follows the body (the next request), if anything. */
  #readBody(chunk: Buffer): Buffer | undefined {
    const decoder = this.#chunked;
    let rest: Buffer | undefined;
    if (decoder === undefined) {
      const take = Math.min(this.#bodyLeft, chunk.length);
      this.#bodyData(take === chunk.length ? chunk : chunk.subarray(0, take));
      this.#bodyLeft -= take;
      if (this.#bodyLeft > 0) return undefined;
      if (take < chunk.length) rest = chunk.subarray(take);
    } else {
      const end = decoder.push(chunk, (data) => this.#bodyData(data));
      if (end === CHUNKED_MORE) return undefined;
      if (end === CHUNKED_ERROR) {
        this.#bodyFailed(new Error('malformed chunked request body'), 400, 'Bad Request');
        return undefined;
      }
      if (end < chunk.length) rest = chunk.subarray(end);
    }
    this.#bodyComplete();
    return rest;
  }

  #bodyData(data: Buffer): void {
    if (this.#discard || data.length === 0) return;
    const body = this.#body;
    if (body !== undefined && !body.destroyed && !body.push(data)) this.socket.pause();
  }

  #bodyComplete(): void {
    const body = this.#body;
    this.#body = undefined;
    this.#chunked = undefined;
    if (body !== undefined && !body.destroyed) body.push(null);
    if (this.#discard || this.#res === undefined) this.#next();
    else this.#reading = READ_IDLE;
  }

  /** The body broke off (bad chunk, timeout, client gone): refuse the exchange if nothing was sent yet. */
  #bodyFailed(err: Error, status: number, message: string): void {
    const body = this.#body;
    this.#body = undefined;
    this.#chunked = undefined;
    if (body !== undefined) failBody(body, err);
    const res = this.#res;
    if (res !== undefined && res.headersSent) {
      this.#destroy();
      return;
    }
    this.#refuse(status, message);
  }

  resumeBody(): void {
    if (!this.#closed && this.#reading === READ_BODY) this.socket.resume();
  }

  #onEnd(): void {
    this.#clientEnded = true;
    if (this.#reading === READ_BODY) {
      this.#bodyFailed(new Error('client closed the connection'), 400, 'Bad Request');
    } else if (this.#res !== undefined) {
      // As Node's server does by default: a client that ends its side has gone away; the request in
      // flight is abandoned (which frees its upstream request).
      this.#destroy();
    } else {
      this.#closeAfterWrites();
    }
  }

  // --- writing (ResponseWire) --------------------------------------------------------------

  send(data: Buffer | string): boolean {
    if (this.#closed) return false;
    return typeof data === 'string' ? this.socket.write(data, 'latin1') : this.socket.write(data);
  }

  onceDrain(fn: () => void): void {
    (this.#drainWaiters ??= []).push(fn);
  }

  #onDrain(): void {
    const waiters = this.#drainWaiters;
    if (waiters === undefined) return;
    this.#drainWaiters = undefined;
    for (const fn of waiters) fn();
  }

  finished(res: Http1Response<T>, close: boolean): void {
    if (res !== this.#res) return;
    this.#res = undefined;
    this.#host.handlers.onDone(res);
    if (close || !this.keepAlive) {
      this.#closeAfterWrites();
      return;
    }
    if (this.#reading === READ_BODY) {
      // Answered before the body was read (e.g. 404, 413): read and drop the rest, then go on.
      this.#discard = true;
      this.#body?.destroy();
      this.#body = undefined;
      if (this.socket.isPaused()) this.socket.resume();
      return;
    }
    this.#next();
  }

  abort(): void {
    this.#destroy();
  }

  /** Ready for the next request on this connection. */
  #next(): void {
    this.#parser.reset();
    this.#reading = READ_HEAD;
    this.#discard = false;
    this.#idleSince = performance.now();
    if (this.socket.isPaused()) this.socket.resume();
    if (this.#busy || this.#pending === undefined) return;
    const pending = this.#pending;
    this.#pending = undefined;
    this.#onData(pending);
  }

  // --- refusing and closing ----------------------------------------------------------------

  /** Answers a request the server refuses itself, then closes. Returns undefined (nothing left to read). */
  #refuse(status: number, message: string): undefined {
    if (this.#closed) return undefined;
    const res = this.#res;
    this.#res = undefined;
    this.#reading = READ_CLOSED;
    this.#pending = undefined;
    const text = this.#host.handlers.onRefused(status, message, this.socket, res);
    if (res !== undefined) {
      res.statusCode = status;
      res.markGone();
      this.#host.handlers.onDone(res);
    }
    this.socket.write(text, 'latin1');
    this.#closeAfterWrites();
    return undefined;
  }

  #closeAfterWrites(): void {
    this.#reading = READ_CLOSED;
    this.socket.end();
    // A client that never reads its answer does not hold the socket open.
    this.socket.setTimeout(this.#host.limits.headersTimeoutMs, () => this.socket.destroy());
  }

  #destroy(): void {
    this.#reading = READ_CLOSED;
    this.socket.destroy();
  }

  #onClose(): void {
    this.#closed = true;
    this.#reading = READ_CLOSED;
    this.#host.forget(this);
    const body = this.#body;
    this.#body = undefined;
    if (body !== undefined && !body.readableEnded) failBody(body, new Error('client closed the connection'));
    const res = this.#res;
    if (res !== undefined) {
      this.#res = undefined;
      res.markGone();
      this.#host.handlers.onDone(res);
    }
    this.#onDrain();
  }

  /** Closes the connection now (drain timeout, server shutdown). */
  destroy(): void {
    this.#destroy();
  }

  /** Enforces the header, request and keep-alive timeouts (called by the server's sweep). */
  check(now: number): void {
    if (this.#closed || this.#reading === READ_CLOSED) return;
    const limits = this.#host.limits;
    if (this.#reading === READ_HEAD) {
      if (this.#headStart > 0) {
        if (now - this.#headStart > limits.headersTimeoutMs) this.#refuse(408, 'Request Timeout');
      } else if (this.#res === undefined && now - this.#idleSince > limits.keepAliveTimeoutMs) {
        this.#destroy();
      }
    } else if (this.#reading === READ_BODY && now - this.#requestStart > limits.requestTimeoutMs) {
      this.#bodyFailed(new Error('request body timed out'), 408, 'Request Timeout');
    }
  }
}

/** Ends a body stream with an error its readers see; without readers, quietly (no uncaught 'error'). */
function failBody(body: RequestBody, err: Error): void {
  if (body.destroyed) return;
  if (body.listenerCount('error') > 0) body.destroy(err);
  else body.destroy();
}
