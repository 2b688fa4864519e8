import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { json } from '../helpers/functions.js';
import {
  handlerZip,
  startLambdaServer,
  tempDataDir,
  type LambdaTestServer,
  ROLE,
  codeSha256,
} from '../helpers/lambda-control-plane.js';

// The whole life of an API-managed function through the real @aws-sdk/client-lambda, across a restart.
const data = tempDataDir();
let server: LambdaTestServer | undefined;

afterAll(async () => {
  await server?.close();
  data.cleanup();
});

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:hello';

async function invoke(
  client: LambdaClient,
  qualifier?: string,
): Promise<{ version?: string; body: unknown }> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: 'hello',
      Payload: Buffer.from('{"n":1}'),
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
    }),
  );
  expect(out.StatusCode).toBe(200);
  expect(out.FunctionError).toBeUndefined();
  return { version: out.ExecutedVersion, body: json(out.Payload) };
}

describe('Lambda function lifecycle', () => {
  const v1 = handlerZip('v1');
  const v2 = handlerZip('v2');

  it('creates, invokes, updates, publishes, aliases and survives a restart', async () => {
    server = await startLambdaServer({ dataDir: data.dir });
    let client = server.client;

    const created = await client.send(
      new CreateFunctionCommand({
        FunctionName: 'hello',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Code: { ZipFile: v1 },
        Environment: { Variables: { STAGE: 'dev' } },
        Tags: { team: 'core' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'hello',
      FunctionArn: ARN,
      Runtime: 'nodejs20.x',
      Role: ROLE,
      Handler: 'index.handler',
      CodeSize: v1.length,
      CodeSha256: codeSha256(v1),
      Description: '',
      Timeout: 3,
      MemorySize: 128,
      Version: '$LATEST',
      Environment: { Variables: { STAGE: 'dev' } },
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
    });
    expect(created.LastModified).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    // The SDK waiters pass at once.
    const waited = await waitUntilFunctionActiveV2({ client, maxWaitTime: 5 }, { FunctionName: 'hello' });
    expect(waited.state).toBe('SUCCESS');

    expect(await invoke(client)).toEqual({
      version: '$LATEST',
      body: { tag: 'v1', env: 'dev', event: { n: 1 } },
    });

    // New code answers at once.
    const updated = await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'hello', ZipFile: v2 }));
    expect(updated.CodeSha256).toBe(codeSha256(v2));
    expect(updated.RevisionId).not.toBe(created.RevisionId);
    expect((await invoke(client)).body).toEqual({ tag: 'v2', env: 'dev', event: { n: 1 } });

    const published = await client.send(
      new PublishVersionCommand({ FunctionName: 'hello', Description: 'first' }),
    );
    expect(published.$metadata.httpStatusCode).toBe(201);
    expect(published).toMatchObject({
      Version: '1',
      FunctionArn: `${ARN}:1`,
      Description: 'first',
      CodeSha256: codeSha256(v2),
    });
    // Nothing changed since version 1: publishing again returns it.
    expect((await client.send(new PublishVersionCommand({ FunctionName: 'hello' }))).Version).toBe('1');

    // $LATEST moves on; version 1 keeps its code and configuration.
    await client.send(new UpdateFunctionCodeCommand({ FunctionName: 'hello', ZipFile: handlerZip('v3') }));
    const reconfigured = await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'hello',
        Environment: { Variables: { STAGE: 'prod' } },
        Timeout: 10,
      }),
    );
    expect(reconfigured).toMatchObject({ Timeout: 10, Environment: { Variables: { STAGE: 'prod' } } });
    expect(
      (await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 5 }, { FunctionName: 'hello' })).state,
    ).toBe('SUCCESS');
    expect((await invoke(client)).body).toEqual({ tag: 'v3', env: 'prod', event: { n: 1 } });
    expect(await invoke(client, '1')).toEqual({
      version: '1',
      body: { tag: 'v2', env: 'dev', event: { n: 1 } },
    });

    const alias = await client.send(
      new CreateAliasCommand({
        FunctionName: 'hello',
        Name: 'live',
        FunctionVersion: '1',
        Description: 'prod',
      }),
    );
    expect(alias.$metadata.httpStatusCode).toBe(201);
    expect(alias).toMatchObject({
      AliasArn: `${ARN}:live`,
      Name: 'live',
      FunctionVersion: '1',
      Description: 'prod',
    });
    expect(await invoke(client, 'live')).toEqual({
      version: '1',
      body: { tag: 'v2', env: 'dev', event: { n: 1 } },
    });
    // Qualified function names route the same way.
    const byArn = await client.send(
      new InvokeCommand({ FunctionName: `${ARN}:live`, Payload: Buffer.from('{}') }),
    );
    expect(byArn.ExecutedVersion).toBe('1');

    const v2Published = await client.send(new PublishVersionCommand({ FunctionName: 'hello' }));
    expect(v2Published.Version).toBe('2');
    const dev = await client.send(
      new CreateAliasCommand({ FunctionName: 'hello', Name: 'dev', FunctionVersion: '$LATEST' }),
    );
    expect(dev.FunctionVersion).toBe('$LATEST');
    expect(await invoke(client, 'dev')).toEqual({
      version: '$LATEST',
      body: { tag: 'v3', env: 'prod', event: { n: 1 } },
    });

    await client.send(
      new AddPermissionCommand({
        FunctionName: 'hello',
        StatementId: 'apigateway-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/pets',
      }),
    );

    // Restart: a new store, runtime and control plane on the same data dir, with the unpacked code gone.
    await server.close();
    rmSync(join(data.dir, 'code'), { recursive: true, force: true });
    server = await startLambdaServer({ dataDir: data.dir });
    client = server.client;

    const cfg = await client.send(new GetFunctionConfigurationCommand({ FunctionName: 'hello' }));
    expect(cfg).toMatchObject({
      RevisionId: reconfigured.RevisionId,
      Timeout: 10,
      Environment: { Variables: { STAGE: 'prod' } },
    });
    expect(existsSync(join(data.dir, 'code'))).toBe(true);
    expect((await invoke(client)).body).toEqual({ tag: 'v3', env: 'prod', event: { n: 1 } });
    expect(await invoke(client, '1')).toEqual({
      version: '1',
      body: { tag: 'v2', env: 'dev', event: { n: 1 } },
    });
    expect(await invoke(client, 'live')).toEqual({
      version: '1',
      body: { tag: 'v2', env: 'dev', event: { n: 1 } },
    });
    expect(await invoke(client, '2')).toEqual({
      version: '2',
      body: { tag: 'v3', env: 'prod', event: { n: 1 } },
    });

    const versions = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'hello' }));
    expect(versions.Versions?.map((v) => [v.Version, v.FunctionArn])).toEqual([
      ['$LATEST', `${ARN}:$LATEST`],
      ['1', `${ARN}:1`],
      ['2', `${ARN}:2`],
    ]);
    const aliases = await client.send(new ListAliasesCommand({ FunctionName: 'hello' }));
    expect(aliases.Aliases?.map((a) => [a.Name, a.FunctionVersion])).toEqual([
      ['live', '1'],
      ['dev', '$LATEST'],
    ]);
    const policy = await client.send(new GetPolicyCommand({ FunctionName: 'hello' }));
    expect(JSON.parse(policy.Policy ?? '')).toEqual({
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        {
          Sid: 'apigateway-invoke',
          Effect: 'Allow',
          Principal: { Service: 'apigateway.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: ARN,
          Condition: {
            ArnLike: { 'AWS:SourceArn': 'arn:aws:execute-api:us-east-1:123456789012:abc123/*/GET/pets' },
          },
        },
      ],
    });

    // Moving the alias re-routes invokes at once.
    const moved = await client.send(
      new UpdateAliasCommand({ FunctionName: 'hello', Name: 'live', FunctionVersion: '2' }),
    );
    expect(moved.RevisionId).not.toBe(alias.RevisionId);
    expect(await invoke(client, 'live')).toEqual({
      version: '2',
      body: { tag: 'v3', env: 'prod', event: { n: 1 } },
    });
    expect(
      (await client.send(new GetAliasCommand({ FunctionName: 'hello', Name: 'live' }))).FunctionVersion,
    ).toBe('2');

    // GetFunction: configuration, the code URL (served by the admin port), tags.
    const got = await client.send(new GetFunctionCommand({ FunctionName: 'hello', Qualifier: '1' }));
    expect(got.Configuration).toMatchObject({
      Version: '1',
      FunctionArn: `${ARN}:1`,
      CodeSha256: codeSha256(v2),
    });
    expect(got.Tags).toEqual({ team: 'core' });
    expect(got.Code?.RepositoryType).toBe('S3');
    expect(got.Code?.Location).toBe(`${server.url}/portico/functions/hello/code?Qualifier=1`);
    const download = await fetch(got.Code?.Location ?? '');
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await download.arrayBuffer()));
    expect(Buffer.from(files['index.js'] ?? new Uint8Array()).toString()).toContain('"v2"');
    expect(server.errors).toEqual([]);
  }, 60_000);
});
