// One load generator for the whole run: wrk when installed, else autocannon (run as its own process).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { which, pinned } from './proc.js';

const require = createRequire(import.meta.url);

/** Pick the load generator: BENCH_LOADGEN=wrk|autocannon forces one; default wrk if on PATH. */
export async function chooseLoadgen() {
  const forced = process.env.BENCH_LOADGEN;
  const wrk = which('wrk');
  if (forced === 'autocannon' || (!forced && !wrk)) {
    const bin = require.resolve('autocannon/autocannon.js');
    return { name: 'autocannon', version: require('autocannon/package.json').version, bin };
  }
  if (!wrk) throw new Error('BENCH_LOADGEN=wrk but wrk is not on PATH');
  return { name: 'wrk', version: await wrkVersion(wrk), bin: wrk };
}

function wrkVersion(bin) {
  return new Promise((resolve) => {
    execFile(bin, ['-v'], (_err, stdout, stderr) => {
      const m = /wrk\s+(\S+)/.exec(`${stdout}${stderr}`);
      resolve(m ? m[1] : 'unknown');
    });
  });
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Parse "635.91us" / "1.20ms" / "2.00s" into microseconds. */
export function parseWrkDuration(s) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(s.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n : m[2] === 'ms' ? n * 1e3 : m[2] === 's' ? n * 1e6 : n * 60e6;
}

/** Parse `wrk --latency` output. */
export function parseWrk(out) {
  const pct = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(out);
    return m ? parseWrkDuration(m[1]) : NaN;
  };
  const total = /(\d+) requests in ([\d.]+)(\w+)/.exec(out);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: total ? Number(total[1]) : 0,
    rps: rps ? Number(rps[1]) : 0,
    p50us: pct(50),
    p99us: pct(99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    errors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

/**
 * Run the load: `connections` keep-alive connections for `durationS` seconds against `url`.
 * The generator process is pinned to `cpus` so it does not share the gateway's core.
 */
export async function runLoad(gen, { url, connections, durationS, cpus, headers = {} }) {
  const timeoutMs = (durationS + 30) * 1000;
  if (gen.name === 'wrk') {
    const args = ['-t1', `-c${connections}`, `-d${durationS}s`, '--latency', '--timeout', '10s'];
    for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
    args.push(url);
    const p = pinned(cpus, gen.bin, args);
    return parseWrk(await run(p.cmd, p.args, timeoutMs));
  }
  const args = [gen.bin, '-c', String(connections), '-d', String(durationS), '-j', '--timeout', '10'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  const p = pinned(cpus, process.execPath, args);
  const j = JSON.parse(await run(p.cmd, p.args, timeoutMs));
  return {
    requests: j.requests.total,
    rps: j.requests.total / j.duration,
    p50us: j.latency.p50 * 1000,
    p99us: j.latency.p99 * 1000,
    non2xx: j.non2xx ?? 0,
    errors: (j.errors ?? 0) + (j.timeouts ?? 0),
  };
}
