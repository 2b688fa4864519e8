import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  type LoggingConfig,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';
import {
  startLambdaServer,
  tempDataDir,
  zipOf,
  type LambdaTestServer,
  createFunction,
  sdkError,
} from '../helpers/lambda-control-plane.js';

// Lambda's LoggingConfig through the real SDK client: what CreateFunction and
// UpdateFunctionConfiguration accept and store, what every FunctionConfiguration reports, the
// validation errors, versions, restarts and config-file functions.
const data = tempDataDir();
let box: FunctionSandbox;
let server: LambdaTestServer;

const TEXT_WITH_LEVELS =
  'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.';

beforeAll(async () => {
  box = createFunctionSandbox();
  server = await startServer();
});

afterAll(async () => {
  await server?.close();
  data.cleanup();
  box?.cleanup();
});

function startServer(): Promise<LambdaTestServer> {
  return startLambdaServer({
    dataDir: data.dir,
    configFunctions: [
      fn('cfg-json', box.code('node-cjs'), 'index.handler', {
        loggingConfig: { logFormat: 'JSON', systemLogLevel: 'WARN', logGroup: '/portico/cfg' },
      }),
    ],
  });
}

async function create(name: string, loggingConfig?: LoggingConfig): Promise<LoggingConfig | undefined> {
  const out = await createFunction(
    server.client,
    name,
    loggingConfig === undefined ? {} : { LoggingConfig: loggingConfig },
  );
  return out.LoggingConfig;
}

async function update(name: string, loggingConfig: LoggingConfig): Promise<LoggingConfig | undefined> {
  const out = await server.client.send(
    new UpdateFunctionConfigurationCommand({ FunctionName: name, LoggingConfig: loggingConfig }),
  );
  return out.LoggingConfig;
}

async function stored(name: string, qualifier?: string): Promise<LoggingConfig | undefined> {
  const out = await server.client.send(
    new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }),
  );
  return out.LoggingConfig;
}

const invalidValue = (message: string) => ({
  name: 'InvalidParameterValueException',
  status: 400,
  message,
});

describe('CreateFunction and the FunctionConfiguration', () => {
  it('reports Text and /aws/lambda/<name> for a function without LoggingConfig', async () => {
    expect(await create('plain')).toStrictEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/plain' });
    expect(await stored('plain')).toStrictEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/plain' });
  });

  it('stores JSON with both levels and a log group, and every read returns them exactly', async () => {
    const given = {
      LogFormat: 'JSON',
      ApplicationLogLevel: 'DEBUG',
      SystemLogLevel: 'WARN',
      LogGroup: '/custom/group-1_a.b#c',
    } as const;
    expect(await create('json-all', given)).toStrictEqual(given);
    expect(await stored('json-all')).toStrictEqual(given);
    const got = await server.client.send(new GetFunctionCommand({ FunctionName: 'json-all' }));
    expect(got.Configuration?.LoggingConfig).toStrictEqual(given);
    expect(server.errors).toStrictEqual([]);
  });

  it('reports INFO for both levels and the default log group when only LogFormat JSON is given', async () => {
    const expected = {
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/json-only',
    };
    expect(await create('json-only', { LogFormat: 'JSON' })).toStrictEqual(expected);
    expect(await stored('json-only')).toStrictEqual(expected);
  });

  it('keeps the Text format with a custom log group', async () => {
    expect(await create('text-group', { LogFormat: 'Text', LogGroup: '/team/logs' })).toStrictEqual({
      LogFormat: 'Text',
      LogGroup: '/team/logs',
    });
    expect(await create('group-only', { LogGroup: 'shared' })).toStrictEqual({
      LogFormat: 'Text',
      LogGroup: 'shared',
    });
  });

  it('reports the LoggingConfig of a config-file function', async () => {
    expect(await stored('cfg-json')).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'WARN',
      LogGroup: '/portico/cfg',
    });
  });
});

