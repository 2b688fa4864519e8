import { GetAccountSettingsCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';
import {
  handlerZip,
  startLambdaServer,
  tempDataDir,
  type LambdaTestServer,
  createFunction,
} from '../helpers/lambda-control-plane.js';

// GetAccountSettings: Lambda's default limits, what reservations leave, and the account's usage.
const data = tempDataDir();
let box: FunctionSandbox;
let server: LambdaTestServer;

beforeAll(async () => {
  box = createFunctionSandbox();
  server = await startLambdaServer({
    dataDir: data.dir,
    configFunctions: [
      fn('from-config', box.code('node-cjs'), 'index.handler', { source: 'config', codeSize: 100 }),
    ],
  });
});

afterAll(async () => {
  await server?.close();
  data.cleanup();
  box?.cleanup();
});

describe('GetAccountSettings', () => {
  it('reports the limits, the unreserved executions and the functions with their package sizes', async () => {
    const empty = await server.client.send(new GetAccountSettingsCommand({}));
    expect({ ...empty, $metadata: undefined }).toStrictEqual({
      $metadata: undefined,
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: 1000,
        UnreservedConcurrentExecutions: 1000,
      },
      AccountUsage: { TotalCodeSize: 100, FunctionCount: 1 },
    });
    const a = handlerZip('a');
    const b = handlerZip('bb');
    for (const [name, zip, publish] of [
      ['a', a, true],
      ['b', b, false],
    ] as const) {
      await createFunction(server.client, name, { Code: { ZipFile: zip }, Publish: publish });
    }
    await server.client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'b', ReservedConcurrentExecutions: 10 }),
    );
    const settings = await server.client.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit?.UnreservedConcurrentExecutions).toBe(990);
    // `$LATEST` of each function and version 1 of `a`.
    expect(settings.AccountUsage).toStrictEqual({
      TotalCodeSize: 100 + 2 * a.length + b.length,
      FunctionCount: 3,
    });
    expect(server.errors).toStrictEqual([]);
  });
});
