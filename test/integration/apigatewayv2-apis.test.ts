import {
  BadRequestException,
  CreateApiCommand,
  DeleteApiCommand,
  DeleteCorsConfigurationCommand,
  GetApiCommand,
  GetApisCommand,
  GetDeploymentsCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  UpdateApiCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:hello';
const NOW = new Date('2024-05-01T12:00:00.123Z');

let cp: TestControlPlane;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  cp = await startControlPlane(createApiGatewayV2Routes, { now: () => NOW });
  client = cp.v2Client();
});
afterAll(async () => {
  await cp.close();
});

async function raw(method: string, path: string, body?: string) {
  const res = await fetch(`${cp.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as unknown,
  };
}

describe('apigatewayv2 APIs', () => {
  it('quick-creates a Lambda API: AWS_PROXY 2.0 integration, $default route and auto-deployed $default stage', async () => {
    const api = await client.send(
      new CreateApiCommand({ Name: 'hello', ProtocolType: 'HTTP', Target: FN, Tags: { env: 'dev' } }),
    );
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api).toMatchObject({
      Name: 'hello',
      ProtocolType: 'HTTP',
      ApiEndpoint: `https://${api.ApiId}.execute-api.us-east-1.amazonaws.com`,
      ApiKeySelectionExpression: '$request.header.x-api-key',
      RouteSelectionExpression: '${request.method} ${request.path}',
      DisableExecuteApiEndpoint: false,
      CreatedDate: new Date('2024-05-01T12:00:00Z'),
      Tags: { env: 'dev' },
    });
    const integrations = await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    expect(integrations.Items).toEqual([
      {
        ApiGatewayManaged: true,
        ConnectionType: 'INTERNET',
        IntegrationId: integrations.Items?.[0]?.IntegrationId,
        IntegrationMethod: 'POST',
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: FN,
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 30000,
      },
    ]);
    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items).toEqual([
      {
        ApiGatewayManaged: true,
        ApiKeyRequired: false,
        AuthorizationType: 'NONE',
        RouteId: routes.Items?.[0]?.RouteId,
        RouteKey: '$default',
        Target: `integrations/${integrations.Items?.[0]?.IntegrationId}`,
      },
    ]);
    const deployments = await client.send(new GetDeploymentsCommand({ ApiId: api.ApiId }));
    expect(deployments.Items).toHaveLength(1);
    expect(deployments.Items?.[0]).toMatchObject({ AutoDeployed: true, DeploymentStatus: 'DEPLOYED' });
    const stages = await client.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items?.[0]).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      ApiGatewayManaged: true,
      DeploymentId: deployments.Items?.[0]?.DeploymentId,
    });
    // The gateway compiled and activated it: the $default stage serves the $default route.
    const compiled = cp.active()?.apis.get(api.ApiId as string);
    expect(compiled?.defaultStage?.router.size).toBe(1);
  });

  it('quick-creates an HTTP API with a route key: HTTP_PROXY 1.0 with method ANY', async () => {
    const api = await client.send(
      new CreateApiCommand({
        Name: 'proxy',
        ProtocolType: 'HTTP',
        Target: 'https://example.com/pets',
        RouteKey: 'GET /pets',
      }),
    );
    const integrations = await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    expect(integrations.Items?.[0]).toMatchObject({
      IntegrationType: 'HTTP_PROXY',
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
      IntegrationUri: 'https://example.com/pets',
    });
    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items?.map((r) => r.RouteKey)).toEqual(['GET /pets']);
  });

  it('pages GetApis with maxResults and nextToken', async () => {
    const all = await client.send(new GetApisCommand({}));
    expect(all.Items?.length).toBeGreaterThanOrEqual(2);
    expect(all.NextToken).toBeUndefined();
    const first = await client.send(new GetApisCommand({ MaxResults: '1' }));
    expect(first.Items).toHaveLength(1);
    expect(first.NextToken).toEqual(expect.any(String));
    const second = await client.send(new GetApisCommand({ MaxResults: '1', NextToken: first.NextToken }));
    expect(second.Items?.[0]?.ApiId).toBe(all.Items?.[1]?.ApiId);
    await expect(client.send(new GetApisCommand({ NextToken: 'bogus' }))).rejects.toBeInstanceOf(
      BadRequestException,
    );
    const bad = await raw('GET', '/v2/apis?maxResults=0');
    expect(bad).toEqual({
      status: 400,
      type: 'BadRequestException',
      body: { message: 'Invalid maxResults: 0 (must be a positive integer)' },
    });
  });

  it('updates with PATCH semantics, deletes CORS and the API', async () => {
    const api = await client.send(
      new CreateApiCommand({
        Name: 'cors',
        ProtocolType: 'HTTP',
        Description: 'first',
        CorsConfiguration: { AllowOrigins: ['https://a.example'], MaxAge: 300 },
      }),
    );
    const updated = await client.send(new UpdateApiCommand({ ApiId: api.ApiId, Name: 'renamed' }));
    expect(updated).toMatchObject({
      Name: 'renamed',
      Description: 'first',
      CorsConfiguration: { AllowOrigins: ['https://a.example'], MaxAge: 300 },
    });
    await client.send(new DeleteCorsConfigurationCommand({ ApiId: api.ApiId }));
    const read = await client.send(new GetApiCommand({ ApiId: api.ApiId }));
    expect(read.CorsConfiguration).toBeUndefined();
    await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    const err = await client.send(new GetApiCommand({ ApiId: api.ApiId })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundException);
    expect((err as NotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((err as NotFoundException).ResourceType).toBe('API');
    expect((err as NotFoundException).message).toBe(
      `Invalid API identifier specified 123456789012:${api.ApiId}`,
    );
  });

  it('answers bad input with BadRequestException and writes nothing', async () => {
    const before = (await client.send(new GetApisCommand({}))).Items?.length;
    const cases: Array<[string, string]> = [
      ['{"name":', 'Could not parse request body into json'],
      ['[1]', 'Could not parse request body into json: expected a JSON object'],
      ['{"name": 5, "protocolType": "HTTP"}', 'Invalid value for name: expected a string'],
      [
        '{"name": "x", "protocolType": "SOAP"}',
        'Invalid value for protocolType: SOAP (must be one of HTTP, WEBSOCKET)',
      ],
      ['{"name": "x"}', 'protocolType is required'],
      ['{"name": "x", "protocolType": "WEBSOCKET"}', 'WEBSOCKET APIs are not supported by Portico yet'],
      [
        '{"name": "x", "protocolType": "HTTP", "target": "ftp://x"}',
        'Invalid target ftp://x: expected a Lambda function ARN or an http(s) URL',
      ],
      [
        `{"name": "x", "protocolType": "HTTP", "target": "${FN}", "routeKey": "FETCH /x"}`,
        'The provided route key is not formatted properly for HTTP protocol. Format should be "<HTTP METHOD> /<RESOURCE PATH>" or "$default"; FETCH is not a supported method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY)',
      ],
      [
        '{"name": "x", "protocolType": "HTTP", "routeKey": "GET /x"}',
        'routeKey can be specified only together with target',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await raw('POST', '/v2/apis', body);
      expect(res.status, body).toBe(400);
      expect(res.type).toBe('BadRequestException');
      expect((res.body as { message: string }).message.startsWith(message), body).toBe(true);
    }
    expect((await client.send(new GetApisCommand({}))).Items?.length).toBe(before);
  });

  it('rolls the write back when the gateway cannot activate the new model', async () => {
    const before = (await client.send(new GetApisCommand({}))).Items?.length;
    const activations = cp.activations();
    cp.failNextChange(new Error('compile failed: boom'));
    const err = await client
      .send(new CreateApiCommand({ Name: 'doomed', ProtocolType: 'HTTP', Target: FN }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((err as Error).message).toBe('The change cannot be applied: compile failed: boom');
    expect((await client.send(new GetApisCommand({}))).Items?.length).toBe(before);
    expect(cp.activations()).toBe(activations);
  });
});
