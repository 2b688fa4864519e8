import { Agent, type Dispatcher, request } from 'undici';
import { type AwsCredentials, signRequest } from './sigv4-signer.js';

/**
 * The CLI's client for a running Portico's admin port: JSON over HTTP in the AWS wire formats
 * (apigatewayv2 and Lambda, see docs/control-plane.md), signed with SigV4 when credentials are set.
 */

/** The signing name of the API a request belongs to. */
export type AwsService = 'apigateway' | 'lambda';

/** Where and how to reach the control plane. */
export interface AdminClientOptions {
  /** Base URL of the admin port, e.g. `http://127.0.0.1:8081`. */
  endpoint: string;
  region: string;
  credentials?: AwsCredentials;
  /** Clock for signatures (tests). */
  now?: () => Date;
}

/** One control-plane request. `path` segments are encoded by the caller (see `wirePath`). */
export interface AdminCall {
  service: AwsService;
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  /** A Buffer is sent as is; anything else (but undefined) as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Aborts the request (e.g. Ctrl-C during `logs --follow`). */
  signal?: AbortSignal;
}

/** A successful answer. */
export interface AdminReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A failed control-plane call: the AWS error type (from `x-amzn-ErrorType`) and message, or a
 * transport failure. The CLI prints `message` and exits with code 1.
 */
export class AdminError extends Error {
  readonly status: number | undefined;
  readonly errorType: string | undefined;

  constructor(message: string, status?: number, errorType?: string) {
    super(message);
    this.name = 'AdminError';
    this.status = status;
    this.errorType = errorType;
  }
}

/** A control-plane client; `close()` releases its connections. */
export interface AdminClient {
  readonly endpoint: string;
  /** Sends a call; rejects with AdminError for HTTP errors and unreachable endpoints. */
  send(call: AdminCall): Promise<AdminReply>;
  /** Sends a call and parses the JSON answer (`{}` for an empty body). */
  json<T = Record<string, unknown>>(call: AdminCall): Promise<T>;
  close(): Promise<void>;
}

/** Joins path segments, percent-encoding each (ARNs and `$default` stay one segment). */
export function wirePath(...segments: string[]): string {
  return `/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

/** Creates a client. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  let base: URL;
  try {
    base = new URL(options.endpoint);
  } catch {
    throw new AdminError(`invalid endpoint URL "${options.endpoint}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new AdminError(`invalid endpoint URL "${options.endpoint}" (http or https only)`);
  }
  const prefix = base.pathname.replace(/\/+$/, '');
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  const now = options.now ?? ((): Date => new Date());

  async function send(call: AdminCall): Promise<AdminReply> {
    const path = `${prefix}${call.path}`;
    const query: Array<[string, string]> = [];
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) query.push([k, v]);
    const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    let body: Buffer = Buffer.alloc(0);
    let headers: Record<string, string> = { ...call.headers };
    if (Buffer.isBuffer(call.body)) body = call.body;
    else if (call.body !== undefined) {
      body = Buffer.from(JSON.stringify(call.body), 'utf8');
      headers['content-type'] ??= 'application/json';
    }
    if (options.credentials) {
      headers = signRequest(
        { method: call.method, host: base.host, path, query, headers, body },
        { service: call.service, region: options.region, credentials: options.credentials, now: now() },
      );
      // undici sets Host from the URL itself; it must equal the signed value, which it does.
      delete headers.host;
    }
    const url = `${base.origin}${path}${search === '' ? '' : `?${search}`}`;
    let res;
    try {
      res = await request(url, {
        method: call.method as Dispatcher.HttpMethod,
        headers,
        body: body.length > 0 ? body : null,
        dispatcher,
        ...(call.signal ? { signal: call.signal } : {}),
      });
    } catch (err) {
      if (call.signal?.aborted) throw err;
      const code = (err as { code?: string }).code;
      const detail = (err as { cause?: { code?: string } }).cause?.code ?? code ?? (err as Error).message;
      throw new AdminError(`cannot reach Portico at ${base.origin}${prefix} (${detail}); is it running?`);
    }
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const replyHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) replyHeaders[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    if (res.statusCode >= 400) throw errorFrom(res.statusCode, replyHeaders, bytes);
    return { status: res.statusCode, headers: replyHeaders, body: bytes };
  }

  return {
    endpoint: `${base.origin}${prefix}`,
    send,
    async json<T>(call: AdminCall): Promise<T> {
      const reply = await send(call);
      if (reply.body.length === 0) return {} as T;
      try {
        return JSON.parse(reply.body.toString('utf8')) as T;
      } catch {
        throw new AdminError(`${call.method} ${call.path}: the answer is not JSON`, reply.status);
      }
    },
    close: () => dispatcher.close(),
  };
}

/**
 * AWS error shape: the SDKs take the exception name from `x-amzn-ErrorType` (text before `:`),
 * falling back to the body's `__type`/`code`; the message is `message` (apigatewayv2) or `Message`
 * (Lambda). See the reference §6.1.
 */
export function errorFrom(status: number, headers: Record<string, string>, body: Buffer): AdminError {
  let parsed: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON: keep the text as the message.
  }
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const typeHeader = str(headers['x-amzn-errortype']?.split(':')[0]);
  const type = typeHeader ?? str(parsed.__type)?.split('#').pop() ?? str(parsed.code);
  const text = body.toString('utf8').trim();
  const message =
    str(parsed.message) ??
    str(parsed.Message) ??
    (text !== '' && !text.startsWith('{') ? text : `HTTP ${status}`);
  return new AdminError(type ? `${type}: ${message}` : message, status, type);
}
