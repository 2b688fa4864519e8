import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetPolicyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionSandbox, fn, json, type FunctionSandbox } from '../helpers/functions.js';
import {
  handlerZip,
  startLambdaServer,
  tempDataDir,
  type LambdaTestServer,
  ROLE,
  createFunction,
  sdkError,
} from '../helpers/lambda-control-plane.js';

// The other Lambda operations: permissions, concurrency, tags, listing, deletes, config-file functions.
const data = tempDataDir();
let box: FunctionSandbox;
let server: LambdaTestServer;

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

beforeAll(async () => {
  box = createFunctionSandbox();
  server = await startLambdaServer({
    dataDir: data.dir,
    configFunctions: [fn('from-config', box.code('node-cjs'), 'index.handler', { source: 'config' })],
  });
});

afterAll(async () => {
  await server?.close();
  data.cleanup();
  box?.cleanup();
});

async function create(name: string, publish = false): Promise<void> {
  await createFunction(server.client, name, { Publish: publish });
}

describe('permissions', () => {
  it('stores statements, refuses duplicate Sids and removes them', async () => {
    await create('perm', true);
    const added = await server.client.send(
      new AddPermissionCommand({
        FunctionName: 'perm',
        StatementId: 's3',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceAccount: '123456789012',
      }),
    );
    expect(added.$metadata.httpStatusCode).toBe(201);
    expect(JSON.parse(added.Statement ?? '')).toEqual({
      Sid: 's3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: ARN('perm'),
      Condition: { StringEquals: { 'AWS:SourceAccount': '123456789012' } },
    });
    const dup = await sdkError(
      server.client.send(
        new AddPermissionCommand({
          FunctionName: 'perm',
          StatementId: 's3',
          Action: 'lambda:*',
          Principal: '*',
        }),
      ),
    );
    expect(dup).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message:
        'The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.',
    });
    // A version has its own policy.
    await server.client.send(
      new AddPermissionCommand({
        FunctionName: 'perm',
        Qualifier: '1',
        StatementId: 'v1',
        Action: 'lambda:InvokeFunction',
        Principal: '111122223333',
      }),
    );
    const v1 = await server.client.send(new GetPolicyCommand({ FunctionName: 'perm', Qualifier: '1' }));
    expect(JSON.parse(v1.Policy ?? '').Statement).toEqual([
      {
        Sid: 'v1',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'lambda:InvokeFunction',
        Resource: `${ARN('perm')}:1`,
      },
    ]);
    expect(
      JSON.parse((await server.client.send(new GetPolicyCommand({ FunctionName: 'perm' }))).Policy ?? '')
        .Statement,
    ).toHaveLength(1);

    const removed = await server.client.send(
      new RemovePermissionCommand({ FunctionName: 'perm', StatementId: 's3' }),
    );
    expect(removed.$metadata.httpStatusCode).toBe(204);
    const gone = await sdkError(server.client.send(new GetPolicyCommand({ FunctionName: 'perm' })));
    expect(gone).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'The resource you requested does not exist.',
    });
    const missing = await sdkError(
      server.client.send(
        new RemovePermissionCommand({ FunctionName: 'perm', Qualifier: '1', StatementId: 'nope' }),
      ),
    );
    expect(missing).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'Statement nope is not found in resource policy.',
    });
  });
});

