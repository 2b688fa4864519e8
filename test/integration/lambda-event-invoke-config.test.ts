import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionConfigurationCommand,
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeLogEntry } from '../../dist/functions/index.js';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';
import {
  startLambdaServer,
  tempDataDir,
  zipOf,
  type LambdaTestServer,
  createFunction,
  sdkError,
} from '../helpers/lambda-control-plane.js';

// Asynchronous invocation settings (PutFunctionEventInvokeConfig & co) through the real SDK client,
// and what the runtime's queue does with them: retries, destinations and their invocation records.
const data = tempDataDir();
const out = mkdtempSync(join(tmpdir(), 'portico-event-config-'));
let box: FunctionSandbox;
let server: LambdaTestServer;
const runtimeLog: RuntimeLogEntry[] = [];

const ARN = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/**
 * Appends `{requestId, event}` per attempt to $OUT/<name>.jsonl. `rec` fails unless the event says
 * ok; the sinks always succeed.
 */
const RECORDING = `const fs = require('node:fs');
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.OUT + '/' + context.functionName + '.jsonl',
    JSON.stringify({ requestId: context.awsRequestId, event }) + '\\n');
  if (context.functionName !== 'rec' || (event && event.ok)) return { done: true, n: event.n };
  throw new Error('nope ' + (event && event.n));
};
`;

beforeAll(async () => {
  box = createFunctionSandbox();
  server = await startLambdaServer({
    dataDir: data.dir,
    configFunctions: configFunctions(),
    eventRetryDelaysMs: [30, 30],
    runtimeLog: (e) => runtimeLog.push(e),
  });
  for (const name of ['rec', 'sink', 'ok-sink']) {
    await createFunction(server.client, name, {
      Code: { ZipFile: zipOf({ 'index.js': RECORDING }) },
      Environment: { Variables: { OUT: out } },
    });
  }
});

afterAll(async () => {
  await server?.close();
  data.cleanup();
  box?.cleanup();
  rmSync(out, { recursive: true, force: true });
});

/** Functions as from the config file: one plain, one with `eventInvokeConfig`. */
function configFunctions() {
  return [
    fn('from-config', box.code('node-cjs'), 'index.handler', { source: 'config' }),
    fn('configured', box.code('node-cjs'), 'index.handler', {
      source: 'config',
      eventInvokeConfigs: { $LATEST: { maximumRetryAttempts: 0, onFailure: ARN('sink') } },
    }),
  ];
}

