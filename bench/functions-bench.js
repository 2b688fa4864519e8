// `npm run bench:functions`: a hello-world function through Portico (AWS_PROXY, payload 2.0) vs the same
// handler under serverless-offline (worker threads and --useInProcess), with plain node:http as reference.
// Same settings as `npm run bench` (BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_ROUNDS,
// BENCH_TARGETS, BENCH_LOADGEN, BENCH_*_CPUS, BENCH_PORTICO_LOG, BENCH_PROFILE=1|<target>).
import http from 'node:http';
import { runRounds, roundSummary } from './lib/rounds.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './lib/machine.js';
import { chooseLoadgen } from './lib/loadgen.js';
import { settingsFromEnv, measure, combineRounds, median } from './lib/measure.js';
import { functionTargets } from './lib/function-targets.js';
import { finishRun, resultsTable, table, fmt } from './lib/report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const EXPECTED = 'hello';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET over a keep-alive agent; resolves { status, body, ms } or null when refused/reset. */
function tryGet(url) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const req = http.get(url, { agent, timeout: 30000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body, ms: performance.now() - t0 }));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

/**
 * Cold start: from spawn to the first 200 (polling every 5 ms), the latency of that first successful
 * request (the first invocation), then the median of 20 sequential warm requests.
 */
async function coldStart(started, timeoutMs = 90000) {
  const deadline = started.spawnedAt + timeoutMs;
  let exited = false;
  started.handle.exited.then(() => (exited = true));
  let first = null;
  let failures = 0;
  while (!first) {
    if (exited) throw new Error(`${started.handle.name} exited: ${started.handle.stderr()}`);
    if (performance.now() > deadline) throw new Error(`no 200 from ${started.url} within ${timeoutMs} ms`);
    const r = await tryGet(started.url);
    if (r && r.status === 200) first = r;
    else {
      if (r) failures++;
      await new Promise((res) => setTimeout(res, 5));
    }
  }
  const coldStartMs = performance.now() - started.spawnedAt;
  if (first.body !== EXPECTED)
    throw new Error(`unexpected body from ${started.url}: ${first.body.slice(0, 200)}`);
  const warm = [];
  for (let i = 0; i < 20; i++) {
    const r = await tryGet(started.url);
    if (!r || r.status !== 200) throw new Error(`warm request failed: ${r ? r.status : 'no response'}`);
    warm.push(r.ms);
  }
  return { coldStartMs, firstRequestMs: first.ms, warmMs: median(warm), non200BeforeReady: failures };
}

