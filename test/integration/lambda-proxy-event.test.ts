import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEventV1, buildEventV2, type ProxyRequestInput } from '../../dist/functions/events/index.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { parseRawResponse, rawExchange } from '../helpers/http-client.js';

// The event a Node handler receives through an AWS_PROXY route, exactly: Node environments get the
// request as compact text and build the event themselves (proxy-input-codec.ts). It must be the
// same text, member for member, as the event's JSON (what custom runtimes and AWS send), and its
// maps must be plain objects, as JSON.parse makes them.
const HANDLER = `
exports.handler = async (event) => {
  const protos = {};
  for (const key of ['headers', 'multiValueHeaders', 'queryStringParameters',
    'multiValueQueryStringParameters', 'pathParameters', 'stageVariables', 'requestContext']) {
    const v = event[key];
    if (v !== null && typeof v === 'object') protos[key] = Object.getPrototypeOf(v) === Object.prototype;
  }
  const hasOwn = event.headers.hasOwnProperty('x-dup');
  return { statusCode: 200, body: JSON.stringify({ event, protos, hasOwn }) };
};
`;

const API = 'evt';
/** A custom runtime (Python) that answers with the event it got: it gets the event's JSON. */
const PYTHON = fileURLToPath(new URL('../fixtures/functions/custom-py/', import.meta.url));
const COMBOS = [
  ['2.0', 'process'],
  ['2.0', 'thread'],
  ['1.0', 'process'],
  ['1.0', 'thread'],
] as const;
const routeOf = (v: string, iso: string): string => `/${iso}-v${v === '2.0' ? 2 : 1}/items/{id}`;

let gw: TestGateway;
let codeDir: string;

beforeAll(async () => {
  codeDir = mkdtempSync(join(tmpdir(), 'portico-evt-'));
  writeFileSync(join(codeDir, 'index.js'), HANDLER);
  const integrations: Record<string, unknown> = {};
  const routes: Record<string, string> = {};
  const functions: Record<string, unknown> = {};
  for (const [v, iso] of COMBOS) {
    const name = `${iso}${v === '2.0' ? 2 : 1}`;
    functions[name] = { runtime: 'nodejs20.x', handler: 'index.handler', code: codeDir, isolation: iso };
    integrations[name] = { type: 'AWS_PROXY', function: name, payloadFormatVersion: v };
    routes[`POST ${routeOf(v, iso)}`] = name;
  }
  functions.py = { runtime: 'provided.al2023', handler: 'main', code: PYTHON };
  integrations.py = { type: 'AWS_PROXY', function: 'py', payloadFormatVersion: '2.0' };
  routes[`POST ${routeOf('2.0', 'python')}`] = 'py';
  gw = await startGateway(
    {
      functions,
      apis: {
        [API]: { integrations, routes, stages: { $default: { stageVariables: { color: 'blue' } } } },
      },
    },
    { accessLog: false },
  );
});

afterAll(async () => {
  await gw?.close();
  rmSync(codeDir, { recursive: true, force: true });
});

/** The request's header lines as sent (name, value pairs). */
const SENT_HEADERS = [
  'Host',
  '', // filled with the gateway's address
  'Content-Type',
  'application/json',
  'X-Dup',
  'a',
  'x-dup',
  'b',
  'Cookie',
  'k1=v1; k2=v2',
  '__proto__',
  'p',
  'User-Agent',
  'raw/1.0',
  'X-Latin',
  'caf\u00e9',
  'Connection',
  'close',
];

/** Sends the test request to `path` (raw bytes, exact header lines) and returns the request's description. */
async function sendRequest(
  v: '1.0' | '2.0',
  route: string,
  path: string,
): Promise<{ got: Record<string, unknown>; input: ProxyRequestInput }> {
  const host = `127.0.0.1:${gw.port}`;
  const headers = [...SENT_HEADERS];
  headers[1] = host;
  const body = Buffer.from('{"name":"Zo\u00eb","n":1}', 'utf8');
  const query = 'q=1&q=2&x=%41+b&flag';
  let head = `POST /_aws/execute-api/${API}${path}?${query} HTTP/1.1\r\n`;
  for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
  head += `Content-Length: ${body.length}\r\n\r\n`;
  const reply = await rawExchange(gw.port, [Buffer.from(head, 'latin1'), body]);
  const res = parseRawResponse(reply.text);
  expect(res.statusLine).toBe('HTTP/1.1 200 OK');
  const got = JSON.parse(Buffer.from(res.body, 'latin1').toString('utf8')) as Record<string, unknown>;
  const ctx = (got.event as { requestContext: Record<string, unknown> }).requestContext;
  // The request as the gateway describes it; the id and times are the gateway's own.
  const input: ProxyRequestInput = {
    apiFlavour: 'HTTP',
    method: 'POST',
    rawPath: path,
    path,
    rawQueryString: query,
    rawHeaders: [
      ...headers,
      'Content-Length',
      String(body.length),
      'X-Forwarded-For',
      '127.0.0.1',
      'X-Forwarded-Port',
      String(gw.port),
      'X-Forwarded-Proto',
      'http',
    ],
    body,
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    routeKey: `POST ${route}`,
    resourcePath: route,
    pathParameters: { id: 'a b' },
    stageVariables: { color: 'blue' },
    stage: '$default',
    requestId: ctx.requestId as string,
    requestTimeEpoch: (v === '2.0' ? ctx.timeEpoch : ctx.requestTimeEpoch) as number,
    // The Host header's name without its port.
    domainName: '127.0.0.1',
    domainPrefix: '127',
    apiId: API,
    accountId: ctx.accountId as string,
  };
  if (v === '1.0') input.extendedRequestId = ctx.extendedRequestId as string;
  return { got, input };
}

describe('proxy events built in the environment', () => {
  it.each(COMBOS)('payload %s, %s environments: the same event as its JSON', async (v, iso) => {
    const { got, input } = await sendRequest(
      v,
      routeOf(v, iso),
      `/${iso}-v${v === '2.0' ? 2 : 1}/items/a%20b`,
    );
    const expected = JSON.stringify(v === '2.0' ? buildEventV2(input) : buildEventV1(input));
    expect(JSON.stringify(got.event)).toBe(expected);
    // Maps are plain objects, as JSON.parse makes them: handler code calls their methods.
    expect(got.hasOwn).toBe(true);
    const protos = got.protos as Record<string, boolean>;
    expect(Object.values(protos).every(Boolean)).toBe(true);
    expect(Object.keys(protos)).toEqual(
      v === '2.0'
        ? ['headers', 'queryStringParameters', 'pathParameters', 'stageVariables', 'requestContext']
        : [
            'headers',
            'multiValueHeaders',
            'queryStringParameters',
            'multiValueQueryStringParameters',
            'pathParameters',
            'stageVariables',
            'requestContext',
          ],
    );
  });

  it('a custom runtime gets the same event as JSON', async () => {
    // The Python runtime answers {runtime, count, event, ...} without a statusCode: payload 2.0
    // makes that the body of a 200.
    const { got, input } = await sendRequest('2.0', routeOf('2.0', 'python'), '/python-v2/items/a%20b');
    expect(got.runtime).toBe('python');
    expect(JSON.stringify(got.event)).toBe(JSON.stringify(buildEventV2(input)));
  });
});
