import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import {
  FUNCTION_FAILED,
  PAYLOAD_FORMATS,
  PNG,
  REQUEST_ID,
  callApi,
  gatewayHeaders,
  shape,
  startFidelityGateway,
  type PayloadFormat,
} from '../helpers/lambda-fidelity.js';

// An Express 5 app wrapped by serverless-http 4, behind HTTP API AWS_PROXY integrations with payload
// format 2.0 and 1.0. serverless-http reads `rawPath` + `rawQueryString` (2.0) or `path` +
// `multiValueQueryStringParameters` (1.0); AWS keeps a named stage in both paths (reference §1.3),
// so Express sees `/dev/...` unless the `basePath` option strips it.
let gw: TestGateway;
const env = { NODE_ENV: 'production' }; // Express's error pages carry a stack trace otherwise.
const api = (f: string, v: PayloadFormat): string => `${f}-v${v === '2.0' ? 2 : 1}`;

beforeAll(async () => {
  gw = await startFidelityGateway(
    [
      { name: 'express', handler: 'express-app.handler', environment: env },
      { name: 'express-text', handler: 'express-app.textOnly', environment: env },
      { name: 'express-base', handler: 'express-app.devBasePath', environment: env },
    ],
    ['express', 'express-text', 'express-base'].flatMap((f) =>
      PAYLOAD_FORMATS.map((v) => ({ apiId: api(f, v), functionName: f, payloadFormatVersion: v })),
    ),
  );
});

afterAll(async () => {
  await gw?.close();
});

const EXPRESS = { 'x-powered-by': 'Express' };
const JSON_UTF8 = 'application/json; charset=utf-8';

