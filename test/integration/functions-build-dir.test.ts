import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../../dist/functions/index.js';
import { createFunctionSandbox, fn } from '../helpers/functions.js';

// Compiled TypeScript handlers live in <dataDir>/build/<pid>; a new runtime removes what processes
// that are gone left there, and leaves a live process's builds alone.
const box = createFunctionSandbox();
let runtime: PorticoFunctionRuntime | undefined;
const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });

afterAll(async () => {
  sleeper.kill('SIGKILL');
  await runtime?.close();
  box.cleanup();
});

function leave(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'handler.cjs'), 'exports.handler = async () => 1;\n');
}

describe('compiled handler directories', () => {
  it('are removed when their process is gone; a live process keeps its own', async () => {
    const build = join(box.dataDir, 'build');
    const gone = spawnSync('true').pid as number;
    const live = sleeper.pid as number;
    leave(join(build, String(gone), 'ts', '0123456789abcdef'));
    leave(join(build, String(live), 'ts', '0123456789abcdef'));
    // The layout before per-process directories: <build>/<function>/<hash>.
    leave(join(build, 'ts', 'fedcba9876543210'));

    runtime = createFunctionRuntime({ dataDir: box.dataDir });
    runtime.setFunctions([fn('ts', box.code('node-ts'), 'src/handler.handler', { timeout: 10 })]);
    const r = await runtime.invoke({ functionName: 'ts', payload: Buffer.from('{"name":"x"}') });
    expect(r.functionError).toBeUndefined();

    expect(readdirSync(build).sort()).toEqual([String(live), String(process.pid)].sort());
    expect(existsSync(join(build, String(live), 'ts', '0123456789abcdef', 'handler.cjs'))).toBe(true);
    // This process's compile went to its own directory.
    expect(readdirSync(join(build, String(process.pid), 'ts'))).toHaveLength(1);
  });
});