async function main() {
  const machine = machineInfo();
  const settings = settingsFromEnv(machine.nproc);
  const gen = await chooseLoadgen();
  const only = process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',')) : null;
  const porticoAccessLog = process.env.BENCH_PORTICO_LOG === 'null' ? 'null' : 'file';
  const profileTarget = process.env.BENCH_PROFILE === '1' ? 'portico' : process.env.BENCH_PROFILE || null;
  const profileOut = profileTarget
    ? resolve(
        HERE,
        'results',
        `functions-${profileTarget}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
      )
    : null;

  console.log(
    `machine: ${machine.nproc} CPU (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}`,
  );
  console.log(
    `load: ${gen.name} ${gen.version}, ${settings.connections} connections, warm-up ${settings.warmupS}s, ` +
      `measure ${settings.durationS}s, rounds ${settings.rounds}; CPUs target=${settings.gatewayCpus || 'any'} ` +
      `loadgen=${settings.loadgenCpus || 'any'}`,
  );

  // serverless resolves its plugin from the service directory upwards: keep the work dir under bench/.
  mkdirSync(join(HERE, 'results'), { recursive: true });
  const workDir = mkdtempSync(join(HERE, 'results', 'fn-work-'));
  const targets = functionTargets({
    workDir,
    cpus: settings.gatewayCpus,
    // The reference runs where `npm run bench` runs its direct backend, so "x direct" means the same thing.
    backendCpus: settings.backendCpus,
    porticoAccessLog,
    profile: profileTarget ? { target: profileTarget, out: profileOut } : null,
  }).filter((t) => !only || only.has(t.name));
  let state;
  try {
    state = await runRounds(targets, settings.rounds, async (t, started, entry) => {
      const cold = await coldStart(started);
      (entry.cold ??= []).push(cold);
      const r = await measure(gen, settings, {
        pid: started.handle.pid,
        url: started.url,
        onWindowStart: started.onWindowStart,
        onWindowEnd: started.onWindowEnd,
      });
      return {
        result: r,
        line:
          `${t.name.padEnd(34)} cold ${cold.coldStartMs.toFixed(0)} ms ` +
          `(first ${cold.firstRequestMs.toFixed(1)} ms, warm ${cold.warmMs.toFixed(2)} ms); ${roundSummary(r)}`,
      };
    });
  } finally {
    agent.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }

  const results = [...state.values()].map(({ target, rounds, cold = [], skipped }) =>
    rounds.length
      ? {
          name: target.name,
          description: target.description,
          ...combineRounds(rounds),
          coldStartMs: median(cold.map((c) => c.coldStartMs)),
          firstRequestMs: median(cold.map((c) => c.firstRequestMs)),
          warmMs: median(cold.map((c) => c.warmMs)),
          raw: rounds,
          rawCold: cold,
        }
      : { name: target.name, description: target.description, skipped },
  );
  const measured = results.filter((r) => !r.skipped);
  const direct = measured.find((r) => r.name === 'direct');
  console.log('');
  console.log(resultsTable(measured, direct));
  console.log('');
  console.log(
    table(
      ['target', 'cold start ms', 'first request ms', 'warm request ms'],
      measured.map((r) => [r.name, fmt.int(r.coldStartMs), fmt.f1(r.firstRequestMs), fmt.f2(r.warmMs)]),
    ),
  );
  const ratios = ratioRows(measured);
  if (ratios.length > 0) {
    console.log('');
    console.log(
      table(
        ['Portico', 'against', 'ratio of the medians', 'ratio in each round', 'median of the round ratios'],
        ratios,
      ),
    );
  }
  for (const r of results.filter((x) => x.skipped)) console.log(`(${r.name}: ${r.skipped})`);
  console.log(
    `\ncold start = process spawn -> first 200 (polling every 5 ms); first request = latency of that request; ` +
      `warm = median of 20 sequential requests after it. CPU/RSS include every process of the target's tree.`,
  );
  finishRun('functions', {
    profileOut,
    profileTarget,
    profiledRequests: state.get(profileTarget)?.rounds.at(-1)?.requests ?? 0,
    machine,
    gen,
    settings,
    porticoAccessLog,
    results,
  });
}

/**
 * Portico's throughput against each serverless-offline mode: the ratio of the medians, and the ratio
 * within each round (both measured minutes apart at most), which a slow phase of the machine
 * affects less than a comparison of medians taken from different rounds.
 */
function ratioRows(measured) {
  const byName = new Map(measured.map((r) => [r.name, r]));
  const refs = ['serverless-offline', 'serverless-offline --useInProcess'].filter((n) => byName.has(n));
  const rows = [];
  for (const p of measured.filter((r) => r.name.startsWith('portico'))) {
    for (const name of refs) {
      const ref = byName.get(name);
      const perRound = p.raw
        .map((round, i) => (ref.raw[i] ? round.rps / ref.raw[i].rps : NaN))
        .filter((x) => Number.isFinite(x));
      rows.push([
        p.name,
        name,
        `${(p.rps / ref.rps).toFixed(2)}x`,
        perRound.map((x) => x.toFixed(2)).join(' '),
        `${median(perRound).toFixed(2)}x`,
      ]);
    }
  }
  return rows;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
