import { readFileSync } from 'node:fs';
import {
  BadRequestException,
  CreateStageCommand,
  ExportApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetRoutesCommand,
  ImportApiCommand,
  ReimportApiCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { stringify as toYaml, parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

const FIXTURE = readFileSync(
  new URL('../../src/control-plane/openapi/fixtures/aws-http-api-export.json', import.meta.url),
  'utf8',
);

let cp: TestControlPlane;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  cp = await startControlPlane(createApiGatewayV2Routes);
  client = cp.v2Client();
});
afterAll(async () => {
  await cp.close();
});

/** The fixture as AWS would export it for another API id. */
function expectedFor(apiId: string): unknown {
  return JSON.parse(FIXTURE.replace('a1b2c3d4e5', apiId));
}

async function exportJson(apiId: string, extra: { StageName?: string } = {}): Promise<unknown> {
  const out = await client.send(
    new ExportApiCommand({ ApiId: apiId, Specification: 'OAS30', OutputType: 'JSON', ...extra }),
  );
  return JSON.parse(Buffer.from(out.body as Uint8Array).toString('utf8'));
}

describe('ImportApi / ExportApi', () => {
  it('imports a real AWS HTTP API export and exports it back unchanged (JSON)', async () => {
    const api = await client.send(new ImportApiCommand({ Body: FIXTURE, FailOnWarnings: true }));
    expect(api.Name).toBe('pets-api');
    expect(api.Warnings).toBeUndefined();
    expect(api.ImportInfo).toBeUndefined();
    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items?.map((r) => [r.RouteKey, r.AuthorizationType, r.AuthorizationScopes])).toEqual([
      ['GET /pets', 'NONE', undefined],
      ['POST /pets', 'CUSTOM', undefined],
      ['GET /pets/{petId}', 'JWT', ['pets.read']],
      ['ANY /files/{proxy+}', 'NONE', undefined],
      ['$default', 'NONE', undefined],
    ]);
    const authorizers = await client.send(new GetAuthorizersCommand({ ApiId: api.ApiId }));
    expect(authorizers.Items?.map((a) => [a.Name, a.AuthorizerType])).toEqual([
      ['jwt-authorizer', 'JWT'],
      ['lambda-authorizer', 'REQUEST'],
    ]);
    expect(await exportJson(api.ApiId as string)).toEqual(expectedFor(api.ApiId as string));
  });

  it('imports YAML and exports YAML; a stage export describes what the stage serves', async () => {
    const api = await client.send(new ImportApiCommand({ Body: toYaml(JSON.parse(FIXTURE)) }));
    const out = await client.send(
      new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML' }),
    );
    expect(parseYaml(Buffer.from(out.body as Uint8Array).toString('utf8'))).toEqual(
      expectedFor(api.ApiId as string),
    );
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', AutoDeploy: true }));
    const staged = (await exportJson(api.ApiId as string, { StageName: 'prod' })) as {
      servers: Array<{ variables: { basePath: { default: string } } }>;
      paths: Record<string, unknown>;
    };
    expect(staged.servers[0]?.variables.basePath.default).toBe('prod');
    expect(Object.keys(staged.paths)).toEqual(['/pets', '/pets/{petId}', '/files/{proxy+}', '/$default']);
  });

  it('reports what it cannot honour as warnings, and fails with failOnWarnings without creating anything', async () => {
    const definition = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'partial', version: '1' },
      security: [{ key: [] }],
      'x-amazon-apigateway-binary-media-types': ['image/png'],
      paths: {
        '/mock': { get: { 'x-amazon-apigateway-integration': { type: 'mock' } } },
        '/ok': {
          post: {
            requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              httpMethod: 'POST',
              uri: 'https://example.com/ok',
              payloadFormatVersion: '1.0',
              passthroughBehavior: 'when_no_match',
            },
          },
        },
      },
      components: {
        securitySchemes: {
          key: {
            type: 'apiKey',
            name: 'x',
            in: 'header',
            'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: 'arn:x' },
          },
        },
      },
    });
    const before = (await client.send(new GetApisCommand({}))).Items?.length;
    const err = await client
      .send(new ImportApiCommand({ Body: definition, FailOnWarnings: true }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestException);
    expect((await client.send(new GetApisCommand({}))).Items?.length).toBe(before);

    const api = await client.send(new ImportApiCommand({ Body: definition }));
    expect(api.Warnings).toEqual([
      'x-amazon-apigateway-binary-media-types is not supported for HTTP APIs and is ignored',
      'Root-level security is ignored; apply security to each operation',
      'Authorizer type token of security scheme key is not supported for HTTP APIs (use jwt or request)',
      "Unsupported integration type 'mock' for GET /mock; HTTP APIs support only Lambda proxy (aws_proxy) and HTTP proxy (http_proxy) integrations",
      'x-amazon-apigateway-integration.passthroughBehavior of POST /ok is not supported for HTTP APIs and is ignored',
    ]);
    expect(api.ImportInfo).toEqual([
      'Request parameters and bodies of POST /ok are not validated by HTTP APIs',
    ]);
    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items?.map((r) => [r.RouteKey, r.Target === undefined])).toEqual([
      ['GET /mock', true],
      ['POST /ok', false],
    ]);
  });

  it('reimports over an existing API and honours basepath', async () => {
    const api = await client.send(new ImportApiCommand({ Body: FIXTURE }));
    const next = JSON.stringify({
      openapi: '3.0.1',
      info: { title: 'v2', version: '2' },
      servers: [{ url: 'https://api.example.com/v1/shop' }],
      paths: {
        '/items': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              uri: 'arn:aws:lambda:us-east-1:123456789012:function:items',
              payloadFormatVersion: '2.0',
            },
          },
        },
      },
    });
    const re = await client.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: next, Basepath: 'split' }));
    expect(re).toMatchObject({ ApiId: api.ApiId, Name: 'v2', Version: '2' });
    const routes = await client.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items?.map((r) => r.RouteKey)).toEqual(['GET /shop/items']);
    const prepended = await client.send(new ImportApiCommand({ Body: next, Basepath: 'prepend' }));
    const prependedRoutes = await client.send(new GetRoutesCommand({ ApiId: prepended.ApiId }));
    expect(prependedRoutes.Items?.map((r) => r.RouteKey)).toEqual(['GET /v1/shop/items']);
  });

  it('rejects unparseable definitions and bad export parameters', async () => {
    await expect(client.send(new ImportApiCommand({ Body: 'swagger: "1.2"' }))).rejects.toThrow(
      'Only OpenAPI 3.x and Swagger 2.0 definitions can be imported',
    );
    await expect(client.send(new ImportApiCommand({ Body: '{"openapi": ' }))).rejects.toBeInstanceOf(
      BadRequestException,
    );
    const api = await client.send(new ImportApiCommand({ Body: FIXTURE }));
    await expect(
      client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'RAML', OutputType: 'JSON' })),
    ).rejects.toThrow('Unsupported specification RAML: use OAS30');
    await expect(
      client.send(
        new ExportApiCommand({
          ApiId: api.ApiId,
          Specification: 'OAS30',
          OutputType: 'JSON',
          StageName: 'nope',
        }),
      ),
    ).rejects.toThrow('Invalid Stage identifier specified nope');
  });
});
