// Micro-benchmark behind docs/functions.md: warm round trip and cold start of the candidate transports
// between the gateway and a Node execution environment. Run: node bench/function-transport.mjs
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const N = 5000;
const dir = mkdtempSync(join(tmpdir(), 'portico-transport-'));
const w = join(dir, 'w.mjs');
const c = join(dir, 'c.mjs');
const p = join(dir, 'p.mjs');
writeFileSync(
  w,
  `import { parentPort } from 'node:worker_threads'; parentPort.on('message', (m) => parentPort.postMessage(m));`,
);
writeFileSync(c, `process.on('message', (m) => process.send(m));`);
writeFileSync(p, `import { writeSync } from 'node:fs'; process.stdin.on('data', (d) => writeSync(3, d));`);
const payload = Buffer.from(JSON.stringify({ hello: 'world', n: 1 }));
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function measure(name, start, roundTrip, close) {
  const rssBefore = rss(process.pid);
  const t0 = performance.now();
  const env = await start();
  const cold = performance.now() - t0;
  const mem = env.pid ? rss(env.pid) : rss(process.pid) - rssBefore;
  for (let i = 0; i < 500; i++) await roundTrip(env);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < N; i++) await roundTrip(env);
  const wall = ((performance.now() - w0) * 1000) / N;
  const cpu = process.cpuUsage(c0);
  console.log(
    `${name.padEnd(14)} cold ${cold.toFixed(1)} ms  warm ${wall.toFixed(1)} us  gateway-process cpu ${((cpu.user + cpu.system) / N).toFixed(1)} us  memory ${mem.toFixed(1)} MB`,
  );
  await close(env);
}

await measure(
  'worker',
  async () => {
    const wk = new Worker(w);
    await new Promise((r) => {
      wk.once('message', r);
      wk.postMessage(0);
    });
    return wk;
  },
  (wk) =>
    new Promise((r) => {
      wk.once('message', r);
      wk.postMessage(payload);
    }),
  (wk) => wk.terminate(),
);
await measure(
  'fork-advanced',
  async () => {
    const ch = fork(c, { serialization: 'advanced' });
    await new Promise((r) => {
      ch.once('message', r);
      ch.send(0);
    });
    return ch;
  },
  (ch) =>
    new Promise((r) => {
      ch.once('message', r);
      ch.send(payload);
    }),
  (ch) => ch.kill(),
);
await measure(
  'spawn-pipe',
  async () => {
    const ch = spawn(process.execPath, [p], { stdio: ['pipe', 'inherit', 'inherit', 'pipe'] });
    await new Promise((r) => {
      ch.stdio[3].once('data', r);
      ch.stdin.write('x');
    });
    return ch;
  },
  (ch) =>
    new Promise((r) => {
      ch.stdio[3].once('data', r);
      ch.stdin.write(payload);
    }),
  (ch) => ch.kill(),
);
rmSync(dir, { recursive: true, force: true });
