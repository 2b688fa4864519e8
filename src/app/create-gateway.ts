import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { resolve } from 'node:path';
import { CONFIG_DEFAULTS, watchConfigFile, type ConfigWatcher } from '../config/index.js';
import { AdminRouter } from '../control-plane/admin-router.js';
import { createAdminServer } from '../control-plane/admin-server.js';
import type { ControlPlaneContext } from '../control-plane/context.js';
import { createFunctionLogRoutes } from '../control-plane/lambda/function-logs.js';
import { createInvokeRoutes } from '../control-plane/lambda/invoke.js';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../functions/index.js';
import { compileGateway, type CompileDeps } from '../gateway/compile.js';
import type { CompiledGateway } from '../gateway/compiled.js';
import { createDataPlane, type DataPlane } from '../gateway/server.js';
import { createIntegrationFactories, UpstreamPools } from '../integrations/index.js';
import type { GatewayModel } from '../model/types.js';
import { createBatchingSink } from '../observability/access-log.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { createStore, type Store } from '../storage/index.js';
import {
  EMPTY_MODEL,
  loadConfigSnapshot,
  loadStoredModel,
  mergeModels,
  type ConfigSnapshot,
} from './model-source.js';
import { resolveOptions, type GatewayOptions, type ResolvedOptions } from './options.js';
import { registerControlPlane } from './control-plane.js';
import { VERSION } from './version.js';
import { createAdminAuthenticator, isLoopback } from './admin-auth.js';
import { createCodeWatcher, type CodeWatcher } from './code-watch.js';

/** Thrown by start() when the admin port would be open to the network without authentication. */
export class UnsafeAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeAdminError';
  }
}

/** A running (or startable) Portico instance. */
export interface Gateway {
  /** Binds both ports and serves; resolves once ready. */
  start(): Promise<GatewayAddresses>;
  /** Stops accepting, drains in-flight requests (bounded), closes everything. */
  stop(): Promise<void>;
  /** Re-reads the config file now; throws (and keeps serving the last good config) when it is bad. */
  reload(): Promise<void>;
  /** The model currently served. */
  model(): GatewayModel;
  /** The admin router, where control-plane areas register operations. */
  readonly admin: AdminRouter;
}

/** Where a started gateway listens. */
export interface GatewayAddresses {
  dataUrl: string;
  adminUrl: string;
  dataPort: number;
  adminPort: number;
}

