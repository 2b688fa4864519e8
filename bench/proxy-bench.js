// `npm run bench`: direct backend vs Portico vs peer proxies, one load generator, one run.
// Settings (env): BENCH_DURATION=10 BENCH_WARMUP=3 BENCH_CONNECTIONS=50 BENCH_ROUNDS=1
//   BENCH_TARGETS=direct,portico,... BENCH_LOADGEN=wrk|autocannon BENCH_PORTICO_LOG=file|null
//   BENCH_GATEWAY_CPUS=0 BENCH_LOADGEN_CPUS=1 BENCH_BACKEND_CPUS=1 BENCH_PROFILE=1 (Portico under --cpu-prof)
import { runRounds, roundSummary } from './lib/rounds.js';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './lib/machine.js';
import { chooseLoadgen } from './lib/loadgen.js';
import { startChild, freePort, waitFor, probe } from './lib/proc.js';
import { settingsFromEnv, measure, combineRounds } from './lib/measure.js';
import { proxyTargets, waitServing } from './lib/targets.js';
import { finishRun, resultsTable } from './lib/report.js';

const HERE = dirname(fileURLToPath(import.meta.url));

async function startBackend(cpus) {
  const port = await freePort();
  const handle = startChild({
    name: 'backend',
    cmd: process.execPath,
    args: [join(HERE, 'targets', 'backend.js')],
    cpus,
    env: { PORT: String(port) },
  });
  await waitFor(async () => (await probe(`http://127.0.0.1:${port}/bench`)).status === 200, {
    what: 'backend',
  });
  const body = (await probe(`http://127.0.0.1:${port}/bench`)).body;
  return { handle, port, body };
}

async function main() {
  const machine = machineInfo();
  const settings = settingsFromEnv(machine.nproc);
  const gen = await chooseLoadgen();
  const only = process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',')) : null;
  // BENCH_PROFILE=1 profiles Portico; BENCH_PROFILE=<target> profiles that Node target instead.
  const profileTarget = process.env.BENCH_PROFILE === '1' ? 'portico' : process.env.BENCH_PROFILE || null;
  const profileOut = profileTarget
    ? resolve(
        HERE,
        'results',
        `${profileTarget.replace(/\W+/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
      )
    : null;
  const porticoAccessLog = process.env.BENCH_PORTICO_LOG === 'null' ? 'null' : 'file';

  console.log(
    `machine: ${machine.nproc} CPU (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, ${machine.nginx ?? 'no nginx'}`,
  );
  console.log(
    `load: ${gen.name} ${gen.version}, ${settings.connections} connections, warm-up ${settings.warmupS}s, ` +
      `measure ${settings.durationS}s, rounds ${settings.rounds}; CPUs gateway=${settings.gatewayCpus || 'any'} ` +
      `loadgen=${settings.loadgenCpus || 'any'} backend=${settings.backendCpus || 'any'}`,
  );

  const workDir = mkdtempSync(join(tmpdir(), 'portico-bench-'));
  const backend = await startBackend(settings.backendCpus);
  const targets = proxyTargets({
    backend,
    workDir,
    cpus: settings.gatewayCpus,
    porticoAccessLog,
    profile: profileTarget ? { target: profileTarget, out: profileOut } : null,
  }).filter((t) => !only || only.has(t.name));

  const cleanup = async () => {
    await backend.handle.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => cleanup().then(() => process.exit(130)));

  let perTarget;
  try {
    perTarget = await runRounds(targets, settings.rounds, async (t, started) => {
      await waitServing(started.handle, started.url, backend.body);
      const r = await measure(gen, settings, {
        pid: started.handle.pid,
        url: started.url,
        also: started.shared ? [] : [backend.handle.pid],
        onWindowStart: started.onWindowStart,
        onWindowEnd: started.onWindowEnd,
      });
      if (started.accessLog === 'file')
        r.accessLogBytes = accessLogSize(join(workDir, 'portico', 'access.log'));
      return { result: r, line: `${t.name.padEnd(20)} ${roundSummary(r)}` };
    });
  } finally {
    await cleanup();
  }

  const results = [...perTarget.values()].map(({ target, rounds, skipped }) =>
    rounds.length
      ? { name: target.name, description: target.description, ...combineRounds(rounds), raw: rounds }
      : { name: target.name, description: target.description, skipped },
  );
  const measured = results.filter((r) => !r.skipped);
  const direct = measured.find((r) => r.name === 'direct');
  console.log('');
  console.log(resultsTable(measured, direct));
  for (const r of results.filter((x) => x.skipped)) console.log(`(${r.name}: ${r.skipped})`);
  console.log(
    `\nCPU = utime+stime of the target's process tree over the measured window / requests; CPU % of one core; req/s per core = 1e6 / CPU µs/req (what one saturated core would serve). ` +
      `RSS = max VmRSS sampled under load; HWM = VmHWM. direct: the measured process is the backend itself.`,
  );
  finishRun('proxy', {
    profileOut,
    profileTarget,
    profiledRequests: perTarget.get(profileTarget)?.rounds.at(-1)?.requests ?? 0,
    machine,
    gen,
    settings,
    porticoAccessLog,
    results,
  });
}

function accessLogSize(file) {
  if (!existsSync(file)) return 0;
  return statSync(file).size;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
