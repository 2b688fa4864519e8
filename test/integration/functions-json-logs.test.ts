import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';

// The JSON log format (LoggingConfig): application lines as the Lambda Node runtime writes them,
// level filtering, platform records, and the variables and log group the function sees.
let server: FunctionServer;

beforeAll(async () => {
  server = await startFunctionServer((box) => {
    const cjs = box.code('node-cjs');
    return [
      fn('json', cjs, 'index.levels', {
        loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'INFO', logGroup: '/custom/group' },
      }),
      fn('json-thread', cjs, 'index.levels', {
        isolation: 'thread',
        loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'WARN' },
      }),
      fn('json-quiet', cjs, 'index.levels', {
        loggingConfig: { logFormat: 'JSON', applicationLogLevel: 'ERROR', systemLogLevel: 'WARN' },
      }),
      fn('text', cjs, 'index.levels'),
      fn('json-oom', cjs, 'index.offHeap', { timeout: 10, loggingConfig: { logFormat: 'JSON' } }),
    ];
  });
});

afterAll(() => server?.close());

async function invoke(name: string): Promise<{ requestId: string; lines: string[]; result: unknown }> {
  const r = await server.client.send(new InvokeCommand({ FunctionName: name, LogType: 'Tail' }));
  expect(r.FunctionError).toBeUndefined();
  const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
  return {
    requestId: r.$metadata.requestId as string,
    lines: log.split('\n').filter((l) => l !== ''),
    result: json(r.Payload),
  };
}

describe('the JSON log format', () => {
  it('writes application lines and platform records as JSON, from the level set', async () => {
    const { requestId, lines, result } = await invoke('json');
    expect(result).toStrictEqual({
      format: 'JSON',
      level: 'INFO',
      group: '/custom/group',
      contextGroup: '/custom/group',
    });
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const time = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown;
    expect(records[0]).toStrictEqual({
      time,
      type: 'platform.start',
      record: { requestId, version: '$LATEST' },
    });
    // DEBUG is below INFO: not written.
    expect(records.slice(1, -1)).toStrictEqual([
      { timestamp: time, level: 'INFO', requestId, message: 'an info line' },
      { timestamp: time, level: 'WARN', requestId, message: 'careful { n: 1 }' },
      {
        timestamp: time,
        level: 'ERROR',
        requestId,
        message: {
          errorType: 'Error',
          errorMessage: 'boom',
          stackTrace: expect.arrayContaining(['Error: boom']) as unknown,
        },
      },
      {
        timestamp: time,
        level: 'ERROR',
        requestId,
        message: expect.stringMatching(/^failed: TypeError: bad type\n/) as unknown,
        errorType: 'TypeError',
        errorMessage: 'bad type',
        stackTrace: expect.arrayContaining(['TypeError: bad type']) as unknown,
      },
      { timestamp: time, level: 'INFO', requestId, message: { structured: true, list: [1, 2] } },
    ]);
    const report = records[records.length - 1] as { type: string; record: Record<string, unknown> };
    expect(report.type).toBe('platform.report');
    expect(report.record).toMatchObject({ requestId, status: 'success' });
    expect(Object.keys(report.record.metrics as object)).toStrictEqual([
      'durationMs',
      'billedDurationMs',
      'memorySizeMB',
      'maxMemoryUsedMB',
      'initDurationMs',
    ]);
    expect((report.record.metrics as { memorySizeMB: number }).memorySizeMB).toBe(128);
  });

  it('filters by the application and system log levels, in thread environments too', async () => {
    const thread = await invoke('json-thread');
    expect(thread.result).toMatchObject({ format: 'JSON', level: 'WARN', group: '/aws/lambda/json-thread' });
    expect(
      thread.lines.map(
        (l) =>
          (JSON.parse(l) as { level?: string; type?: string }).level ??
          (JSON.parse(l) as { type: string }).type,
      ),
    ).toStrictEqual(['platform.start', 'WARN', 'ERROR', 'ERROR', 'platform.report']);
    const quiet = await invoke('json-quiet');
    expect(quiet.lines.map((l) => (JSON.parse(l) as { level: string }).level)).toStrictEqual([
      'ERROR',
      'ERROR',
    ]);
  });

  it('reports an environment killed for its memory in the JSON report, not as a text line', async () => {
    const r = await server.client.send(
      new InvokeCommand({
        FunctionName: 'json-oom',
        LogType: 'Tail',
        Payload: Buffer.from('{"mb":300,"holdMs":3000}'),
      }),
    );
    expect(r.FunctionError).toBe('Unhandled');
    const lines = Buffer.from(r.LogResult ?? '', 'base64')
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
    const records = lines.map((l) => JSON.parse(l) as { type?: string; record?: Record<string, unknown> });
    expect(records.map((x) => x.type)).toStrictEqual(['platform.start', 'platform.report']);
    expect(records[1]?.record).toMatchObject({ status: 'error', errorType: 'Runtime.OutOfMemory' });
    expect((records[1]?.record?.metrics as { maxMemoryUsedMB: number }).maxMemoryUsedMB).toBe(128);
  });

  it('leaves the text format as it was', async () => {
    const { requestId, lines, result } = await invoke('text');
    expect(result).toStrictEqual({
      format: null,
      level: null,
      group: '/aws/lambda/text',
      contextGroup: '/aws/lambda/text',
    });
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(new RegExp(`^\\S+\\t${requestId}\\tDEBUG\\ta debug line$`));
    expect(lines.some((l) => l.startsWith(`REPORT RequestId: ${requestId}\t`))).toBe(true);
  });
});
