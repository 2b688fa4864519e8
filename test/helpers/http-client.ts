import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';

/** HTTP API request ids (`apigw-requestid`): 11 bytes in base64, e.g. `JKJaXmPLvHcESHA=`. */
export const REQUEST_ID = /^[A-Za-z0-9+/]{15}=$/;

/** A complete response. */
export interface TestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values in arrival order and case. */
  rawHeaders: string[];
  body: string;
}

/** Request options for `send`. */
export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** CA to trust for https URLs. */
  ca?: string | Buffer;
}

/**
 * One request on a fresh connection (no agent, so nothing lingers after a test). Unlike fetch, it
 * lets a test set Host and any other header exactly.
 */
export function send(url: string, options: SendOptions = {}): Promise<TestResponse> {
  const u = new URL(url);
  const isHttps = u.protocol === 'https:';
  const headers: OutgoingHttpHeaders = { ...options.headers };
  // Node sends DELETE/OPTIONS bodies without framing unless told the length.
  const hasLength = Object.keys(headers).some((k) => /^(content-length|transfer-encoding)$/i.test(k));
  if (options.body !== undefined && !hasLength) headers['content-length'] = Buffer.byteLength(options.body);
  return new Promise<TestResponse>((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: options.method ?? 'GET',
        headers,
        agent: false,
        ...(isHttps && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What came back over a raw socket. */
export interface RawReply {
  /** Everything received, as latin1 text. */
  text: string;
  /** The first line (`HTTP/1.1 400 Bad Request`), '' when nothing came back. */
  statusLine: string;
  /** True when the server closed the connection (rather than the wait running out). */
  closed: boolean;
}

/**
 * Writes `parts` to a raw TCP connection (each part after `gapMs`), then collects the reply until the
 * server closes the connection or `waitMs` passes. For requests no HTTP client would send.
 */
export function rawExchange(
  port: number,
  parts: Array<string | Buffer> | string,
  options: { waitMs?: number; gapMs?: number } = {},
): Promise<RawReply> {
  const list = typeof parts === 'string' ? [parts] : parts;
  const waitMs = options.waitMs ?? 3_000;
  return new Promise<RawReply>((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closed = false;
    const finish = (): void => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const eol = text.indexOf('\r\n');
      resolve({ text, statusLine: eol === -1 ? text : text.slice(0, eol), closed });
      socket.destroy();
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after the server answered still counts as "closed".
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
        closed = true;
        finish();
      } else {
        clearTimeout(timer);
        reject(err);
      }
    });
    socket.on('end', () => {
      closed = true;
      finish();
    });
    socket.on('connect', () => {
      void (async () => {
        for (let i = 0; i < list.length; i++) {
          if (i > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
          if (socket.destroyed) return;
          socket.write(list[i] as string | Buffer);
        }
      })();
    });
  });
}

/** Splits a raw HTTP response into head fields and body (single response, no chunked decoding). */
export function parseRawResponse(text: string): {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
} {
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? text : text.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { statusLine, headers, body: end === -1 ? '' : text.slice(end + 4) };
}