/** The lines a recording function wrote, once `count` are there. */
async function lines(name: string, count: number): Promise<{ requestId: string; event: unknown }[]> {
  const file = join(out, `${name}.jsonl`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const all = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { requestId: string; event: unknown });
    if (all.length >= count) return all;
    if (Date.now() > deadline) throw new Error(`${name}: ${all.length} of ${count} lines`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends an Event invoke; resolves with the request id of the 202. */
async function sendEvent(name: string, event: unknown): Promise<string> {
  const r = await server.client.send(
    new InvokeCommand({
      FunctionName: name,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(event)),
    }),
  );
  expect(r.StatusCode).toBe(202);
  return r.$metadata.requestId as string;
}

describe('the event invoke config operations', () => {
  it('puts, gets, updates, lists and deletes a config per qualifier', async () => {
    await createFunction(server.client, 'cfg', { Publish: true });
    await server.client.send(
      new CreateAliasCommand({ FunctionName: 'cfg', Name: 'live', FunctionVersion: '1' }),
    );
    const before = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg' }));

    expect(
      await sdkError(server.client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg' }))),
    ).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `The function ${ARN('cfg')}:$LATEST doesn't have an EventInvokeConfig`,
    });

    const t0 = Date.now();
    const put = await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'cfg',
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 120,
        DestinationConfig: { OnFailure: { Destination: ARN('sink') } },
      }),
    );
    const { $metadata: _m, LastModified, ...rest } = put;
    void _m;
    expect(rest).toStrictEqual({
      FunctionArn: `${ARN('cfg')}:$LATEST`,
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 120,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: ARN('sink') } },
    });
    expect(LastModified).toBeInstanceOf(Date);
    expect((LastModified as Date).getTime()).toBeGreaterThanOrEqual(t0 - 1);
    expect((LastModified as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1);

    const got = await server.client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg' }));
    expect({ ...got, $metadata: undefined }).toStrictEqual({ ...put, $metadata: undefined });
    // The config is a resource of its own: the function's revision stays.
    const after = await server.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg' }));
    expect(after.RevisionId).toBe(before.RevisionId);

    // Update keeps what it is not given.
    const updated = await server.client.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumRetryAttempts: 1 }),
    );
    expect(updated.MaximumRetryAttempts).toBe(1);
    expect(updated.MaximumEventAgeInSeconds).toBe(120);
    expect(updated.DestinationConfig).toStrictEqual({
      OnSuccess: {},
      OnFailure: { Destination: ARN('sink') },
    });
    // Put replaces all of it.
    const replaced = await server.client.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumRetryAttempts: 2 }),
    );
    expect(replaced.MaximumEventAgeInSeconds).toBeUndefined();
    expect(replaced.DestinationConfig).toStrictEqual({ OnSuccess: {}, OnFailure: {} });

    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'cfg',
        Qualifier: 'live',
        MaximumRetryAttempts: 0,
      }),
    );
    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: `${ARN('cfg')}:1`,
        MaximumEventAgeInSeconds: 60,
      }),
    );
    const list = await server.client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'cfg' }));
    expect(list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toStrictEqual([
      `${ARN('cfg')}:$LATEST`,
      `${ARN('cfg')}:1`,
      `${ARN('cfg')}:live`,
    ]);
    expect(list.NextMarker).toBeUndefined();
    const first = await server.client.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'cfg', MaxItems: 2 }),
    );
    expect(first.FunctionEventInvokeConfigs).toHaveLength(2);
    const second = await server.client.send(
      new ListFunctionEventInvokeConfigsCommand({
        FunctionName: 'cfg',
        MaxItems: 2,
        Marker: first.NextMarker,
      }),
    );
    expect(second.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toStrictEqual([
      `${ARN('cfg')}:live`,
    ]);
    expect(second.NextMarker).toBeUndefined();

    // A new version does not take $LATEST's config along.
    await server.client.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', MaximumEventAgeInSeconds: 300 }),
    );
    await server.client.send(new PublishVersionCommand({ FunctionName: 'cfg', Description: 'v2' }));
    const afterPublish = await server.client.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'cfg' }),
    );
    expect(afterPublish.FunctionEventInvokeConfigs).toHaveLength(3);

    // Deleting the alias deletes its config.
    await server.client.send(new DeleteAliasCommand({ FunctionName: 'cfg', Name: 'live' }));
    const afterAlias = await server.client.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'cfg' }),
    );
    expect(afterAlias.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toStrictEqual([
      `${ARN('cfg')}:$LATEST`,
      `${ARN('cfg')}:1`,
    ]);

    // An alias may be called like a member of every object.
    await server.client.send(
      new CreateAliasCommand({ FunctionName: 'cfg', Name: 'constructor', FunctionVersion: '1' }),
    );
    expect(
      (
        await sdkError(
          server.client.send(
            new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', Qualifier: 'constructor' }),
          ),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
    await server.client.send(new DeleteAliasCommand({ FunctionName: 'cfg', Name: 'constructor' }));
    await server.client.send(
      new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', Qualifier: '1' }),
    );
    expect(
      await sdkError(
        server.client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', Qualifier: '1' })),
      ),
    ).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `The function ${ARN('cfg')}:1 doesn't have an EventInvokeConfig`,
    });
    expect(
      (
        await sdkError(
          server.client.send(
            new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'cfg', Qualifier: '1' }),
          ),
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await sdkError(
          server.client.send(
            new UpdateFunctionEventInvokeConfigCommand({
              FunctionName: 'cfg',
              Qualifier: '1',
              MaximumRetryAttempts: 1,
            }),
          ),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
    expect(server.errors).toStrictEqual([]);
  });

  it('answers bad input, missing functions and qualifiers, and config-file functions as Lambda does', async () => {
    const put = (input: Record<string, unknown>) =>
      sdkError(
        server.client.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'rec', ...input })),
      );
    expect(await put({ MaximumRetryAttempts: 3 })).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message:
        "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    });
    expect((await put({ MaximumRetryAttempts: -1 })).status).toBe(400);
    expect(await put({ MaximumEventAgeInSeconds: 59 })).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message:
        "1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    });
    expect((await put({ MaximumEventAgeInSeconds: 21601 })).status).toBe(400);
    expect(await put({ DestinationConfig: { OnSuccess: { Destination: 'sink' } } })).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message:
        'The destination ARN sink is invalid: OnSuccess accepts the ARN of a Lambda function, an SQS queue, an SNS topic or an EventBridge event bus.',
    });
    expect(
      (await put({ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::bucket' } } })).status,
    ).toBe(400);
    const s3 = await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'rec',
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::bucket' } },
      }),
    );
    expect(s3.DestinationConfig?.OnFailure).toStrictEqual({ Destination: 'arn:aws:s3:::bucket' });
    await server.client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'rec' }));

    expect(
      await sdkError(
        server.client.send(
          new PutFunctionEventInvokeConfigCommand({ FunctionName: 'missing', MaximumRetryAttempts: 0 }),
        ),
      ),
    ).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN('missing')}`,
    });
    expect(
      await sdkError(
        server.client.send(
          new PutFunctionEventInvokeConfigCommand({
            FunctionName: 'rec',
            Qualifier: 'nope',
            MaximumRetryAttempts: 0,
          }),
        ),
      ),
    ).toEqual({
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${ARN('rec')}:nope`,
    });
    expect(
      await sdkError(
        server.client.send(
          new PutFunctionEventInvokeConfigCommand({ FunctionName: 'from-config', MaximumRetryAttempts: 0 }),
        ),
      ),
    ).toEqual({
      name: 'ResourceConflictException',
      status: 409,
      message:
        'Function from-config is defined in the Portico config file and is read-only through the Lambda API; change it in the config file instead.',
    });
    expect(
      (
        await sdkError(
          server.client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'from-config' })),
        )
      ).name,
    ).toBe('ResourceNotFoundException');
    expect(server.errors).toStrictEqual([]);
  });

  it("shows a config-file function's settings", async () => {
    const got = await server.client.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'configured' }),
    );
    expect({ ...got, $metadata: undefined, LastModified: undefined }).toStrictEqual({
      $metadata: undefined,
      LastModified: undefined,
      FunctionArn: `${ARN('configured')}:$LATEST`,
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnSuccess: {}, OnFailure: { Destination: ARN('sink') } },
    });
    // Config-file functions show the gateway's start as their LastModified.
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(Number.isNaN((got.LastModified as Date).getTime())).toBe(false);
    const list = await server.client.send(
      new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'configured' }),
    );
    expect(list.FunctionEventInvokeConfigs).toHaveLength(1);
  });

  it('keeps the configs across a restart', async () => {
    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'ok-sink',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 900,
      }),
    );
    await server.close();
    server = await startLambdaServer({
      dataDir: data.dir,
      configFunctions: configFunctions(),
      eventRetryDelaysMs: [30, 30],
      runtimeLog: (e) => runtimeLog.push(e),
    });
    const got = await server.client.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'ok-sink' }),
    );
    expect([got.MaximumRetryAttempts, got.MaximumEventAgeInSeconds]).toStrictEqual([1, 900]);
    await server.client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'ok-sink' }));
  });
});

