import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { descendantPids } from './memory-watch.js';

/**
 * The directory under which this gateway makes one memory cgroup per environment
 * (`<own memory cgroup>/portico-<gateway pid>`), or undefined when it cannot: not Linux, no cgroup v1
 * memory controller, or no permission to create cgroups (not root). Found once per process.
 */
let parent: string | null | undefined;

function ownMemoryCgroup(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  let text: string;
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return undefined;
  }
  // cgroup v1: `4:memory:/path`. (v2 forbids processes in a cgroup whose children have controllers,
  // so a gateway in a v2 leaf cannot nest limits under itself: the sampling watch applies there.)
  const line = text.split('\n').find((l) => l.split(':')[1]?.split(',').includes('memory'));
  const path = line?.slice(line.indexOf(':', line.indexOf(':') + 1) + 1);
  if (path === undefined) return undefined;
  const dir = join('/sys/fs/cgroup/memory', path);
  return existsSync(join(dir, 'memory.limit_in_bytes')) ? dir : undefined;
}

function parentDir(): string | undefined {
  if (parent !== undefined) return parent ?? undefined;
  parent = null;
  const own = ownMemoryCgroup();
  if (own === undefined) return undefined;
  sweepDeadGateways(own);
  const dir = join(own, `portico-${process.pid}`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return undefined;
  }
  parent = dir;
  return dir;
}

/** Removes the cgroups of gateways that are gone (a crash leaves them; they hold no process). */
function sweepDeadGateways(own: string): void {
  let names: string[];
  try {
    names = readdirSync(own);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^portico-(\d+)$/.exec(name);
    if (m === null || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    removeTree(join(own, name));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A cgroup directory and its child cgroups (rmdir each: cgroup files cannot be unlinked). */
function removeTree(dir: string): boolean {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeTree(join(dir, entry.name));
    }
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}

/**
 * A hard memory limit on one environment's process tree: a cgroup v1 memory cgroup with
 * `memory.limit_in_bytes` = the memory size (and the same limit with swap), which the environment's
 * process joins; everything it starts joins too. The kernel then never lets the tree go over the
 * memory size: past it, its OOM killer kills a process of the tree, as Lambda's sandbox does. Where
 * cgroups cannot be used, `create` returns undefined and the sampling `MemoryWatch` is the bound.
 */
export class MemoryCgroup {
  readonly #dir: string;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /**
   * Puts `pid`, its descendants and what it starts from now on under a limit of `limitMB`.
   * Asynchronous: moving a process between cgroups waits for the kernel (an RCU grace period, 10–20
   * ms in this VM), which must not stall the gateway's event loop; the environment starts meanwhile.
   */
  static async create(pid: number, limitMB: number): Promise<MemoryCgroup | undefined> {
    const base = parentDir();
    if (base === undefined) return undefined;
    const dir = join(base, `env-${pid}`);
    try {
      await mkdir(dir, { recursive: true });
      const bytes = String(limitMB * 1024 * 1024);
      await writeFile(join(dir, 'memory.limit_in_bytes'), bytes);
      try {
        // Without it, a machine with swap would let the tree page out instead of stopping it.
        await writeFile(join(dir, 'memory.memsw.limit_in_bytes'), bytes);
      } catch {
        // No swap accounting on this kernel: the memory limit alone.
      }
      await writeFile(join(dir, 'cgroup.procs'), String(pid));
      // What it started before it joined (a bootstrap script's first command, say): later children
      // are born in the cgroup.
      for (const child of descendantPids(pid)) {
        try {
          await writeFile(join(dir, 'cgroup.procs'), String(child));
        } catch {
          // Gone already.
        }
      }
    } catch {
      removeTree(dir);
      return undefined;
    }
    return new MemoryCgroup(dir);
  }

  /** True once the kernel's OOM killer has killed a process of the tree. */
  get oomKilled(): boolean {
    try {
      const m = /(?:^|\n)oom_kill (\d+)/.exec(readFileSync(join(this.#dir, 'memory.oom_control'), 'latin1'));
      if (m?.[1] !== undefined) return Number(m[1]) > 0;
      // Kernels before 4.13 have no oom_kill count: hitting the limit is the closest sign.
      return Number(readFileSync(join(this.#dir, 'memory.failcnt'), 'latin1')) > 0;
    } catch {
      return false;
    }
  }

  /** Removes the cgroup once its processes are gone (retried briefly: exits are reaped async). */
  remove(attempts = 20): void {
    if (removeTree(this.#dir) || attempts <= 0 || !existsSync(this.#dir)) return;
    setTimeout(() => this.remove(attempts - 1), 50).unref();
  }
}

/** Cgroups being made for processes started ahead of their environment (spares), by pid. */
const ahead = new Map<number, Promise<MemoryCgroup | undefined>>();

/**
 * Starts making the cgroup of a process started before its environment (a spare process, whose
 * memory size is known when it starts): the environment that takes it then finds the move done,
 * instead of waiting for it at its cold start.
 */
export function prepareMemoryCgroup(pid: number, limitMB: number): void {
  ahead.set(pid, MemoryCgroup.create(pid, limitMB));
}

/** The cgroup of an environment's process: the one prepared for it, or a new one. */
export function memoryCgroupFor(pid: number, limitMB: number): Promise<MemoryCgroup | undefined> {
  const prepared = ahead.get(pid);
  ahead.delete(pid);
  return prepared ?? MemoryCgroup.create(pid, limitMB);
}

/** Removes the cgroup prepared for a process that ended before an environment took it. */
export function discardMemoryCgroup(pid: number): void {
  const prepared = ahead.get(pid);
  ahead.delete(pid);
  void prepared?.then((cgroup) => cgroup?.remove());
}
