import type { ChildProcess } from 'node:child_process';
import { spawnNodeEnvironment } from './env-channels.js';

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
    for (const [size, child] of this.#spares) {
      if (!this.#wanted.has(size)) {
        this.#spares.delete(size);
        child.kill('SIGKILL');
      }
    }
    for (const size of this.#wanted) this.#ensure(size);
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
    for (const child of this.#spares.values()) child.kill('SIGKILL');
    this.#spares.clear();
  }

  #ensure(size: number): void {
    if (this.#closed || !this.#wanted.has(size) || this.#spares.has(size)) return;
    const child = spawnNodeEnvironment(this.#entryPath, size, [], '/', { ...this.#boot });
    child.on('error', () => undefined);
    child.stdin?.on('error', () => undefined);
    // A spare that dies unused is started again when next wanted.
    child.on('close', () => {
      if (this.#spares.get(size) === child) this.#spares.delete(size);
    });
    this.#spares.set(size, child);
  }
}
