import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFunctionRuntime, type PorticoFunctionRuntime } from '../../dist/functions/index.js';
import { prestartSpares } from '../../dist/functions/spare-processes.js';
import { spawnPortico, waitForStart, type Spawned } from '../helpers/cli.js';
import { requireBuild } from '../helpers/gateway.js';
import { fn, json } from '../helpers/functions.js';
import { send } from '../helpers/http-client.js';

// `portico start` and function environments: the config file's spare processes boot while the
// gateway's modules load (the function runtime takes them over), and the idle timeout flag.
let dir = '';
let code = '';
const running: Spawned[] = [];
let runtime: PorticoFunctionRuntime | undefined;

beforeAll(() => {
  requireBuild();
  dir = mkdtempSync(join(tmpdir(), 'portico-prestart-'));
  code = join(dir, 'code');
  mkdirSync(code);
  writeFileSync(
    join(code, 'index.js'),
    'exports.handler = async () => ({ pid: process.pid, uptime: process.uptime(), cwd: process.cwd() });\n',
  );
});

afterEach(async () => {
  for (const p of running.splice(0)) await p.kill();
  await runtime?.close();
  runtime = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Pids of the Node environment processes (`node-env-entry.js`) whose parent is `ppid`. */
function environmentChildren(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== ppid) continue;
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('node-env-entry.js')) out.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A config file (in the test's dir) with function `probe` behind `GET /probe`; returns its path. */
function writeConfig(name: string): string {
  const config = join(dir, name);
  writeFileSync(
    config,
    `apis:
  app:
    integrations:
      probe: { type: AWS_PROXY, function: probe }
    routes:
      'GET /probe': probe
    stages:
      $default: {}
functions:
  probe:
    handler: index.handler
    code: ${code}
`,
  );
  return config;
}

describe.skipIf(process.platform !== 'linux')('prestarted spare processes', () => {
  it('portico start boots the spare before it listens, and the first invocation runs in it', async () => {
    const config = writeConfig('portico.yaml');
    const p = spawnPortico([
      'start',
      '--config',
      config,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
    ]);
    running.push(p);
    const pid = p.child.pid as number;
    // Environment processes seen before the gateway says it serves.
    const seen = new Set<number>();
    let serving = false;
    const started = waitForStart(p).finally(() => (serving = true));
    while (!serving) {
      for (const child of environmentChildren(pid)) seen.add(child);
      await new Promise((r) => setTimeout(r, 5));
    }
    const { dataUrl } = await started;
    expect(seen.size).toBe(1);
    const r = await send(`${dataUrl}/_aws/execute-api/app/probe`);
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as { pid: number; cwd: string };
    expect(seen.has(body.pid)).toBe(true);
    // Taken over as any spare: set up as the function before its code loaded.
    expect(body.cwd).toBe(code);
  });

  it('portico start --function-idle-timeout stops an idle environment after that time', async () => {
    const config = writeConfig('idle.yaml');
    const args = ['start', '--config', config, '--port', '0', '--admin-port', '0'];
    const p = spawnPortico([...args, '--data-dir', join(dir, 'data-idle'), '--function-idle-timeout', '0.3']);
    running.push(p);
    const { dataUrl } = await waitForStart(p);
    const pidOf = async (): Promise<number> => {
      const r = await send(`${dataUrl}/_aws/execute-api/app/probe`);
      expect(r.status).toBe(200);
      return (JSON.parse(r.body) as { pid: number }).pid;
    };
    const first = await pidOf();
    // Warm while in use.
    expect(await pidOf()).toBe(first);
    await until(() => !alive(first));
    expect(await pidOf()).not.toBe(first);
  });

  it('stops the prestarted spares when the gateway fails to start', async () => {
    // A memory size no other test uses, to find this gateway's spare among the machine's processes.
    const config = join(dir, 'broken.yaml');
    writeFileSync(
      config,
      `apis:
  app:
    routes:
      'GET /x': missing-integration
functions:
  probe:
    handler: index.handler
    code: ${code}
    memorySize: 1531
`,
    );
    const p = spawnPortico([
      'start',
      '--config',
      config,
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'data-broken'),
    ]);
    running.push(p);
    const spares = (): number[] =>
      readdirSync('/proc')
        .filter((n) => /^\d+$/.test(n))
        .filter((n) => {
          try {
            return readFileSync(`/proc/${n}/cmdline`, 'utf8').includes('--max-old-space-size=1531');
          } catch {
            return false;
          }
        })
        .map(Number);
    // The spare starts while the gateway loads (the config error comes later, when it is read).
    await until(() => spares().length > 0);
    expect(await p.exited).toEqual({ code: 1, signal: null });
    expect(p.stderr()).toContain('invalid config');
    await until(() => spares().length === 0);
  });

  it('a runtime takes over the prestarted spare of its memory size and stops the others', async () => {
    const [p128, p256] = await prestartSpares([128, 256]);
    expect(p128).toBeTypeOf('number');
    expect(p256).toBeTypeOf('number');
    await new Promise((r) => setTimeout(r, 1000));
    runtime = createFunctionRuntime({ dataDir: join(dir, 'data-runtime') });
    runtime.setFunctions([fn('probe', code, 'index.handler')]);
    await until(() => !alive(p256 as number));
    const r = await runtime.invoke({ functionName: 'probe', payload: Buffer.from('{}') });
    expect(r.functionError).toBeUndefined();
    const body = json(r.payload) as { pid: number; uptime: number; cwd: string };
    expect(body.pid).toBe(p128);
    // Booted before the runtime existed.
    expect(body.uptime).toBeGreaterThan(0.9);
    expect(body.cwd).toBe(code);
    // Once a runtime has its spares, nothing more is prestarted.
    expect(await prestartSpares([512])).toStrictEqual([]);
  });
});
