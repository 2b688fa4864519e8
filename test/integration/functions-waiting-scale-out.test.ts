import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../../dist/functions/index.js';
import { createFunctionSandbox, fn, type FunctionSandbox } from '../helpers/functions.js';

// Functions that mostly wait (on I/O, timers, other services) get more environments than the
// CPU-based cap, up to maxWaitingEnvironmentsPerFunction; functions that keep the CPU busy do not.
let box: FunctionSandbox;
let runtime: PorticoFunctionRuntime;
/** The default CPU-based cap: max(2, CPUs). */
const cap = Math.max(2, availableParallelism());
const WAITING_CAP = cap + 3;

beforeAll(() => {
  box = createFunctionSandbox();
  writeFileSync(
    join(box.code('node-cjs'), 'waits.js'),
    `exports.handler = async (e) => { await new Promise((r) => setTimeout(r, 150)); return e.n; };\n`,
  );
  writeFileSync(
    join(box.code('node-cjs'), 'spins.js'),
    `exports.handler = async (e) => { const end = Date.now() + 40; while (Date.now() < end); return e.n; };\n`,
  );
  runtime = createFunctionRuntime({ dataDir: box.dataDir, maxWaitingEnvironmentsPerFunction: WAITING_CAP });
  const cjs = box.code('node-cjs');
  runtime.setFunctions([
    fn('waits', cjs, 'waits.handler'),
    fn('waits-thread', cjs, 'waits.handler', { isolation: 'thread' }),
    fn('spins', cjs, 'spins.handler'),
  ]);
});

afterAll(async () => {
  await runtime?.close();
  box?.cleanup();
});

async function burst(name: string, n: number): Promise<unknown[]> {
  const calls = Array.from({ length: n }, (_, i) =>
    runtime
      .invoke({ functionName: name, payload: Buffer.from(JSON.stringify({ n: i })) })
      .then((r) => JSON.parse(r.payload.toString('utf8')) as unknown),
  );
  return Promise.all(calls);
}

describe('environments for functions that mostly wait', () => {
  it.each(['waits', 'waits-thread'])(
    '%s: queued invocations get environments of their own once the function is seen to wait',
    async (name) => {
      const n = WAITING_CAP + 4;
      // The first invocations start the CPU-based cap's environments; the rest queue until the
      // first one ends and shows the function waits, then each starts one, up to the ceiling.
      expect(await burst(name, n)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(runtime.environmentCounts(name)).toEqual({ idle: WAITING_CAP, busy: 0 });
      // Warm now: a second burst reuses them and starts no more.
      expect(await burst(name, n)).toHaveLength(n);
      expect(runtime.environmentCounts(name)).toEqual({ idle: WAITING_CAP, busy: 0 });
      const logs = (await runtime.readLogs(name)).text;
      expect(logs.match(/Init Duration/g)?.length).toBe(WAITING_CAP);
    },
  );

  it('keeps a function that keeps the CPU busy at the CPU-based cap', async () => {
    const n = cap + 4;
    expect(await burst('spins', n)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(runtime.environmentCounts('spins')).toEqual({ idle: cap, busy: 0 });
  });
});
