import { readdirSync, readFileSync } from 'node:fs';

/**
 * Resident memory (RSS) of a process and all its descendants, in bytes, read from Linux's `/proc`
 * (`VmRSS` of each process; children from `/proc/<pid>/task/<tid>/children`). `undefined` when
 * `/proc` cannot tell: not Linux, or the process is gone. `allThreads: false` looks for children of
 * each process's main thread only (one file instead of one per thread: a Node process has about
 * ten), which finds what a runtime starts from its main thread; the full scan finds the rest.
 */
export function treeRssBytes(pid: number, allThreads = true): number | undefined {
  const own = rssBytes(pid);
  if (own === undefined) return undefined;
  let total = own;
  const seen = new Set([pid]);
  const todo = childrenOf(pid, allThreads);
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    total += rssBytes(next) ?? 0;
    todo.push(...childrenOf(next, allThreads));
  }
  return total;
}

/** The pids of a process's descendants (from `/proc`; empty when it cannot tell). */
export function descendantPids(pid: number): number[] {
  const out: number[] = [];
  const seen = new Set([pid]);
  const todo = childrenOf(pid, true);
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    out.push(next);
    todo.push(...childrenOf(next, true));
  }
  return out;
}

function rssBytes(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined;
  }
  // A zombie (or kernel thread) has no VmRSS line: it holds no memory.
  const m = /\nVmRSS:\s+(\d+) kB/.exec(status);
  return m?.[1] === undefined ? 0 : Number(m[1]) * 1024;
}

function childrenOf(pid: number, allThreads: boolean): number[] {
  const out: number[] = [];
  let tids: string[];
  try {
    tids = allThreads ? readdirSync(`/proc/${pid}/task`) : [String(pid)];
  } catch {
    return out;
  }
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
    } catch {
      // Kernels without CONFIG_PROC_CHILDREN: the process itself is all that is counted.
      continue;
    }
    for (const c of text.split(' ')) if (c !== '' && c !== '\n') out.push(Number(c));
  }
  return out;
}

/** What a {@link MemoryWatch} needs. */
export interface MemoryWatchOptions {
  /** The environment's process (its descendants count too). */
  pid: number;
  limitMB: number;
  /** True while the environment runs code (init or an invocation): sampling stops once it is not. */
  busy(): boolean;
  /** The tree went over the limit (called once). */
  exceeded(): void;
  /** Sampling period. Default 50 ms. */
  intervalMs?: number;
  /**
   * True once the kernel killed a process of the tree for the tree's hard limit (a memory cgroup,
   * see MemoryCgroup): reported as going over the limit, at the next sample.
   */
  oomKilled?: () => boolean;
}

/**
 * Enforces an environment's memory size on its process tree the way Lambda's sandbox does, by
 * sampling: while the environment runs code, its tree's RSS is read every `intervalMs`, and going
 * over the limit is reported once (the environment then kills the tree). Between invocations a
 * Lambda sandbox is frozen, so an idle environment is not sampled. Growth that comes and goes
 * within one period can pass unseen; the peak seen is `Max Memory Used`.
 */
export class MemoryWatch {
  readonly #o: MemoryWatchOptions;
  readonly #limitBytes: number;
  #timer: NodeJS.Timeout | undefined;
  #peakBytes = 0;
  #done = false;
  #samples = 0;

  constructor(options: MemoryWatchOptions) {
    this.#o = options;
    this.#limitBytes = options.limitMB * 1024 * 1024;
  }

  /** Highest RSS seen, in MB (rounded up). */
  get peakMB(): number {
    return Math.ceil(this.#peakBytes / 1048576);
  }

  /** The environment runs code: sample every period until it is idle. Cheap when already sampling. */
  wake(): void {
    if (this.#timer !== undefined || this.#done) return;
    this.#timer = setInterval(() => this.#tick(), this.#o.intervalMs ?? 50);
    this.#timer.unref();
  }

  #tick(): void {
    // Every sample looks for children of main threads; every tenth, of all threads.
    const bytes = treeRssBytes(this.#o.pid, this.#samples++ % 10 === 0);
    if (bytes === undefined) {
      this.stop();
      return;
    }
    if (bytes > this.#peakBytes) this.#peakBytes = bytes;
    if (bytes > this.#limitBytes || this.#o.oomKilled?.() === true) {
      this.stop();
      this.#o.exceeded();
      return;
    }
    if (!this.#o.busy()) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** No more sampling (the environment is gone). */
  stop(): void {
    this.#done = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
