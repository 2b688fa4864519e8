import { InvokeCommand, TooManyRequestsException, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../../dist/functions/index.js';
import type { FunctionDef } from '../../src/model/types.js';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json, type FunctionSandbox } from '../helpers/functions.js';

// Execution environments: failures end one invocation only, throttling, isolation, reload.
// Every case runs with both kinds of Node environment (docs/functions.md: process and thread).
describe.each(['process', 'thread'] as const)('%s environments', (isolation) => {
  const f = (name: string, code: string, handler: string, extra: Partial<FunctionDef> = {}): FunctionDef =>
    fn(name, code, handler, { isolation, ...extra });
  let server: FunctionServer | undefined;
  let box: FunctionSandbox;
  let runtime: PorticoFunctionRuntime;
  let client: LambdaClient;

  beforeAll(async () => {
    server = await startFunctionServer((sandbox) => {
      const cjs = sandbox.code('node-cjs');
      return [
        f('loop', cjs, 'index.loop'),
        f('sleep', cjs, 'index.sleep'),
        f('exit', cjs, 'index.exit'),
        f('uncaught', cjs, 'index.uncaught'),
        f('unhandled', cjs, 'index.unhandled'),
        f('oom', cjs, 'index.oom', { timeout: 10 }),
        f('one-at-a-time', cjs, 'index.sleep', { reservedConcurrentExecutions: 1 }),
        f('iso-a', cjs, 'index.setGlobal', { environment: { WHO: 'a' } }),
        f('iso-b', cjs, 'index.getGlobal', { environment: { WHO: 'b' } }),
        f('counter', cjs, 'index.handler', { environment: { V: '1' } }),
      ];
    });
    ({ box, runtime, client } = server);
  });

  afterAll(() => server?.close());

  async function invoke(name: string, payload: unknown = {}, tail = false) {
    return client.send(
      new InvokeCommand({
        FunctionName: name,
        Payload: Buffer.from(JSON.stringify(payload)),
        LogType: tail ? 'Tail' : 'None',
      }),
    );
  }

  /** Each failing handler has a sibling mode that succeeds in the same function: `sleep` with ms 0. */
  async function expectRecovers(name: string, payload: unknown = { ms: 0 }): Promise<void> {
    const next = await invoke(name, payload);
    expect(next.FunctionError).toBeUndefined();
  }

  describe('failures end one invocation only', () => {
    it('times out with Sandbox.Timedout, logs "Task timed out", and replaces the environment', async () => {
      const warm = await invoke('sleep', { ms: 0 });
      expect(json(warm.Payload)).toBe('slept');
      const r = await invoke('sleep', { ms: 5000 }, true);
      expect(r.StatusCode).toBe(200);
      expect(r.FunctionError).toBe('Unhandled');
      const p = json(r.Payload) as { errorType: string; errorMessage: string };
      expect(p.errorType).toBe('Sandbox.Timedout');
      expect(p.errorMessage).toMatch(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
      const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
      expect(log).toMatch(
        /\tStatus: timeout\tError Type: Sandbox\.Timedout\t\n\S+Z [0-9a-f-]{36} Task timed out after 1\.00 seconds\n$/,
      );
      expect(log).toContain('Duration: 1000.00 ms\tBilled Duration: 1000 ms');
      // The next invocation gets a fresh environment: a cold start with Init Duration.
      const next = await invoke('sleep', { ms: 0 }, true);
      expect(json(next.Payload)).toBe('slept');
      expect(Buffer.from(next.LogResult ?? '', 'base64').toString('utf8')).toContain('Init Duration: ');
    });

    it('ends an endless loop at the timeout', async () => {
      const r = await invoke('loop');
      expect((json(r.Payload) as { errorType: string }).errorType).toBe('Sandbox.Timedout');
      await expectRecovers('sleep');
    });

    it('reports process.exit as Runtime.ExitError', async () => {
      const r = await invoke('exit', { code: 2 });
      expect(r.FunctionError).toBe('Unhandled');
      const p = json(r.Payload) as { errorType: string; errorMessage: string };
      expect(p).toEqual({
        errorType: 'Runtime.ExitError',
        errorMessage: expect.stringMatching(
          /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 2$/,
        ),
      });
      const zero = json((await invoke('exit', { code: 0 })).Payload) as { errorMessage: string };
      expect(zero.errorMessage).toMatch(/Error: Runtime exited without providing a reason$/);
    });

    it('reports uncaught exceptions and unhandled rejections, then serves the next invoke', async () => {
      const u = await invoke('uncaught', {}, true);
      expect(u.FunctionError).toBe('Unhandled');
      const up = json(u.Payload) as { errorType: string; errorMessage: string; trace: string[] };
      expect(up.errorType).toBe('Error');
      expect(up.errorMessage).toBe('uncaught boom');
      expect(up.trace[0]).toBe('Error: uncaught boom');
      expect(Buffer.from(u.LogResult ?? '', 'base64').toString('utf8')).toMatch(
        /\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"uncaught boom"/,
      );
      const h = await invoke('unhandled');
      const hp = json(h.Payload) as { errorType: string; errorMessage: string; trace: string[] };
      expect(hp.errorType).toBe('Runtime.UnhandledPromiseRejection');
      expect(hp.errorMessage).toBe('Error: rejected boom');
      expect(hp.trace[0]).toBe('Runtime.UnhandledPromiseRejection: Error: rejected boom');
      // Both functions still work (fresh environments).
      for (const name of ['uncaught', 'unhandled']) {
        const again = await invoke(name);
        expect(again.FunctionError).toBe('Unhandled');
      }
      await expectRecovers('sleep');
    });

    it('fails an invocation that exceeds the memory size with Runtime.OutOfMemory; the next one works', async () => {
      const r = await invoke('oom', {}, true);
      expect(r.FunctionError).toBe('Unhandled');
      const p = json(r.Payload) as { errorType: string; errorMessage: string };
      expect(p.errorType).toBe('Runtime.OutOfMemory');
      expect(p.errorMessage).toMatch(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/,
      );
      expect(Buffer.from(r.LogResult ?? '', 'base64').toString('utf8')).toContain(
        'Max Memory Used: 128 MB\tInit Duration',
      );
      const ok = await invoke('counter');
      expect((json(ok.Payload) as { count: number }).count).toBe(1);
    });
  });

  describe('concurrency', () => {
    it('throttles above the reserved concurrency with TooManyRequestsException (429)', async () => {
      const results = await Promise.allSettled([
        invoke('one-at-a-time', { ms: 300 }),
        invoke('one-at-a-time', { ms: 300 }),
      ]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      const err = rejected[0]?.reason as TooManyRequestsException;
      expect(err).toBeInstanceOf(TooManyRequestsException);
      expect(err.$metadata.httpStatusCode).toBe(429);
      expect(err.message).toBe('Rate Exceeded.');
      expect(err.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect(err.Type).toBe('User');
      // Once the first finished, the function accepts again.
      expect(json((await invoke('one-at-a-time', { ms: 0 })).Payload)).toBe('slept');
    });

    it('throttles above the account limit', async () => {
      const small = createFunctionRuntime({ dataDir: box.dataDir, accountConcurrency: 1 });
      try {
        small.setFunctions([f('s', box.code('node-cjs'), 'index.sleep')]);
        const payload = Buffer.from('{"ms":300}');
        const results = await Promise.allSettled([
          small.invoke({ functionName: 's', payload }),
          small.invoke({ functionName: 's', payload }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const err = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason as {
          name: string;
          reason: string;
        };
        expect(err.name).toBe('TooManyRequestsException');
        expect(err.reason).toBe('ConcurrentInvocationLimitExceeded');
      } finally {
        await small.close();
      }
    });

    it('runs one invocation at a time per environment and reuses warm ones', async () => {
      await Promise.all([invoke('sleep', { ms: 100 }), invoke('sleep', { ms: 100 })]);
      expect(runtime.environmentCounts('sleep')).toEqual({ idle: 2, busy: 0 });
      await invoke('sleep', { ms: 0 });
      expect(runtime.environmentCounts('sleep')).toEqual({ idle: 2, busy: 0 });
    });

    it('reaps idle environments after the idle time', async () => {
      const reaping = createFunctionRuntime({ dataDir: box.dataDir, idleTimeoutMs: 100 });
      try {
        reaping.setFunctions([f('r', box.code('node-cjs'), 'index.sleep')]);
        await reaping.invoke({ functionName: 'r', payload: Buffer.from('{"ms":0}') });
        expect(reaping.environmentCounts('r').idle).toBe(1);
        await new Promise((r) => setTimeout(r, 400));
        expect(reaping.environmentCounts('r').idle).toBe(0);
      } finally {
        await reaping.close();
      }
    });
  });

  describe('isolation and reload', () => {
    it('keeps module state and env vars of two functions apart', async () => {
      expect(json((await invoke('iso-a', { value: 'from-a' })).Payload)).toEqual({ shared: 'from-a' });
      expect(json((await invoke('iso-b')).Payload)).toEqual({ shared: null, env: null });
      // Nor does the gateway see them.
      expect(process.env.SHARED).toBeUndefined();
      expect((globalThis as { shared?: unknown }).shared).toBeUndefined();
    });

    it('keeps unchanged functions warm on setFunctions and retires changed ones', async () => {
      const cjs = box.code('node-cjs');
      const defs = [
        f('counter', cjs, 'index.handler', { environment: { V: '1' } }),
        f('other', cjs, 'index.handler'),
      ];
      runtime.setFunctions(defs);
      await invoke('counter');
      await invoke('other');
      const before = (json((await invoke('counter')).Payload) as { count: number }).count;
      const otherBefore = (json((await invoke('other')).Payload) as { count: number }).count;
      runtime.setFunctions([
        f('counter', cjs, 'index.handler', { environment: { V: '1' } }),
        f('other', cjs, 'index.handler', { environment: { V: '2' } }),
      ]);
      expect((json((await invoke('counter')).Payload) as { count: number }).count).toBe(before + 1);
      expect((json((await invoke('other')).Payload) as { count: number }).count).toBe(1);
      expect(otherBefore).toBeGreaterThan(1);
      // A removed function is gone.
      runtime.setFunctions([f('counter', cjs, 'index.handler', { environment: { V: '1' } })]);
      await expect(invoke('other')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });
  });
});
