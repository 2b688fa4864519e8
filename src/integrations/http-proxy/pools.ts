import type * as UndiciModule from 'undici';
import type { Dispatcher, Pool } from 'undici';

/** Options for upstream connection pools. */
export interface PoolOptions {
  /** Max connections per upstream origin (undefined = unlimited). */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

type Undici = typeof UndiciModule;

let undici: Undici | undefined;
let loading: Promise<Undici> | undefined;

/**
 * Loads undici once. It is loaded when the first HTTP_PROXY integration is compiled, not with the
 * gateway: importing it takes ≈ 170 ms, which a gateway that only runs functions never needs to pay.
 */
export function loadUndici(): Promise<Undici> {
  loading ??= import('undici').then((m) => (undici = m));
  return loading;
}

/** What the HTTP proxy dispatches through: one origin's keep-alive pool. */
export interface OriginDispatcher {
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void;
}

/**
 * One origin's pool, created on its first dispatch. A dispatch that comes before undici has loaded
 * (the first requests after start) waits for it; a failure to load is that request's error.
 */
class OriginPool implements OriginDispatcher {
  readonly #origin: string;
  readonly #options: PoolOptions;
  #pool: Pool | undefined;
  #closed = false;

  constructor(origin: string, options: PoolOptions) {
    this.#origin = origin;
    this.#options = options;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    const pool = this.#pool ?? this.#create();
    if (pool) {
      pool.dispatch(options, handler);
      return;
    }
    loadUndici().then(
      () => {
        const loaded = this.#pool ?? this.#create();
        if (loaded) loaded.dispatch(options, handler);
        else handler.onError?.(new Error('upstream pool closed'));
      },
      (err: unknown) => handler.onError?.(err instanceof Error ? err : new Error(String(err))),
    );
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    await this.#pool?.destroy().catch(() => undefined);
  }

  #create(): Pool | undefined {
    if (undici === undefined || this.#closed) return undefined;
    const o = this.#options;
    this.#pool = new undici.Pool(this.#origin, {
      ...(o.connections === undefined ? {} : { connections: o.connections }),
      pipelining: 1,
      keepAliveTimeout: o.keepAliveTimeoutMs ?? 4_000,
      keepAliveMaxTimeout: 600_000,
      // Timeouts are per request (the integration timeout), set on each dispatch.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return this.#pool;
  }
}

/**
 * Keep-alive connection pools, one per upstream origin, shared by every deployment so a config
 * reload or a new deployment keeps the warm connections.
 */
export class UpstreamPools {
  readonly #pools = new Map<string, OriginPool>();
  readonly #options: PoolOptions;

  constructor(options: PoolOptions = {}) {
    this.#options = options;
  }

  /** The pool for `scheme://host:port`. */
  get(origin: string): OriginDispatcher {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new OriginPool(origin, this.#options);
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * Closes every pool. Called after the data plane drained, so whatever is still in flight belongs
   * to a client that was cut off at the drain bound: it is aborted rather than waited for (a
   * graceful close would wait for an upstream that may never answer).
   */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}
