import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFunctionRuntime,
  InvokeWaitTimeoutError,
  type PorticoFunctionRuntime,
} from '../../dist/functions/index.js';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';
import { startGateway, waitFor } from '../helpers/gateway.js';

// The local cap on execution environments per function: invocations beyond it queue (a deviation
// from Lambda, which scales out), concurrency limits still count them, queued invocations of a warm
// environment keep Lambda's log framing, and the integration timeout still answers 503.
let box: FunctionSandbox;
let runtime: PorticoFunctionRuntime;

beforeAll(() => {
  box = createFunctionSandbox();
  writeFileSync(
    join(box.code('node-cjs'), 'mixed.js'),
    `exports.handler = async (e) => {
  if (e.exit) process.exit(3);
  if (e.ms) await new Promise((r) => setTimeout(r, e.ms));
  console.log('n', e.n);
  return e.n;
};
`,
  );
  writeFileSync(
    join(box.code('node-cjs'), 'policy.js'),
    `const { readFileSync } = require('node:fs');
// Field 41 of /proc/self/stat is the scheduling policy (3 = SCHED_BATCH).
exports.handler = async () => Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[38]);
`,
  );
  runtime = createFunctionRuntime({ dataDir: box.dataDir, maxEnvironmentsPerFunction: 1 });
  const cjs = box.code('node-cjs');
  runtime.setFunctions([
    fn('capped', cjs, 'mixed.handler'),
    fn('ordered', cjs, 'mixed.handler'),
    fn('dies', cjs, 'mixed.handler'),
    fn('reserved', cjs, 'mixed.handler', { reservedConcurrentExecutions: 2 }),
    fn('abandoned', cjs, 'mixed.handler'),
    fn('slow', cjs, 'mixed.handler', { timeout: 3 }),
    fn('behind-slow', cjs, 'mixed.handler'),
    fn('policy', cjs, 'policy.handler'),
  ]);
});

afterAll(async () => {
  await runtime?.close();
  box?.cleanup();
});

function payload(event: unknown): Buffer {
  return Buffer.from(JSON.stringify(event));
}

async function call(name: string, event: unknown, extra: { tail?: boolean; waitTimeoutMs?: number } = {}) {
  const r = await runtime.invoke({
    functionName: name,
    payload: payload(event),
    ...(extra.tail ? { logType: 'Tail' as const } : {}),
    ...(extra.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: extra.waitTimeoutMs }),
  });
  return {
    value: JSON.parse(r.payload.toString('utf8')) as unknown,
    functionError: r.functionError,
    log: r.logResult === undefined ? '' : Buffer.from(r.logResult, 'base64').toString('utf8'),
  };
}

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
}

