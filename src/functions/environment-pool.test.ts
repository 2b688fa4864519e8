import { describe, expect, it } from 'vitest';
import type { FunctionDef } from '../model/types.js';
import type { EnvOutcome, ExecutionEnvironment } from './environment.js';
import { EnvironmentPool, type Lease, type SpawnableCode } from './environment-pool.js';

/** An environment that never runs anything: the pool only hands it out. */
class FakeEnv implements ExecutionEnvironment {
  dead = false;
  constructor(public queueCapacity?: number) {}
  invoke(): Promise<EnvOutcome> {
    return new Promise(() => undefined);
  }
  dispose(): void {
    this.dead = true;
  }
}

const DEF = { functionName: 'f' } as FunctionDef;

function pool(maxEnvironments: number, capacities: Array<number | undefined>, cpus = 1): EnvironmentPool {
  let n = 0;
  return new EnvironmentPool(
    DEF,
    '$LATEST',
    'fp',
    maxEnvironments,
    {
      prepare: () => Promise.resolve({ kind: 'node' } as unknown as SpawnableCode),
      spawn: () => new FakeEnv(capacities[n++]),
    },
    maxEnvironments,
    cpus,
  );
}

async function envOf(lease: Lease | Promise<Lease>): Promise<ExecutionEnvironment | undefined> {
  const l = await lease;
  return l.kind === 'env' ? l.env : undefined;
}

describe('EnvironmentPool queueing behind busy environments', () => {
  it('with a CPU for each, starts environments first, then queues on the one with the fewest', async () => {
    const p = pool(2, [3, 3], 2);
    const a = await envOf(p.acquire());
    const b = await envOf(p.acquire());
    expect(a).toBeDefined();
    expect(b).not.toBe(a);
    // Both busy: the next ones alternate between them (least loaded first) ...
    const next = [];
    for (let i = 0; i < 6; i++) next.push(await envOf(p.acquire()));
    expect(next).toEqual([a, b, a, b, a, b]);
    // ... until each has its running invocation and 3 behind it: then callers wait.
    let granted = false;
    void Promise.resolve(p.acquire()).then(() => (granted = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(granted).toBe(false);
    expect(p.waitingCount).toBe(1);
    // One finishes on `a`: the waiter takes its place there.
    p.release(a as ExecutionEnvironment, true);
    await new Promise((r) => setTimeout(r, 10));
    expect(granted).toBe(true);
    expect(p.waitingCount).toBe(0);
  });

  it('with every CPU busy, queues behind a busy environment before starting another', async () => {
    const p = pool(2, [2, 2], 1);
    const a = await envOf(p.acquire());
    // One CPU, already busy with `a`: the next two wait behind it (no second environment to wake).
    expect([await envOf(p.acquire()), await envOf(p.acquire())]).toEqual([a, a]);
    // `a` is full (running + 2): the next one starts `b`, and from then on the fewest wins.
    const b = await envOf(p.acquire());
    expect(b).toBeDefined();
    expect(b).not.toBe(a);
    expect(await envOf(p.acquire())).toBe(b);
  });

  it('queues nothing behind an environment without a capacity (custom runtimes, slow functions)', async () => {
    const p = pool(1, [undefined]);
    await envOf(p.acquire());
    const second = p.acquire();
    expect(second).toBeInstanceOf(Promise);
    expect(p.waitingCount).toBe(1);
  });
});
