import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { rawExchange, send } from '../helpers/http-client.js';
import { refusedPort, startUpstream, type TestUpstream } from '../helpers/upstream.js';

/** `$context.requestTime`: `dd/MMM/yyyy:HH:mm:ss +0000`. */
const REQUEST_TIME =
  /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/;

describe('access log', () => {
  let up: TestUpstream;
  let dead = 0;

  beforeAll(async () => {
    up = await startUpstream((req, res) => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('12345');
        setImmediate(() => res.end('67890'));
        return;
      }
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end('created!');
    });
    dead = await refusedPort();
  });
  afterAll(async () => {
    await up?.close();
  });

  const config = (): object => ({
    apis: {
      shop: {
        integrations: {
          items: { type: 'HTTP_PROXY', uri: `http://${up.host}/items/{id}` },
          stream: { type: 'HTTP_PROXY', uri: `http://${up.host}/stream` },
          dead: { type: 'HTTP_PROXY', uri: `http://127.0.0.1:${dead}/` },
        },
        routes: { 'POST /items/{id}': 'items', 'GET /stream': 'stream', 'GET /dead': 'dead' },
        stages: { $default: {}, prod: {} },
      },
    },
  });

  describe('json (default)', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startGateway(config());
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('writes one JSON line per request with the AWS $context names', async () => {
      const ok = await send(`${gw.url}/prod/items/7?x=1`, {
        method: 'POST',
        headers: { host: 'shop.execute-api.example.test' },
        body: 'hello',
      });
      const notFound = await send(`${gw.url}/_aws/execute-api/shop/nothing`);
      const badGateway = await send(`${gw.url}/_aws/execute-api/shop/dead`);
      const streamed = await send(`${gw.url}/_aws/execute-api/shop/stream`, {
        headers: { connection: 'close' },
      });
      expect([ok.status, notFound.status, badGateway.status, streamed.status]).toEqual([201, 404, 502, 200]);
      await waitFor(() => gw.accessLog.length >= 4, 'four access log lines');
      expect(gw.accessLog.length).toBe(4);
      for (const line of gw.accessLog) expect(line.endsWith('\n')).toBe(true);
      const [a, b, c, d] = gw.accessLogJson();

      expect(Object.keys(a ?? {})).toEqual([
        'requestId',
        'ip',
        'requestTime',
        'httpMethod',
        'routeKey',
        'path',
        'status',
        'protocol',
        'responseLength',
        'integrationLatency',
        'responseLatency',
        'apiId',
        'stage',
      ]);
      expect(a).toMatchObject({
        requestId: ok.headers['apigw-requestid'],
        ip: '127.0.0.1',
        httpMethod: 'POST',
        routeKey: 'POST /items/{id}',
        path: '/prod/items/7',
        status: 201,
        protocol: 'HTTP/1.1',
        responseLength: 8,
        apiId: 'shop',
        stage: 'prod',
      });
      expect(a?.requestTime).toMatch(REQUEST_TIME);
      expect(typeof a?.integrationLatency).toBe('number');
      expect(typeof a?.responseLatency).toBe('number');
      expect(a?.integrationLatency as number).toBeLessThanOrEqual(a?.responseLatency as number);

      expect(b).toMatchObject({
        requestId: notFound.headers['apigw-requestid'],
        httpMethod: 'GET',
        routeKey: '-',
        status: 404,
        responseLength: 23,
        integrationLatency: '-',
        apiId: 'shop',
        stage: '$default',
        errorMessage: 'Not Found',
      });
      expect(c).toMatchObject({
        requestId: badGateway.headers['apigw-requestid'],
        routeKey: 'GET /dead',
        path: '/dead',
        status: 502,
        responseLength: 25,
        errorMessage: 'Bad Gateway',
      });
      expect(typeof c?.integrationLatency).toBe('number');
      expect(d).toMatchObject({
        requestId: streamed.headers['apigw-requestid'],
        routeKey: 'GET /stream',
        status: 200,
        responseLength: 10,
      });
      expect(new Set([a, b, c, d].map((x) => x?.requestId)).size).toBe(4);
    });

    it('logs requests that the HTTP parser refused, with the id of the 4xx answer', async () => {
      const before = gw.accessLog.length;
      const reply = await rawExchange(gw.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
      expect(reply.statusLine).toBe('HTTP/1.1 400 Bad Request');
      const id = /apigw-requestid: (\S+)/.exec(reply.text)?.[1];
      await waitFor(() => gw.accessLog.length > before, 'the access log line');
      const line = JSON.parse(gw.accessLog[before] as string) as Record<string, unknown>;
      expect(line).toStrictEqual({
        requestId: id,
        ip: '127.0.0.1',
        requestTime: line.requestTime,
        httpMethod: '-',
        routeKey: '-',
        path: '-',
        status: 400,
        protocol: '-',
        responseLength: 25,
        integrationLatency: '-',
        responseLatency: 0,
        apiId: '-',
        stage: '-',
        errorMessage: 'Bad Request',
      });
      expect(line.requestTime).toMatch(REQUEST_TIME);
    });
  });

  describe('clf', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startGateway(config(), { accessLog: 'clf' });
    });
    afterAll(async () => {
      await gw?.close();
    });

    it('writes the API Gateway CLF preset', async () => {
      const ok = await send(`${gw.url}/_aws/execute-api/shop/items/9`, { method: 'POST', body: 'x' });
      const missing = await send(`${gw.url}/_aws/execute-api/shop/nothing`);
      await waitFor(() => gw.accessLog.length >= 2, 'two access log lines');
      expect(gw.accessLog.length).toBe(2);
      const clf = /^127\.0\.0\.1 - - \[([^\]]+)\] "(.*)" (\d{3}) (\S+) (\S+)\n$/;
      const m1 = clf.exec(gw.accessLog[0] as string);
      const m2 = clf.exec(gw.accessLog[1] as string);
      expect(m1?.[1]).toMatch(REQUEST_TIME);
      expect(m1?.slice(2)).toEqual([
        'POST POST /items/{id} HTTP/1.1',
        '201',
        '8',
        ok.headers['apigw-requestid'],
      ]);
      expect(m2?.slice(2)).toEqual(['GET - HTTP/1.1', '404', '23', missing.headers['apigw-requestid']]);
    });
  });
});
