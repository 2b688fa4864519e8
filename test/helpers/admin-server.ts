import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminRouter, type AdminRoute } from '../../src/control-plane/admin-router.js';

/** A running admin server for tests. */
export interface TestAdminServer {
  server: Server;
  url: string;
  port: number;
  router: AdminRouter;
  close(): Promise<void>;
}

/** A minimal admin HTTP server: buffers the body (up to `bodyLimit`) and dispatches through AdminRouter. */
export async function startAdminServer(
  routes: AdminRoute[],
  bodyLimit = 8 * 1024 * 1024,
): Promise<TestAdminServer> {
  const router = new AdminRouter();
  router.add(...routes);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= bodyLimit) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://admin');
      if (size > bodyLimit) {
        res
          .writeHead(413, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Request Entity Too Large' }));
        return;
      }
      const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split(/\?(.*)/s, 2);
      const match = router.match(req.method ?? 'GET', rawPath);
      if (!('route' in match)) {
        const status = match.methodMismatch ? 405 : 404;
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Not Found' }));
        return;
      }
      match.route
        .handler({
          method: req.method ?? 'GET',
          path: rawPath,
          query: url.searchParams,
          rawQuery,
          headers: req.headers,
          body: Buffer.concat(chunks),
          params: match.params,
        })
        .then(
          (r) => {
            res.writeHead(r.status, r.headers ?? {});
            res.end(r.body);
          },
          (err: unknown) => {
            res
              .writeHead(500, { 'content-type': 'application/json' })
              .end(JSON.stringify({ message: String(err) }));
          },
        );
    });
  });
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
