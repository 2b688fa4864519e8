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
    this.#resolve?.({ statusCode, headers: responseHeaders(rawHeaders), stream: this.#upstream });
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

/** By name length: could this response header be hop-by-hop? Only those are lower-cased. */
const MAYBE_HOP_BY_HOP: boolean[] = [];
for (const name of HOP_BY_HOP) MAYBE_HOP_BY_HOP[name.length] = true;
MAYBE_HOP_BY_HOP['connection'.length] = true;

/** Upstream response headers as strings, minus hop-by-hop ones (RFC 9110 §7.6.1). */
function responseHeaders(raw: Buffer[]): string[] {
  const out: string[] = [];
  let extra: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    if (!MAYBE_HOP_BY_HOP[name.length]) {
      out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
      continue;
    }
    const lower = name.toLowerCase();
    if (lower === 'connection') {
      extra = connectionTokens((raw[i + 1] as Buffer).toString('latin1'));
      continue;
    }
    if (HOP_BY_HOP.has(lower)) continue;
    out.push(name, (raw[i + 1] as Buffer).toString('latin1'));
  }
  if (extra) {
    const filtered: string[] = [];
    for (let i = 0; i < out.length; i += 2) {
      if (!extra.has((out[i] as string).toLowerCase())) filtered.push(out[i] as string, out[i + 1] as string);
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
