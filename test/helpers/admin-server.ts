import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminRouter, type AdminRoute } from '../../src/control-plane/admin-router.js';
import { createAdminServer } from '../../src/control-plane/admin-server.js';
import { createLogger } from '../../src/observability/logger.js';

/** A running admin server for tests. */
export interface TestAdminServer {
  server: Server;
  url: string;
  port: number;
  router: AdminRouter;
  close(): Promise<void>;
}

/** The real admin server (createAdminServer + AdminRouter) on port 0, with `routes` and no SigV4 check. */
export async function startAdminServer(
  routes: AdminRoute[],
  bodyLimit = 8 * 1024 * 1024,
): Promise<TestAdminServer> {
  const router = new AdminRouter();
  router.add(...routes);
  const server = createAdminServer({ router, logger: createLogger(), maxBodyBytes: bodyLimit });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    router,
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
