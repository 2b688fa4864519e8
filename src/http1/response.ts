import { STATUS_CODES } from 'node:http';
import { httpDate } from './http-date.js';

/** The connection side a response writes through. */
export interface ResponseWire {
  /** Writes bytes; false when the socket buffer is full (wait for `onceDrain`). */
  send(data: Buffer | string): boolean;
  /** The response ended (all bytes handed to the socket); `close` = end the connection after it. */
  finished(res: Http1Response, close: boolean): void;
  /** Called once with `fn` when the socket buffer drains. */
  onceDrain(fn: () => void): void;
  /** Destroys the connection (a response that cannot be completed). */
  abort(err?: Error): void;
  /** May the connection stay open after this response (request and server allow it)? */
  readonly keepAlive: boolean;
  /** HTTP/1.1 request: a body of unknown length can be sent chunked (else it ends with the connection). */
  readonly chunkedOk: boolean;
  readonly keepAliveTimeoutSec: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
const COLON_SPACE = Buffer.from(': ');
const CRLF = Buffer.from('\r\n');
/** Bodies up to this size are copied behind the head so the response is one write. */
const COALESCE_LIMIT = 16 * 1024;

/**
 * A response on an HTTP/1.1 connection: `writeHead` with a flat `[name, value, ...]` list, then
 * `end(body)` (one write with the head) or `write`s and `end()` for a streamed body (chunked when no
 * Content-Length was given). Date, Connection and Keep-Alive are added as Node adds them.
 */
export class Http1Response<T = unknown> {
  /** What the server's owner attached to this exchange (the gateway's request context). */
  state: T | undefined;
  statusCode = 200;
  headersSent = false;
  /** The connection was lost (or destroyed) before the response finished. */
  destroyed = false;
  /** `end()` has handed every byte to the socket. */
  writableFinished = false;
  readonly #wire: ResponseWire;
  /** HEAD request: headers only. */
  readonly #head: boolean;
  /** The head, built but not sent yet (it goes out with the first body bytes). */
  #pendingHead: Array<Buffer | string> | undefined;
  #chunked = false;
  #noBody = false;
  #close = false;
  #extra: string[] | undefined;
  #ended = false;

  constructor(wire: ResponseWire, isHead: boolean) {
    this.#wire = wire;
    this.#head = isHead;
  }

  /** Adds a header to the next `writeHead` (only `connection: close` has a meaning to the server). */
  setHeader(name: string, value: string): void {
    (this.#extra ??= []).push(name, value);
  }

  /** True once `end()` was called or the response was taken over or lost. */
  get ended(): boolean {
    return this.#ended;
  }

  writeHead(status: number, headers: string[]): this {
    if (this.#ended || this.#pendingHead !== undefined || this.headersSent) return this;
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw new RangeError(`Invalid status code: ${String(status)}`);
    }
    this.statusCode = status;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`;
    let hasDate = false;
    let hasLength = false;
    let hasConnection = false;
    const all = this.#extra === undefined ? headers : [...headers, ...this.#extra];
    for (let i = 0; i < all.length; i += 2) {
      const name = all[i] as string;
      const value = String(all[i + 1]);
      if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: ${JSON.stringify(name)}`);
      if (BAD_VALUE_CHAR.test(value)) throw new TypeError(`Invalid character in header "${name}"`);
      switch (name.length) {
        case 4:
          if (name.toLowerCase() === 'date') hasDate = true;
          break;
        case 10: {
          const lower = name.toLowerCase();
          if (lower === 'connection') {
            hasConnection = true;
            if (/\bclose\b/i.test(value)) this.#close = true;
          } else if (lower === 'keep-alive' && !this.#wire.keepAlive) {
            continue;
          }
          break;
        }
        case 14:
          if (name.toLowerCase() === 'content-length') hasLength = true;
          break;
        case 17:
          // The framing is this server's to choose: a given Transfer-Encoding is replaced.
          if (name.toLowerCase() === 'transfer-encoding') continue;
          break;
      }
      head += `${name}: ${value}\r\n`;
    }
    this.#pendingHead = [head + this.#headTail(status, hasDate, hasLength, hasConnection)];
    return this;
  }

