// Child processes and their /proc accounting (CPU ticks, RSS), Linux only.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, existsSync, openSync } from 'node:fs';
import net from 'node:net';

/** Clock ticks per second used by utime/stime in /proc/<pid>/stat. */
export const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Whether an executable is on PATH. */
export function which(cmd) {
  try {
    return (
      execFileSync('sh', ['-c', `command -v ${cmd}`])
        .toString()
        .trim() || null
    );
  } catch {
    return null;
  }
}

const TASKSET = which('taskset');

/** Prefix a command with `taskset -c <cpus>` when taskset exists and cpus is set (taskset execs: same pid). */
export function pinned(cpus, cmd, args) {
  if (!TASKSET || !cpus) return { cmd, args };
  return { cmd: TASKSET, args: ['-c', cpus, cmd, ...args] };
}

/** A port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawn a long-running child. stdout goes to `stdoutFile` (or is ignored); stderr is kept (last 4 kB)
 * so a failed start can be explained.
 */
export function startChild({ name, cmd, args, cpus, env, cwd, stdoutFile }) {
  const p = pinned(cpus, cmd, args);
  const out = stdoutFile ? openSync(stdoutFile, 'a') : 'ignore';
  const child = spawn(p.cmd, p.args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d.toString()).slice(-4096);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    name,
    child,
    pid: child.pid,
    exited,
    stderr: () => stderr,
    async stop(timeoutMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** The pid and all its descendants (nginx master + workers), via /proc/<pid>/task/<tid>/children. */
export function processTree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i];
    try {
      const tids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      if (tids) for (const c of tids.split(/\s+/)) out.push(Number(c));
    } catch {
      // process gone or kernel without CONFIG_PROC_CHILDREN
    }
  }
  return out;
}

/** utime + stime in seconds for one pid (all its threads). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm (field 2) may contain spaces: split after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return (utime + stime) / CLK_TCK;
}

/** Summed CPU seconds of a process tree. */
export function treeCpuSeconds(pids) {
  let s = 0;
  for (const pid of pids) {
    if (existsSync(`/proc/${pid}/stat`)) s += cpuSeconds(pid);
  }
  return s;
}

/** VmRSS and VmHWM in kB, summed over a process tree. */
export function treeMemory(pids) {
  let rss = 0;
  let hwm = 0;
  for (const pid of pids) {
    let status;
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      continue;
    }
    const r = /VmRSS:\s+(\d+) kB/.exec(status);
    const h = /VmHWM:\s+(\d+) kB/.exec(status);
    if (r) rss += Number(r[1]);
    if (h) hwm += Number(h[1]);
  }
  return { rssKb: rss, hwmKb: hwm };
}

/** Poll `check` until it resolves true or the deadline passes. */
export async function waitFor(check, { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
}

/** One GET with node's fetch; returns { status, body, ms }. */
export async function probe(url, headers = {}) {
  const t0 = performance.now();
  const res = await fetch(url, { headers });
  const body = await res.text();
  return { status: res.status, body, ms: performance.now() - t0 };
}
