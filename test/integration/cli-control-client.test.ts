import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifySigV4 } from '../../src/control-plane/sigv4/index.js';
import { main } from '../../src/cli/main.js';

// Client-side behaviour of the control-plane commands (paging, errors, signing, request shapes)
// against a node:http server that answers with RECORDED FIXTURES of the AWS wire format (reference
// §5.2, §6.2) — not Portico's control plane, which cli-control-e2e.test.ts drives for real.

interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Fixture {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

let server: Server;
let endpoint: string;
let requests: Recorded[] = [];
let fixtures = new Map<string, Fixture>();
let dir: string;

function on(method: string, url: string, fixture: Fixture): void {
  fixtures.set(`${method} ${url}`, fixture);
}

async function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { PORTICO_ENDPOINT: endpoint, ...env },
  });
  return { code, out, err };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portico-cli-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const fixture = fixtures.get(`${req.method} ${req.url}`) ?? {
        status: 404,
        headers: { 'x-amzn-errortype': 'NotFoundException' },
        body: { message: `no fixture for ${req.method} ${req.url}` },
      };
      const text =
        typeof fixture.body === 'string'
          ? fixture.body
          : fixture.body === undefined
            ? ''
            : JSON.stringify(fixture.body);
      res.writeHead(fixture.status, { 'content-type': 'application/json', ...fixture.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  fixtures = new Map();
});

const API_A = {
  apiId: 'a1b2c3d4e5',
  name: 'pets',
  protocolType: 'HTTP',
  apiEndpoint: 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com',
};
const API_B = {
  apiId: 'f6g7h8i9j0',
  name: 'orders',
  protocolType: 'HTTP',
  apiEndpoint: 'https://f6g7h8i9j0.execute-api.us-east-1.amazonaws.com',
};

