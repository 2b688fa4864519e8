import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../../dist/functions/index.js';
import { createFunctionSandbox, fn, json, type FunctionSandbox } from '../helpers/functions.js';

// Spare processes: a cold start in a process booted before the function was known must look exactly
// like one in a process started for it (variables, directory, time zone, nothing of the gateway's).
let box: FunctionSandbox;
let runtime: PorticoFunctionRuntime;
let code: string;

interface Probe {
  uptime: number;
  cwd: string;
  env: Record<string, string>;
  tzOffset: number;
  count: number;
}

beforeAll(async () => {
  box = createFunctionSandbox();
  code = join(box.root, 'code', 'probe');
  mkdirSync(code, { recursive: true });
  writeFileSync(
    join(code, 'index.js'),
    `let count = 0;
exports.handler = async () => ({
  uptime: process.uptime(),
  cwd: process.cwd(),
  env: { ...process.env },
  tzOffset: new Date(2024, 0, 1).getTimezoneOffset(),
  count: ++count,
});
`,
  );
  process.env.PORTICO_TEST_GATEWAY_ONLY = 'must-not-leak';
  runtime = createFunctionRuntime({ dataDir: box.dataDir });
  runtime.setFunctions([
    fn('probe', code, 'index.handler', { environment: { GREETING: 'hi' } }),
    fn('probe-opts', code, 'index.handler', { environment: { NODE_OPTIONS: '--no-warnings' } }),
  ]);
  // Time for the spare to start (it is started when the functions are set).
  await new Promise((r) => setTimeout(r, 1500));
});

afterAll(async () => {
  delete process.env.PORTICO_TEST_GATEWAY_ONLY;
  await runtime?.close();
  box?.cleanup();
});

async function probe(name: string): Promise<Probe> {
  const r = await runtime.invoke({ functionName: name, payload: Buffer.from('{}'), logType: 'Tail' });
  expect(r.functionError).toBeUndefined();
  return json(r.payload) as Probe;
}

describe('cold starts in spare processes', () => {
  it('runs the first invocation in a process started before it, set up as the function', async () => {
    const p = await probe('probe');
    // The process was already running when the invocation began (started with the functions).
    expect(p.uptime).toBeGreaterThan(0.5);
    expect(p.cwd).toBe(code);
    expect(p.env.GREETING).toBe('hi');
    expect(p.env.AWS_LAMBDA_FUNCTION_NAME).toBe('probe');
    expect(p.env.LAMBDA_TASK_ROOT).toBe(code);
    expect(p.env.TZ).toBe(':UTC');
    expect(p.env.NODE_PATH).toBe('/opt/nodejs/node_modules');
    expect(p.tzOffset).toBe(0);
    expect(p.env.PORTICO_TEST_GATEWAY_ONLY).toBeUndefined();
    expect(p.env.VITEST).toBeUndefined();
    // Warm afterwards, as any environment.
    expect((await probe('probe')).count).toBe(2);
  });

  it('starts a fresh process for a function whose variables Node reads at start (NODE_OPTIONS)', async () => {
    const p = await probe('probe-opts');
    expect(p.env.NODE_OPTIONS).toBe('--no-warnings');
    expect(p.cwd).toBe(code);
    expect(p.count).toBe(1);
  });
});
