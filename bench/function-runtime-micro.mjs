// Micro-benchmark of the function runtime alone (no HTTP): N invocations of the `hello` fixture with a
// payload 2.0-sized event, C at a time, through createFunctionRuntime (START/END/REPORT logged, pool,
// timers). Prints the gateway process's CPU and the environments' CPU per invocation.
// Run (pinned like the bench): taskset -c 0 node bench/function-runtime-micro.mjs [N] [C]
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const { createFunctionRuntime } = await import(join(HERE, '..', 'dist', 'functions', 'index.js'));
const N = Number(process.argv[2] ?? 20000);
const C = Number(process.argv[3] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'portico-fn-micro-'));
cpSync(join(HERE, 'fixtures', 'hello'), join(dir, 'code'), { recursive: true });
const runtime = createFunctionRuntime({ dataDir: join(dir, 'data') });
runtime.setFunctions([
  {
    functionName: 'hello',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    codeDir: join(dir, 'code'),
    timeout: 3,
    memorySize: 128,
    environment: {},
  },
]);
const event = {
  version: '2.0',
  routeKey: 'GET /hello',
  rawPath: '/hello',
  rawQueryString: '',
  headers: { host: '127.0.0.1:8080', 'user-agent': 'wrk', 'x-forwarded-for': '127.0.0.1' },
  requestContext: {
    accountId: '000000000000',
    apiId: 'bench',
    domainName: '127.0.0.1',
    http: { method: 'GET', path: '/hello', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'wrk' },
    requestId: 'abc',
    routeKey: 'GET /hello',
    stage: '$default',
    time: '28/Nov/2026:09:00:00 +0000',
    timeEpoch: 1,
  },
  isBase64Encoded: false,
};
const payload = Buffer.from(JSON.stringify(event));
const invoke = () => runtime.invoke({ functionName: 'hello', payload, waitTimeoutMs: 30000 });

const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const children = () =>
  readdirSync(`/proc/${process.pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${process.pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
  );
async function run(n) {
  let next = 0;
  const worker = async () => {
    while (next++ < n) await invoke();
  };
  await Promise.all(Array.from({ length: C }, worker));
}
await invoke();
await run(2000);
const kids = children();
const k0 = kids.reduce((s, p) => s + ticks(p), 0);
const c0 = process.cpuUsage();
const t0 = performance.now();
await run(N);
const wall = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const k1 = kids.reduce((s, p) => s + ticks(p), 0);
const per = (us) => ((us / N) * 1).toFixed(1);
console.log(
  `${N} invocations, ${C} at a time, ${kids.length} environments: ${Math.round((N / wall) * 1000)}/s; ` +
    `gateway user ${per(cpu.user)} µs + sys ${per(cpu.system)} µs, environments ${per((k1 - k0) * 10000)} µs per invocation`,
);
await runtime.close();
rmSync(dir, { recursive: true, force: true });
