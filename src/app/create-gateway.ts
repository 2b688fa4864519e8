import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { resolve } from 'node:path';
import {
  CONFIG_DEFAULTS,
  configToModel,
  loadConfigFile,
  watchConfigFile,
  type ConfigWatcher,
} from '../config/index.js';
import { AdminRouter } from '../control-plane/admin-router.js';
import { createAdminServer } from '../control-plane/admin-server.js';
import { compileGateway, type CompileDeps } from '../gateway/compile.js';
import type { CompiledGateway } from '../gateway/compiled.js';
import { createDataPlane, type DataPlane } from '../gateway/server.js';
import { createHttpProxyIntegration, UpstreamPools } from '../integrations/http-proxy/index.js';
import type { GatewayModel } from '../model/types.js';
import { createBatchingSink } from '../observability/access-log.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { resolveOptions, type GatewayOptions, type ResolvedOptions } from './options.js';
import { VERSION } from './version.js';

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

const EMPTY_MODEL: GatewayModel = { apis: [], domainNames: [], functions: [] };

/** Creates a gateway: the composition root that wires config, data plane and control plane. */
export function createGateway(input: GatewayOptions = {}): Gateway {
  const options: ResolvedOptions = resolveOptions(input);
  const logger: Logger = options.logger ?? createLogger();
  const pools = new UpstreamPools();
  const admin = new AdminRouter();
  let region = options.region ?? CONFIG_DEFAULTS.region;
  let accountId = options.accountId ?? CONFIG_DEFAULTS.accountId;
  let model: GatewayModel = EMPTY_MODEL;
  let table: CompiledGateway = { apis: new Map(), domains: new Map() };
  let dataPlane: DataPlane | undefined;
  let adminServer: Server | undefined;
  let watcher: ConfigWatcher | undefined;
  let ready = false;
  const startedAt = Date.now();

  const compileDeps = (): CompileDeps => ({
    region,
    accountId,
    integrations: {
      HTTP_PROXY: (site) =>
        createHttpProxyIntegration({
          def: site.def,
          stageVariables: site.stage.stageVariables,
          appendPath: site.routeKey === '$default',
          pools,
        }),
    },
  });

  /** Activates a model: compile first, then swap one reference (in-flight requests keep theirs). */
  const activate = (next: GatewayModel): void => {
    const compiled = compileGateway(next, compileDeps());
    model = next;
    table = compiled;
  };

  const loadFromFile = async (): Promise<void> => {
    if (!options.configFile) return;
    const loaded = await loadConfigFile(options.configFile);
    region = options.region ?? loaded.config.settings?.region ?? CONFIG_DEFAULTS.region;
    accountId = options.accountId ?? loaded.config.settings?.accountId ?? CONFIG_DEFAULTS.accountId;
    activate(configToModel(options.configFile, loaded.config, { region, accountId }));
  };

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

  const listen = (server: Server, port: number, host: string): Promise<number> =>
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
      await loadFromFile();
      logger.info('config applied', { file: options.configFile, apis: model.apis.length });
    },
    async start() {
      await mkdir(resolve(options.dataDir), { recursive: true });
      await loadFromFile();
      const tls = options.tls
        ? { cert: await readFile(options.tls.certFile), key: await readFile(options.tls.keyFile) }
        : undefined;
      const sink = options.accessLogSink ?? createBatchingSink(process.stdout);
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
        onInternalError(err, ctx) {
          logger.error('request failed', { err, requestId: ctx.requestId });
        },
      });
      adminServer = createAdminServer({ router: admin, logger });
      const dataPort = await listen(dataPlane.server, options.port, options.host);
      const adminPort = await listen(adminServer, options.adminPort, options.adminHost);
      if (options.configFile && options.watchConfig) {
        const file = options.configFile;
        watcher = watchConfigFile(file, () => {
          loadFromFile().then(
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
      const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
      const shownAdmin =
        options.adminHost === '0.0.0.0' || options.adminHost === '::' ? '127.0.0.1' : options.adminHost;
      return {
        dataPort,
        adminPort,
        dataUrl: `${scheme}://${hostForUrl(shownHost)}:${dataPort}`,
        adminUrl: `http://${hostForUrl(shownAdmin)}:${adminPort}`,
      };
    },
    async stop() {
      ready = false;
      watcher?.close();
      if (dataPlane) await dataPlane.drain(options.drainTimeoutMs);
      if (adminServer) {
        const s = adminServer;
        await new Promise<void>((r) => {
          s.close(() => r());
          s.closeAllConnections();
        });
      }
      await pools.close();
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
