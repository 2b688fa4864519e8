import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvalidParameterValueException,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
} from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  handlerZip,
  startLambdaServer,
  tempDataDir,
  zipOf,
  type LambdaTestServer,
  ROLE,
} from '../helpers/lambda-control-plane.js';

// Refused input: the right exception, status and message, and nothing half-written.
const data = tempDataDir();
let server: LambdaTestServer;

beforeAll(async () => {
  server = await startLambdaServer({ dataDir: data.dir });
});

afterAll(async () => {
  await server?.close();
  data.cleanup();
});

function input(extra: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput {
  return {
    FunctionName: 'bad',
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: 'index.handler',
    Code: { ZipFile: handlerZip('x') },
    ...extra,
  };
}

/** Sends a CreateFunction and returns the SDK error (name, status, message). */
async function refused(
  extra: Partial<CreateFunctionCommandInput>,
): Promise<{ name: string; status?: number; message: string }> {
  try {
    await server.client.send(new CreateFunctionCommand(input(extra)));
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the request to be refused');
}

async function expectNothingStored(): Promise<void> {
  const list = await server.client.send(new ListFunctionsCommand({}));
  expect(list.Functions).toEqual([]);
  expect((await server.store.functions.list()).items).toEqual([]);
  expect(await server.store.code.prune()).toBe(0);
}

async function post(
  path: string,
  body: string,
): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.json() };
}

describe('CreateFunction input validation', () => {
  it('answers malformed JSON with InvalidRequestContentException', async () => {
    const r = await post('/2015-03-31/functions', '{"FunctionName": ');
    expect(r.status).toBe(400);
    expect(r.type).toBe('InvalidRequestContentException');
    expect(r.body).toMatchObject({ Type: 'User' });
    expect((r.body as { message: string }).message).toMatch(/^Could not parse request body into json: /);
    await expectNothingStored();
  });

  it('answers wrong JSON types with InvalidRequestContentException', async () => {
    const zip = Buffer.from(handlerZip('x')).toString('base64');
    const r = await post(
      '/2015-03-31/functions',
      JSON.stringify({
        FunctionName: 'bad',
        Runtime: 'nodejs20.x',
        Role: ROLE,
        Handler: 'index.handler',
        Timeout: '3',
        Code: { ZipFile: zip },
      }),
    );
    expect(r).toEqual({
      status: 400,
      type: 'InvalidRequestContentException',
      body: {
        Type: 'User',
        message:
          'Could not parse request body into json: Unexpected value for Timeout: expected an integer, got string',
      },
    });
    const arr = await post('/2015-03-31/functions', '[1,2]');
    expect(arr.type).toBe('InvalidRequestContentException');
    await expectNothingStored();
  });

  it.each([
    [
      { Runtime: 'cobol85' as never },
      /^1 validation error detected: Value 'cobol85' at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    ],
    [
      { Runtime: 'python3.12' as const },
      /^The runtime parameter of python3\.12 is not supported by Portico\. Supported runtimes: nodejs20\.x, /,
    ],
    [
      { Timeout: 0 },
      /Value '0' at 'timeout' failed to satisfy constraint: Member must have value greater than or equal to 1$/,
    ],
    [
      { Timeout: 901 },
      /Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900$/,
    ],
    [
      { MemorySize: 127 },
      /at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128$/,
    ],
    [
      { MemorySize: 10241 },
      /at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240$/,
    ],
    [
      { Environment: { Variables: { BIG: 'x'.repeat(4100) } } },
      /exceeded the 4KB limit\. String measured: \{"BIG":"x+"\}$/,
    ],
    [
      { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } },
      /Reserved keys used in this request: AWS_REGION$/,
    ],
    [
      { Environment: { Variables: { AWS_DEFAULT_REGION: 'eu-west-1' } } },
      /Reserved keys used in this request: AWS_DEFAULT_REGION$/,
    ],
    [{ FunctionName: 'bad name' }, /^1 validation error detected: Value 'bad name' at 'functionName' failed/],
    [{ FunctionName: 'x'.repeat(65) }, /at 'functionName' failed to satisfy constraint/],
    [
      { Handler: 'index handler' },
      /at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    ],
    [{ Role: 'not-a-role' }, /Value 'not-a-role' at 'role' failed to satisfy constraint/],
    [{ Handler: undefined }, /^Runtime and Handler are mandatory parameters/],
    [{ PackageType: 'Image' as const }, /^PackageType Image is not supported by Portico/],
    [{ Code: { S3Bucket: 'b', S3Key: 'k' } }, /^S3Bucket is not supported by Portico/],
    [
      { Code: { ZipFile: randomBytes(64) } },
      /^Could not unzip uploaded file\. Please check your file, then try to upload again\.$/,
    ],
  ])('refuses %j with InvalidParameterValueException', async (extra, message) => {
    const e = await refused(extra);
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(message);
    await expectNothingStored();
  });

  it.each(['../evil.js', 'a/../../evil.js', '/etc/evil.js'])(
    'refuses a zip with the entry %s',
    async (entry) => {
      const zip = zipOf({ 'index.js': 'exports.handler = async () => 1;', [entry]: 'pwned' });
      const e = await refused({ Code: { ZipFile: zip } });
      expect(e).toEqual({
        name: 'InvalidParameterValueException',
        status: 400,
        message: `Could not unzip uploaded file: entry '${entry}' would be written outside the function's code directory.`,
      });
      expect(existsSync(join(data.dir, 'evil.js'))).toBe(false);
      expect(existsSync('/etc/evil.js')).toBe(false);
      await expectNothingStored();
    },
  );

  it('refuses packages that unzip to 250 MB or more (sizes are read, nothing is inflated)', async () => {
    const zip = Buffer.from(zipSync({ 'index.js': new TextEncoder().encode('exports.handler = () => 1;') }));
    // Declare 262144000 bytes as the entry's uncompressed size in the central directory.
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(262_144_000, central + 24);
    const e = await refused({ Code: { ZipFile: zip } });
    expect(e).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Unzipped size must be smaller than 262144000 bytes',
    });
    await expectNothingStored();
  });

  it('refuses zips over 50 MB with RequestEntityTooLargeException 413', async () => {
    const zip = zipSync({ 'blob.bin': randomBytes(50 * 1024 * 1024 + 1) }, { level: 0 });
    const e = await refused({ Code: { ZipFile: zip } });
    expect(e).toEqual({
      name: 'RequestEntityTooLargeException',
      status: 413,
      message: 'Request must be smaller than 69905067 bytes for the CreateFunction operation',
    });
    await expectNothingStored();
  }, 30_000);

  it('answers a missing function with ResourceNotFoundException 404', async () => {
    const err = await server.client
      .send(new GetFunctionCommand({ FunctionName: 'nope' }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope',
    );
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
  });

  it('rolls everything back when the new model cannot be activated', async () => {
    const changed = server.ctx.changed;
    server.ctx.changed = () => Promise.reject(new Error('compile failed'));
    try {
      const e = await refused({ FunctionName: 'rollback' });
      expect(e).toMatchObject({ name: 'ServiceException', status: 500, message: 'Internal error' });
    } finally {
      server.ctx.changed = changed;
    }
    await expectNothingStored();
    expect(server.errors.map((e) => (e as Error).message)).toEqual(['compile failed']);
    server.errors.length = 0;
  });
});

