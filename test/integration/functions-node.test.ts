import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeLogEntry } from '../../dist/functions/index.js';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';

// Node handlers exactly as on Lambda: handler strings, module formats, context, env, warm state.
let server: FunctionServer;
let client: LambdaClient;
const notices: RuntimeLogEntry[] = [];

beforeAll(async () => {
  server = await startFunctionServer(
    (box) => {
      const cjs = box.code('node-cjs');
      return [
        fn('ctx', cjs, 'index.handler', {
          memorySize: 256,
          environment: { GREETING: 'hi', AWS_REGION: 'hijack' },
        }),
        fn('env', cjs, 'index.env', { environment: { GREETING: 'hi' } }),
        fn('nested', cjs, 'index.nested.deep.handler'),
        fn('cb', cjs, 'index.callback'),
        fn('cb-error', cjs, 'index.callbackError'),
        fn('cb-waits', cjs, 'index.callbackWaits'),
        fn('cb-nowait', cjs, 'index.callbackNoWait', { timeout: 3 }),
        fn('succeed', cjs, 'index.succeed'),
        fn('throws', cjs, 'index.fail'),
        fn('throws-string', cjs, 'index.throwString'),
        fn('circular', cjs, 'index.circular'),
        fn('relative', cjs, 'relative.handler'),
        fn('mjs', cjs, 'handler.handler'),
        fn('cjs-in-esm', box.code('node-esm'), 'legacy.handler'),
        fn('esm', box.code('node-esm'), 'app.handler'),
        fn('ts', box.code('node-ts'), 'src/handler.handler', { runtime: 'nodejs22.x' }),
        fn('ts-broken', box.code('node-ts'), 'src/broken.handler'),
        fn('no-module', cjs, 'nope.handler'),
        fn('no-export', cjs, 'index.missing'),
        fn('not-function', cjs, 'index.notAFunction'),
        fn('syntax', cjs, 'syntax-error.handler'),
        fn('malformed', cjs, 'index'),
        fn('init-log', cjs, 'init-log.handler'),
      ];
    },
    { region: 'eu-west-1', accountId: '123456789012', logger: (e) => notices.push(e) },
  );
  client = server.client;
});

afterAll(async () => {
  await server?.close();
});

async function invoke(name: string, payload: unknown = {}, extra: Record<string, unknown> = {}) {
  return client.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }),
  );
}

