import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PorticoFunctionRuntime } from '../../dist/functions/index.js';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';

// Custom runtimes (provided.al2023 / provided.al2) through Portico's Runtime API.
let server: FunctionServer | undefined;
let runtime: PorticoFunctionRuntime;
let client: LambdaClient;

beforeAll(async () => {
  server = await startFunctionServer(
    (box) => [
      fn('sh', box.code('custom-sh'), 'function.handler', { runtime: 'provided.al2023' }),
      fn('py', box.code('custom-py'), 'main', { runtime: 'provided.al2' }),
      fn('py-init-fail', box.code('custom-py'), 'main', {
        runtime: 'provided.al2023',
        environment: { FAIL_INIT: '1' },
      }),
      fn('no-bootstrap', box.code('node-cjs'), 'x', { runtime: 'provided.al2023' }),
    ],
    { region: 'ap-south-1' },
  );
  ({ runtime, client } = server);
});

afterAll(() => server?.close());

async function invoke(name: string, payload: unknown = {}, extra: Record<string, unknown> = {}) {
  return client.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), ...extra }),
  );
}

describe('shell + curl bootstrap', () => {
  it('serves events through /invocation/next and /response with the documented headers', async () => {
    const r = await invoke('sh', { hello: 'world' }, { LogType: 'Tail' });
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBeUndefined();
    const body = json(r.Payload) as Record<string, unknown>;
    expect(body).toEqual({
      runtime: 'sh',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      arn: 'arn:aws:lambda:ap-south-1:000000000000:function:sh',
      hasDeadline: true,
      fn: 'sh',
      event: { hello: 'world' },
    });
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain(`START RequestId: ${String(body.requestId)} Version: $LATEST\n`);
    expect(log).toContain('Init Duration: ');
    const warm = await invoke('sh', { n: 2 });
    expect((json(warm.Payload) as { event: unknown }).event).toEqual({ n: 2 });
    // Init output came before the first START.
    const all = (await runtime.readLogs('sh')).text;
    expect(all.indexOf('sh runtime starting, handler=function.handler')).toBeLessThan(
      all.indexOf('START RequestId'),
    );
  });

  it('returns what the runtime posts to /error as a function error', async () => {
    const r = await invoke('sh', { fail: true });
    expect(r.FunctionError).toBe('Unhandled');
    expect(json(r.Payload)).toEqual({
      errorMessage: 'shell said no',
      errorType: 'ShellError',
      stackTrace: [],
    });
    expect((json((await invoke('sh', { ok: 1 })).Payload) as { event: unknown }).event).toEqual({ ok: 1 });
  });

  it('times out, kills the runtime, and starts a fresh one', async () => {
    const r = await invoke('sh', { sleep: true });
    expect(json(r.Payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
      ),
    });
    const next = await invoke('sh', { after: 'timeout' }, { LogType: 'Tail' });
    expect((json(next.Payload) as { event: unknown }).event).toEqual({ after: 'timeout' });
    expect(Buffer.from(next.LogResult ?? '', 'base64').toString('utf8')).toContain('Init Duration: ');
  });
});

describe('python bootstrap', () => {
  it('runs a Python runtime with warm state and client context', async () => {
    const cc = Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64');
    const first = json((await invoke('py', { a: 1 }, { ClientContext: cc })).Payload);
    expect(first).toEqual({
      runtime: 'python',
      count: 1,
      event: { a: 1 },
      clientContext: { custom: { k: 'v' } },
      region: 'ap-south-1',
      execEnv: null,
    });
    const second = json((await invoke('py', { a: 2 })).Payload) as { count: number };
    expect(second.count).toBe(2);
  });

  it('reports errors, a crash (Runtime.ExitError) and init errors', async () => {
    const err = await invoke('py', { raise: true });
    expect(err.FunctionError).toBe('Unhandled');
    expect(json(err.Payload)).toEqual({
      errorMessage: 'python error',
      errorType: 'ValueError',
      stackTrace: ['line 1'],
    });
    const exit = await invoke('py', { exit: true });
    expect(json(exit.Payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
      ),
    });
    expect((json((await invoke('py', { b: 1 })).Payload) as { count: number }).count).toBe(1);
    const init = await invoke('py-init-fail');
    expect(init.FunctionError).toBe('Unhandled');
    expect(json(init.Payload)).toEqual({
      errorMessage: 'init failed on purpose',
      errorType: 'Runtime.InitTest',
    });
  });

  it('reports a missing bootstrap as Runtime.InvalidEntrypoint', async () => {
    const r = await invoke('no-bootstrap');
    expect(r.FunctionError).toBe('Unhandled');
    expect((json(r.Payload) as { errorType: string }).errorType).toBe('Runtime.InvalidEntrypoint');
  });
});