describe('UpdateFunctionConfiguration', () => {
  it('merges the members given into the current settings', async () => {
    await create('merge', { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN' });
    expect(await update('merge', { ApplicationLogLevel: 'ERROR' })).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'ERROR',
      SystemLogLevel: 'WARN',
      LogGroup: '/aws/lambda/merge',
    });
    expect(await update('merge', { LogGroup: '/moved' })).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'ERROR',
      SystemLogLevel: 'WARN',
      LogGroup: '/moved',
    });
    expect(await stored('merge')).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'ERROR',
      SystemLogLevel: 'WARN',
      LogGroup: '/moved',
    });
  });

  it('keeps LoggingConfig when the update does not name it', async () => {
    await create('untouched', { LogFormat: 'JSON', ApplicationLogLevel: 'TRACE' });
    const out = await server.client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'untouched', Timeout: 9 }),
    );
    expect(out.Timeout).toBe(9);
    expect(out.LoggingConfig).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'TRACE',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/untouched',
    });
  });

  it('drops the levels when the format turns to Text, and starts again from INFO on JSON', async () => {
    await create('switch', { LogFormat: 'JSON', ApplicationLogLevel: 'FATAL', SystemLogLevel: 'DEBUG' });
    expect(await update('switch', { LogFormat: 'Text' })).toStrictEqual({
      LogFormat: 'Text',
      LogGroup: '/aws/lambda/switch',
    });
    expect(await update('switch', { LogFormat: 'JSON' })).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/switch',
    });
  });

  it('turns a Text function to JSON with levels in one request', async () => {
    await create('to-json');
    expect(await update('to-json', { LogFormat: 'JSON', SystemLogLevel: 'DEBUG' })).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'INFO',
      SystemLogLevel: 'DEBUG',
      LogGroup: '/aws/lambda/to-json',
    });
  });
});

