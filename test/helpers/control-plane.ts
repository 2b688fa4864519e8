import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { AdminRouter, type AdminRoute } from '../../src/control-plane/admin-router.js';
import { createAdminServer } from '../../src/control-plane/admin-server.js';
import type { ControlPlaneContext } from '../../src/control-plane/context.js';
import { compileGateway, type CompileDeps } from '../../src/gateway/compile.js';
import type { CompiledGateway } from '../../src/gateway/compiled.js';
import { createIntegrationFactories, UpstreamPools } from '../../src/integrations/index.js';
import { createFunctionRuntime } from '../../src/functions/index.js';
import type { GatewayModel } from '../../src/model/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { createStore, type Store } from '../../src/storage/index.js';

/** A control plane on a real admin port, with a memory store and a context that really compiles. */
export interface TestControlPlane {
  url: string;
  ctx: ControlPlaneContext;
  store: Store;
  router: AdminRouter;
  /** The table the last successful `changed()` activated. */
  active(): CompiledGateway | undefined;
  /** How many times `changed()` activated a model. */
  activations(): number;
  /** Makes the next `changed()` reject with `err` (as when the gateway cannot activate a model). */
  failNextChange(err: Error): void;
  /** An SDK client pointed at the admin port (static credentials; no SigV4 check here). */
  v2Client(): ApiGatewayV2Client;
  close(): Promise<void>;
}

/** Options of the test control plane. */
export interface TestControlPlaneOptions {
  /** Read-only resources as if loaded from the config file. */
  configModel?: GatewayModel;
  now?: () => Date;
}

/**
 * Starts the admin server (AdminRouter + createAdminServer) on port 0 with the routes `build` makes
 * from a context whose `changed()` merges the config model with everything stored and compiles it
 * with compileGateway, exactly what the gateway does before activating a model.
 */
export async function startControlPlane(
  build: (ctx: ControlPlaneContext) => AdminRoute[],
  options: TestControlPlaneOptions = {},
): Promise<TestControlPlane> {
  const store = createStore({ kind: 'memory' });
  const dataDir = await mkdtemp(join(tmpdir(), 'portico-cp-'));
  const pools = new UpstreamPools();
  const configModel: GatewayModel = options.configModel ?? { apis: [], domainNames: [], functions: [] };
  let active: CompiledGateway | undefined;
  let activations = 0;
  let failure: Error | undefined;
  const region = 'us-east-1';
  const accountId = '123456789012';
  const runtime = createFunctionRuntime({ dataDir, region, accountId });
  const deps: CompileDeps = {
    region,
    accountId,
    integrations: createIntegrationFactories({ pools, invoker: runtime }),
  };
  const ctx: ControlPlaneContext = {
    store,
    region,
    accountId,
    configModel: () => configModel,
    async changed() {
      if (failure) {
        const err = failure;
        failure = undefined;
        throw err;
      }
      const apis = await store.apis.list();
      const domains = await store.domainNames.list();
      const merged: GatewayModel = {
        apis: [...configModel.apis, ...apis.items],
        domainNames: [...configModel.domainNames, ...domains.items],
        functions: configModel.functions,
      };
      active = compileGateway(merged, deps);
      activations++;
    },
    functions: runtime,
    dataDir,
    now: options.now ?? (() => new Date()),
  };
  const router = new AdminRouter();
  router.add(...build(ctx));
  const server: Server = createAdminServer({ router, logger: createLogger() });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: ApiGatewayV2Client[] = [];
  return {
    url,
    ctx,
    store,
    router,
    active: () => active,
    activations: () => activations,
    failNextChange(err) {
      failure = err;
    },
    v2Client() {
      const client = new ApiGatewayV2Client({
        endpoint: url,
        region,
        credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pools.close();
      await store.close();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
