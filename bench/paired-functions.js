// Paired function bench: Portico and serverless-offline --useInProcess serve the same hello function AT
// THE SAME TIME, on the same CPU, each in its own cpu cgroup with equal weight, each under its own load
// generator. Both then get the same share of the same core in the same seconds, so a slow phase of the
// machine slows both alike and the throughput ratio is the ratio of work per request. `npm run bench:functions`
// (one target after the other) is the main figure; on a machine whose speed swings from one minute
// to the next, this one tells the ratio apart from the swings. Linux, root (cgroup v1 `cpu` or v2).
// Env: BENCH_ROUNDS, BENCH_DURATION, BENCH_WARMUP, BENCH_CONNECTIONS, BENCH_*_CPUS, BENCH_PAIRS
// (comma list of Portico targets to pair, default `portico (threads),portico`).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionTargets } from './lib/function-targets.js';
import { chooseLoadgen, runLoad } from './lib/loadgen.js';
import { machineInfo } from './lib/machine.js';
import { median, settingsFromEnv } from './lib/measure.js';
import { processTree, treeCpuSeconds } from './lib/proc.js';
import { fmt, table, writeResults } from './lib/report.js';
import { waitServing } from './lib/targets.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REFERENCE = 'serverless-offline --useInProcess';

/** A cpu cgroup per side: v1 `cpu.shares` or v2 `cpu.weight`, equal for both. */
function cgroupRoot() {
  if (existsSync('/sys/fs/cgroup/cpu/cpu.shares'))
    return { dir: '/sys/fs/cgroup/cpu', file: 'cpu.shares', value: '1024' };
  const controllers = '/sys/fs/cgroup/cgroup.controllers';
  if (existsSync(controllers) && readFileSync(controllers, 'utf8').split(/\s+/).includes('cpu')) {
    writeFileSync('/sys/fs/cgroup/cgroup.subtree_control', '+cpu');
    return { dir: '/sys/fs/cgroup', file: 'cpu.weight', value: '100' };
  }
  return null;
}

function makeGroup(root, name) {
  const dir = join(root.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, root.file), root.value);
  return {
    /** Moves a process tree (with all its threads) into the group. */
    adopt(pid) {
      for (const p of processTree(pid)) {
        try {
          writeFileSync(join(dir, 'cgroup.procs'), String(p));
        } catch {
          // gone meanwhile
        }
      }
    },
    remove() {
      try {
        rmSync(dir, { recursive: false });
      } catch {
        // still has a process that is exiting; harmless
      }
    },
  };
}

