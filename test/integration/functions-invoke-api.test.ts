import {
  InvalidRequestContentException,
  InvokeCommand,
  RequestTooLargeException,
  ResourceNotFoundException,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInvoke } from '../../dist/cli/invoke.js';
import { runLogs } from '../../dist/cli/logs.js';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';

// The Lambda Invoke API on the admin port, the log route and the CLI commands.
let server: FunctionServer;
let client: LambdaClient;

beforeAll(async () => {
  server = await startFunctionServer(
    (box) => {
      const cjs = box.code('node-cjs');
      return [
        fn('echo', cjs, 'index.handler'),
        fn('logs', cjs, 'index.logs'),
        fn('big-log', cjs, 'index.bigLog'),
        fn('throws', cjs, 'index.fail'),
        fn('flaky', cjs, 'flaky.handler'),
        fn('huge', cjs, 'index.huge', { memorySize: 512 }),
      ];
    },
    { eventRetryDelaysMs: [50, 50], logRoutes: true },
  );
  const cjs = server.box.code('node-cjs');
  server.runtime.setQualifierResolver((name, qualifier) =>
    name === 'echo' && qualifier === 'live'
      ? { def: fn('echo', cjs, 'index.handler', { environment: { V: '1' } }), version: '1' }
      : undefined,
  );
  client = server.client;
});

afterAll(async () => {
  await server?.close();
});

