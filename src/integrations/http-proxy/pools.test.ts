import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamPools, type OriginDispatcher } from './pools.js';

/** Sends one GET through `pool` and collects what the handler sees. */
function get(pool: OriginDispatcher, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    const handler: Dispatcher.DispatchHandler = {
      onConnect: () => undefined,
      onHeaders: (code) => {
        status = code;
        return true;
      },
      onData: (chunk) => {
        chunks.push(chunk);
        return true;
      },
      onComplete: () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }),
      onError: reject,
    };
    pool.dispatch({ path, method: 'GET', headers: {} }, handler);
  });
}

describe('UpstreamPools', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    server = createServer((req, res) => res.end(`you asked for ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('dispatches requests made before undici has loaded once it has, in order, then directly', async () => {
    const pools = new UpstreamPools();
    const pool = pools.get(origin);
    // Same origin, same pool.
    expect(pools.get(origin)).toBe(pool);
    const early = await Promise.all([get(pool, '/a'), get(pool, '/b'), get(pool, '/c')]);
    expect(early).toEqual([
      { status: 200, body: 'you asked for /a' },
      { status: 200, body: 'you asked for /b' },
      { status: 200, body: 'you asked for /c' },
    ]);
    expect(await get(pool, '/d')).toEqual({ status: 200, body: 'you asked for /d' });
    await pools.close();
  });

  it('fails a dispatch after close instead of opening a new connection', async () => {
    const pools = new UpstreamPools();
    const pool = pools.get(origin);
    await pools.close();
    await expect(get(pool, '/late')).rejects.toThrow();
  });
});
