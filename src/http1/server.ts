import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Http1Connection, type ConnectionHost, type Http1Handlers, type Http1Limits } from './connection.js';

/** Options of an HTTP/1.1 server. */
export interface Http1ServerOptions<T> extends Http1Handlers<T>, Http1Limits {
  /** Terminate TLS with this certificate and key. */
  tls?: { cert: string | Buffer; key: string | Buffer } | undefined;
}

/**
 * Portico's HTTP/1.1 server: `node:net` (or `node:tls`) sockets with the request parsing, framing and
 * connection management of connection.ts, and no per-request streams or timers.
 */
export class Http1Server<T> implements ConnectionHost<T> {
  /** The listening socket (listen / address / close). */
  readonly server: Server;
  readonly limits: Http1Limits;
  /** Set by `stopAccepting`: responses then close their connections. */
  draining = false;
  readonly handlers: Http1Handlers<T>;
  readonly #connections = new Set<Http1Connection<T>>();
  #sweep: NodeJS.Timeout | undefined;

  constructor(options: Http1ServerOptions<T>) {
    this.limits = {
      maxHeaderSize: options.maxHeaderSize,
      headersTimeoutMs: options.headersTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
    };
    this.handlers = options;
    const accept = (socket: Socket): void => {
      this.#connections.add(new Http1Connection(socket, this, performance.now()));
    };
    // allowHalfOpen: the connection decides when to end its side (after the response in flight,
    // or at once for a client that ended its own side: see Http1Connection).
    this.server = options.tls
      ? createTlsServer({ cert: options.tls.cert, key: options.tls.key, allowHalfOpen: true }, accept)
      : createNetServer({ allowHalfOpen: true, noDelay: true }, accept);
    if (options.tls) this.server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
    const every = Math.max(
      25,
      Math.min(
        1_000,
        Math.floor(
          Math.min(options.headersTimeoutMs, options.requestTimeoutMs, options.keepAliveTimeoutMs) / 2,
        ),
      ),
    );
    this.server.on('listening', () => {
      this.#sweep ??= setInterval(() => this.#check(), every);
      this.#sweep.unref();
    });
    this.server.on('close', () => {
      if (this.#sweep) clearInterval(this.#sweep);
      this.#sweep = undefined;
    });
  }

  /**
   * Stops accepting connections and closes the idle ones; a connection with a request in flight
   * answers it with `Connection: close` and then closes.
   */
  stopAccepting(): void {
    this.draining = true;
    this.server.close();
    this.closeIdleConnections();
  }

  forget(conn: Http1Connection<T>): void {
    this.#connections.delete(conn);
  }

  /** Closes connections that have no request in progress. */
  closeIdleConnections(): void {
    for (const conn of this.#connections) if (conn.idle) conn.destroy();
  }

  /** Closes every connection. */
  closeAllConnections(): void {
    for (const conn of this.#connections) conn.destroy();
  }

  #check(): void {
    const now = performance.now();
    for (const conn of this.#connections) conn.check(now);
  }
}
