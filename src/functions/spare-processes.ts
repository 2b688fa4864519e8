import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { probeBatchScheduling } from './batch-scheduling.js';
import { spawnNodeEnvironment } from './env-channels.js';
import { lambdaBootEnv } from './lambda-env-vars.js';
import { discardMemoryCgroup, prepareMemoryCgroup } from './memory-cgroup.js';

/** The environment variables a Node process reads while it starts (and a spare is started with). */
export interface BootEnv {
  PATH: string;
  LANG: string;
  TZ: string;
  NODE_PATH: string;
}

/** Names whose values must equal a spare's boot environment for the spare to be used. */
const BOOT_NAMES = ['PATH', 'LANG', 'TZ', 'NODE_PATH'] as const;
/** Variables Node reads only at start: a function that sets one gets a fresh process. */
const START_ONLY = /^(NODE_OPTIONS|NODE_EXTRA_CA_CERTS|NODE_ICU_DATA|NODE_NO_WARNINGS|UV_THREADPOOL_SIZE)$/;
/** At most this many memory sizes keep a spare (each spare is an idle Node process, ≈ 40 MB). */
const MAX_SPARES = 3;
/** A used spare is replaced after this delay, so its start does not compete with the cold start. */
const REPLENISH_DELAY_MS = 250;

/** What decides whether a function's environments may start in a spare. */
export interface SpareCandidate {
  runtime: string;
  isolation?: string | undefined;
  memorySize: number;
}

/** The memory sizes that get a spare: Node functions in process environments (the first few sizes). */
export function spareSizes(functions: Iterable<SpareCandidate>): number[] {
  const sizes = new Set<number>();
  for (const f of functions) {
    if (f.runtime.startsWith('nodejs') && (f.isolation ?? 'process') === 'process') sizes.add(f.memorySize);
  }
  return [...sizes].slice(0, MAX_SPARES);
}

/** The entry script and boot environment of the spares a function runtime keeps by default. */
export function defaultSpareSetup(): { entryPath: string; boot: BootEnv } {
  return {
    entryPath: fileURLToPath(new URL('./node-env-entry.js', import.meta.url)),
    boot: lambdaBootEnv(process.env.PATH ?? '/usr/bin:/bin'),
  };
}

/** Spares started by `prestartSpares`, waiting for a function runtime to adopt them, by memory size. */
const prestarted = new Map<number, ChildProcess>();
/** Set once a runtime has said which spares it wants: later prestarts would only duplicate them. */
let prestartsClosed = false;

/**
 * Starts spares before the function runtime exists (`portico start` calls it with the config file's
 * memory sizes before it loads the gateway's modules), so that they boot while the gateway loads:
 * the first invocation after the gateway starts then finds a booted process. A runtime's
 * `SpareProcesses` takes them over; those it does not want are stopped. Resolves with their pids.
 */
export async function prestartSpares(sizes: Iterable<number>): Promise<number[]> {
  const wanted = [...new Set(sizes)].slice(0, MAX_SPARES);
  if (wanted.length === 0) return [];
  // Spares start like environments: under SCHED_BATCH when the probe allows it.
  await probeBatchScheduling();
  const { entryPath, boot } = defaultSpareSetup();
  const pids: number[] = [];
  for (const size of wanted) {
    if (prestartsClosed || prestarted.has(size)) continue;
    const child = spawnSpare(entryPath, size, boot);
    child.on('close', () => {
      if (prestarted.get(size) === child) prestarted.delete(size);
      if (child.pid !== undefined) discardMemoryCgroup(child.pid);
    });
    prestarted.set(size, child);
    if (child.pid !== undefined) pids.push(child.pid);
  }
  return pids;
}

/** Stops the prestarted spares no runtime took (a gateway that failed to start); no more start. */
export function discardPrestartedSpares(): void {
  prestartsClosed = true;
  for (const child of prestarted.values()) child.kill('SIGKILL');
  prestarted.clear();
}