describe('Event invocations under a config', () => {
  it('retries a failing event as often as the config says, under the request id the caller got', async () => {
    // Lambda's default: two retries.
    const id = await sendEvent('rec', { n: 'default' });
    const all = await lines('rec', 3);
    expect(all.map((l) => l.requestId)).toStrictEqual([id, id, id]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lines('rec', 3)).toHaveLength(3);

    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'rec', MaximumRetryAttempts: 0 }),
    );
    await sendEvent('rec', { n: 'none' });
    await lines('rec', 4);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lines('rec', 4)).toHaveLength(4);
    expect(runtimeLog).toContainEqual({
      level: 'warn',
      message: expect.stringMatching(
        /^Async event [0-9a-f-]{36} failed: function error after 1 attempts$/,
      ) as string,
      functionName: 'rec',
    });
  });

  it('sends the invocation record of a failed event to its on-failure function', async () => {
    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'rec',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: ARN('sink') } },
      }),
    );
    const before = (await lines('rec', 0)).length;
    const id = await sendEvent('rec', { n: 7 });
    const [delivered] = await lines('sink', 1);
    expect((await lines('rec', 0)).length).toBe(before + 2);
    const record = delivered?.event as Record<string, unknown>;
    expect(typeof record.timestamp).toBe('string');
    expect(Date.parse(record.timestamp as string)).toBeGreaterThan(Date.now() - 60_000);
    const responsePayload = record.responsePayload as Record<string, unknown>;
    expect(responsePayload.errorType).toBe('Error');
    expect(responsePayload.errorMessage).toBe('nope 7');
    expect({ ...record, timestamp: undefined, responsePayload: undefined }).toStrictEqual({
      version: '1.0',
      timestamp: undefined,
      requestContext: {
        requestId: id,
        functionArn: `${ARN('rec')}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 2,
      },
      requestPayload: { n: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: undefined,
    });
    // The destination runs under a request id of its own.
    expect(delivered?.requestId).not.toBe(id);
    await new Promise((r) => setTimeout(r, 200));
    expect(await lines('sink', 0)).toHaveLength(1);
  });

  it('sends the record of a successful event to its on-success function, and logs one it cannot deliver', async () => {
    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'rec',
        DestinationConfig: {
          OnSuccess: { Destination: ARN('ok-sink') },
          OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' },
        },
      }),
    );
    const id = await sendEvent('rec', { ok: true, n: 1 });
    const [delivered] = await lines('ok-sink', 1);
    const record = delivered?.event as Record<string, unknown>;
    expect(record.requestContext).toStrictEqual({
      requestId: id,
      functionArn: `${ARN('rec')}:$LATEST`,
      condition: 'Success',
      approximateInvokeCount: 1,
    });
    expect(record.responseContext).toStrictEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.responsePayload).toStrictEqual({ done: true, n: 1 });

    await server.client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'rec',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
      }),
    );
    const failed = await sendEvent('rec', { n: 'sqs' });
    const deadline = Date.now() + 10_000;
    const wanted = `Invocation record of async event ${failed} not delivered to arn:aws:sqs:us-east-1:123456789012:failures: Portico delivers to Lambda functions only`;
    while (!runtimeLog.some((e) => e.message === wanted)) {
      if (Date.now() > deadline) throw new Error(`no log entry: ${JSON.stringify(runtimeLog)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('takes the deprecated InvokeAsync as an Event invoke (202 {"Status":202})', async () => {
    const before = (await lines('ok-sink', 0)).length;
    const r = await fetch(`${server.url}/2014-11-13/functions/ok-sink/invoke-async`, {
      method: 'POST',
      body: JSON.stringify({ ok: true, n: 'legacy' }),
    });
    expect(r.status).toBe(202);
    expect(r.headers.get('content-type')).toBe('application/json');
    const id = r.headers.get('x-amzn-requestid');
    expect(await r.json()).toStrictEqual({ Status: 202 });
    const all = await lines('ok-sink', before + 1);
    expect(all[before]).toStrictEqual({ requestId: id, event: { ok: true, n: 'legacy' } });

    const bad = await fetch(`${server.url}/2014-11-13/functions/ok-sink/invoke-async`, {
      method: 'POST',
      body: '{',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    const missing = await fetch(`${server.url}/2014-11-13/functions/missing/invoke-async`, {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toBe(
      `Function not found: ${ARN('missing')}`,
    );
  });

  it('runs a synchronous invocation under the request id it answers with', async () => {
    const r = await server.client.send(
      new InvokeCommand({
        FunctionName: 'ok-sink',
        Payload: Buffer.from(JSON.stringify({ ok: true, n: 'sync' })),
      }),
    );
    const all = await lines('ok-sink', 2);
    const last = all[all.length - 1];
    expect(last?.event).toStrictEqual({ ok: true, n: 'sync' });
    expect(last?.requestId).toBe(r.$metadata.requestId);
  });
});
