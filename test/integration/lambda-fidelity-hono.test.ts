import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import {
  FUNCTION_FAILED,
  PAYLOAD_FORMATS,
  PNG,
  callApi,
  gatewayHeaders,
  shape,
  startFidelityGateway,
  type ResponseShape,
} from '../helpers/lambda-fidelity.js';

// A Hono 4 app behind hono/aws-lambda `handle()`, behind HTTP API AWS_PROXY integrations with payload
// format 2.0 and 1.0. The adapter builds a Fetch Request from `https://{requestContext.domainName}` +
// `rawPath` + `rawQueryString` (2.0) or + `path` + a query re-encoded from
// `multiValueQueryStringParameters` (1.0). It has no stage stripping: with a named stage Hono routes
// on `/dev/...`, exactly the path AWS hands the function (reference §1.3).
let gw: TestGateway;
const API = { '2.0': 'hono-v2', '1.0': 'hono-v1' } as const;

beforeAll(async () => {
  gw = await startFidelityGateway(
    [{ name: 'hono', handler: 'hono-app.handler' }],
    PAYLOAD_FORMATS.map((v) => ({ apiId: API[v], functionName: 'hono', payloadFormatVersion: v })),
  );
});

afterAll(async () => {
  await gw?.close();
});

function text(status: number, body: string): ResponseShape {
  return {
    status,
    headers: { 'content-type': 'text/plain; charset=UTF-8', ...gatewayHeaders(body.length) },
    body,
  };
}

describe.each(PAYLOAD_FORMATS)('hono/aws-lambda + Hono, payload format %s', (v) => {
  const apiId = API[v];

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
        headers: { 'content-type': 'application/json', ...gatewayHeaders(body.length) },
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
      headers: { 'content-type': 'application/json', location: '/items/7', ...gatewayHeaders(body.length) },
      body,
    });
  });

  it('two cookies leave as two Set-Cookie lines; request cookies come back as one Cookie header', async () => {
    const res = await callApi(gw, { apiId, path: '/cookies', headers: { cookie: 'c=3; d=4' } });
    // 2.0: `cookies` -> `result.cookies`; 1.0: `multiValueHeaders['set-cookie']`.
    expect(res.all('set-cookie')).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    expect(shape(res)).toEqual({
      status: 200,
      headers: {
        'content-type': 'application/json',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'],
        ...gatewayHeaders(21),
      },
      body: '{"cookie":"c=3; d=4"}',
    });
  });

  it('a PNG arrives byte for byte (the default isContentTypeBinary treats image/png as binary)', async () => {
    const res = await callApi(gw, { apiId, path: '/image.png' });
    expect(res.status).toBe(200);
    expect(res.body.equals(PNG)).toBe(true);
    expect(shape(res).headers).toEqual({ 'content-type': 'image/png', ...gatewayHeaders(PNG.length) });
  });

  it('the framework sees the path without prefix on $default and WITH /dev on the named stage', async () => {
    for (const style of ['path', 'host'] as const) {
      const origin = style === 'host' ? `${apiId}.execute-api.localhost` : '127.0.0.1';
      const headers = {
        host: style === 'host' ? `${apiId}.execute-api.localhost` : `127.0.0.1:${gw.port}`,
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(gw.port),
      };
      const common = { method: 'GET', query: { q: ['1'] }, headers, body: null };
      const atDefault = await callApi(gw, { apiId, style, path: '/echo?q=1' });
      expect(atDefault.status).toBe(200);
      // The URL's origin is requestContext.domainName: the Host without its port.
      expect(atDefault.json()).toEqual({ ...common, url: `https://${origin}/echo?q=1`, path: '/echo' });
      const atDev = await callApi(gw, { apiId, style, stage: 'dev', path: '/echo?q=1' });
      expect(atDev.status).toBe(200);
      expect(atDev.json()).toEqual({ ...common, url: `https://${origin}/dev/echo?q=1`, path: '/dev/echo' });
    }
  });

  it('so on the named stage the app routes /dev/items/1 and answers its own 404', async () => {
    expect(shape(await callApi(gw, { apiId, stage: 'dev', path: '/items/1' }))).toEqual(
      text(404, '404 Not Found'),
    );
  });

  it('an unknown path is answered by Hono (404), not by the gateway', async () => {
    expect(shape(await callApi(gw, { apiId, path: '/nope' }))).toEqual(text(404, '404 Not Found'));
    // `/` matches no `ANY /{proxy+}`: the `$default` route takes it to the same function.
    expect(shape(await callApi(gw, { apiId, path: '/' }))).toEqual(text(404, '404 Not Found'));
  });

  it("an error Hono catches is Hono's 500", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/boom' }))).toEqual(text(500, 'Internal Server Error'));
  });

  it("an error that escapes the handler is the gateway's 500", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/crash' }))).toEqual(FUNCTION_FAILED);
  });
});
