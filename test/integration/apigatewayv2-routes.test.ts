import {
  ConflictException,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  DeleteAuthorizerCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  NotFoundException,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:pets';
const INVOCATIONS = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`;

let cp: TestControlPlane;
let client: ApiGatewayV2Client;
let apiId: string;

beforeAll(async () => {
  cp = await startControlPlane(createApiGatewayV2Routes);
  client = cp.v2Client();
  apiId = (await client.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP' }))).ApiId as string;
});
afterAll(async () => {
  await cp.close();
});

async function post(path: string, body: unknown) {
  const res = await fetch(`${cp.url}/v2/apis/${apiId}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    type: res.headers.get('x-amzn-errortype'),
    body: (await res.json()) as unknown,
  };
}

describe('routes, integrations and authorizers', () => {
  it('creates integrations of both proxy types and routes that target them', async () => {
    const http = await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://backend.example.com/pets/{id}',
        IntegrationMethod: 'GET',
        RequestParameters: { 'append:header.x-from': '$context.requestId' },
        ResponseParameters: { '404': { 'overwrite:statuscode': '410' } },
        TimeoutInMillis: 5000,
      }),
    );
    expect(http).toMatchObject({
      IntegrationType: 'HTTP_PROXY',
      PayloadFormatVersion: '1.0',
      ConnectionType: 'INTERNET',
      TimeoutInMillis: 5000,
      ApiGatewayManaged: false,
    });
    const lambda = await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: INVOCATIONS,
        PayloadFormatVersion: '1.0',
      }),
    );
    expect(lambda).toMatchObject({ IntegrationMethod: 'POST', TimeoutInMillis: 30000 });
    const route = await client.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'GET /pets/{id}',
        Target: `integrations/${http.IntegrationId}`,
        OperationName: 'getPet',
      }),
    );
    expect(route).toEqual({
      $metadata: expect.anything(),
      ApiGatewayManaged: false,
      ApiKeyRequired: false,
      AuthorizationType: 'NONE',
      OperationName: 'getPet',
      RouteId: route.RouteId,
      RouteKey: 'GET /pets/{id}',
      Target: `integrations/${http.IntegrationId}`,
    });
    const read = await client.send(new GetRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    expect(read.RouteKey).toBe('GET /pets/{id}');

    const dup = await client
      .send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /pets/{id}' }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    expect((dup as ConflictException).$metadata.httpStatusCode).toBe(409);

    const updated = await client.send(
      new UpdateRouteCommand({
        ApiId: apiId,
        RouteId: route.RouteId,
        Target: `integrations/${lambda.IntegrationId}`,
      }),
    );
    expect(updated).toMatchObject({ RouteKey: 'GET /pets/{id}', OperationName: 'getPet' });

    const inUse = await client
      .send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: lambda.IntegrationId }))
      .catch((e: unknown) => e);
    expect((inUse as Error).message).toBe(
      `Integration ${lambda.IntegrationId} is the target of route GET /pets/{id}; change or delete the route first`,
    );
    const patched = await client.send(
      new UpdateIntegrationCommand({
        ApiId: apiId,
        IntegrationId: http.IntegrationId,
        TimeoutInMillis: 6000,
      }),
    );
    expect(patched).toMatchObject({ TimeoutInMillis: 6000, IntegrationMethod: 'GET' });
    await client.send(new DeleteIntegrationCommand({ ApiId: apiId, IntegrationId: http.IntegrationId }));
    const gone = await client
      .send(new DeleteRouteCommand({ ApiId: apiId, RouteId: 'nope123' }))
      .catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundException);
    expect((gone as NotFoundException).ResourceType).toBe('Route');
  });

  it('refuses invalid routes and integrations with exact AWS errors and writes nothing', async () => {
    const routesBefore = (await client.send(new GetRoutesCommand({ ApiId: apiId }))).Items?.length;
    const integrationsBefore = (await client.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items
      ?.length;
    const cases: Array<[string, unknown, number, string, string]> = [
      [
        '/routes',
        { routeKey: 'GET pets' },
        400,
        'BadRequestException',
        'The provided route key is not formatted',
      ],
      [
        '/routes',
        { routeKey: 'GET /a/{p+}/b' },
        400,
        'BadRequestException',
        'The provided route key is not formatted',
      ],
      [
        '/routes',
        { routeKey: 'GET /a/{id}/{id}' },
        400,
        'BadRequestException',
        'The provided route key is not formatted',
      ],
      [
        '/routes',
        { routeKey: 'GET /x', target: 'integrations/missing' },
        400,
        'BadRequestException',
        'Invalid target integrations/missing: the integration does not exist',
      ],
      [
        '/routes',
        { routeKey: 'GET /x', target: 'lambda' },
        400,
        'BadRequestException',
        'Invalid target lambda: expected integrations/{integrationId}',
      ],
      [
        '/routes',
        { routeKey: 'GET /x', authorizationType: 'OAUTH' },
        400,
        'BadRequestException',
        'Invalid value for authorizationType: OAUTH',
      ],
      [
        '/routes',
        { routeKey: 'GET /x', authorizationType: 'JWT' },
        400,
        'BadRequestException',
        'authorizerId is required when authorizationType is JWT',
      ],
      [
        '/routes',
        { routeKey: 'GET /pets/{id}' },
        409,
        'ConflictException',
        'Route with key GET /pets/{id} already exists for this API',
      ],
      [
        '/integrations',
        { integrationType: 'MOCK' },
        400,
        'BadRequestException',
        'Integration type MOCK is not supported',
      ],
      [
        '/integrations',
        { integrationType: 'AWS_PROXY', integrationUri: FN },
        400,
        'BadRequestException',
        'payloadFormatVersion is required for AWS_PROXY integrations',
      ],
      [
        '/integrations',
        { integrationType: 'AWS_PROXY', integrationUri: 'https://x', payloadFormatVersion: '2.0' },
        400,
        'BadRequestException',
        'Invalid integrationUri for AWS_PROXY',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'https://x', payloadFormatVersion: '2.0' },
        400,
        'BadRequestException',
        'payloadFormatVersion must be 1.0 for HTTP_PROXY integrations',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'not a url' },
        400,
        'BadRequestException',
        'Invalid HTTP endpoint specified for URI: not a url',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'https://x', timeoutInMillis: 49 },
        400,
        'BadRequestException',
        'timeoutInMillis must be between 50 and 30000',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'https://x', timeoutInMillis: 30001 },
        400,
        'BadRequestException',
        'timeoutInMillis must be between 50 and 30000',
      ],
      [
        '/integrations',
        {
          integrationType: 'HTTP_PROXY',
          integrationUri: 'https://x',
          requestParameters: { 'set:header.a': 'b' },
        },
        400,
        'BadRequestException',
        'Invalid mapping expression specified: invalid parameter mapping key: set:header.a',
      ],
      [
        '/integrations',
        {
          integrationType: 'HTTP_PROXY',
          integrationUri: 'https://x',
          requestParameters: { 'append:header.host2': '$request.nowhere' },
        },
        400,
        'BadRequestException',
        'Invalid mapping expression specified: unsupported mapping expression',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'https://x', responseParameters: { abc: {} } },
        400,
        'BadRequestException',
        'Invalid responseParameters key abc',
      ],
      [
        '/integrations',
        { integrationType: 'HTTP_PROXY', integrationUri: 'https://x', connectionType: 'VPC_LINK' },
        400,
        'BadRequestException',
        'connectionType VPC_LINK is not supported by Portico',
      ],
    ];
    for (const [path, body, status, type, message] of cases) {
      const res = await post(path, body);
      const label = JSON.stringify(body);
      expect(res.status, label).toBe(status);
      expect(res.type, label).toBe(type);
      expect((res.body as { message: string }).message.startsWith(message), label).toBe(true);
    }
    expect((await client.send(new GetRoutesCommand({ ApiId: apiId }))).Items?.length).toBe(routesBefore);
    expect((await client.send(new GetIntegrationsCommand({ ApiId: apiId }))).Items?.length).toBe(
      integrationsBefore,
    );
  });

  it('stores JWT and REQUEST authorizers, validates them and protects those in use', async () => {
    const jwt = await client.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['app'] },
      }),
    );
    expect(jwt).toMatchObject({
      Name: 'jwt',
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://issuer.example.com', Audience: ['app'] },
    });
    const route = await client.send(
      new CreateRouteCommand({
        ApiId: apiId,
        RouteKey: 'DELETE /pets/{id}',
        AuthorizationType: 'JWT',
        AuthorizerId: jwt.AuthorizerId,
        AuthorizationScopes: ['pets.write'],
      }),
    );
    expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: ['pets.write'] });
    const inUse = await client
      .send(new DeleteAuthorizerCommand({ ApiId: apiId, AuthorizerId: jwt.AuthorizerId }))
      .catch((e: unknown) => e);
    expect((inUse as Error).message).toBe(
      `Authorizer ${jwt.AuthorizerId} is used by route DELETE /pets/{id}`,
    );
    const wrongType = await client
      .send(
        new CreateRouteCommand({
          ApiId: apiId,
          RouteKey: 'PUT /pets/{id}',
          AuthorizationType: 'CUSTOM',
          AuthorizerId: jwt.AuthorizerId,
        }),
      )
      .catch((e: unknown) => e);
    expect((wrongType as Error).message).toBe(
      `authorizationType CUSTOM requires a REQUEST authorizer; ${jwt.AuthorizerId} is JWT`,
    );
    const request = await client.send(
      new CreateAuthorizerCommand({
        ApiId: apiId,
        Name: 'lambda',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${FN}/invocations`,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerResultTtlInSeconds: 300,
      }),
    );
    expect(request).toMatchObject({ AuthorizerType: 'REQUEST', AuthorizerResultTtlInSeconds: 300 });
    const cases: Array<[unknown, string]> = [
      [
        { name: 'a', authorizerType: 'JWT', identitySource: ['$request.header.A'] },
        'jwtConfiguration.issuer is required for JWT authorizers',
      ],
      [
        {
          name: 'a',
          authorizerType: 'JWT',
          identitySource: ['header.A'],
          jwtConfiguration: { issuer: 'https://i' },
        },
        'Invalid identitySource header.A',
      ],
      [
        { name: 'a', authorizerType: 'REQUEST', authorizerUri: INVOCATIONS },
        'authorizerPayloadFormatVersion is required for REQUEST authorizers (1.0 or 2.0)',
      ],
      [
        {
          name: 'a',
          authorizerType: 'REQUEST',
          authorizerUri: INVOCATIONS,
          authorizerPayloadFormatVersion: '1.0',
          enableSimpleResponses: true,
        },
        'enableSimpleResponses is supported only with authorizerPayloadFormatVersion 2.0',
      ],
      [
        {
          name: 'a',
          authorizerType: 'REQUEST',
          authorizerUri: INVOCATIONS,
          authorizerPayloadFormatVersion: '2.0',
          authorizerResultTtlInSeconds: 60,
        },
        'identitySource is required when authorizer caching is enabled',
      ],
      [{ name: 'a', authorizerType: 'TOKEN' }, 'Invalid value for authorizerType: TOKEN'],
    ];
    for (const [body, message] of cases) {
      const res = await post('/authorizers', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as { message: string }).message.startsWith(message), JSON.stringify(body)).toBe(true);
    }
  });
});
