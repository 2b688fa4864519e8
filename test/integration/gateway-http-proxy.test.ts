import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawExchange, send, type TestResponse, REQUEST_ID } from '../helpers/http-client.js';
import { refusedPort, startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

/** Response headers without the ones Node's server adds on every response. */
function ownHeaders(res: TestResponse): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = (res.rawHeaders[i] as string).toLowerCase();
    if (name === 'date' || name === 'connection' || name === 'keep-alive') continue;
    out.push([name, name === 'apigw-requestid' ? '<id>' : (res.rawHeaders[i + 1] as string)]);
  }
  return out;
}

function expectGatewayError(res: TestResponse, status: number, message: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toBe(JSON.stringify({ message }));
  expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
  expect(ownHeaders(res)).toEqual([
    ['content-type', 'application/json'],
    ['apigw-requestid', '<id>'],
    ['content-length', String(Buffer.byteLength(JSON.stringify({ message })))],
  ]);
}

describe('HTTP_PROXY integration', () => {
  let up: TestUpstream;
  let slow: TestUpstream;
  let rawUp: NetServer;
  let rawUpPort = 0;
  const rawSockets = new Set<Socket>();
  let gw: TestGateway;
  const slowTimers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    up = await startUpstream();
    // Answers 201 with headers the response mapping reads and removes.
    slow = await startUpstream((_req, res) => {
      const t = setTimeout(() => res.end('late'), 1_500);
      slowTimers.add(t);
    });
    // A raw upstream so the test controls every response header byte, including hop-by-hop ones.
    rawUp = createNetServer((socket) => {
      rawSockets.add(socket);
      socket.on('close', () => rawSockets.delete(socket));
      socket.once('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\n' +
            'Content-Type: text/plain\r\n' +
            'Connection: close, X-Up-Secret\r\n' +
            'X-Up-Secret: s3cret\r\n' +
            'Keep-Alive: timeout=9\r\n' +
            'Proxy-Authenticate: Basic realm="x"\r\n' +
            'Proxy-Connection: keep-alive\r\n' +
            'Trailer: X-Checksum\r\n' +
            'Upgrade: h2c\r\n' +
            'X-Kept: yes\r\n' +
            'Content-Length: 2\r\n\r\nok',
        );
      });
    });
    await new Promise<void>((r) => rawUp.listen(0, '127.0.0.1', r));
    rawUpPort = (rawUp.address() as AddressInfo).port;
    const deadPort = await refusedPort();
    gw = await startGateway({
      apis: {
        shop: {
          integrations: {
            items: {
              type: 'HTTP_PROXY',
              uri: `http://\${stageVariables.up}/v/\${stageVariables.ver}/items/{id}`,
            },
            any: { type: 'HTTP_PROXY', uri: `http://${up.host}/base/{proxy}` },
            fixed: { type: 'HTTP_PROXY', uri: `http://${up.host}/fixed?static=1`, method: 'PUT' },
            mapped: {
              type: 'HTTP_PROXY',
              uri: `http://${up.host}/mapped/{id}`,
              requestParameters: {
                'append:header.x-app': '$request.header.x-in',
                'overwrite:header.x-over': 'id-${request.path.id}-${stageVariables.ver}',
                'remove:header.x-drop': "''",
                'append:querystring.added': '$context.stage',
                'overwrite:querystring.o': 'new',
                'remove:querystring.r': "''",
              },
            },
            rewrite: {
              type: 'HTTP_PROXY',
              uri: `http://${up.host}/ignored`,
              requestParameters: { 'overwrite:path': '/rewritten/${request.path.id}' },
            },
            respmap: {
              type: 'HTTP_PROXY',
              uri: `http://${up.host}/respmap`,
              responseParameters: {
                '200': {
                  'append:header.x-mapped': '$response.header.content-type',
                  'overwrite:header.content-type': 'text/x-mapped',
                  'overwrite:statuscode': '202',
                  'remove:header.x-nothing': "''",
                },
              },
            },
            raw: { type: 'HTTP_PROXY', uri: `http://127.0.0.1:${rawUpPort}/raw` },
            slow: { type: 'HTTP_PROXY', uri: `http://${slow.host}/slow`, timeoutInMillis: 200 },
            dead: { type: 'HTTP_PROXY', uri: `http://127.0.0.1:${deadPort}/dead` },
          },
          routes: {
            'GET /items/{id}': 'items',
            'ANY /any/{proxy+}': 'any',
            'ANY /fixed': 'fixed',
            'GET /mapped/{id}': 'mapped',
            'GET /rewrite/{id}': 'rewrite',
            'GET /respmap': 'respmap',
            'GET /raw': 'raw',
            'GET /slow': 'slow',
            'GET /dead': 'dead',
          },
          stages: {
            $default: { stageVariables: { up: up.host, ver: '1' } },
            beta: { stageVariables: { up: up.host, ver: '2' } },
          },
        },
      },
    });
  });

  afterAll(async () => {
    for (const t of slowTimers) clearTimeout(t);
    await gw?.close();
    await up?.close();
    await slow?.close();
    for (const s of rawSockets) s.destroy();
    await new Promise<void>((r) => (rawUp ? rawUp.close(() => r()) : r()));
  });

  const at = (path: string): string => `${gw.url}/_aws/execute-api/shop${path}`;
  const lastSeen = () => up.requests[up.requests.length - 1];

  it('forwards method, {param}/{proxy}/stage-variable paths, raw query string and body', async () => {
    let res = await send(at('/items/42?a=1&b=x%20y&a=2&flag'));
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as Echo).url).toBe('/v/1/items/42?a=1&b=x%20y&a=2&flag');
    res = await send(at('/beta/items/42'));
    expect((JSON.parse(res.body) as Echo).url).toBe('/v/2/items/42');

    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const body = method === 'GET' ? undefined : `{"m":"${method}"}`;
      res = await send(at('/any/a/b%20c/d?z=1'), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body }),
      });
      expect(res.status).toBe(200);
      const echo = JSON.parse(res.body) as Echo;
      expect(echo).toMatchObject({ method, url: '/base/a/b%20c/d?z=1', body: body ?? '' });
    }
    // HEAD: status and headers, no body.
    res = await send(at('/any/head'), { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(lastSeen()?.method).toBe('HEAD');

    // A fixed integration method replaces the client's; a query in the URI is kept and extended.
    res = await send(at('/fixed?x=1'), { method: 'POST', body: 'payload' });
    expect(JSON.parse(res.body)).toMatchObject({
      method: 'PUT',
      url: '/fixed?static=1&x=1',
      body: 'payload',
    });
  });

  it('forwards end-to-end headers as sent and answers with the upstream status, headers and body', async () => {
    const res = await send(at('/any/h'), {
      headers: { 'X-Custom': 'One', 'x-multi': ['a', 'b'], 'User-Agent': 'portico-test', cookie: 'c=1' },
    });
    const seen = lastSeen();
    expect(seen?.headers['x-custom']).toBe('One');
    expect(seen?.headers['x-multi']).toBe('a, b');
    expect(seen?.headers['user-agent']).toBe('portico-test');
    expect(seen?.headers.cookie).toBe('c=1');
    expect(seen?.headers.host).toBe(up.host);
    expect(res.status).toBe(200);
    expect(ownHeaders(res)).toEqual([
      ['content-type', 'application/json'],
      ['content-length', String(Buffer.byteLength(res.body))],
      ['apigw-requestid', '<id>'],
    ]);
    expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
  });

  it('drops hop-by-hop request headers, including those named in Connection (RFC 9110 §7.6.1)', async () => {
    const reply = await rawExchange(
      gw.port,
      'GET /_aws/execute-api/shop/any/hop HTTP/1.1\r\n' +
        'Host: 127.0.0.1\r\n' +
        'Connection: keep-alive, X-Secret, X-Other\r\n' +
        'Keep-Alive: timeout=5\r\n' +
        'X-Secret: 1\r\n' +
        'X-Other: 2\r\n' +
        'X-Kept: 3\r\n' +
        'TE: trailers\r\n' +
        'Trailer: X-Checksum\r\n' +
        'Proxy-Authorization: Basic eDp5\r\n' +
        'Proxy-Connection: keep-alive\r\n' +
        'Upgrade: h2c\r\n' +
        '\r\n',
      { waitMs: 300 },
    );
    expect(reply.statusLine).toBe('HTTP/1.1 200 OK');
    const names = Object.keys(lastSeen()?.headers ?? {}).sort();
    expect(names).toEqual(
      ['connection', 'host', 'x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto', 'x-kept'].sort(),
    );
    // undici's own connection management, not the client's.
    expect(lastSeen()?.headers.connection).toBe('keep-alive');
    expect(lastSeen()?.headers['x-kept']).toBe('3');
  });

  it('drops hop-by-hop response headers, including those named in Connection', async () => {
    const res = await send(at('/raw'));
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok');
    expect(ownHeaders(res)).toEqual([
      ['content-type', 'text/plain'],
      ['x-kept', 'yes'],
      ['content-length', '2'],
      ['apigw-requestid', '<id>'],
    ]);
  });

  it('sets X-Forwarded-For (appending to the client value), -Proto and -Port', async () => {
    await send(at('/any/xff'), {
      headers: { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-port': '1' },
    });
    let seen = lastSeen();
    expect(seen?.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen?.headers['x-forwarded-proto']).toBe('http');
    expect(seen?.headers['x-forwarded-port']).toBe(String(gw.port));
    await send(at('/any/xff'));
    seen = lastSeen();
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('applies request parameter mapping: append/overwrite/remove on header and querystring, overwrite:path', async () => {
    let res = await send(at('/beta/mapped/7?o=old&r=gone&keep=1&added=first'), {
      headers: { 'x-in': 'from-client', 'x-app': 'orig', 'x-over': 'client', 'x-drop': 'bye' },
    });
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.body) as Echo;
    expect(echo.url).toBe('/mapped/7?keep=1&added=first&added=beta&o=new');
    expect(echo.headers['x-app']).toBe('orig,from-client');
    expect(echo.headers['x-over']).toBe('id-7-2');
    expect(echo.headers['x-drop']).toBeUndefined();

    res = await send(at('/rewrite/9?q=1'));
    expect((JSON.parse(res.body) as Echo).url).toBe('/rewritten/9?q=1');
  });

  it('applies response parameter mapping, including overwrite:statuscode', async () => {
    const res = await send(at('/respmap'));
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('text/x-mapped');
    expect(res.headers['x-mapped']).toBe('application/json');
    expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
    expect((JSON.parse(res.body) as Echo).url).toBe('/respmap');
  });

  it('integration timeout answers 503 {"message":"Service Unavailable"}', async () => {
    const res = await send(at('/slow'));
    expectGatewayError(res, 503, 'Service Unavailable');
    expect(slow.requests.length).toBe(1);
  });

  it('an unreachable upstream (connection refused) answers 502 {"message":"Bad Gateway"}', async () => {
    expectGatewayError(await send(at('/dead')), 502, 'Bad Gateway');
  });

  it('puts apigw-requestid on 404 responses, unique per request', async () => {
    const a = await send(at('/nothing-here'));
    const b = await send(at('/nothing-here'));
    expectGatewayError(a, 404, 'Not Found');
    expect(a.headers['apigw-requestid']).not.toBe(b.headers['apigw-requestid']);
  });
});
