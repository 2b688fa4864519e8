import type { Dispatcher } from 'undici';
import { GatewayError } from '../../errors/index.js';
import type { CloseListener, RequestContext } from '../../gateway/context.js';
import { connectionTokens, HOP_BY_HOP } from '../../gateway/headers.js';
import type { Deadline, Expirable } from '../deadline-queue.js';
import type { IntegrationResponse } from '../integration.js';
import type { UpstreamBody } from './upstream-response.js';

/**
 * One request to an upstream: undici's dispatch handler, the integration deadline's target and the
 * client-close listener in one object. Per-request state lives in fields rather than in closures,
 * so a request allocates one object here and nothing it references outlives the exchange.
 */
export class ProxyExchange implements Dispatcher.DispatchHandler, Expirable, CloseListener {
  readonly #ctx: RequestContext;
  readonly #upstream: UpstreamBody;
  readonly #started: number;
  #resolve: ((r: IntegrationResponse) => void) | undefined;
  #reject: ((err: Error) => void) | undefined;
  #settled = false;
  #abortUpstream: ((err?: Error) => void) | undefined;
  #cancelled: Error | undefined;
  deadline: Deadline | undefined;

  constructor(ctx: RequestContext, upstream: UpstreamBody) {
    this.#ctx = ctx;
    this.#upstream = upstream;
    this.#started = performance.now();
  }

  /** The promise of the upstream's status and headers. */
  response(): Promise<IntegrationResponse> {
    return new Promise<IntegrationResponse>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  #cancel(err: Error): void {
    this.#cancelled = err;
    this.#abortUpstream?.(err);
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.deadline?.cancel();
    this.deadline = undefined;
    if (this.#ctx.closeListener === this) this.#ctx.closeListener = undefined;
    this.#ctx.integrationLatency = performance.now() - this.#started;
    return true;
  }

  /** The integration timeout fired before the upstream answered (HTTP API: 503). */
  expire(): void {
    if (!this.#settle()) return;
    const err = new GatewayError('INTEGRATION_TIMEOUT');
    this.#cancel(err);
    this.#reject?.(err);
  }

  /**
   * The client left before the upstream answered: free the upstream request (and its pooled
   * connection) instead of waiting for the integration timeout.
   */
  clientClosed(): void {
    if (!this.#settled) this.#cancel(new Error('client closed the connection'));
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abortUpstream = abort;
    this.#upstream.setControls(abort);
    if (this.#cancelled) abort(this.#cancelled);
    else if (this.#ctx.res.destroyed) this.#cancel(new Error('client closed the connection'));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    if (!this.#settle()) return false;
    this.#upstream.setResume(resume);
    this.#ctx.integrationStatus = statusCode;
    this.#resolve?.(new UpstreamHead(statusCode, withoutHopByHop(rawHeaders), this.#upstream));
    return true;
  }

  onData(chunk: Buffer): boolean {
    return this.#upstream.push(chunk);
  }

  onComplete(): void {
    this.#upstream.end();
  }

  onError(err: Error): void {
    if (this.#settle()) this.#reject?.(mapUpstreamError(err));
    else this.#upstream.fail(err);
  }
}

/**
 * The upstream's status and headers. The header fields stay bytes (`rawHeaders`, sent as received);
 * the string list is made only if something asks for it (response parameter mapping).
 */
class UpstreamHead implements IntegrationResponse {
  readonly statusCode: number;
  readonly rawHeaders: Buffer[];
  readonly stream: UpstreamBody;
  #headers: string[] | undefined;

  constructor(statusCode: number, rawHeaders: Buffer[], stream: UpstreamBody) {
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    this.stream = stream;
  }

  get headers(): string[] {
    if (this.#headers === undefined) {
      const raw = this.rawHeaders;
      const out: string[] = [];
      for (let i = 0; i < raw.length; i++) out.push((raw[i] as Buffer).toString('latin1'));
      this.#headers = out;
    }
    return this.#headers;
  }
}

/** By name length: could this response header be hop-by-hop? Only those are lower-cased. */
const MAYBE_HOP_BY_HOP: boolean[] = [];
for (const name of HOP_BY_HOP) MAYBE_HOP_BY_HOP[name.length] = true;
MAYBE_HOP_BY_HOP['connection'.length] = true;

/** Upstream response header fields minus hop-by-hop ones (RFC 9110 §7.6.1), still as bytes. */
function withoutHopByHop(raw: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let extra: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as Buffer;
    if (!MAYBE_HOP_BY_HOP[name.length]) {
      out.push(name, raw[i + 1] as Buffer);
      continue;
    }
    const lower = name.toString('latin1').toLowerCase();
    if (lower === 'connection') {
      extra = connectionTokens((raw[i + 1] as Buffer).toString('latin1'));
      continue;
    }
    if (HOP_BY_HOP.has(lower)) continue;
    out.push(name, raw[i + 1] as Buffer);
  }
  if (extra) {
    const filtered: Buffer[] = [];
    for (let i = 0; i < out.length; i += 2) {
      const name = out[i] as Buffer;
      if (!extra.has(name.toString('latin1').toLowerCase())) filtered.push(name, out[i + 1] as Buffer);
    }
    return filtered;
  }
  return out;
}

/** Maps an undici failure to the gateway's answer (HTTP API: 503 on timeout, 502 when unreachable). */
export function mapUpstreamError(err: Error): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string }).code ?? '';
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return new GatewayError('INTEGRATION_TIMEOUT', undefined, { cause: err });
  }
  return new GatewayError('INTEGRATION_FAILURE', undefined, { cause: err });
}
