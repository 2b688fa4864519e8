import type { AccessLogFormat, LineSink } from '../observability/access-log.js';
import type { Logger } from '../observability/logger.js';

/** Everything an embedder or the CLI can set. Defaults in `resolveOptions`. */
export interface GatewayOptions {
  /** Path of the YAML/JSON config file. Optional: without one, Portico starts empty. */
  configFile?: string;
  /** Data-plane bind address (default 127.0.0.1). */
  host?: string;
  /** Data-plane port (default 8080; 0 = any free port). */
  port?: number;
  /** Admin bind address (default: same as host). */
  adminHost?: string;
  /** Admin port (default 8081; 0 = any free port). */
  adminPort?: number;
  /** Where state lives (default `.portico`). */
  dataDir?: string;
  region?: string;
  accountId?: string;
  /** Access log format (default json); `false` turns the access log off. */
  accessLog?: AccessLogFormat | false;
  /** Where access log lines go (default: stdout, batched). */
  accessLogSink?: LineSink;
  logger?: Logger;
  /** TLS on the data-plane port: PEM file paths. */
  tls?: { certFile: string; keyFile: string };
  /** Watch the config file and config-file functions' code, and apply edits (default true). */
  watchConfig?: boolean;
  /** How long a shutdown waits for in-flight requests (default 10 s). */
  drainTimeoutMs?: number;
  /**
   * Credentials the admin port accepts (access key id -> secret). With none, any well-formed AWS
   * signature (or none) is accepted, which is only allowed on a loopback admin address.
   */
  adminCredentials?: Record<string, string>;
  /** Allow an unauthenticated admin port on a non-loopback address (default false). */
  allowUnauthenticatedAdmin?: boolean;
  /** Where control-plane state is kept: a SQLite file in the data dir (default) or memory. */
  store?: 'sqlite' | 'memory';
  /** Function runtime tuning (idle reaping, account concurrency, async retry delays). */
  functions?: {
    idleTimeoutMs?: number;
    accountConcurrency?: number;
    eventRetryDelaysMs?: readonly number[];
    /**
     * Execution environments per function running at once (default max(2, CPUs), up to
     * `maxWaitingEnvironmentsPerFunction` for functions that mostly wait); more invocations queue.
     * Set, it is a fixed cap.
     */
    maxEnvironmentsPerFunction?: number;
    /** The cap for functions whose invocations mostly wait (default 32). */
    maxWaitingEnvironmentsPerFunction?: number;
    /** Keep a booted Node process ready for cold starts (default true; docs/functions.md). */
    spareProcesses?: boolean;
  };
  /** Data-plane limits. */
  maxHeaderSize?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
}

/** Options with defaults filled in. */
export type ResolvedOptions = Required<
  Pick<GatewayOptions, 'host' | 'port' | 'adminPort' | 'dataDir' | 'drainTimeoutMs' | 'watchConfig'>
> &
  GatewayOptions & { adminHost: string };

/** Fills defaults. */
export function resolveOptions(options: GatewayOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  return {
    ...options,
    host,
    port: options.port ?? 8080,
    adminHost: options.adminHost ?? host,
    adminPort: options.adminPort ?? 8081,
    dataDir: options.dataDir ?? '.portico',
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    watchConfig: options.watchConfig ?? true,
  };
}