async function main() {
  const root = cgroupRoot();
  if (!root) {
    console.log(
      'paired bench: needs a writable cpu cgroup (cgroup v1 cpu or v2 with the cpu controller) and root',
    );
    process.exit(2);
  }
  const machine = machineInfo();
  const settings = settingsFromEnv(machine.nproc);
  const gen = await chooseLoadgen();
  const porticoNames = (process.env.BENCH_PAIRS ?? 'portico (threads),portico').split(',');
  console.log(`machine: ${machine.nproc} CPU (${machine.cpuModel}), node ${machine.node}`);
  console.log(
    `paired: each Portico target with ${REFERENCE}, at the same time on CPU ${settings.gatewayCpus || 'any'}, ` +
      `equal cgroup weights; ${gen.name}, ${settings.connections} connections each, warm-up ${settings.warmupS}s, ` +
      `measure ${settings.durationS}s, rounds ${settings.rounds}`,
  );
  mkdirSync(join(HERE, 'results'), { recursive: true });
  const workDir = mkdtempSync(join(HERE, 'results', 'fn-paired-'));
  const all = functionTargets({
    workDir,
    cpus: settings.gatewayCpus,
    backendCpus: settings.backendCpus,
    porticoAccessLog: 'file',
    profile: null,
  });
  const byName = new Map(all.map((t) => [t.name, t]));
  const groups = [makeGroup(root, 'portico-bench-a'), makeGroup(root, 'portico-bench-b')];
  const rounds = [];
  try {
    for (let round = 1; round <= settings.rounds; round++) {
      for (const name of porticoNames) {
        const pair = [byName.get(name), byName.get(REFERENCE)];
        if (!pair[0] || !pair[1]) throw new Error(`unknown target ${name}`);
        for (const t of pair) {
          const why = await t.skip();
          if (why) throw new Error(`${t.name}: ${why}`);
        }
        const started = [];
        try {
          for (const [i, t] of pair.entries()) {
            const s = await t.start();
            groups[i].adopt(s.handle.pid);
            started.push(s);
          }
          await Promise.all(started.map((s) => waitServing(s.handle, s.url, 'hello')));
          const load = (s, durationS) =>
            runLoad(gen, {
              url: s.url,
              connections: settings.connections,
              durationS,
              cpus: settings.loadgenCpus,
            });
          if (settings.warmupS > 0) await Promise.all(started.map((s) => load(s, settings.warmupS)));
          // Environments started during the warm-up (child processes) join their side's group.
          started.forEach((s, i) => groups[i].adopt(s.handle.pid));
          const trees = started.map((s) => processTree(s.handle.pid));
          const cpu0 = trees.map((pids) => treeCpuSeconds(pids));
          const loads = await Promise.all(started.map((s) => load(s, settings.durationS)));
          const cpu = trees.map((pids, i) => treeCpuSeconds(pids) - (cpu0[i] ?? 0));
          const [a, b] = loads;
          const r = {
            round,
            portico: name,
            porticoRps: a.rps,
            referenceRps: b.rps,
            ratio: a.rps / b.rps,
            porticoCpuS: cpu[0],
            referenceCpuS: cpu[1],
            porticoCpuUsPerReq: ((cpu[0] ?? 0) * 1e6) / a.requests,
            referenceCpuUsPerReq: ((cpu[1] ?? 0) * 1e6) / b.requests,
            porticoP99Ms: a.p99us / 1000,
            referenceP99Ms: b.p99us / 1000,
            errors: a.errors + a.non2xx + b.errors + b.non2xx,
          };
          rounds.push(r);
          console.log(
            `  [${round}/${settings.rounds}] ${name.padEnd(18)} ${fmt.int(a.rps)} req/s vs ${fmt.int(b.rps)} = ` +
              `${r.ratio.toFixed(2)}x; CPU ${cpu[0]?.toFixed(1)} s vs ${cpu[1]?.toFixed(1)} s; ` +
              `p99 ${r.porticoP99Ms.toFixed(1)} vs ${r.referenceP99Ms.toFixed(1)} ms`,
          );
        } finally {
          await Promise.all(started.map((s) => s.handle.stop()));
        }
      }
    }
  } finally {
    groups.forEach((g) => g.remove());
    rmSync(workDir, { recursive: true, force: true });
  }
  const rows = porticoNames.map((name) => {
    const rs = rounds.filter((r) => r.portico === name);
    return [
      name,
      fmt.int(median(rs.map((r) => r.porticoRps))),
      fmt.int(median(rs.map((r) => r.referenceRps))),
      `${median(rs.map((r) => r.ratio)).toFixed(2)}x`,
      rs.map((r) => r.ratio.toFixed(2)).join(' '),
      `${fmt.int(median(rs.map((r) => r.porticoCpuUsPerReq)))} / ${fmt.int(median(rs.map((r) => r.referenceCpuUsPerReq)))}`,
      `${median(rs.map((r) => r.porticoP99Ms)).toFixed(1)} / ${median(rs.map((r) => r.referenceP99Ms)).toFixed(1)}`,
    ];
  });
  console.log(
    `\n${table(
      [
        'paired with --useInProcess',
        'req/s',
        `${REFERENCE} req/s`,
        'ratio (median)',
        'ratio per round',
        'CPU µs/req',
        'p99 ms',
      ],
      rows,
    )}`,
  );
  console.log(
    'CPU µs/req and p99 are under contention (two servers on one core): compare them with each other only.',
  );
  const file = writeResults('functions-paired', { machine, settings, loadgen: gen, rounds });
  console.log(`results: ${resolve(file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