describe('environment cap', () => {
  it('queues invocations beyond the cap instead of starting more environments', async () => {
    const calls = [1, 2, 3].map((n) => call('capped', { n, ms: 50 }));
    expect(runtime.environmentCounts('capped').busy).toBe(3);
    await waitFor(() => runtime.environmentCounts('capped').queued === 2, 'two queued invocations');
    expect((await Promise.all(calls)).map((r) => r.value)).toEqual([1, 2, 3]);
    expect(runtime.environmentCounts('capped')).toEqual({ idle: 1, busy: 0 });
    // One environment served all three: one cold start.
    const logs = (await runtime.readLogs('capped')).text;
    expect(count(logs, /^START RequestId/)).toBe(3);
    expect(count(logs, /Init Duration/)).toBe(1);
  });

  it('counts queued invocations against reserved concurrency (429 beyond it)', async () => {
    const results = await Promise.allSettled([1, 2, 3].map((n) => call('reserved', { n, ms: 100 })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const err = (results[2] as PromiseRejectedResult).reason as { name: string; reason: string };
    expect([err.name, err.reason]).toEqual([
      'TooManyRequestsException',
      'ReservedFunctionConcurrentInvocationLimitExceeded',
    ]);
  });

  it('keeps START/END/REPORT of invocations queued in a warm environment in order', async () => {
    await call('ordered', { n: 0 });
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => call('ordered', { n }, { tail: true })));
    expect(results.map((r) => r.value)).toEqual([1, 2, 3, 4, 5, 6]);
    results.forEach((r, i) => {
      expect(r.log).toMatch(
        new RegExp(
          `^START RequestId: (\\S+) Version: \\$LATEST\\n\\S+Z\\t\\1\\tINFO\\tn ${i + 1}\\nEND RequestId: \\1\\nREPORT RequestId: \\1\\t[^\\n]*\\n$`,
        ),
      );
    });
    const lines = (await runtime.readLogs('ordered')).text
      .split('\n')
      .filter((l) => /^(START|END|REPORT)/.test(l));
    const kinds = lines.map((l) => l.split(' ')[0]);
    expect(kinds).toEqual(Array.from({ length: 7 }, () => ['START', 'END', 'REPORT']).flat());
    expect(runtime.environmentCounts('ordered')).toEqual({ idle: 1, busy: 0 });
  });

  it('queues nothing in an environment whose running invocation has taken 50 ms already', async () => {
    await call('behind-slow', { n: 0 });
    const slow = call('behind-slow', { n: 1, ms: 600 });
    await new Promise((r) => setTimeout(r, 150));
    // The function's last invocation was quick, but this one has run 150 ms: the next ones wait for
    // the environment in the gateway (where another environment could take them), not in its pipe.
    const quick = [2, 3, 4].map((n) => call('behind-slow', { n }));
    expect(runtime.environmentCounts('behind-slow')).toEqual({ idle: 0, busy: 4, queued: 3 });
    expect(await Promise.all([slow, ...quick]).then((rs) => rs.map((r) => r.value))).toEqual([1, 2, 3, 4]);
  });

  it('runs invocations queued behind one that kills its environment on a new environment', async () => {
    await call('dies', { n: 0 });
    const [exit, a, b] = await Promise.all([
      call('dies', { exit: true }),
      call('dies', { n: 1 }),
      call('dies', { n: 2 }),
    ]);
    expect(exit.functionError).toBe('Unhandled');
    expect((exit.value as { errorType: string }).errorType).toBe('Runtime.ExitError');
    expect([a.value, b.value, a.functionError, b.functionError]).toEqual([1, 2, undefined, undefined]);
    const logs = (await runtime.readLogs('dies')).text;
    // Each invocation ran (and was logged) once: warm-up, exit, 1, 2.
    expect(count(logs, /^START RequestId/)).toBe(4);
    expect(count(logs, /^END RequestId/)).toBe(4);
    expect(count(logs, /Init Duration/)).toBe(2);
  });

  it('stops waiting at waitTimeoutMs; a queued invocation nobody waits for is dropped', async () => {
    const first = call('abandoned', { n: 1, ms: 300 });
    const late = call('abandoned', { n: 2 }, { waitTimeoutMs: 50 });
    await expect(late).rejects.toBeInstanceOf(InvokeWaitTimeoutError);
    expect((await first).value).toBe(1);
    await waitFor(() => runtime.environmentCounts('abandoned').busy === 0, 'the queue to drain');
    const logs = (await runtime.readLogs('abandoned')).text;
    expect(count(logs, /^START RequestId/)).toBe(1);
    expect(logs).not.toContain('\tn 2\n');
  });

  it('lets a started invocation finish after its caller stopped waiting', async () => {
    await expect(call('slow', { n: 7, ms: 200 }, { waitTimeoutMs: 50 })).rejects.toBeInstanceOf(
      InvokeWaitTimeoutError,
    );
    await waitFor(() => runtime.environmentCounts('slow').busy === 0, 'the invocation to end');
    const logs = (await runtime.readLogs('slow')).text;
    expect(logs).toContain('\tn 7\n');
    expect(count(logs, /^REPORT RequestId/)).toBe(1);
  });
});

describe('scheduling', () => {
  it.runIf(existsSync('/usr/bin/chrt') || existsSync('/bin/chrt'))(
    'runs Node environments under SCHED_BATCH (they do not preempt the gateway on wake-up)',
    async () => {
      expect((await call('policy', {})).value).toBe(3);
    },
  );
});

describe('AWS_PROXY integration timeout', () => {
  it('answers 503 when timeoutInMillis fires before the function answers', async () => {
    writeFileSync(
      join(box.code('node-cjs'), 'slow-gw.js'),
      `exports.handler = async () => { await new Promise((r) => setTimeout(r, 400)); return { statusCode: 200, body: 'late' }; };\n`,
    );
    const gw = await startGateway(
      {
        apis: {
          capapi: {
            name: 'cap',
            protocolType: 'HTTP',
            integrations: {
              slow: {
                type: 'AWS_PROXY',
                function: 'mixed',
                payloadFormatVersion: '2.0',
                timeoutInMillis: 50,
              },
            },
            routes: { 'GET /slow': 'slow' },
            stages: { $default: {} },
          },
        },
        functions: {
          mixed: { runtime: 'nodejs20.x', handler: 'slow-gw.handler', code: box.code('node-cjs') },
        },
      },
      { functions: { maxEnvironmentsPerFunction: 1 } },
    );
    try {
      const res = await fetch(`${gw.url}/_aws/execute-api/capapi/slow`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('{"message":"Service Unavailable"}');
    } finally {
      await gw.close();
    }
  });
});
