import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

/** What a request's connection offers it: its peer addresses and body flow control. */
export interface RequestSocket {
  readonly remoteAddress?: string | undefined;
  readonly localPort?: number | undefined;
}

/** Called by a body stream when its reader wants more (resumes the paused socket). */
export interface BodyFlow {
  resumeBody(): void;
}

/**
 * A request body as a Readable: fed by the connection, paused at the socket when the reader is
 * slower than the client.
 */
export class RequestBody extends Readable {
  readonly #flow: BodyFlow;

  constructor(flow: BodyFlow) {
    super();
    this.#flow = flow;
  }

  override _read(): void {
    this.#flow.resumeBody();
  }
}

/**
 * One request as the data plane sees it: the parsed head, and the body when there is one. Header
 * names and values are kept as received (`rawHeaders`); `headers` is the lower-cased map, built on
 * first use with Node's duplicate rules.
 */
export class Http1Request {
  readonly method: string;
  readonly url: string;
  readonly httpVersionMajor: number;
  readonly httpVersionMinor: number;
  readonly rawHeaders: string[];
  readonly socket: RequestSocket;
  /** The body stream; undefined when the request has none (no Content-Length > 0, not chunked). */
  readonly body: RequestBody | undefined;
  /** The framing and routing fields the server read while parsing (no header map needed for them). */
  readonly host: string | undefined;
  readonly contentLength: string | undefined;
  readonly transferEncoding: string | undefined;
  readonly connection: string | undefined;
  #headers: IncomingHttpHeaders | undefined;

  constructor(
    method: string,
    url: string,
    major: number,
    minor: number,
    rawHeaders: string[],
    socket: RequestSocket,
    body: RequestBody | undefined,
    fields: RequestFields,
  ) {
    this.method = method;
    this.url = url;
    this.httpVersionMajor = major;
    this.httpVersionMinor = minor;
    this.rawHeaders = rawHeaders;
    this.socket = socket;
    this.body = body;
    this.host = fields.host;
    this.contentLength = fields.contentLength;
    this.transferEncoding = fields.transferEncoding;
    this.connection = fields.connection;
  }

  /** `1.1` or `1.0`. */
  get httpVersion(): string {
    return this.httpVersionMinor === 1 ? '1.1' : '1.0';
  }

  get headers(): IncomingHttpHeaders {
    return (this.#headers ??= headerMap(this.rawHeaders));
  }
}

/** Header values the parser picked out (see HeadParser). */
export interface RequestFields {
  host: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  connection: string | undefined;
}

/** Headers whose repeats Node discards (the first one wins), as `IncomingMessage.headers` does. */
const SINGLE = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** The lower-cased header map with Node's rules: set-cookie as a list, cookie `; `-joined, others `, `-joined. */
export function headerMap(raw: string[]): IncomingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    const prev = out[name];
    if (prev === undefined) {
      out[name] = name === 'set-cookie' ? [value] : value;
    } else if (name === 'set-cookie') {
      (prev as string[]).push(value);
    } else if (!SINGLE.has(name)) {
      out[name] = `${prev as string}${name === 'cookie' ? '; ' : ', '}${value}`;
    }
  }
  return out as IncomingHttpHeaders;
}
