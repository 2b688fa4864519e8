import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../../dist/index.js';

// Issue 4 item 2: drive Portico with the real AWS SDK clients and check the result end to end
// through the data plane, across a restart on the same data dir.

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

function handlerZip(answer: string): Uint8Array {
  return zipSync({
    'index.mjs': strToU8(
      `export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(
        answer,
      )} + ' ' + event.rawPath });\n`,
    ),
  });
}

describe('control plane end to end (AWS SDK -> data plane)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-cp-e2e-'));
  const configFile = join(dir, 'portico.yaml');
  writeFileSync(configFile, '{}\n');
  let gateway: Gateway;
  let dataUrl: string;
  let lambda: LambdaClient;
  let apigw: ApiGatewayV2Client;
  let upstream: Server;
  let upstreamUrl: string;
  let apiId: string;

  const start = async (): Promise<void> => {
    gateway = createGateway({
      configFile,
      port: 0,
      adminPort: 0,
      dataDir: join(dir, 'data'),
      accessLog: false,
      logger: { info() {}, warn() {}, error() {} },
      watchConfig: false,
    });
    const addresses = await gateway.start();
    dataUrl = addresses.dataUrl;
    lambda = new LambdaClient({ endpoint: addresses.adminUrl, region: 'us-east-1', credentials });
    apigw = new ApiGatewayV2Client({ endpoint: addresses.adminUrl, region: 'us-east-1', credentials });
  };

  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${dataUrl}/_aws/execute-api/${apiId}${path}`);
    return { status: res.status, body: await res.text() };
  };

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`upstream ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    await start();
  });

  afterAll(async () => {
    await gateway?.stop();
    await new Promise<void>((r) => upstream.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a function and an HTTP API with quick create, then calls it', async () => {
    const fn = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'e2e-hello',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::000000000000:role/lambda',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('v1') },
      }),
    );
    expect(fn.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:e2e-hello');
    const api = await apigw.send(
      new CreateApiCommand({ Name: 'e2e', ProtocolType: 'HTTP', Target: fn.FunctionArn }),
    );
    apiId = api.ApiId as string;
    expect(apiId).toMatch(/^[a-z0-9]{10}$/);
    expect(await get('/some/path')).toStrictEqual({ status: 200, body: 'v1 /some/path' });
  });

  it('adds routes and a named stage, and serves them', async () => {
    const integ = await apigw.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: `${upstreamUrl}/svc/{id}`,
        IntegrationMethod: 'ANY',
        PayloadFormatVersion: '1.0',
      }),
    );
    await apigw.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /things/{id}',
        Target: `integrations/${integ.IntegrationId}`,
      }),
    );
    // The quick-created $default stage auto-deploys.
    expect(await get('/things/7?x=1')).toStrictEqual({ status: 200, body: 'upstream GET /svc/7?x=1' });
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    expect((await get('/prod/things/7')).status).toBe(404);
    await apigw.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod' }));
    expect(await get('/prod/things/8')).toStrictEqual({ status: 200, body: 'upstream GET /svc/8' });
    expect(await get('/prod/other')).toStrictEqual({ status: 200, body: 'v1 /prod/other' });
  });

  it('a change without a deployment leaves a non-autoDeploy stage as it was', async () => {
    const integ = await apigw.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: `${upstreamUrl}/late`,
        IntegrationMethod: 'GET',
        PayloadFormatVersion: '1.0',
      }),
    );
    await apigw.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /late',
        Target: `integrations/${integ.IntegrationId}`,
      }),
    );
    expect(await get('/late')).toStrictEqual({ status: 200, body: 'upstream GET /late' });
    // prod still serves its deployment: /late falls through to the quick-create $default route.
    expect(await get('/prod/late')).toStrictEqual({ status: 200, body: 'v1 /prod/late' });
  });

  it('serves new function code right after UpdateFunctionCode', async () => {
    await lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'e2e-hello', ZipFile: handlerZip('v2') }),
    );
    expect(await get('/again')).toStrictEqual({ status: 200, body: 'v2 /again' });
  });

  it('restores everything after a restart and serves the same traffic', async () => {
    await gateway.stop();
    await start();
    expect(await get('/again')).toStrictEqual({ status: 200, body: 'v2 /again' });
    expect(await get('/things/9')).toStrictEqual({ status: 200, body: 'upstream GET /svc/9' });
    expect(await get('/prod/things/10')).toStrictEqual({ status: 200, body: 'upstream GET /svc/10' });
    expect(await get('/prod/late')).toStrictEqual({ status: 200, body: 'v2 /prod/late' });
  });
});
