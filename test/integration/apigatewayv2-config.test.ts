import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand,
  CreateRouteCommand,
  DeleteApiCommand,
  GetApiCommand,
  GetApiMappingsCommand,
  GetApisCommand,
  GetDomainNamesCommand,
  GetRoutesCommand,
  GetStagesCommand,
  NotFoundException,
  UpdateApiCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configToModel } from '../../src/config/index.js';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:hello';

let cp: TestControlPlane;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  const model = configToModel(
    '/tmp/portico.yaml',
    {
      apis: {
        petstore: {
          name: 'Pet store',
          integrations: { backend: { type: 'HTTP_PROXY', uri: 'http://127.0.0.1:9/{proxy}' } },
          routes: { 'ANY /{proxy+}': 'backend' },
          stages: { $default: {} },
        },
      },
      domainNames: { 'file.example.com': { apiMappings: [{ apiId: 'petstore', stage: '$default' }] } },
    },
    { region: 'us-east-1', accountId: '123456789012' },
  );
  cp = await startControlPlane(createApiGatewayV2Routes, { configModel: model });
  client = cp.v2Client();
});
afterAll(async () => {
  await cp.close();
});

describe('config-file resources through the control plane', () => {
  it('lists and reads them next to stored ones', async () => {
    const created = await client.send(new CreateApiCommand({ Name: 'stored', ProtocolType: 'HTTP' }));
    const apis = await client.send(new GetApisCommand({}));
    expect(apis.Items?.map((a) => a.ApiId)).toEqual(['petstore', created.ApiId]);
    expect((await client.send(new GetApiCommand({ ApiId: 'petstore' }))).Name).toBe('Pet store');
    const routes = await client.send(new GetRoutesCommand({ ApiId: 'petstore' }));
    expect(routes.Items?.map((r) => [r.RouteKey, r.Target])).toEqual([
      ['ANY /{proxy+}', 'integrations/backend'],
    ]);
    const stages = await client.send(new GetStagesCommand({ ApiId: 'petstore' }));
    expect(stages.Items?.map((s) => s.StageName)).toEqual(['$default']);
    const domains = await client.send(new GetDomainNamesCommand({}));
    expect(domains.Items?.map((d) => d.DomainName)).toEqual(['file.example.com']);
  });

  it('refuses writes to them with BadRequestException', async () => {
    const message =
      'API petstore is managed by the config file and is read-only through the API; edit the config file instead';
    for (const command of [
      new UpdateApiCommand({ ApiId: 'petstore', Name: 'x' }),
      new DeleteApiCommand({ ApiId: 'petstore' }),
      new CreateRouteCommand({ ApiId: 'petstore', RouteKey: 'GET /x' }),
    ]) {
      const err = await client.send(command as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadRequestException);
      expect((err as Error).message).toBe(message);
    }
    await expect(
      client.send(
        new CreateApiMappingCommand({ DomainName: 'file.example.com', ApiId: 'petstore', Stage: '$default' }),
      ),
    ).rejects.toThrow('Domain name file.example.com is managed by the config file');
    await expect(
      client.send(new CreateDomainNameCommand({ DomainName: 'file.example.com' })),
    ).rejects.toBeInstanceOf(ConflictException);
  });
});

describe('domain names and API mappings', () => {
  it('maps stored and config APIs, refuses duplicate keys and missing stages, and DeleteApi removes mappings', async () => {
    const api = await client.send(new CreateApiCommand({ Name: 'm', ProtocolType: 'HTTP', Target: FN }));
    const domain = await client.send(new CreateDomainNameCommand({ DomainName: 'API.Example.com' }));
    expect(domain).toMatchObject({
      DomainName: 'api.example.com',
      ApiMappingSelectionExpression: '$request.basepath',
      DomainNameConfigurations: [
        expect.objectContaining({ EndpointType: 'REGIONAL', DomainNameStatus: 'AVAILABLE' }),
      ],
    });
    const mapping = await client.send(
      new CreateApiMappingCommand({
        DomainName: 'api.example.com',
        ApiId: api.ApiId,
        Stage: '$default',
        ApiMappingKey: 'v1',
      }),
    );
    expect(mapping).toMatchObject({ ApiId: api.ApiId, Stage: '$default', ApiMappingKey: 'v1' });
    await client.send(
      new CreateApiMappingCommand({
        DomainName: 'api.example.com',
        ApiId: 'petstore',
        Stage: '$default',
        ApiMappingKey: 'pets',
      }),
    );
    expect(
      cp
        .active()
        ?.domains.get('api.example.com')
        ?.map((m) => m.key),
    ).toEqual(['v1', 'pets']);

    await expect(
      client.send(
        new CreateApiMappingCommand({
          DomainName: 'api.example.com',
          ApiId: api.ApiId,
          Stage: '$default',
          ApiMappingKey: 'v1',
        }),
      ),
    ).rejects.toBeInstanceOf(ConflictException);
    const noStage = await client
      .send(
        new CreateApiMappingCommand({
          DomainName: 'api.example.com',
          ApiId: api.ApiId,
          Stage: 'prod',
          ApiMappingKey: 'v2',
        }),
      )
      .catch((e: unknown) => e);
    expect(noStage).toBeInstanceOf(NotFoundException);
    expect((noStage as NotFoundException).ResourceType).toBe('Stage');
    await expect(client.send(new CreateDomainNameCommand({ DomainName: 'not a host' }))).rejects.toThrow(
      'Invalid domain name not a host',
    );

    await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    const left = await client.send(new GetApiMappingsCommand({ DomainName: 'api.example.com' }));
    expect(left.Items?.map((m) => m.ApiMappingKey)).toEqual(['pets']);
  });
});
