// One measurement: warm up, then a fixed window with CPU ticks and RSS of the measured process tree.
import { existsSync } from 'node:fs';
import { processTree, treeCpuSeconds, treeMemory } from './proc.js';
import { runLoad } from './loadgen.js';

/** Settings shared by every target in a run, read from the environment. */
export function settingsFromEnv(nproc) {
  const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
  // Default layout: the gateway alone on CPU 0; load generator and backend elsewhere.
  const gw = nproc >= 2 ? '0' : '';
  const lg = nproc >= 3 ? '2' : nproc === 2 ? '1' : '';
  const be = nproc >= 2 ? '1' : '';
  return {
    durationS: num('BENCH_DURATION', 10),
    warmupS: num('BENCH_WARMUP', 3),
    connections: num('BENCH_CONNECTIONS', 50),
    rounds: num('BENCH_ROUNDS', 1),
    gatewayCpus: process.env.BENCH_GATEWAY_CPUS ?? gw,
    loadgenCpus: process.env.BENCH_LOADGEN_CPUS ?? lg,
    backendCpus: process.env.BENCH_BACKEND_CPUS ?? be,
  };
}

/**
 * Warm up, then load `url` for the measured window. CPU = utime+stime of the target's process tree from
 * /proc before/after the window; RSS sampled every 250 ms during the window (max), VmHWM at the end.
 * `also` = other processes (the backend) whose CPU is recorded for reference.
 */
export async function measure(gen, settings, { pid, url, headers, also = [], onWindowStart, onWindowEnd }) {
  if (settings.warmupS > 0) {
    await runLoad(gen, {
      url,
      headers,
      connections: settings.connections,
      durationS: settings.warmupS,
      cpus: settings.loadgenCpus,
    });
  }
  // The tree is re-read while sampling: function runtimes may start environments (child processes)
  // during the window. A process that exits inside the window loses its CPU from the sum.
  const pids = new Set(processTree(pid));
  const alsoPids = also.map((p) => processTree(p));
  const refresh = () => {
    for (const p of processTree(pid)) pids.add(p);
  };
  let rssMaxKb = treeMemory([...pids]).rssKb;
  const sampler = setInterval(() => {
    refresh();
    rssMaxKb = Math.max(rssMaxKb, treeMemory([...pids]).rssKb);
  }, 250);
  await onWindowStart?.();
  const cpu0 = new Map([...pids].map((p) => [p, treeCpuSeconds([p])]));
  const alsoCpu0 = alsoPids.map(treeCpuSeconds);
  const t0 = performance.now();
  let load;
  try {
    load = await runLoad(gen, {
      url,
      headers,
      connections: settings.connections,
      durationS: settings.durationS,
      cpus: settings.loadgenCpus,
    });
  } finally {
    clearInterval(sampler);
    await onWindowEnd?.();
  }
  const wallS = (performance.now() - t0) / 1000;
  refresh();
  let cpuS = 0;
  for (const p of pids) {
    if (existsSync(`/proc/${p}/stat`)) cpuS += treeCpuSeconds([p]) - (cpu0.get(p) ?? 0);
  }
  const mem = treeMemory([...pids]);
  rssMaxKb = Math.max(rssMaxKb, mem.rssKb);
  const ok = Math.max(load.requests - load.non2xx, 0);
  return {
    ...load,
    wallS,
    cpuS,
    cpuUtil: cpuS / wallS,
    cpuPerReqUs: load.requests > 0 ? (cpuS / load.requests) * 1e6 : NaN,
    rssMaxMb: rssMaxKb / 1024,
    hwmMb: mem.hwmKb / 1024,
    okRequests: ok,
    processes: pids.size,
    alsoCpuPerReqUs: alsoPids.map((ps, i) =>
      load.requests > 0 ? ((treeCpuSeconds(ps) - alsoCpu0[i]) / load.requests) * 1e6 : NaN,
    ),
  };
}

/** Median of numbers (NaN-free). */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Combine rounds of one target into medians. */
export function combineRounds(rounds) {
  const keys = ['rps', 'p50us', 'p99us', 'cpuPerReqUs', 'cpuUtil', 'rssMaxMb', 'hwmMb'];
  const out = { rounds: rounds.length };
  for (const k of keys) out[k] = median(rounds.map((r) => r[k]));
  out.requests = rounds.reduce((a, r) => a + r.requests, 0);
  out.non2xx = rounds.reduce((a, r) => a + r.non2xx, 0);
  out.errors = rounds.reduce((a, r) => a + r.errors, 0);
  out.backendCpuPerReqUs = median(rounds.map((r) => r.alsoCpuPerReqUs?.[0]));
  return out;
}