describe('updates with bad input change nothing', () => {
  it('keeps code and configuration when an update is refused', async () => {
    const created = await server.client.send(new CreateFunctionCommand(input({ FunctionName: 'keep' })));
    const dup = await server.client
      .send(new CreateFunctionCommand(input({ FunctionName: 'keep' })))
      .catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(ResourceConflictException);
    expect((dup as ResourceConflictException).message).toBe('Function already exist: keep');
    expect((dup as ResourceConflictException).$metadata.httpStatusCode).toBe(409);

    const badZip = await server.client
      .send(new UpdateFunctionCodeCommand({ FunctionName: 'keep', ZipFile: zipOf({ '../x.js': '1' }) }))
      .catch((e: unknown) => e);
    expect(badZip).toBeInstanceOf(InvalidParameterValueException);
    const badCfg = await server.client
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keep', Timeout: 5, MemorySize: 99 }))
      .catch((e: unknown) => e);
    expect(badCfg).toBeInstanceOf(InvalidParameterValueException);
    const stale = await server.client
      .send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keep', Timeout: 5, RevisionId: 'stale' }))
      .catch((e: unknown) => e);
    expect((stale as Error).name).toBe('PreconditionFailedException');
    expect((stale as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(412);

    const now = await server.client.send(new GetFunctionCommand({ FunctionName: 'keep' }));
    expect(now.Configuration).toMatchObject({
      CodeSha256: created.CodeSha256,
      RevisionId: created.RevisionId,
      Timeout: 3,
      MemorySize: 128,
    });
    expect(server.errors).toEqual([]);
  });
});