  /**
   * `writeHead` for header fields that are bytes an HTTP parser already validated (an upstream
   * response's, hop-by-hop fields removed), plus one more field: copied as they are, no strings.
   */
  writeHeadRaw(status: number, raw: Buffer[], name: string, value: string): this {
    if (this.#ended || this.#pendingHead !== undefined || this.headersSent) return this;
    this.statusCode = status;
    const parts: Array<Buffer | string> = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`];
    let hasDate = false;
    let hasLength = false;
    for (let i = 0; i < raw.length; i += 2) {
      const n = raw[i] as Buffer;
      if (n.length === 4 && !hasDate) hasDate = equalsLower(n, 'date');
      else if (n.length === 14 && !hasLength) hasLength = equalsLower(n, 'content-length');
      parts.push(n, COLON_SPACE, raw[i + 1] as Buffer, CRLF);
    }
    parts.push(`${name}: ${value}\r\n${this.#headTail(status, hasDate, hasLength, false)}`);
    this.#pendingHead = parts;
    return this;
  }

  /** Date, framing and Connection fields, and the empty line that ends the head. */
  #headTail(status: number, hasDate: boolean, hasLength: boolean, hasConnection: boolean): string {
    let tail = hasDate ? '' : `Date: ${httpDate()}\r\n`;
    this.#noBody = this.#head || status === 204 || status === 304 || status < 200;
    const unframed = !hasLength && !this.#noBody;
    // HTTP/1.0 clients get a body of unknown length delimited by the end of the connection.
    if (unframed && this.#wire.chunkedOk) this.#chunked = true;
    if (!this.#wire.keepAlive || (unframed && !this.#chunked)) this.#close = true;
    if (!hasConnection) {
      tail += this.#close
        ? 'Connection: close\r\n'
        : `Connection: keep-alive\r\nKeep-Alive: timeout=${this.#wire.keepAliveTimeoutSec}\r\n`;
    }
    if (this.#chunked) tail += 'Transfer-Encoding: chunked\r\n';
    return tail + '\r\n';
  }

  /** Writes a body chunk (the head goes with the first one); false = wait for `onceDrain`. */
  write(chunk: Buffer | string): boolean {
    if (this.#ended || this.destroyed) return false;
    if (this.#pendingHead === undefined && !this.headersSent) this.writeHead(this.statusCode, []);
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (data.length === 0) return this.#flushHead();
    if (this.#noBody) return this.#flushHead();
    if (this.#chunked) {
      return this.#send([data.length.toString(16), '\r\n', data, '\r\n']);
    }
    return this.#send([data]);
  }

  /** Ends the response, with an optional last chunk (sent with the head in one write when small). */
  end(chunk?: Buffer | string): void {
    if (this.#ended || this.destroyed) return;
    if (this.#pendingHead === undefined && !this.headersSent) {
      const length = chunk === undefined ? 0 : Buffer.byteLength(chunk);
      this.writeHead(this.statusCode, ['Content-Length', String(length)]);
    }
    this.#ended = true;
    const data = chunk === undefined ? undefined : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const parts: Array<Buffer | string> = [];
    if (data !== undefined && data.length > 0 && !this.#noBody) {
      if (this.#chunked) parts.push(data.length.toString(16), '\r\n', data, '\r\n');
      else parts.push(data);
    }
    if (this.#chunked) parts.push('0\r\n\r\n');
    this.#send(parts);
    this.writableFinished = true;
    this.#wire.finished(this, this.#close);
  }

  /** Registers `fn` for the next drain of the connection. */
  onceDrain(fn: () => void): void {
    this.#wire.onceDrain(fn);
  }

  /** Abandons the response: the connection is closed (a half-sent response cannot be completed). */
  destroy(err?: Error): void {
    if (this.destroyed || this.writableFinished) return;
    this.#ended = true;
    this.#wire.abort(err);
  }

  /** The connection took the exchange over (a 4xx it sent itself) or lost it: later writes are ignored. */
  markGone(): void {
    this.#ended = true;
    this.destroyed = true;
  }

  #flushHead(): boolean {
    return this.#send([]);
  }

  /** Sends the pending head (if any) and `parts`, as one write for small bodies. */
  #send(parts: Array<Buffer | string>): boolean {
    const head = this.#pendingHead;
    if (head !== undefined) {
      this.#pendingHead = undefined;
      this.headersSent = true;
      parts = parts.length === 0 ? head : [...head, ...parts];
    }
    if (parts.length === 0) return true;
    let size = 0;
    // Strings here are latin1 (the head) or chunk framing: one byte per character.
    for (const p of parts) size += p.length;
    if (size <= COALESCE_LIMIT) {
      const out = Buffer.allocUnsafe(size);
      let off = 0;
      for (const p of parts) {
        if (typeof p === 'string') {
          off += out.write(p, off, 'latin1');
        } else {
          out.set(p, off);
          off += p.length;
        }
      }
      return this.#wire.send(out);
    }
    let ok = true;
    for (const p of parts) ok = this.#wire.send(p);
    return ok;
  }
}

/** Does `buf` spell `lower` (ASCII, any case)? */
function equalsLower(buf: Buffer, lower: string): boolean {
  if (buf.length !== lower.length) return false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i] as number;
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