describe('portico apis', () => {
  it('follows nextToken and prints a table with the stages', async () => {
    on('GET', '/v2/apis', { status: 200, body: { items: [API_A], nextToken: 'page2' } });
    on('GET', '/v2/apis?nextToken=page2', { status: 200, body: { items: [API_B] } });
    on('GET', '/v2/apis/a1b2c3d4e5/stages', {
      status: 200,
      body: { items: [{ stageName: '$default' }, { stageName: 'prod' }] },
    });
    on('GET', '/v2/apis/f6g7h8i9j0/stages', { status: 200, body: { items: [] } });
    const r = await run(['apis']);
    expect(r).toEqual({
      code: 0,
      err: '',
      out:
        'API ID      NAME    PROTOCOL  STAGES         ENDPOINT                                                SOURCE\n' +
        'a1b2c3d4e5  pets    HTTP      $default,prod  https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com  control plane\n' +
        'f6g7h8i9j0  orders  HTTP      -              https://f6g7h8i9j0.execute-api.us-east-1.amazonaws.com  control plane\n',
    });
    expect(requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'GET /v2/apis',
      'GET /v2/apis?nextToken=page2',
      'GET /v2/apis/a1b2c3d4e5/stages',
      'GET /v2/apis/f6g7h8i9j0/stages',
    ]);
  });

  it('--json prints the items with their stages', async () => {
    on('GET', '/v2/apis', { status: 200, body: { items: [API_A] } });
    on('GET', '/v2/apis/a1b2c3d4e5/stages', { status: 200, body: { items: [{ stageName: 'prod' }] } });
    const r = await run(['apis', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([{ ...API_A, stages: [{ stageName: 'prod' }] }]);
  });

  it('prints the AWS error and exits 1', async () => {
    on('GET', '/v2/apis', {
      status: 403,
      headers: { 'x-amzn-errortype': 'UnrecognizedClientException:http://internal.amazon.com/coral/' },
      body: { message: 'The security token included in the request is invalid.' },
    });
    expect(await run(['apis'])).toEqual({
      code: 1,
      out: '',
      err: 'portico apis: UnrecognizedClientException: The security token included in the request is invalid.\n',
    });
  });

  it('says when Portico is not reachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await run(['apis', '--endpoint', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `portico apis: cannot reach Portico at http://127.0.0.1:${port} (ECONNREFUSED); is it running?\n`,
    );
  });

  it('signs with SigV4 when AWS credentials are in the environment', async () => {
    on('GET', '/v2/apis', { status: 200, body: { items: [] } });
    const r = await run(['apis', '--region', 'eu-central-1'], {
      AWS_ACCESS_KEY_ID: 'AKIDCLI',
      AWS_SECRET_ACCESS_KEY: 'cli-secret',
    });
    expect(r).toEqual({ code: 0, out: 'No APIs.\n', err: '' });
    const q = requests[0] as Recorded;
    expect(q.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDCLI\/\d{8}\/eu-central-1\/apigateway\/aws4_request, /,
    );
    const verdict = verifySigV4(
      {
        method: q.method,
        path: q.url.split('?')[0] as string,
        query: q.url.split('?')[1] ?? '',
        headers: q.headers,
        body: Buffer.from(q.body),
      },
      { credentials: new Map([['AKIDCLI', 'cli-secret']]) },
    );
    expect(verdict).toMatchObject({
      ok: true,
      verified: true,
      service: 'apigateway',
      region: 'eu-central-1',
    });
    const unsigned = await run(['apis']);
    expect(unsigned.code).toBe(0);
    expect(requests[1]?.headers.authorization).toBeUndefined();
  });

  it('rejects unknown flags as a usage error (exit 2)', async () => {
    const r = await run(['apis', '--nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^portico apis: Unknown option '--nope'/);
  });
});

describe('portico routes', () => {
  it('shows each route with the integration it targets', async () => {
    on('GET', '/v2/apis/a1b2c3d4e5/routes', {
      status: 200,
      body: {
        items: [
          { routeId: 'r2', routeKey: 'GET /pets', target: 'integrations/i1', authorizationType: 'NONE' },
          { routeId: 'r1', routeKey: '$default', target: 'integrations/i2', authorizationType: 'JWT' },
          { routeId: 'r3', routeKey: 'POST /pets' },
        ],
      },
    });
    on('GET', '/v2/apis/a1b2c3d4e5/integrations', {
      status: 200,
      body: {
        items: [
          {
            integrationId: 'i1',
            integrationType: 'HTTP_PROXY',
            integrationMethod: 'ANY',
            integrationUri: 'http://127.0.0.1:3000/{proxy}',
          },
          {
            integrationId: 'i2',
            integrationType: 'AWS_PROXY',
            integrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:hello',
          },
        ],
      },
    });
    expect(await run(['routes', 'a1b2c3d4e5'])).toEqual({
      code: 0,
      err: '',
      out:
        'ROUTE ID  ROUTE KEY   AUTH  INTEGRATION  TARGET\n' +
        'r1        $default    JWT   i2           AWS_PROXY function hello\n' +
        'r2        GET /pets   NONE  i1           HTTP_PROXY ANY http://127.0.0.1:3000/{proxy}\n' +
        'r3        POST /pets  NONE  -            -\n',
    });
  });

  it('needs the API id', async () => {
    expect(await run(['routes'])).toEqual({
      code: 2,
      out: '',
      err: 'portico routes: missing API_ID (see portico apis)\n',
    });
  });

  it('prints NotFoundException for an unknown API', async () => {
    on('GET', '/v2/apis/nope/routes', {
      status: 404,
      headers: { 'x-amzn-errortype': 'NotFoundException' },
      body: { message: 'Invalid API identifier specified 000000000000:nope', resourceType: 'Api' },
    });
    const r = await run(['routes', 'nope']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'portico routes: NotFoundException: Invalid API identifier specified 000000000000:nope\n',
    );
  });
});

describe('portico functions', () => {
  it('follows NextMarker and prints the table', async () => {
    const fn = (name: string, extra: object = {}): object => ({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      MemorySize: 128,
      Timeout: 3,
      LastModified: '2026-11-28T08:53:43.000+0000',
      ...extra,
    });
    on('GET', '/2015-03-31/functions', { status: 200, body: { Functions: [fn('hello')], NextMarker: 'm2' } });
    on('GET', '/2015-03-31/functions?Marker=m2', {
      status: 200,
      body: { Functions: [fn('worker', { MemorySize: 1024, Timeout: 900 })] },
    });
    expect(await run(['functions'])).toEqual({
      code: 0,
      err: '',
      out:
        'NAME    RUNTIME     HANDLER        MEMORY  TIMEOUT  LAST MODIFIED\n' +
        'hello   nodejs20.x  index.handler  128     3s       2026-11-28T08:53:43.000+0000\n' +
        'worker  nodejs20.x  index.handler  1024    900s     2026-11-28T08:53:43.000+0000\n',
    });
  });

  it('reads the Lambda error shape', async () => {
    on('GET', '/2015-03-31/functions', {
      status: 429,
      headers: { 'x-amzn-errortype': 'TooManyRequestsException' },
      body: { Type: 'User', Message: 'Rate exceeded' },
    });
    expect((await run(['functions'])).err).toBe(
      'portico functions: TooManyRequestsException: Rate exceeded\n',
    );
  });
});

describe('portico import / export', () => {
  it('import openapi sends ImportApi with the file text and prints id and warnings', async () => {
    const file = join(dir, 'api.yaml');
    writeFileSync(file, 'openapi: 3.0.1\ninfo: { title: pets, version: "1" }\npaths: {}\n');
    on('PUT', '/v2/apis?failOnWarnings=true&basepath=prepend', {
      status: 201,
      body: { ...API_A, warnings: ['Unsupported integration type "aws" for GET /x'] },
    });
    const r = await run(['import', 'openapi', file, '--fail-on-warnings', '--basepath', 'prepend']);
    expect(r).toEqual({
      code: 0,
      err: '',
      out: 'Imported API a1b2c3d4e5 (pets)\nwarning: Unsupported integration type "aws" for GET /x\n',
    });
    expect(JSON.parse(requests[0]?.body ?? '')).toEqual({
      body: 'openapi: 3.0.1\ninfo: { title: pets, version: "1" }\npaths: {}\n',
    });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('import rejects a bad format and a missing file', async () => {
    expect((await run(['import', 'swagger', 'x'])).err).toBe(
      'portico import: unknown format "swagger" (only openapi)\n',
    );
    const r = await run(['import', 'openapi', join(dir, 'missing.yaml')]);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: `portico import: cannot read ${join(dir, 'missing.yaml')}: ENOENT\n`,
    });
    expect(requests).toEqual([]);
  });

  it('import prints BadRequestException from the server', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'nope');
    on('PUT', '/v2/apis', {
      status: 400,
      headers: { 'x-amzn-errortype': 'BadRequestException' },
      body: { message: 'Invalid OpenAPI input.' },
    });
    expect((await run(['import', 'openapi', file])).err).toBe(
      'portico import: BadRequestException: Invalid OpenAPI input.\n',
    );
  });

  it('export asks ExportApi for YAML by default and JSON on request, with the stage', async () => {
    on('GET', '/v2/apis/a1b2c3d4e5/exports/OAS30?outputType=YAML', {
      status: 200,
      headers: { 'content-type': 'application/yaml' },
      body: 'openapi: 3.0.1\n',
    });
    on('GET', '/v2/apis/a1b2c3d4e5/exports/OAS30?outputType=JSON&stageName=%24default', {
      status: 200,
      body: '{"openapi":"3.0.1"}',
    });
    expect(await run(['export', 'a1b2c3d4e5'])).toEqual({ code: 0, out: 'openapi: 3.0.1\n', err: '' });
    expect(await run(['export', 'a1b2c3d4e5', '--format', 'json', '--stage', '$default'])).toEqual({
      code: 0,
      out: '{"openapi":"3.0.1"}\n',
      err: '',
    });
    expect((await run(['export', 'a1b2c3d4e5', '--format', 'xml'])).err).toBe(
      'portico export: --format must be yaml or json, got "xml"\n',
    );
  });
});

