import {
  BadRequestException,
  ConflictException,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRouteSettingsCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  UpdateStageCommand,
  type ApiGatewayV2Client,
} from '@aws-sdk/client-apigatewayv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

let cp: TestControlPlane;
let client: ApiGatewayV2Client;

beforeAll(async () => {
  cp = await startControlPlane(createApiGatewayV2Routes);
  client = cp.v2Client();
});
afterAll(async () => {
  await cp.close();
});

async function apiWithRoute(): Promise<{ apiId: string; integrationId: string }> {
  const apiId = (await client.send(new CreateApiCommand({ Name: 's', ProtocolType: 'HTTP' })))
    .ApiId as string;
  const integrationId = (
    await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://backend.example.com',
      }),
    )
  ).IntegrationId as string;
  await client.send(
    new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${integrationId}` }),
  );
  return { apiId, integrationId };
}

/** How many routes a stage serves in the table the gateway activated. */
function served(apiId: string, stage: string): number | undefined {
  return cp.active()?.apis.get(apiId)?.stages.get(stage)?.router.size;
}

describe('stages and deployments', () => {
  it('a stage without autoDeploy serves its deployment until the next CreateDeployment', async () => {
    const { apiId, integrationId } = await apiWithRoute();
    const stage = await client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: 'prod', StageVariables: { host: 'a.example.com' } }),
    );
    expect(stage).toMatchObject({
      StageName: 'prod',
      AutoDeploy: false,
      StageVariables: { host: 'a.example.com' },
    });
    expect(stage.DeploymentId).toBeUndefined();
    expect(served(apiId, 'prod')).toBe(0);

    const d1 = await client.send(
      new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod', Description: 'v1' }),
    );
    expect(d1).toMatchObject({ AutoDeployed: false, DeploymentStatus: 'DEPLOYED', Description: 'v1' });
    expect((await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }))).DeploymentId).toBe(
      d1.DeploymentId,
    );
    expect(served(apiId, 'prod')).toBe(1);

    await client.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: `integrations/${integrationId}` }),
    );
    expect(served(apiId, 'prod')).toBe(1);

    const d2 = await client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod' }));
    expect(served(apiId, 'prod')).toBe(2);
    const inUse = await client
      .send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: d2.DeploymentId }))
      .catch((e: unknown) => e);
    expect(inUse).toBeInstanceOf(BadRequestException);
    await client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: d1.DeploymentId }));
    const left = await client.send(new GetDeploymentsCommand({ ApiId: apiId }));
    expect(left.Items?.map((d) => d.DeploymentId)).toEqual([d2.DeploymentId]);
  });

  it('an autoDeploy stage redeploys on every change', async () => {
    const { apiId, integrationId } = await apiWithRoute();
    const stage = await client.send(
      new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }),
    );
    expect(stage.DeploymentId).toEqual(expect.any(String));
    expect(stage.LastDeploymentStatusMessage).toBe(
      `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`,
    );
    expect(served(apiId, '$default')).toBe(1);
    await client.send(
      new CreateRouteCommand({ ApiId: apiId, RouteKey: 'POST /a', Target: `integrations/${integrationId}` }),
    );
    expect(served(apiId, '$default')).toBe(2);
    const now = await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
    expect(now.DeploymentId).not.toBe(stage.DeploymentId);
    const deployments = await client.send(new GetDeploymentsCommand({ ApiId: apiId }));
    expect(deployments.Items?.map((d) => [d.DeploymentId, d.AutoDeployed])).toEqual([
      [now.DeploymentId, true],
    ]);
    await expect(
      client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: '$default' })),
    ).rejects.toThrow('Stage $default has autoDeploy enabled and cannot be deployed manually');
  });

  it('validates stage input and settings; update is partial', async () => {
    const { apiId } = await apiWithRoute();
    await client.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'dev',
        DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
        RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 1 } },
        AccessLogSettings: {
          DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:x',
          Format: '$context.requestId',
        },
      }),
    );
    const updated = await client.send(
      new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', Description: 'development' }),
    );
    expect(updated).toMatchObject({
      Description: 'development',
      DefaultRouteSettings: { ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
      RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 1 } },
    });
    await client.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'dev', RouteKey: 'GET /a' }));
    expect(
      (await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).RouteSettings,
    ).toEqual({});

    const dup = await client
      .send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev' }))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ConflictException);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ StageName: 'bad name' }, 'Invalid stage name bad name'],
      [{ StageName: 'x', StageVariables: { 'a-b': 'v' } }, 'Invalid stage variable name a-b'],
      [{ StageName: 'x', StageVariables: { a: 'spaces are bad' } }, 'Invalid stage variable value for a'],
      [
        { StageName: 'x', RouteSettings: { 'GET /zzz': {} } },
        'Unable to find Route by key GET /zzz within the provided RouteSettings',
      ],
      [{ StageName: 'x', DeploymentId: 'nope' }, 'Invalid deploymentId nope: the deployment does not exist'],
      [
        { StageName: 'x', AccessLogSettings: { Format: '$context.status' } },
        'Access log format must include $context.requestId',
      ],
    ];
    for (const [input, message] of bad) {
      const err = await client
        .send(new CreateStageCommand({ ApiId: apiId, ...input } as never))
        .catch((e: unknown) => e);
      expect(err, message).toBeInstanceOf(BadRequestException);
      expect((err as Error).message.startsWith(message), (err as Error).message).toBe(true);
    }
    for (let i = 0; i < 9; i++)
      await client.send(new CreateStageCommand({ ApiId: apiId, StageName: `s${i}` }));
    await expect(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 's9' }))).rejects.toThrow(
      'An API can have at most 10 stages',
    );
  });
});