describe('concurrency and tags', () => {
  it('puts, reports and deletes reserved concurrency', async () => {
    await create('conc');
    const put = await server.client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 5 }),
    );
    expect(put.ReservedConcurrentExecutions).toBe(5);
    expect(
      (await server.client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' })))
        .ReservedConcurrentExecutions,
    ).toBe(5);
    expect((await server.client.send(new GetFunctionCommand({ FunctionName: 'conc' }))).Concurrency).toEqual({
      ReservedConcurrentExecutions: 5,
    });
    expect(server.runtime.getFunction('conc')?.reservedConcurrentExecutions).toBe(5);
    const tooMuch = await sdkError(
      server.client.send(
        new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 901 }),
      ),
    );
    expect(tooMuch.name).toBe('InvalidParameterValueException');
    expect(tooMuch.message).toBe(
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    // Zero reserved = throttled.
    await server.client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'conc', ReservedConcurrentExecutions: 0 }),
    );
    const throttled = await sdkError(server.client.send(new InvokeCommand({ FunctionName: 'conc' })));
    expect(throttled).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    const deleted = await server.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'conc' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const after = await server.client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'conc' }));
    expect(after.ReservedConcurrentExecutions).toBeUndefined();
    expect((await server.client.send(new InvokeCommand({ FunctionName: 'conc' }))).StatusCode).toBe(200);
  });

  it('tags and untags functions', async () => {
    await create('tagged');
    await server.client.send(new TagResourceCommand({ Resource: ARN('tagged'), Tags: { a: '1', b: '2' } }));
    await server.client.send(new UntagResourceCommand({ Resource: ARN('tagged'), TagKeys: ['a'] }));
    expect((await server.client.send(new ListTagsCommand({ Resource: ARN('tagged') }))).Tags).toEqual({
      b: '2',
    });
    expect((await server.client.send(new GetFunctionCommand({ FunctionName: 'tagged' }))).Tags).toEqual({
      b: '2',
    });
    const bad = await sdkError(
      server.client.send(new TagResourceCommand({ Resource: ARN('tagged'), Tags: { 'aws:x': '1' } })),
    );
    expect(bad.name).toBe('InvalidParameterValueException');
  });
});

describe('listing and deleting', () => {
  it('pages ListFunctions with Marker/MaxItems and lists versions with FunctionVersion=ALL', async () => {
    await create('list-me', true);
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await server.client.send(
        new ListFunctionsCommand({ MaxItems: 2, ...(marker ? { Marker: marker } : {}) }),
      );
      expect(page.Functions?.length).toBeLessThanOrEqual(2);
      names.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      marker = page.NextMarker;
      pages++;
    } while (marker !== undefined);
    const all = (await server.client.send(new ListFunctionsCommand({}))).Functions?.map(
      (f) => f.FunctionName,
    );
    expect(names).toEqual(all);
    expect(pages).toBe(Math.ceil(names.length / 2));
    expect(names[0]).toBe('from-config');
    expect(names).toContain('list-me');
    const withVersions = await server.client.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    expect(
      withVersions.Functions?.filter((f) => f.FunctionName === 'list-me').map((f) => [
        f.Version,
        f.FunctionArn,
      ]),
    ).toEqual([
      ['$LATEST', `${ARN('list-me')}:$LATEST`],
      ['1', `${ARN('list-me')}:1`],
    ]);
    const badMax = await sdkError(server.client.send(new ListFunctionsCommand({ MaxItems: 0 })));
    expect(badMax.name).toBe('InvalidParameterValueException');
  });

  it('deletes versions (not while an alias uses them) and whole functions', async () => {
    await create('doomed', true);
    await server.client.send(
      new CreateAliasCommand({ FunctionName: 'doomed', Name: 'live', FunctionVersion: '1' }),
    );
    const inUse = await sdkError(
      server.client.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '1' })),
    );
    expect(inUse).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: 'Unable to delete version because the following aliases reference it: [live]',
    });
    const latest = await sdkError(
      server.client.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '$LATEST' })),
    );
    expect(latest.name).toBe('InvalidParameterValueException');
    const dupAlias = await sdkError(
      server.client.send(
        new CreateAliasCommand({ FunctionName: 'doomed', Name: 'live', FunctionVersion: '1' }),
      ),
    );
    expect(dupAlias).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    const badTarget = await sdkError(
      server.client.send(new CreateAliasCommand({ FunctionName: 'doomed', Name: 'x', FunctionVersion: '7' })),
    );
    expect(badTarget).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN('doomed')}:7`,
    });

    expect(
      (await server.client.send(new DeleteAliasCommand({ FunctionName: 'doomed', Name: 'live' }))).$metadata
        .httpStatusCode,
    ).toBe(204);
    await server.client.send(new DeleteFunctionCommand({ FunctionName: 'doomed', Qualifier: '1' }));
    const noVersion = await sdkError(
      server.client.send(new InvokeCommand({ FunctionName: 'doomed', Qualifier: '1' })),
    );
    expect(noVersion).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN('doomed')}:1`,
    });
    // Versions are never renumbered.
    await server.client.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'doomed', ZipFile: handlerZip('again') }),
    );
    expect((await server.client.send(new PublishVersionCommand({ FunctionName: 'doomed' }))).Version).toBe(
      '2',
    );

    await server.client.send(new DeleteFunctionCommand({ FunctionName: 'doomed' }));
    const gone = await sdkError(server.client.send(new InvokeCommand({ FunctionName: 'doomed' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    const again = await sdkError(server.client.send(new DeleteFunctionCommand({ FunctionName: 'doomed' })));
    expect(again).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect(await server.store.versions.list('doomed')).toEqual({ items: [] });
  });
});

