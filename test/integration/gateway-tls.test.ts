import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawExchange, send, REQUEST_ID } from '../helpers/http-client.js';
import { TLS_CERT_FILE, TLS_KEY_FILE } from '../helpers/tls.js';
import { startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

describe('TLS termination on the data-plane port', () => {
  let up: TestUpstream;
  let gw: TestGateway;
  const ca = readFileSync(TLS_CERT_FILE);

  beforeAll(async () => {
    up = await startUpstream();
    gw = await startGateway(
      {
        apis: {
          shop: {
            integrations: { up: { type: 'HTTP_PROXY', uri: `http://${up.host}/{proxy}` } },
            routes: { 'ANY /{proxy+}': 'up' },
            stages: { $default: {} },
          },
        },
      },
      { tls: { certFile: TLS_CERT_FILE, keyFile: TLS_KEY_FILE } },
    );
  });
  afterAll(async () => {
    await gw?.close();
    await up?.close();
  });

  it('serves HTTPS with the configured certificate and forwards X-Forwarded-Proto: https', async () => {
    expect(gw.url).toBe(`https://127.0.0.1:${gw.port}`);
    const res = await send(`https://localhost:${gw.port}/_aws/execute-api/shop/pets?x=1`, {
      ca,
      method: 'POST',
      body: 'over tls',
    });
    expect(res.status).toBe(200);
    expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
    const echo = JSON.parse(res.body) as Echo;
    expect(echo).toMatchObject({ method: 'POST', url: '/pets?x=1', body: 'over tls' });
    expect(echo.headers['x-forwarded-proto']).toBe('https');
    expect(echo.headers['x-forwarded-port']).toBe(String(gw.port));
  });

  it('refuses clients that do not trust the certificate, and plain HTTP', async () => {
    await expect(send(`https://localhost:${gw.port}/_aws/execute-api/shop/x`)).rejects.toThrow(
      /self-signed certificate/,
    );
    const before = up.requests.length;
    const plain = await rawExchange(gw.port, 'GET /_aws/execute-api/shop/x HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(plain.text.startsWith('HTTP/1.1 200')).toBe(false);
    expect(plain.closed).toBe(true);
    expect(up.requests.length).toBe(before);
    // Still serving.
    expect((await send(`https://localhost:${gw.port}/_aws/execute-api/shop/y`, { ca })).status).toBe(200);
  });
});
