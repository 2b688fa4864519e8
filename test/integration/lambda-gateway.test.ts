import {
  CreateAliasCommand,
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionSandbox, json, type FunctionSandbox } from '../helpers/functions.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { handlerZip } from '../helpers/lambda-control-plane.js';

// The Lambda control plane as the gateway wires it (registerControlPlane), next to config-file functions.
let box: FunctionSandbox;
let gw: TestGateway;
let client: LambdaClient;

beforeAll(async () => {
  box = createFunctionSandbox();
  gw = await startGateway({
    settings: { region: 'us-east-1', accountId: '123456789012' },
    functions: {
      configured: { runtime: 'nodejs20.x', handler: 'index.handler', code: box.code('node-cjs') },
    },
  });
  client = new LambdaClient({
    endpoint: gw.adminUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await gw?.close();
  box?.cleanup();
});

describe('Lambda control plane in the gateway', () => {
  it('manages API functions beside read-only config-file functions', async () => {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: 'made-by-api',
        Runtime: 'nodejs20.x',
        Role: 'arn:aws:iam::123456789012:role/x',
        Handler: 'index.handler',
        Code: { ZipFile: handlerZip('api') },
        Publish: true,
      }),
    );
    await client.send(
      new CreateAliasCommand({ FunctionName: 'made-by-api', Name: 'live', FunctionVersion: '1' }),
    );
    await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'made-by-api',
        Environment: { Variables: { STAGE: 'b' } },
      }),
    );
    expect((await client.send(new PublishVersionCommand({ FunctionName: 'made-by-api' }))).Version).toBe('2');

    const listed = await client.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(['configured', 'made-by-api']);
    const live = await client.send(
      new InvokeCommand({ FunctionName: 'made-by-api', Qualifier: 'live', Payload: Buffer.from('{}') }),
    );
    expect(live.ExecutedVersion).toBe('1');
    expect(json(live.Payload)).toEqual({ tag: 'api', env: null, event: {} });
    const latest = await client.send(
      new InvokeCommand({ FunctionName: 'made-by-api', Payload: Buffer.from('{}') }),
    );
    expect(json(latest.Payload)).toEqual({ tag: 'api', env: 'b', event: {} });
    const configured = await client.send(
      new InvokeCommand({ FunctionName: 'configured', Payload: Buffer.from('{"a":1}') }),
    );
    expect((json(configured.Payload) as { event: unknown }).event).toEqual({ a: 1 });
    const refused = await client
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'configured', Timeout: 5 }))
      .catch((e: unknown) => e as Error);
    expect((refused as Error).name).toBe('ResourceConflictException');

    const health = (await (await fetch(`${gw.adminUrl}/health`)).json()) as { functions: number };
    expect(health.functions).toBe(2);
    expect(gw.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});
