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
  type ResponseShape,
} from '../helpers/lambda-fidelity.js';

// A Fastify 5 app behind @fastify/aws-lambda 6, behind HTTP API AWS_PROXY integrations with payload
// format 2.0 and 1.0. The adapter calls `app.inject()` with `path` or `rawPath` and strips a named
// stage only when `requestContext.resourcePath` exists, i.e. in 1.0 events: 2.0 events have no
// resourcePath (on AWS either), so with payload 2.0 Fastify routes on `/dev/...`.
// light-my-request adds `date` and `connection: keep-alive` to every reply (and `transfer-encoding`
// to streamed ones); the gateway must not forward the framing headers.
let gw: TestGateway;
const api = (f: string, v: PayloadFormat): string => `${f}-v${v === '2.0' ? 2 : 1}`;

beforeAll(async () => {
  gw = await startFidelityGateway(
    [
      { name: 'fastify', handler: 'fastify-app.handler' },
      { name: 'fastify-retain', handler: 'fastify-app.retainStage' },
    ],
    ['fastify', 'fastify-retain'].flatMap((f) =>
      PAYLOAD_FORMATS.map((v) => ({ apiId: api(f, v), functionName: f, payloadFormatVersion: v })),
    ),
  );
});

afterAll(async () => {
  await gw?.close();
});

const JSON_UTF8 = 'application/json; charset=utf-8';

function json(status: number, body: string, etc: Record<string, string | string[]> = {}): ResponseShape {
  return {
    status,
    headers: { 'content-type': JSON_UTF8, ...etc, ...gatewayHeaders(Buffer.byteLength(body)) },
    body,
  };
}

const notFound = (path: string): ResponseShape =>
  json(404, `{"message":"Route GET:${path} not found","error":"Not Found","statusCode":404}`);

describe.each(PAYLOAD_FORMATS)('@fastify/aws-lambda + Fastify, payload format %s', (v) => {
  const apiId = api('fastify', v);

  it.each(['path', 'host'] as const)(
    'GET /items/:id echoes the param, repeated query values and a header (%s-style)',
    async (style) => {
      const res = await callApi(gw, {
        apiId,
        style,
        path: '/items/42?tag=a&tag=b',
        headers: { 'x-test': 'hello' },
      });
      expect(shape(res)).toEqual(json(200, '{"id":"42","tags":["a","b"],"header":"hello"}'));
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
    expect(shape(res)).toEqual(json(201, '{"created":{"id":"7","name":"x"}}', { location: '/items/7' }));
  });

  it('two cookies leave as two Set-Cookie lines; request cookies come back as one Cookie header', async () => {
    const res = await callApi(gw, { apiId, path: '/cookies', headers: { cookie: 'c=3; d=4' } });
    expect(res.all('set-cookie')).toEqual(['a=1; Path=/', 'b=2; Path=/; HttpOnly']);
    // 2.0: the adapter joins the event's `cookies` with ';' (no space); 1.0: the header as sent.
    const cookie = v === '2.0' ? 'c=3;d=4' : 'c=3; d=4';
    expect(shape(res)).toEqual(
      json(200, `{"cookie":"${cookie}"}`, { 'set-cookie': ['a=1; Path=/', 'b=2; Path=/; HttpOnly'] }),
    );
  });

  it('a PNG arrives byte for byte (`binaryMimeTypes: ["image/png"]` -> isBase64Encoded)', async () => {
    const res = await callApi(gw, { apiId, path: '/image.png' });
    expect(res.status).toBe(200);
    expect(res.body.equals(PNG)).toBe(true);
    expect(shape(res).headers).toEqual({ 'content-type': 'image/png', ...gatewayHeaders(PNG.length) });
  });

  it('the adapter strips a named stage from 1.0 events only (it needs requestContext.resourcePath)', async () => {
    for (const style of ['path', 'host'] as const) {
      const headers = {
        host: style === 'host' ? `${apiId}.execute-api.localhost` : `127.0.0.1:${gw.port}`,
        'x-forwarded-proto': 'http',
        'x-forwarded-port': String(gw.port),
      };
      for (const stage of [undefined, 'dev']) {
        const res = await callApi(gw, { apiId, style, stage, path: '/echo?q=1' });
        expect(res.status).toBe(200);
        const requestId = res.all('apigw-requestid')[0] ?? '';
        expect(requestId).toMatch(REQUEST_ID);
        const url = stage === 'dev' && v === '2.0' ? '/dev/echo?q=1' : '/echo?q=1';
        expect(res.json()).toEqual({
          method: 'GET',
          url,
          query: { q: '1' },
          // The adapter copies requestContext.requestId (= apigw-requestid) into x-request-id.
          headers: { ...headers, 'x-request-id': requestId },
          ip: '127.0.0.1',
          body: null,
        });
      }
    }
  });

  it("so /dev/items/1 is routed as /items/1 with 1.0 but is Fastify's 404 with 2.0", async () => {
    const res = await callApi(gw, { apiId, stage: 'dev', path: '/items/1' });
    if (v === '1.0') expect(shape(res)).toEqual(json(200, '{"id":"1","tags":[],"header":null}'));
    else expect(shape(res)).toEqual(notFound('/dev/items/1'));
  });

  it('`retainStage: true` keeps /dev for both formats', async () => {
    const res = await callApi(gw, { apiId: api('fastify-retain', v), stage: 'dev', path: '/items/1' });
    expect(shape(res)).toEqual(notFound('/dev/items/1'));
  });

  it('an unknown path is answered by Fastify (404), not by the gateway', async () => {
    expect(shape(await callApi(gw, { apiId, path: '/nope' }))).toEqual(notFound('/nope'));
    // `/` matches no `ANY /{proxy+}`: the `$default` route takes it to the same function.
    expect(shape(await callApi(gw, { apiId, path: '/' }))).toEqual(notFound('/'));
  });

  it("an error Fastify catches is Fastify's 500", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/boom' }))).toEqual(
      json(500, '{"statusCode":500,"error":"Internal Server Error","message":"boom"}'),
    );
  });

  it("an error that escapes the handler is the gateway's 500", async () => {
    expect(shape(await callApi(gw, { apiId, path: '/crash' }))).toEqual(FUNCTION_FAILED);
  });
});