/** Starts a spare: the entry script with the boot variables and the size's heap limit, in `/`. */
function spawnSpare(entryPath: string, size: number, boot: BootEnv): ChildProcess {
  const child = spawnNodeEnvironment(entryPath, size, [], '/', { ...boot });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  const pid = child.pid;
  // Its memory cgroup is made now, while nothing waits for it (see MemoryCgroup.create). A spare that
  // ends unused discards it (the close listeners below; taking a spare removes them).
  if (pid !== undefined) prepareMemoryCgroup(pid, size);
  return child;
}

/** A prestarted spare of this size, if it was started as this runtime would start its own. */
function adoptPrestarted(size: number, entryPath: string, boot: BootEnv): ChildProcess | undefined {
  const child = prestarted.get(size);
  if (child === undefined) return undefined;
  const setup = defaultSpareSetup();
  if (setup.entryPath !== entryPath || BOOT_NAMES.some((n) => setup.boot[n] !== boot[n])) return undefined;
  prestarted.delete(size);
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  child.removeAllListeners('close');
  return child;
}

/**
 * Booted Node processes kept ready for process-isolated environments, one per memory size in use:
 * a cold start then skips Node's own start (40–150 ms on the bench machine) and only loads the
 * handler, as Lambda keeps pre-started sandboxes. A spare is started with the entry script, the
 * function-independent Lambda variables and the memory size's heap limit; the init frame then
 * gives it the function's variables and working directory before the handler loads.
 */
export class SpareProcesses {
  readonly #entryPath: string;
  readonly #boot: BootEnv;
  readonly #spares = new Map<number, ChildProcess>();
  #wanted = new Set<number>();
  #closed = false;

  constructor(entryPath: string, boot: BootEnv) {
    this.#entryPath = entryPath;
    this.#boot = boot;
  }

  /** Keeps one spare for each of these memory sizes (the first `MAX_SPARES` distinct ones). */
  want(memorySizes: Iterable<number>): void {
    this.#wanted = new Set([...new Set(memorySizes)].slice(0, MAX_SPARES));
    prestartsClosed = true;
    for (const [size, child] of this.#spares) {
      if (!this.#wanted.has(size)) {
        this.#spares.delete(size);
        child.kill('SIGKILL');
      }
    }
    for (const size of this.#wanted) this.#ensure(size);
    // Prestarted spares of sizes no function has (the store changed the functions, say).
    discardPrestartedSpares();
  }

  /**
   * Takes the spare for `memorySizeMB` if the function's environment can run in it (same start-time
   * variables, no extra node flags); a replacement starts shortly after.
   */
  take(
    memorySizeMB: number,
    env: Record<string, string>,
    execArgv: readonly string[],
  ): ChildProcess | undefined {
    if (execArgv.some((a) => a !== '--enable-source-maps')) return undefined;
    for (const name of BOOT_NAMES) if (env[name] !== this.#boot[name]) return undefined;
    for (const name of Object.keys(env)) if (START_ONLY.test(name)) return undefined;
    const child = this.#spares.get(memorySizeMB);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return undefined;
    this.#spares.delete(memorySizeMB);
    child.removeAllListeners('close');
    setTimeout(() => this.#ensure(memorySizeMB), REPLENISH_DELAY_MS).unref();
    return child;
  }

  /** Stops every spare. */
  close(): void {
    this.#closed = true;
    discardPrestartedSpares();
    for (const child of this.#spares.values()) child.kill('SIGKILL');
    this.#spares.clear();
  }

  #ensure(size: number): void {
    if (this.#closed || !this.#wanted.has(size) || this.#spares.has(size)) return;
    const child =
      adoptPrestarted(size, this.#entryPath, this.#boot) ?? spawnSpare(this.#entryPath, size, this.#boot);
    // A spare that dies unused is started again when next wanted.
    child.on('close', () => {
      if (this.#spares.get(size) === child) this.#spares.delete(size);
      if (child.pid !== undefined) discardMemoryCgroup(child.pid);
    });
    this.#spares.set(size, child);
  }
}