describe('portico invoke / logs (request shapes)', () => {
  it('invoke sends the payload from a file, the qualifier and Tail; prints result and log', async () => {
    const file = join(dir, 'event.json');
    writeFileSync(file, '{"from":"file"}');
    on('POST', '/2015-03-31/functions/hello/invocations?Qualifier=live', {
      status: 200,
      headers: {
        'x-amz-log-result': Buffer.from('START RequestId: x\n').toString('base64'),
        'x-amz-executed-version': '3',
      },
      body: { ok: true },
    });
    const r = await run(['invoke', 'hello', '--payload', `@${file}`, '--qualifier', 'live', '--log']);
    expect(r).toEqual({ code: 0, out: '{"ok":true}\n', err: 'START RequestId: x\n' });
    expect(requests[0]?.body).toBe('{"from":"file"}');
    expect(requests[0]?.headers['x-amz-invocation-type']).toBe('RequestResponse');
    expect(requests[0]?.headers['x-amz-log-type']).toBe('Tail');
  });

  it('invoke exits 1 on a function error and prints the error payload', async () => {
    on('POST', '/2015-03-31/functions/hello/invocations', {
      status: 200,
      headers: { 'x-amz-function-error': 'Unhandled' },
      body: { errorType: 'Error', errorMessage: 'boom', trace: [] },
    });
    const r = await run(['invoke', 'hello', '--payload', '{"a":1}']);
    expect(r).toEqual({ code: 1, out: '{"errorType":"Error","errorMessage":"boom","trace":[]}\n', err: '' });
    expect(requests[0]?.body).toBe('{"a":1}');
  });

  it('logs prints the text; an unknown function is an error', async () => {
    on('GET', '/portico/functions/hello/logs', {
      status: 200,
      headers: { 'content-type': 'text/plain', 'x-portico-log-cursor': '12' },
      body: 'START x\nEND x\n',
    });
    on('GET', '/portico/functions/nope/logs', {
      status: 404,
      headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
      body: { Type: 'User', message: 'Function not found: nope' },
    });
    expect(await run(['logs', 'hello'])).toEqual({ code: 0, out: 'START x\nEND x\n', err: '' });
    expect(await run(['logs', 'nope'])).toEqual({
      code: 1,
      out: '',
      err: 'portico logs: ResourceNotFoundException: Function not found: nope\n',
    });
  });
});
