import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { treeRssBytes } from '../../dist/functions/memory-watch.js';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';

// The memory size enforced on an environment's whole process tree: memory outside the V8 heap in a
// Node child process, and any custom runtime (docs/functions.md, "Memory").

const MB = 1024 * 1024;

/** Whether this process may make a memory cgroup under its own (cgroup v1, root). */
function canCreateMemoryCgroup(): boolean {
  try {
    const line = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[1]?.split(',').includes('memory'));
    if (line === undefined) return false;
    const probe = join(
      '/sys/fs/cgroup/memory',
      line.slice(line.lastIndexOf(':') + 1),
      `probe-${process.pid}`,
    );
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

describe('treeRssBytes', () => {
  it('counts the descendants of a process, and is undefined for a process that does not exist', async () => {
    // A shell whose grandchild (python) holds 100 MB it has written to.
    const child: ChildProcess = spawn(
      'sh',
      [
        '-c',
        'python3 -c "import sys,time; x = b\'x\' * (100 * 1024 * 1024); print(1, flush=True); time.sleep(30)"',
      ],
      // Its own process group, so the grandchild is killed with it.
      { stdio: ['ignore', 'pipe', 'inherit'], detached: true },
    );
    try {
      await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
      const pid = child.pid as number;
      const total = treeRssBytes(pid) as number;
      expect(total).toBeGreaterThan(100 * MB);
      expect(total).toBeLessThan(300 * MB);
    } finally {
      process.kill(-(child.pid as number), 'SIGKILL');
    }
    expect(treeRssBytes(2 ** 22 + 12_345)).toBeUndefined();
  });
});

describe('environments over their memory size', () => {
  let server: FunctionServer | undefined;
  let client: LambdaClient;

  beforeAll(async () => {
    server = await startFunctionServer((box) => [
      fn('node-off-heap', box.code('node-cjs'), 'index.offHeap', { timeout: 10 }),
      fn('node-off-heap-thread', box.code('node-cjs'), 'index.offHeap', { timeout: 10, isolation: 'thread' }),
      fn('py', box.code('custom-py'), 'main', { runtime: 'provided.al2023', timeout: 10 }),
      fn('cgroup', box.code('node-cjs'), 'index.cgroup'),
      fn('node-spike', box.code('node-cjs'), 'index.offHeap', { timeout: 10 }),
    ]);
    client = server.client;
  });

  afterAll(() => server?.close());

  async function invoke(name: string, payload: unknown) {
    return client.send(
      new InvokeCommand({
        FunctionName: name,
        Payload: Buffer.from(JSON.stringify(payload)),
        LogType: 'Tail',
      }),
    );
  }

  function expectOutOfMemory(r: Awaited<ReturnType<typeof invoke>>): void {
    expect(r.StatusCode).toBe(200);
    expect(r.FunctionError).toBe('Unhandled');
    expect(json(r.Payload)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: expect.stringMatching(
        /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/,
      ),
    });
    const log = Buffer.from(r.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/\tERROR\tRuntime\.OutOfMemory: Runtime exited with error: signal: killed\n/);
    expect(log).toMatch(/\tMax Memory Used: 128 MB\t/);
  }

  it('a Node process holding Buffers beyond the memory size fails that invocation; the next one works', async () => {
    expectOutOfMemory(await invoke('node-off-heap', { mb: 300, holdMs: 3000 }));
    const ok = await invoke('node-off-heap', { mb: 1, holdMs: 0 });
    expect(ok.FunctionError).toBeUndefined();
    expect(json(ok.Payload)).toEqual({ held: MB });
    const log = Buffer.from(ok.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/\tMax Memory Used: \d+ MB\t/);
  });

  it('a custom runtime over the memory size fails that invocation; the next one works', async () => {
    expectOutOfMemory(await invoke('py', { alloc_mb: 300, hold_s: 3 }));
    const ok = await invoke('py', { alloc_mb: 20, hold_s: 0.3 });
    expect(ok.FunctionError).toBeUndefined();
    expect(json(ok.Payload)).toMatchObject({ runtime: 'python', count: 1, event: { held: 20 * MB } });
    // Its REPORT counts what the runtime really used (the bootstrap's own RSS and the 20 MB).
    const used = Number(
      /\tMax Memory Used: (\d+) MB\t/.exec(Buffer.from(ok.LogResult ?? '', 'base64').toString('utf8'))?.[1],
    );
    expect(used).toBeGreaterThanOrEqual(20);
    expect(used).toBeLessThanOrEqual(128);
  });

  it('a thread environment is bounded by its heap only (it shares the gateway process): Buffers pass', async () => {
    const r = await invoke('node-off-heap-thread', { mb: 200, holdMs: 200 });
    expect(r.FunctionError).toBeUndefined();
    expect(json(r.Payload)).toEqual({ held: 200 * MB });
  });

  it('puts a process environment in a memory cgroup limited to the memory size, where the machine allows it', async (ctx) => {
    const r = await invoke('cgroup', {});
    const { pid, cgroup } = json(r.Payload) as { pid: number; cgroup: string };
    // Linux with cgroup v1 and the right to create cgroups (root): this machine kind. Elsewhere
    // the sampling watch is the bound (the tests above).
    if (!canCreateMemoryCgroup()) ctx.skip();
    const line = cgroup.split('\n').find((l) => l.split(':')[1] === 'memory') ?? '';
    const dir = join('/sys/fs/cgroup/memory', line.slice(line.lastIndexOf(':') + 1));
    expect(dir.endsWith(`/portico-${process.pid}/env-${pid}`)).toBe(true);
    expect(readFileSync(join(dir, 'memory.limit_in_bytes'), 'utf8').trim()).toBe(String(128 * MB));
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8').trim().split('\n')).toContain(String(pid));

    // Over the limit as it allocates: the kernel stops it (no sample of the watch needed).
    expectOutOfMemory(await invoke('node-spike', { mb: 300, holdMs: 0 }));
    const ok = await invoke('node-spike', { mb: 1, holdMs: 0 });
    expect(ok.FunctionError).toBeUndefined();

    // The cgroup goes with its environment (this test comes last: it removes the functions).
    server?.runtime.setFunctions([]);
    const deadline = Date.now() + 5000;
    while (existsSync(dir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect(existsSync(dir)).toBe(false);
  });
});