/** Express's finalhandler page (`NODE_ENV=production`: no stack). */
function expressError(
  status: number,
  text: string,
  etc: Record<string, string> = {},
): ReturnType<typeof shape> {
  const body = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${text}</pre>\n</body>\n</html>\n`;
  return {
    status,
    headers: {
      ...EXPRESS,
      'content-security-policy': "default-src 'none'",
      'x-content-type-options': 'nosniff',
      'content-type': 'text/html; charset=utf-8',
      ...etc,
      ...gatewayHeaders(Buffer.byteLength(body)),
    },
    body,
  };
}

describe.each(PAYLOAD_FORMATS)('serverless-http + Express, payload format %s', (v) => {
  const apiId = api('express', v);

  it.each(['path', 'host'] as const)(
    'GET /items/:id echoes the param, repeated query values and a header (%s-style)',
    async (style) => {
      const res = await callApi(gw, {
        apiId,
        style,
        path: '/items/42?tag=a&tag=b',
        headers: { 'x-test': 'hello' },
      });
      const body = '{"id":"42","tags":["a","b"],"header":"hello"}';
      expect(shape(res)).toEqual({
        status: 200,
        headers: {
          ...EXPRESS,
          'content-type': JSON_UTF8,
          etag: 'W/"2d-4bumDen3vmurAINb4hdxtxiazqI"',
          ...gatewayHeaders(body.length),
        },
        body,
      });
    },
  );

  it('POST /items with a JSON body answers 201 with Location and the echoed body', async () => {
    const res = await callApi(gw, {
      apiId,
      method: 'POST',
      path: '/items',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"7","name":"x"}',
    });
    const body = '{"created":{"id":"7","name":"x"}}';
    expect(shape(res)).toEqual({
      status: 201,
      headers: {
        ...EXPRESS,
        location: '/items/7',
        'content-type': JSON_UTF8,
        etag: 'W/"21-V8sij4NguBnZqAigxK5Rvk11BSY"',
        ...gatewayHeaders(body.length),
      },
      body,
    });
  });

  it('two cookies leave as two Set-Cookie lines; request cookies come back as one Cookie header', async () => {
    const res = await callApi(gw, { apiId, path: '/cookies', headers: { cookie: 'c=3; d=4' } });
    // 2.0: the event's `cookies` array, re-joined by serverless-http with '; '; 1.0: the header as sent.
    expect(res.all('set-cookie')).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(shape(res)).toEqual({
      status: 200,
      headers: {
        ...EXPRESS,
        'content-type': JSON_UTF8,
        etag: 'W/"15-Xnj4HoLvrUpobZ50KDU2ksexx+k"',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'],
        ...gatewayHeaders(21),
      },
      body: '{"cookie":"c=3; d=4"}',
    });
  });

  it('a PNG arrives byte for byte (serverless-http `binary` option -> isBase64Encoded)', async () => {
    const res = await callApi(gw, { apiId, path: '/image.png' });
    expect(res.status).toBe(200);
    expect(res.body.equals(PNG)).toBe(true);
    expect(shape(res).headers).toEqual({
      ...EXPRESS,
      'content-type': 'image/png',
      etag: 'W/"46-x6nEX9QZgVpasZmFA6nwNRTA4ik"',
      ...gatewayHeaders(PNG.length),
    });
  });

  it('without `binary`, serverless-http sends the PNG as UTF-8 text: the client gets the mangled bytes, framed right', async () => {
    const res = await callApi(gw, { apiId: api('express-text', v), path: '/image.png' });
    // Invalid UTF-8 sequences became U+FFFD; Express's `content-length: 70` is stale and must not be sent.
    const mangled = Buffer.from(PNG.toString('utf8'), 'utf8');
    expect(mangled.length).toBe(90);
    expect(res.status).toBe(200);
    expect(res.body.equals(mangled)).toBe(true);
    expect(res.all('content-length')).toEqual(['90']);
  });

  it('the framework sees the path without prefix on $default and WITH /dev on the named stage', async () => {
    const seen = async (stage: string | undefined, style: 'path' | 'host'): Promise<unknown> => {
      const res = await callApi(gw, { apiId, stage, style, path: '/echo?q=1' });
      expect(res.status).toBe(200);
      const requestId = res.all('apigw-requestid')[0] ?? '';
      expect(requestId).toMatch(REQUEST_ID);
      const echo = res.json() as { headers: Record<string, unknown> };
      // serverless-http copies requestContext.requestId (= apigw-requestid) into x-request-id.
      expect(echo.headers['x-request-id']).toBe(requestId);
      delete echo.headers['x-request-id'];
      return echo;
    };
    const host = (s: 'path' | 'host'): string =>
      s === 'host' ? `${apiId}.execute-api.localhost` : `127.0.0.1:${gw.port}`;
    for (const style of ['path', 'host'] as const) {
      const common = {
        method: 'GET',
        query: { q: '1' },
        ip: '127.0.0.1',
        protocol: 'https',
        body: { type: 'Buffer', data: [] },
      };
      const headers = {
        host: host(style),
        'content-length': 0,
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(gw.port),
      };
      expect(await seen(undefined, style)).toEqual({ ...common, url: '/echo?q=1', path: '/echo', headers });
      expect(await seen('dev', style)).toEqual({
        ...common,
        url: '/dev/echo?q=1',
        path: '/dev/echo',
        headers,
      });
    }
  });

  it('so on the named stage the app routes /dev/items/1 and answers its own 404', async () => {
    const res = await callApi(gw, { apiId, stage: 'dev', path: '/items/1' });
    expect(shape(res)).toEqual(expressError(404, 'Cannot GET /dev/items/1'));
  });

  it('`basePath: "/dev"` strips the stage: /dev/items/1 reaches the route', async () => {
    const res = await callApi(gw, { apiId: api('express-base', v), stage: 'dev', path: '/items/1?tag=z' });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ id: '1', tags: ['z'], header: null });
  });

  it('an unknown path is answered by Express (404), not by the gateway', async () => {
    expect(shape(await callApi(gw, { apiId, path: '/nope' }))).toEqual(expressError(404, 'Cannot GET /nope'));
    // `/` matches no `ANY /{proxy+}`: the `$default` route takes it to the same function.
    expect(shape(await callApi(gw, { apiId, path: '/' }))).toEqual(expressError(404, 'Cannot GET /'));
  });

  it("an error Express catches is Express's 500 page", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/boom' }))).toEqual(
      expressError(500, 'Internal Server Error'),
    );
  });

  it("an error that escapes the handler is the gateway's 500", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/crash' }))).toEqual(FUNCTION_FAILED);
  });
});