describe('validation', () => {
  it.each([
    [
      'LogFormat',
      { LogFormat: 'XML' },
      "1 validation error detected: Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]",
    ],
    [
      'LogFormat (case matters)',
      { LogFormat: 'TEXT' },
      "1 validation error detected: Value 'TEXT' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [JSON, Text]",
    ],
    [
      'ApplicationLogLevel',
      { LogFormat: 'JSON', ApplicationLogLevel: 'VERBOSE' },
      "1 validation error detected: Value 'VERBOSE' at 'loggingConfig.applicationLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [TRACE, DEBUG, INFO, WARN, ERROR, FATAL]",
    ],
    [
      'SystemLogLevel',
      { LogFormat: 'JSON', SystemLogLevel: 'ERROR' },
      "1 validation error detected: Value 'ERROR' at 'loggingConfig.systemLogLevel' failed to satisfy constraint: Member must satisfy enum value set: [DEBUG, INFO, WARN]",
    ],
    [
      'LogGroup (pattern)',
      { LogGroup: 'my group' },
      "1 validation error detected: Value 'my group' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    ],
    [
      'LogGroup (empty)',
      { LogGroup: '' },
      "1 validation error detected: Value '' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'LogGroup (too long)',
      { LogGroup: 'g'.repeat(513) },
      `1 validation error detected: Value '${'g'.repeat(513)}' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must have length less than or equal to 512`,
    ],
  ])(
    'refuses a bad %s on CreateFunction and UpdateFunctionConfiguration',
    async (_member, given, message) => {
      const name = `bad-${_member.replace(/\W+/g, '-').replace(/-$/, '').toLowerCase()}`;
      expect(await sdkError(create(name, given as LoggingConfig))).toStrictEqual(invalidValue(message));
      await create(name);
      expect(await sdkError(update(name, given as LoggingConfig))).toStrictEqual(invalidValue(message));
      expect(await stored(name)).toStrictEqual({ LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    },
  );

  it('accepts a 512-character log group', async () => {
    const group = `/${'g'.repeat(511)}`;
    expect(await create('long-group', { LogGroup: group })).toStrictEqual({
      LogFormat: 'Text',
      LogGroup: group,
    });
  });

  it.each([
    ['ApplicationLogLevel with Text', { LogFormat: 'Text', ApplicationLogLevel: 'DEBUG' }],
    ['SystemLogLevel with Text', { LogFormat: 'Text', SystemLogLevel: 'WARN' }],
    ['a level without LogFormat (Text by default)', { ApplicationLogLevel: 'INFO' }],
  ] as const)('refuses %s on CreateFunction', async (_name, given) => {
    expect(await sdkError(create('never-created', given))).toStrictEqual(invalidValue(TEXT_WITH_LEVELS));
  });

  it('refuses levels for a Text function, and levels given while switching JSON to Text', async () => {
    await create('stays-text', { LogGroup: '/kept' });
    expect(await sdkError(update('stays-text', { SystemLogLevel: 'DEBUG' }))).toStrictEqual(
      invalidValue(TEXT_WITH_LEVELS),
    );
    await create('leaves-json', { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' });
    expect(
      await sdkError(update('leaves-json', { LogFormat: 'Text', ApplicationLogLevel: 'WARN' })),
    ).toStrictEqual(invalidValue(TEXT_WITH_LEVELS));
    // Nothing changed.
    expect(await stored('stays-text')).toStrictEqual({ LogFormat: 'Text', LogGroup: '/kept' });
    expect(await stored('leaves-json')).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'WARN',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/leaves-json',
    });
  });

  it('answers a LoggingConfig that is not an object with InvalidRequestContentException', async () => {
    const res = await fetch(`${server.url}/2015-03-31/functions/plain/configuration`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ LoggingConfig: 'JSON' }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
    expect(await res.json()).toStrictEqual({
      Type: 'User',
      message:
        'Could not parse request body into json: Unexpected value for LoggingConfig: expected an object, got string',
    });
  });
});

describe('versions and restarts', () => {
  it('publishes the LoggingConfig of $LATEST; a logging change is a new version', async () => {
    await create('versioned', { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' });
    const v1 = await server.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    expect(v1.Version).toBe('1');
    const v1Logging = {
      LogFormat: 'JSON',
      ApplicationLogLevel: 'WARN',
      SystemLogLevel: 'INFO',
      LogGroup: '/aws/lambda/versioned',
    };
    expect(v1.LoggingConfig).toStrictEqual(v1Logging);

    await update('versioned', { LogFormat: 'Text' });
    expect(await stored('versioned', '1')).toStrictEqual(v1Logging);
    const v2 = await server.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    expect(v2.Version).toBe('2');
    expect(v2.LoggingConfig).toStrictEqual({ LogFormat: 'Text', LogGroup: '/aws/lambda/versioned' });

    // Restating the current settings changes nothing a version would run with.
    await update('versioned', { LogFormat: 'Text' });
    const again = await server.client.send(new PublishVersionCommand({ FunctionName: 'versioned' }));
    expect(again.Version).toBe('2');

    const listed = await server.client.send(new ListVersionsByFunctionCommand({ FunctionName: 'versioned' }));
    expect(listed.Versions?.map((v) => [v.Version, v.LoggingConfig?.LogFormat])).toStrictEqual([
      ['$LATEST', 'Text'],
      ['1', 'JSON'],
      ['2', 'Text'],
    ]);
  });

  it('keeps LoggingConfig across a restart', async () => {
    await create('durable', {
      LogFormat: 'JSON',
      ApplicationLogLevel: 'ERROR',
      SystemLogLevel: 'DEBUG',
      LogGroup: '/durable',
    });
    await server.close();
    server = await startServer();
    expect(await stored('durable')).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'ERROR',
      SystemLogLevel: 'DEBUG',
      LogGroup: '/durable',
    });
    expect(await stored('json-all')).toStrictEqual({
      LogFormat: 'JSON',
      ApplicationLogLevel: 'DEBUG',
      SystemLogLevel: 'WARN',
      LogGroup: '/custom/group-1_a.b#c',
    });
  });
});

describe('the runtime', () => {
  const LOGGING = `exports.handler = async (event, context) => {
  console.debug('dbg');
  console.info('inf');
  return { logGroupName: context.logGroupName, format: process.env.AWS_LAMBDA_LOG_FORMAT ?? null };
};
`;

  async function invoke(name: string): Promise<{ payload: unknown; log: string[] }> {
    const out = await server.client.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
    return {
      payload: JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')),
      log: Buffer.from(out.LogResult ?? '', 'base64')
        .toString('utf8')
        .trimEnd()
        .split('\n'),
    };
  }

  it('runs with the stored LoggingConfig, and with the merged one after an update', async () => {
    await createFunction(server.client, 'runs', {
      Code: { ZipFile: zipOf({ 'index.js': LOGGING }) },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', LogGroup: '/runs/group' },
    });
    const json = await invoke('runs');
    expect(json.payload).toStrictEqual({ logGroupName: '/runs/group', format: 'JSON' });
    const records = json.log.map((line) => JSON.parse(line) as Record<string, unknown>);
    // The DEBUG call is below the application level.
    expect(records.filter((r) => 'level' in r).map((r) => [r.level, r.message])).toStrictEqual([
      ['INFO', 'inf'],
    ]);

    await update('runs', { LogFormat: 'Text' });
    const text = await invoke('runs');
    // The merged settings: the log group stays, the format is no longer JSON (what the runtime sets
    // for Text is its own business, docs/functions.md).
    expect(text.payload).toMatchObject({ logGroupName: '/runs/group' });
    expect(text.payload).not.toHaveProperty('format', 'JSON');
    expect(text.log[0]?.startsWith('START RequestId: ')).toBe(true);
    expect(
      text.log.filter((l) => /\t(DEBUG|INFO)\t/.test(l)).map((l) => l.split('\t').slice(2)),
    ).toStrictEqual([
      ['DEBUG', 'dbg'],
      ['INFO', 'inf'],
    ]);
  });
});