describe('Node handlers', () => {
  it('passes the full context object and keeps module state between warm invocations', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { a: 1 }, env: { locale: 'en' } })).toString(
      'base64',
    );
    const first = await invoke('ctx', { n: 1 }, { ClientContext: clientContext });
    expect(first.StatusCode).toBe(200);
    expect(first.FunctionError).toBeUndefined();
    expect(first.ExecutedVersion).toBe('$LATEST');
    const a = json(first.Payload) as Record<string, unknown> & { context: Record<string, unknown> };
    expect(a.count).toBe(1);
    expect(a.event).toEqual({ n: 1 });
    expect(a.cwd).toBe(server.box.code('node-cjs'));
    const ctx = a.context;
    expect(ctx.functionName).toBe('ctx');
    expect(ctx.functionVersion).toBe('$LATEST');
    expect(ctx.invokedFunctionArn).toBe('arn:aws:lambda:eu-west-1:123456789012:function:ctx');
    expect(ctx.memoryLimitInMB).toBe('256');
    expect(ctx.awsRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ctx.logGroupName).toBe('/aws/lambda/ctx');
    expect(ctx.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(ctx.remaining).toBeGreaterThan(0);
    expect(ctx.remaining).toBeLessThanOrEqual(1000);
    expect(ctx.callbackWaitsForEmptyEventLoop).toBe(true);
    expect(ctx.hasDone).toBe(true);
    expect(ctx.clientContext).toEqual({ custom: { a: 1 }, env: { locale: 'en' } });
    expect(ctx.identity).toBeUndefined();

    const second = json((await invoke('ctx', { n: 2 }, { Qualifier: '$LATEST' })).Payload) as Record<
      string,
      unknown
    > & {
      context: Record<string, unknown>;
    };
    expect(second.count).toBe(2);
    expect(second.loadedAt).toBe(a.loadedAt);
    expect(second.context.awsRequestId).not.toBe(ctx.awsRequestId);
    expect(second.context.logStreamName).toBe(ctx.logStreamName);
  });

  it('sets the Lambda environment variables; reserved ones cannot be overridden', async () => {
    const env = json((await invoke('env')).Payload) as Record<string, string>;
    expect(env.AWS_LAMBDA_FUNCTION_NAME).toBe('env');
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.AWS_DEFAULT_REGION).toBe('eu-west-1');
    expect(env._HANDLER).toBe('index.env');
    expect(env.LAMBDA_TASK_ROOT).toBe(server.box.code('node-cjs'));
    expect(env.LAMBDA_RUNTIME_DIR).toBe('/var/runtime');
    expect(env.TZ).toBe(':UTC');
    expect(env.LANG).toBe('en_US.UTF-8');
    expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs20.x');
    expect(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE).toBe('128');
    expect(env.AWS_LAMBDA_FUNCTION_VERSION).toBe('$LATEST');
    expect(env.AWS_LAMBDA_INITIALIZATION_TYPE).toBe('on-demand');
    expect(env.AWS_LAMBDA_LOG_GROUP_NAME).toBe('/aws/lambda/env');
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env.AWS_ACCESS_KEY_ID).toBe('ASIAPORTICOLOCAL0000');
    expect(env.AWS_SECRET_ACCESS_KEY).toBeTypeOf('string');
    expect(env.AWS_SESSION_TOKEN).toBeTypeOf('string');
    expect(env._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
    expect(env.GREETING).toBe('hi');
    // Nothing leaks from the gateway's own environment.
    expect(env.NODE_OPTIONS).toBeUndefined();
    expect(env.VITEST).toBeUndefined();
    const ctxEnv = json((await invoke('ctx')).Payload) as { context: unknown };
    expect(ctxEnv.context).toBeDefined();
  });

  it('loads CommonJS, ESM (.js by package type), .mjs, nested exports and TypeScript', async () => {
    expect(json((await invoke('nested')).Payload)).toBe('nested');
    expect(json((await invoke('mjs', { a: 1 })).Payload)).toEqual({
      kind: 'mjs',
      meta: 'string',
      event: { a: 1 },
    });
    expect(json((await invoke('relative')).Payload)).toEqual({ fromCwd: true });
    const esm = json((await invoke('esm', { name: 'ann' })).Payload);
    expect(esm).toEqual({
      kind: 'esm',
      greeting: 'hello ann',
      count: 1,
      ready: 'top-level await',
      esm: true,
    });
    const ts = await invoke('ts', { name: 'bob' });
    expect(ts.FunctionError).toBeUndefined();
    expect(json(ts.Payload)).toEqual({ message: 'BOB!', calls: 1, tiny: 'tiny from node_modules/tiny-dep' });
    expect(json((await invoke('ts', { name: 'x' })).Payload)).toEqual({
      message: 'X!',
      calls: 2,
      tiny: 'tiny from node_modules/tiny-dep',
    });
    // nodejs22.x runs on the local Node 20: a notice says so.
    expect(notices).toContainEqual({
      level: 'warn',
      functionName: 'ts',
      message: `Function ts declares runtime nodejs22.x; it runs on the local Node.js ${process.version}`,
    });
  });

  it('loads .cjs files inside a "type": "module" package', async () => {
    expect(json((await invoke('cjs-in-esm')).Payload)).toEqual({ kind: 'cjs-ext', hasRequire: true });
  });
});

