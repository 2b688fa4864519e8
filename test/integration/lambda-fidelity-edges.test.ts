import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import {
  PAYLOAD_FORMATS,
  callApi,
  gatewayHeaders,
  shape,
  startFidelityGateway,
  type PayloadFormat,
} from '../helpers/lambda-fidelity.js';

// Event and response edge cases, side by side for the three adapters and both payload formats: what
// each library makes of what the gateway sends (AWS's rules, reference §2.1-2.4), and whether what it
// returns reaches the client intact.
let gw: TestGateway;
const FRAMEWORKS = ['express', 'hono', 'fastify'] as const;
type Framework = (typeof FRAMEWORKS)[number];
const api = (f: Framework, v: PayloadFormat): string => `${f}-v${v === '2.0' ? 2 : 1}`;
const TARGETS: Array<[Framework, PayloadFormat]> = FRAMEWORKS.flatMap((f) =>
  PAYLOAD_FORMATS.map((v): [Framework, PayloadFormat] => [f, v]),
);

beforeAll(async () => {
  gw = await startFidelityGateway(
    [
      { name: 'express', handler: 'express-app.handler', environment: { NODE_ENV: 'production' } },
      { name: 'hono', handler: 'hono-app.handler' },
      { name: 'fastify', handler: 'fastify-app.handler' },
    ],
    TARGETS.map(([f, v]) => ({ apiId: api(f, v), functionName: f, payloadFormatVersion: v })),
  );
});

afterAll(async () => {
  await gw?.close();
});

/** Headers each framework adds to every response (beside content-type). */
const OWN: Record<Framework, Record<string, string>> = {
  express: { 'x-powered-by': 'Express' },
  hono: {},
  fastify: {},
};

/**
 * `x-test: a` + `x-test: b` and `?tag=x%2Cy&b=a+b&c=%26`, as each app reads them. AWS: 2.0 comma-joins
 * both repeated headers and repeated query keys (`"x-test": "a,b"`), 1.0 has last-value and
 * multi-value maps; query values arrive decoded (`+` = space).
 */
const SEEN: Record<Framework, Record<PayloadFormat, { xTest: unknown; query: unknown }>> = {
  express: {
    // serverless-http parses rawQueryString itself: exact.
    '2.0': { xTest: 'a,b', query: { tag: 'x,y', b: 'a b', c: '&' } },
    // serverless-http 1.0: `headers` (last value) overwrites its join of `multiValueHeaders`: `a` is lost.
    '1.0': { xTest: 'b', query: { tag: 'x,y', b: 'a b', c: '&' } },
  },
  hono: {
    '2.0': { xTest: 'a,b', query: { tag: ['x,y'], b: ['a b'], c: ['&'] } },
    '1.0': { xTest: 'a, b', query: { tag: ['x,y'], b: ['a b'], c: ['&'] } },
  },
  fastify: {
    // Fastify reads `queryStringParameters` (comma-joined in 2.0) and splits values on ',' by default
    // (`parseCommaSeparatedQueryParams`): an encoded comma inside one value becomes two values.
    '2.0': { xTest: 'a,b', query: { tag: ['x', 'y'], b: 'a b', c: '&' } },
    '1.0': { xTest: 'a, b', query: { tag: 'x,y', b: 'a b', c: '&' } },
  },
};

/** One response header sent by the app with two values (`x-multi: 1` and `x-multi: 2`), as the client gets it. */
const MULTI: Record<Framework, Record<PayloadFormat, string>> = {
  // serverless-http 1.0 returns the header in `headers` ("1, 2") AND `multiValueHeaders` (["1","2"]);
  // HTTP APIs merge both lists (multi first), so the values repeat.
  express: { '2.0': '1, 2', '1.0': '1, 2, 1, 2' },
  hono: { '2.0': '1, 2', '1.0': '1, 2' },
  fastify: { '2.0': '1,2', '1.0': '1,2' },
};

describe('request edge cases', () => {
  it.each(TARGETS)('%s %s: repeated request header and an encoded query', async (f, v) => {
    const res = await callApi(gw, {
      apiId: api(f, v),
      path: '/echo?tag=x%2Cy&b=a+b&c=%26',
      headers: { 'x-test': ['a', 'b'] },
    });
    expect(res.status).toBe(200);
    const echo = res.json() as { headers: Record<string, unknown>; query: unknown };
    expect({ xTest: echo.headers['x-test'], query: echo.query }).toEqual(SEEN[f][v]);
  });

  it.each(TARGETS)(
    '%s %s: a binary request body arrives base64-encoded and is decoded exactly',
    async (f, v) => {
      // HTTP APIs base64-encode every non-text body (§2.2); the adapters decode `isBase64Encoded` bodies.
      const res = await callApi(gw, {
        apiId: api(f, v),
        method: 'POST',
        path: '/upload',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from('89504e470d0a1a0aff00', 'hex'),
      });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ bytes: 10, hex: '89504e470d0a1a0aff00' });
    },
  );

  it.each(TARGETS)(
    '%s %s: a percent-encoded UTF-8 path parameter is decoded by the framework',
    async (f, v) => {
      const res = await callApi(gw, { apiId: api(f, v), path: '/items/caf%C3%A9' });
      expect(res.status).toBe(200);
      expect(res.text()).toBe('{"id":"café","tags":[],"header":null}');
      expect(res.all('content-length')).toEqual(['38']);
    },
  );
});

describe('response edge cases', () => {
  it.each(TARGETS)(
    '%s %s: a streamed (chunked) response is sent with one correct content-length',
    async (f, v) => {
      // light-my-request reports `transfer-encoding: chunked` for Fastify streams; forwarding it next to
      // the gateway's content-length made the response unparseable.
      const res = await callApi(gw, { apiId: api(f, v), path: '/stream' });
      const contentType =
        f === 'hono'
          ? 'text/plain; charset=utf-8'
          : f === 'express'
            ? 'text/plain; charset=utf-8'
            : 'text/plain';
      expect(shape(res)).toEqual({
        status: 200,
        headers: { ...OWN[f], 'content-type': contentType, ...gatewayHeaders(15) },
        body: 'chunk-1;chunk-2',
      });
    },
  );

  it.each(TARGETS)('%s %s: a response header with two values', async (f, v) => {
    const res = await callApi(gw, { apiId: api(f, v), path: '/multi' });
    expect(res.status).toBe(200);
    expect(res.all('x-multi')).toEqual([MULTI[f][v]]);
  });

  it.each(TARGETS)('%s %s: 204 without a body gets the default content-type of HTTP APIs', async (f, v) => {
    // The function sets no content-type; API Gateway defaults it to application/json (§2.3, §2.4).
    const res = await callApi(gw, { apiId: api(f, v), method: 'DELETE', path: '/items/1' });
    const { 'content-length': _length, ...rest } = gatewayHeaders(0);
    const got = shape(res);
    delete got.headers['content-length']; // see the next test
    expect(got).toEqual({
      status: 204,
      headers: { ...OWN[f], 'content-type': 'application/json', ...rest },
      body: '',
    });
  });

  // RFC 9110 §8.6 forbids Content-Length on 204 (respond() leaves it out for 1xx/204/304).
  it('a 204 carries no content-length (RFC 9110 §8.6)', async () => {
    const res = await callApi(gw, { apiId: api('hono', '2.0'), method: 'DELETE', path: '/items/1' });
    expect(res.status).toBe(204);
    expect(res.all('content-length')).toEqual([]);
  });
});
