import { Pool } from 'undici';

/** Options for upstream connection pools. */
export interface PoolOptions {
  /** Max connections per upstream origin (undefined = unlimited). */
  connections?: number;
  keepAliveTimeoutMs?: number;
}

/**
 * Keep-alive connection pools, one per upstream origin, shared by every deployment so a config
 * reload or a new deployment keeps the warm connections.
 */
export class UpstreamPools {
  readonly #pools = new Map<string, Pool>();
  readonly #options: PoolOptions;

  constructor(options: PoolOptions = {}) {
    this.#options = options;
  }

  /** The pool for `scheme://host:port`. */
  get(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        ...(this.#options.connections === undefined ? {} : { connections: this.#options.connections }),
        pipelining: 1,
        keepAliveTimeout: this.#options.keepAliveTimeoutMs ?? 4_000,
        keepAliveMaxTimeout: 600_000,
        // Timeouts are per request (the integration timeout), set on each dispatch.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
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
    await Promise.all(pools.map((p) => p.destroy().catch(() => undefined)));
  }
}