/** Creates a gateway: the composition root that wires config, store, functions, data and control plane. */
export function createGateway(input: GatewayOptions = {}): Gateway {
  const options: ResolvedOptions = resolveOptions(input);
  const dataDir = resolve(options.dataDir);
  const logger: Logger = options.logger ?? createLogger();
  const pools = new UpstreamPools();
  const admin = new AdminRouter();
  let config: ConfigSnapshot = {
    model: EMPTY_MODEL,
    region: options.region ?? CONFIG_DEFAULTS.region,
    accountId: options.accountId ?? CONFIG_DEFAULTS.accountId,
  };
  let model: GatewayModel = EMPTY_MODEL;
  let table: CompiledGateway = { apis: new Map(), domains: new Map() };
  let store: Store | undefined;
  let runtime: PorticoFunctionRuntime | undefined;
  let dataPlane: DataPlane | undefined;
  let adminServer: Server | undefined;
  let watcher: ConfigWatcher | undefined;
  let codeWatcher: CodeWatcher | undefined;
  const codeGenerations = new Map<string, number>();
  let ready = false;
  let flushAccessLog: (() => void) | undefined;
  const startedAt = Date.now();

  const compileDeps = (fns: PorticoFunctionRuntime, snapshot: ConfigSnapshot): CompileDeps => ({
    region: snapshot.region,
    accountId: snapshot.accountId,
    integrations: createIntegrationFactories({ pools, invoker: fns }),
  });

  /**
   * Rebuilds what is served from the config file's model and the store, compiles it, and swaps one
   * reference: in-flight requests finish on the table they started with. Throws (changing nothing)
   * when the merged model cannot be served.
   */
  const activate = async (nextConfig: ConfigSnapshot): Promise<void> => {
    const fns = runtime as PorticoFunctionRuntime;
    const stored = store ? await loadStoredModel(store) : EMPTY_MODEL;
    const next = mergeModels(nextConfig.model, stored);
    const compiled = compileGateway(next, compileDeps(fns, nextConfig));
    config = nextConfig;
    // An edit of a config-file function's code is a new revision: its warm environments retire
    // after their current invocation and the next invocation loads the new code.
    const functions = next.functions.map((fn) => {
      const generation = codeGenerations.get(fn.functionName);
      return generation === undefined || fn.source !== 'config'
        ? fn
        : { ...fn, revisionId: `code-edit-${generation}` };
    });
    fns.setFunctions(functions);
    codeWatcher?.update(next.functions);
    model = next;
    table = compiled;
  };

  const loadConfig = async (): Promise<ConfigSnapshot> =>
    options.configFile
      ? loadConfigSnapshot(options.configFile, dataDir, {
          region: options.region,
          accountId: options.accountId,
        })
      : config;

  admin.add({
    method: 'GET',
    path: '/health',
    operation: 'Health',
    async handler() {
      return {
        status: ready ? 200 : 503,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          status: ready ? 'ok' : 'starting',
          version: VERSION,
          uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
          apis: model.apis.length,
          functions: model.functions.length,
        }),
      };
    },
  });

  const listen = (server: NetServer, port: number, host: string): Promise<number> =>
    new Promise((resolvePort, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolvePort((server.address() as AddressInfo).port);
      });
    });

  return {
    admin,
    model: () => model,
    async reload() {
      await activate(await loadConfig());
      logger.info('config applied', { file: options.configFile, apis: model.apis.length });
    },
    async start() {
      const openAdmin = Object.keys(options.adminCredentials ?? {}).length === 0;
      if (openAdmin && !isLoopback(options.adminHost) && !options.allowUnauthenticatedAdmin) {
        throw new UnsafeAdminError(
          `refusing to serve an unauthenticated admin port on ${options.adminHost}: configure admin credentials ` +
            '(PORTICO_ADMIN_CREDENTIALS=KEY:SECRET) or pass --allow-unauthenticated-admin',
        );
      }
      await mkdir(dataDir, { recursive: true });
      const firstConfig = await loadConfig();
      config = firstConfig;
      store = createStore(options.store === 'memory' ? { kind: 'memory' } : { kind: 'sqlite', dataDir });
      runtime = createFunctionRuntime({
        dataDir,
        region: firstConfig.region,
        accountId: firstConfig.accountId,
        ...(options.functions?.idleTimeoutMs === undefined
          ? {}
          : { idleTimeoutMs: options.functions.idleTimeoutMs }),
        ...(options.functions?.accountConcurrency === undefined
          ? {}
          : { accountConcurrency: options.functions.accountConcurrency }),
        ...(options.functions?.eventRetryDelaysMs === undefined
          ? {}
          : { eventRetryDelaysMs: options.functions.eventRetryDelaysMs }),
        ...(options.functions?.maxEnvironmentsPerFunction === undefined
          ? {}
          : { maxEnvironmentsPerFunction: options.functions.maxEnvironmentsPerFunction }),
        ...(options.functions?.maxWaitingEnvironmentsPerFunction === undefined
          ? {}
          : { maxWaitingEnvironmentsPerFunction: options.functions.maxWaitingEnvironmentsPerFunction }),
        ...(options.functions?.spareProcesses === false ? { spareProcesses: false } : {}),
        logger: (entry) => logger[entry.level](entry.message, { functionName: entry.functionName }),
      });
      if (options.watchConfig) {
        codeWatcher = createCodeWatcher(dataDir, (functionName) => {
          codeGenerations.set(functionName, (codeGenerations.get(functionName) ?? 0) + 1);
          activate(config).then(
            () => logger.info('function code changed; new invocations load it', { functionName }),
            (err: unknown) => logger.error('function code reload failed', { functionName, err }),
          );
        });
      }
      await activate(firstConfig);
      const fns = runtime;
      const ctx: ControlPlaneContext = {
        store,
        get region() {
          return config.region;
        },
        get accountId() {
          return config.accountId;
        },
        configModel: () => config.model,
        changed: () => activate(config),
        functions: fns,
        dataDir,
        now: () => new Date(),
      };
      admin.add(
        ...createInvokeRoutes(fns, { onError: (err) => logger.error('invoke failed', { err }) }),
        ...createFunctionLogRoutes(fns),
      );
      await registerControlPlane(admin, ctx);

      const tls = options.tls
        ? { cert: await readFile(options.tls.certFile), key: await readFile(options.tls.keyFile) }
        : undefined;
      const batching = options.accessLogSink ? undefined : createBatchingSink(process.stdout);
      flushAccessLog = batching?.flush;
      const sink = options.accessLogSink ?? (batching as NonNullable<typeof batching>);
      dataPlane = createDataPlane({
        table: () => table,
        ...(tls ? { tls } : {}),
        ...(options.accessLog === false ? {} : { accessLog: { sink, format: options.accessLog ?? 'json' } }),
        ...(options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize }),
        ...(options.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: options.headersTimeoutMs }),
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
        ...(options.keepAliveTimeoutMs === undefined
          ? {}
          : { keepAliveTimeoutMs: options.keepAliveTimeoutMs }),
        onInternalError(err, reqCtx) {
          logger.error('request failed', { err, requestId: reqCtx.requestId });
        },
      });
      adminServer = createAdminServer({
        router: admin,
        logger,
        authenticate: createAdminAuthenticator(options.adminCredentials),
      });
      const dataPort = await listen(dataPlane.server, options.port, options.host);
      const adminPort = await listen(adminServer, options.adminPort, options.adminHost);
      if (options.configFile && options.watchConfig) {
        const file = options.configFile;
        watcher = watchConfigFile(file, () => {
          loadConfig()
            .then((next) => activate(next))
            .then(
              () => logger.info('config reloaded', { file, apis: model.apis.length }),
              (err: unknown) =>
                logger.error('config change rejected; still serving the last good config', {
                  file,
                  error: err instanceof Error ? err.message : String(err),
                }),
            );
        });
      }
      ready = true;
      const scheme = tls ? 'https' : 'http';
      return {
        dataPort,
        adminPort,
        dataUrl: `${scheme}://${hostForUrl(shownHost(options.host))}:${dataPort}`,
        adminUrl: `http://${hostForUrl(shownHost(options.adminHost))}:${adminPort}`,
      };
    },
    async stop() {
      ready = false;
      watcher?.close();
      codeWatcher?.close();
      if (dataPlane) await dataPlane.drain(options.drainTimeoutMs);
      flushAccessLog?.();
      if (adminServer) {
        const s = adminServer;
        await new Promise<void>((r) => {
          s.close(() => r());
          s.closeAllConnections();
        });
      }
      await pools.close();
      await runtime?.close();
      await store?.close();
    },
  };
}

function shownHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