describe('callback handlers', () => {
  it('returns what the callback passes, and callback errors as function errors', async () => {
    expect(json((await invoke('cb', { v: 1 })).Payload)).toEqual({ via: 'callback', event: { v: 1 } });
    const err = await invoke('cb-error');
    expect(err.FunctionError).toBe('Unhandled');
    const p = json(err.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(p.errorType).toBe('RangeError');
    expect(p.errorMessage).toBe('callback failed');
    expect(p.trace[0]).toBe('RangeError: callback failed');
    expect(json((await invoke('succeed')).Payload)).toEqual({ via: 'succeed' });
  });

  it('waits for the event loop to drain unless callbackWaitsForEmptyEventLoop is false', async () => {
    const waits = await client.send(new InvokeCommand({ FunctionName: 'cb-waits', LogType: 'Tail' }));
    expect(json(waits.Payload)).toBe('early');
    // The handler's 50 ms timer ran (and logged) before the invocation ended.
    const log = Buffer.from(waits.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/\tINFO\ttimer ran\nEND RequestId: /);
    // A pending 60 s timer would otherwise keep the response until the timeout.
    const noWait = await invoke('cb-nowait');
    expect(noWait.FunctionError).toBeUndefined();
    expect(json(noWait.Payload)).toBe('no wait');
  });
});

describe('function errors', () => {
  it('reports thrown errors like the Lambda Node runtime', async () => {
    const r = await invoke('throws');
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    const p = json(r.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(p.errorType).toBe('TypeError');
    expect(p.errorMessage).toBe('bad things');
    expect(p.trace[0]).toBe('TypeError: bad things');
    expect(p.trace[1]).toContain('node-cjs/index.js');
    expect(json((await invoke('throws-string')).Payload)).toEqual({
      errorType: 'string',
      errorMessage: 'just a string',
      trace: [],
    });
    expect(json((await invoke('circular')).Payload)).toEqual({
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to stringify response body',
      trace: [],
    });
  });

  it('reports load failures: ImportModuleError, HandlerNotFound, syntax errors, malformed handler', async () => {
    const noModule = await invoke('no-module');
    expect(noModule.FunctionError).toBe('Unhandled');
    expect(json(noModule.Payload)).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Error: Cannot find module 'nope'\nRequire stack:\n- /var/runtime/index.mjs",
      trace: [
        "Runtime.ImportModuleError: Error: Cannot find module 'nope'",
        'Require stack:',
        '- /var/runtime/index.mjs',
      ],
    });
    for (const name of ['no-export', 'not-function']) {
      const r = json((await invoke(name)).Payload) as { errorType: string; errorMessage: string };
      expect(r.errorType).toBe('Runtime.HandlerNotFound');
      expect(r.errorMessage).toBe(
        `index.${name === 'no-export' ? 'missing' : 'notAFunction'} is undefined or not exported`,
      );
    }
    const syntax = json((await invoke('syntax')).Payload) as { errorType: string; errorMessage: string };
    expect(syntax.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(syntax.errorMessage).toBe('SyntaxError: Unexpected end of input');
    const tsBroken = json((await invoke('ts-broken')).Payload) as { errorType: string; errorMessage: string };
    expect(tsBroken.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(tsBroken.errorMessage).toContain('SyntaxError: Build failed with 1 error');
    expect(json((await invoke('malformed')).Payload)).toEqual({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: 'Bad handler index',
      trace: ['Runtime.MalformedHandlerName: Bad handler index'],
    });
  });
});

describe('logs and cold starts', () => {
  it('frames the invocation with START/END/REPORT, Init Duration only on a cold start, init logs before START', async () => {
    const cold = await client.send(new InvokeCommand({ FunctionName: 'init-log', LogType: 'Tail' }));
    const coldLog = Buffer.from(cold.LogResult ?? '', 'base64').toString('utf8');
    const lines = coldLog.split('\n');
    expect(lines[0]).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    expect(lines[1]).toMatch(/^END RequestId: [0-9a-f-]{36}$/);
    expect(lines[2]).toMatch(
      /^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms\t$/,
    );
    expect(lines[3]).toBe('');
    const warm = await client.send(new InvokeCommand({ FunctionName: 'init-log', LogType: 'Tail' }));
    const warmLog = Buffer.from(warm.LogResult ?? '', 'base64').toString('utf8');
    expect(warmLog).toMatch(
      /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\nEND RequestId: [0-9a-f-]{36}\nREPORT RequestId: [^\n]*Max Memory Used: \d+ MB\t\n$/,
    );
    expect(warmLog).not.toContain('Init Duration');
    const all = (await server.runtime.readLogs('init-log')).text;
    // The init line comes before the first START, with the request id "undefined" as on Lambda.
    expect(all.indexOf('\tundefined\tINFO\tinit phase log\n')).toBeGreaterThanOrEqual(0);
    expect(all.indexOf('init phase log')).toBeLessThan(all.indexOf('START RequestId'));
  });
});