function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  return (async () => {
    while (!(await check())) {
      if (Date.now() > until) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
}

describe('Invoke', () => {
  it('fails a response over 6 MB with Function.ResponseSizeTooLarge, as Lambda does', async () => {
    const r = await client.send(
      new InvokeCommand({ FunctionName: 'huge', Payload: Buffer.from('{"mb":7}') }),
    );
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    expect(json(r.Payload)).toStrictEqual({
      errorMessage: `Response payload size (${7 * 1024 * 1024 + 2} bytes) exceeded maximum allowed payload size (6291456 bytes).`,
      errorType: 'Function.ResponseSizeTooLarge',
    });
    const ok = await client.send(
      new InvokeCommand({ FunctionName: 'huge', Payload: Buffer.from('{"mb":5}') }),
    );
    expect(ok.FunctionError).toBeUndefined();
    expect(Buffer.from(ok.Payload ?? []).length).toBe(5 * 1024 * 1024 + 2);
  });

  it('answers RequestResponse with the payload and X-Amz-Executed-Version', async () => {
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    expect(r.StatusCode).toBe(200);
    expect(r.ExecutedVersion).toBe('$LATEST');
    expect(r.FunctionError).toBeUndefined();
    expect(r.LogResult).toBeUndefined();
    expect((json(r.Payload) as { event: unknown }).event).toEqual({ a: 1 });
  });

  it('accepts ARNs, partial ARNs and qualifiers (resolved through the hook)', async () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:echo';
    const full = await client.send(new InvokeCommand({ FunctionName: arn }));
    expect(
      (json(full.Payload) as { context: { invokedFunctionArn: string } }).context.invokedFunctionArn,
    ).toBe(arn);
    const partial = await client.send(
      new InvokeCommand({ FunctionName: '000000000000:function:echo:$LATEST' }),
    );
    expect(partial.ExecutedVersion).toBe('$LATEST');
    const alias = await client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'live' }));
    expect(alias.ExecutedVersion).toBe('1');
    const body = json(alias.Payload) as { context: { functionVersion: string; invokedFunctionArn: string } };
    expect(body.context.functionVersion).toBe('1');
    expect(body.context.invokedFunctionArn).toBe(`${arn}:live`);
    await expect(client.send(new InvokeCommand({ FunctionName: 'echo:nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: `Function not found: ${arn}:nope`,
    });
  });

  it('reports function errors as 200 with X-Amz-Function-Error', async () => {
    const r = await client.send(new InvokeCommand({ FunctionName: 'throws' }));
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    expect((json(r.Payload) as { errorType: string }).errorType).toBe('TypeError');
  });

  it('returns the last 4 KB of the log with LogType Tail', async () => {
    const r = await client.send(new InvokeCommand({ FunctionName: 'logs', LogType: 'Tail' }));
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    const lines = log.split('\n');
    expect(lines[0]).toMatch(/^START RequestId: ([0-9a-f-]{36}) Version: \$LATEST$/);
    const id = /RequestId: (\S+)/.exec(lines[0] ?? '')?.[1] ?? '';
    const iso = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
    expect(lines[1]).toMatch(new RegExp(`^${iso}\\t${id}\\tINFO\\thello from log$`));
    expect(lines[2]).toMatch(new RegExp(`^${iso}\\t${id}\\tWARN\\ta warning { n: 1 }$`));
    expect(lines[3]).toMatch(new RegExp(`^${iso}\\t${id}\\tERROR\\tan error$`));
    expect(lines[4]).toMatch(new RegExp(`^${iso}\\t${id}\\tINFO\\tinfo 42$`));
    expect(lines[5]).toBe('raw stdout');
    expect(lines[6]).toBe(`END RequestId: ${id}`);
    expect(lines[7]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t`,
      ),
    );
    const big = await client.send(new InvokeCommand({ FunctionName: 'big-log', LogType: 'Tail' }));
    const bigLog = Buffer.from(big.LogResult ?? '', 'base64');
    expect(bigLog.length).toBe(4096);
    expect(bigLog.toString('utf8')).toMatch(/REPORT RequestId: [^\n]+\n$/);
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const before = server.runtime.environmentCounts('flaky');
    const r = await client.send(new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'DryRun' }));
    expect(r.StatusCode).toBe(204);
    expect(server.runtime.environmentCounts('flaky')).toEqual(before);
  });

  it('queues Event invokes (202) and retries them twice on failure', async () => {
    const r = await client.send(
      new InvokeCommand({
        FunctionName: 'flaky',
        InvocationType: 'Event',
        Payload: Buffer.from('{"id":"e1","failures":2}'),
      }),
    );
    expect(r.StatusCode).toBe(202);
    expect(r.Payload?.length ?? 0).toBe(0);
    await waitFor(async () => (await server.runtime.readLogs('flaky')).text.includes('attempt 3 for e1'));
    // A third failure is not retried again (1 try + 2 retries).
    await client.send(
      new InvokeCommand({
        FunctionName: 'flaky',
        InvocationType: 'Event',
        Payload: Buffer.from('{"id":"e2","failures":5}'),
      }),
    );
    await waitFor(async () => (await server.runtime.readLogs('flaky')).text.includes('attempt 3 for e2'));
    await new Promise((res) => setTimeout(res, 300));
    const text = (await server.runtime.readLogs('flaky')).text;
    expect(text).not.toContain('attempt 4 for e2');
    expect(text.match(/attempt \d for e1/g)).toEqual([
      'attempt 1 for e1',
      'attempt 2 for e1',
      'attempt 3 for e1',
    ]);
  });

  it('answers ResourceNotFoundException (404) in Lambda error format', async () => {
    const err = await client.send(new InvokeCommand({ FunctionName: 'missing' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect((err as ResourceNotFoundException).$metadata.httpStatusCode).toBe(404);
    expect((err as ResourceNotFoundException).message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    );
    const raw = await fetch(`${server.admin.url}/2015-03-31/functions/missing/invocations`, {
      method: 'POST',
      body: '{}',
    });
    expect(raw.status).toBe(404);
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await raw.json()).toEqual({
      Type: 'User',
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    });
  });

  it('rejects payloads over 6 MB (sync) and 1 MB (Event) with RequestTooLargeException (413)', async () => {
    const sync = JSON.stringify({ s: 'x'.repeat(6 * 1024 * 1024) });
    const e1 = await client
      .send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(sync) }))
      .catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(RequestTooLargeException);
    expect((e1 as RequestTooLargeException).$metadata.httpStatusCode).toBe(413);
    expect((e1 as Error).message).toBe(
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
    const async = JSON.stringify({ s: 'x'.repeat(1024 * 1024) });
    const e2 = await client
      .send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: Buffer.from(async) }))
      .catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(RequestTooLargeException);
    expect((e2 as Error).message).toBe(
      'Request must be smaller than 1048576 bytes for the InvokeFunction operation',
    );
    // The same 1 MB payload is fine synchronously.
    const ok = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(async) }));
    expect(ok.FunctionError).toBeUndefined();
  });

  it('rejects a body that is not JSON with InvalidRequestContentException', async () => {
    const err = await client
      .send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{nope') }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidRequestContentException);
    expect((err as Error).message).toMatch(/^Could not parse request body into json: /);
  });
});

describe('logs route and CLI', () => {
  it('reads the whole log, then follows new text with the cursor (long-poll)', async () => {
    await client.send(new InvokeCommand({ FunctionName: 'echo' }));
    const first = await fetch(`${server.admin.url}/portico/functions/echo/logs`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await first.text();
    expect(text).toMatch(/^START RequestId: /);
    const cursor = first.headers.get('x-portico-log-cursor');
    expect(Number(cursor)).toBe(Buffer.byteLength(text));
    // Nothing new: the long-poll ends after `wait` with an empty body and the same cursor.
    const idle = await fetch(`${server.admin.url}/portico/functions/echo/logs?cursor=${cursor}&wait=0.1`);
    expect(await idle.text()).toBe('');
    expect(idle.headers.get('x-portico-log-cursor')).toBe(cursor);
    // A waiting follower is woken by the next invocation; following on collects exactly its log.
    const waiting = fetch(`${server.admin.url}/portico/functions/echo/logs?cursor=${cursor}&wait=5`);
    await new Promise((r) => setTimeout(r, 50));
    const r = await client.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'Tail' }));
    let res = await waiting;
    let followed = await res.text();
    while (!followed.includes('REPORT RequestId')) {
      res = await fetch(
        `${server.admin.url}/portico/functions/echo/logs?cursor=${res.headers.get('x-portico-log-cursor')}&wait=5`,
      );
      followed += await res.text();
    }
    expect(followed).toBe(Buffer.from(r.LogResult ?? '', 'base64').toString('utf8'));
    const missing = await fetch(`${server.admin.url}/portico/functions/nope/logs`);
    expect(missing.status).toBe(404);
  });

  it('portico logs prints the log; --follow streams new invocations', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {} };
    expect(await runLogs(['echo', '--admin-url', server.admin.url], io)).toBe(0);
    expect(out.join('')).toBe((await server.runtime.readLogs('echo')).text);
    expect(await runLogs(['nope', '--admin-url', server.admin.url], io)).toBe(1);
    expect(err.join('')).toMatch(/^portico logs: ResourceNotFoundException/);
    expect(err.join('')).toContain('Function not found: nope');

    const followed: string[] = [];
    const ac = new AbortController();
    const following = runLogs(['echo', '--follow', '--admin-url', server.admin.url], {
      out: (t: string) => followed.push(t),
      err: () => undefined,
      env: {},
      signal: ac.signal,
    });
    await waitFor(async () => followed.length > 0);
    await client.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"marker":"followed"}') }),
    );
    await waitFor(
      async () =>
        followed.join('').split('REPORT RequestId').length > out.join('').split('REPORT RequestId').length,
    );
    ac.abort();
    expect(await following).toBe(0);
    expect(followed.join('')).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [^\n]+\n$/);
  });

  it('portico invoke prints the payload and the log tail', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env: { PORTICO_ADMIN_URL: server.admin.url },
    };
    expect(await runInvoke(['logs', '--payload', '{}', '--log'], io)).toBe(0);
    expect(out.join('')).toBe('"logged"\n');
    expect(err.join('')).toMatch(
      /^START RequestId: [\s\S]*\tINFO\thello from log\n[\s\S]*REPORT RequestId: /,
    );
    expect(await runInvoke(['throws'], io)).toBe(1);
    expect(JSON.parse(out[1] ?? '')).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad things' });
    expect(await runInvoke(['missing'], io)).toBe(1);
    expect(err.at(-1)).toMatch(/^portico invoke: ResourceNotFoundException/);
    expect(err.at(-1)).toContain(
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:missing',
    );
  });
});