describe('config-file functions', () => {
  it('are listed, readable and invokable but read-only', async () => {
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: 'from-config' }));
    expect(got.Configuration).toMatchObject({
      FunctionName: 'from-config',
      Version: '$LATEST',
      State: 'Active',
      Handler: 'index.handler',
    });
    const zip = await fetch(got.Code?.Location ?? '');
    expect(Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())))).toContain('index.js');
    const out = await server.client.send(
      new InvokeCommand({ FunctionName: 'from-config', Payload: Buffer.from('{"x":1}') }),
    );
    expect((json(out.Payload) as { event: unknown }).event).toEqual({ x: 1 });

    const message =
      'Function from-config is defined in the Portico config file and is read-only through the Lambda API; change it in the config file instead.';
    for (const send of [
      () =>
        server.client.send(
          new UpdateFunctionConfigurationCommand({ FunctionName: 'from-config', Timeout: 9 }),
        ),
      () =>
        server.client.send(
          new UpdateFunctionCodeCommand({ FunctionName: 'from-config', ZipFile: handlerZip('x') }),
        ),
      () => server.client.send(new DeleteFunctionCommand({ FunctionName: 'from-config' })),
      () => server.client.send(new PublishVersionCommand({ FunctionName: 'from-config' })),
      () =>
        server.client.send(
          new PutFunctionConcurrencyCommand({ FunctionName: 'from-config', ReservedConcurrentExecutions: 1 }),
        ),
    ]) {
      expect(await sdkError(send())).toEqual({ name: 'ResourceConflictException', status: 409, message });
    }
    const taken = await sdkError(
      server.client.send(
        new CreateFunctionCommand({
          FunctionName: 'from-config',
          Runtime: 'nodejs20.x',
          Role: ROLE,
          Handler: 'index.handler',
          Code: { ZipFile: handlerZip('x') },
        }),
      ),
    );
    expect(taken).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message: 'Function already exist: from-config',
    });
    expect(server.errors).toEqual([]);
  });

  it('keeps SDK exception classes', async () => {
    const e1 = await server.client
      .send(new GetFunctionCommand({ FunctionName: 'from-config', Qualifier: '3' }))
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ResourceNotFoundException);
    const e2 = await server.client
      .send(new CreateAliasCommand({ FunctionName: 'from-config', Name: 'a', FunctionVersion: '$LATEST' }))
      .catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(ResourceConflictException);
    const e3 = await server.client
      .send(new CreateAliasCommand({ FunctionName: 'perm', Name: '12', FunctionVersion: '1' }))
      .catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(InvalidParameterValueException);
  });
});
