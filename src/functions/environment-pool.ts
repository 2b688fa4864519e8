import type { FunctionDef } from '../model/types.js';
import { BusyShare } from './busy-share.js';
import type { ExecutionEnvironment } from './environment.js';
import type { PreparedCode } from './environment-factory.js';
import { functionArn } from './function-name.js';

/** What an invocation gets from the pool: an environment, or why it got none. */
export type Lease =
  | { kind: 'env'; env: ExecutionEnvironment }
  | { kind: 'init-error'; code: Extract<PreparedCode, { kind: 'error' }> }
  /** The runtime closed, or the caller stopped waiting, before an environment was free. */
  | { kind: 'cancelled' };

/** The code of one function version, ready to spawn environments from. */
export type SpawnableCode = Exclude<PreparedCode, { kind: 'error' }>;

interface IdleEnv {
  env: ExecutionEnvironment;
  since: number;
}

/** An invocation waiting for an environment (one object, no closures; see `EnvironmentPool.#grant`). */
interface Waiter {
  resolve: (lease: Lease | Promise<Lease>) => void;
  ticket: WaitTicket | undefined;
}

const CANCELLED: Lease = { kind: 'cancelled' };

/** A queued invocation's handle: the caller marks it abandoned when it stops waiting. */
export interface WaitTicket {
  abandoned: boolean;
}

/** How the pool loads code and starts environments (owned by the runtime). */
export interface PoolHooks {
  prepare(def: FunctionDef): Promise<PreparedCode>;
  spawn(pool: EnvironmentPool, code: SpawnableCode): ExecutionEnvironment;
}

/**
 * The execution environments of one function version. Like Lambda, one invocation runs at a time per
 * environment and idle environments are reused most recent first
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). Unlike Lambda, which
 * scales out, at most `maxEnvironments` run at once on this machine: further invocations wait in FIFO
 * order for the next free environment instead of starting one process each (50 processes on one core
 * cost context switches and gigabytes of memory, not throughput). A function whose invocations mostly
 * wait (their environments' event loops are idle most of the time) is not bound by CPUs: it may
 * start up to `maxWaitingEnvironments`, so a handler that awaits a 100 ms call is not held to a few
 * requests per second.
 */
export class EnvironmentPool {
  readonly #idle: IdleEnv[] = [];
  readonly #waiting: Waiter[] = [];
  /** Environments with invocations handed to them: how many (running + queued behind). */
  readonly #busy = new Map<ExecutionEnvironment, number>();
  /** Environments alive or starting (idle + running), plus slots granted to waiters. */
  #live = 0;
  #retired = false;
  #closed = false;
  #code: Promise<PreparedCode> | undefined;
  #arn: string | undefined;
  /** Whether this function's invocations mostly wait (see BusyShare). */
  readonly #busyShare = new BusyShare();

  constructor(
    readonly def: FunctionDef,
    readonly version: string,
    readonly fingerprint: string,
    readonly maxEnvironments: number,
    readonly hooks: PoolHooks,
    /** The cap for a function that mostly waits (at least `maxEnvironments`). */
    readonly maxWaitingEnvironments: number = maxEnvironments,
    /** CPUs this process may run on: more busy environments than these cannot run in parallel. */
    readonly cpus: number = 1,
  ) {}

  /** True when this function's invocations have mostly waited (see the class comment). */
  get mostlyWaiting(): boolean {
    return this.#busyShare.mostlyWaiting;
  }

  /** Learns from a finished invocation how much of its time the environment was busy. */
  observe(durationMs: number, activeMs: number | undefined): void {
    this.#busyShare.observe(durationMs, activeMs);
    if (this.#busyShare.mostlyWaiting) this.#scaleOut();
  }

  /** Starts environments for queued invocations (in order) while the function mostly waits. */
  #scaleOut(): void {
    if (this.#closed || !this.mostlyWaiting) return;
    while (this.#live < this.maxWaitingEnvironments) {
      const next = this.#nextWaiter();
      if (!next) return;
      this.#live++;
      this.#grant(next, null);
    }
  }

  /** The unqualified function ARN (built once, not per invocation). */
  arn(region: string, accountId: string): string {
    return (this.#arn ??= functionArn(region, accountId, this.def.functionName));
  }

  /** True once a config change or close replaced this version. */
  get retired(): boolean {
    return this.#retired;
  }

  /** Idle (warm) environments. */
  get idleCount(): number {
    return this.#idle.length;
  }

  /** Invocations waiting for an environment. */
  get waitingCount(): number {
    return this.#waiting.length;
  }

  /**
   * An environment for one invocation: a new one while below the cap, else the next one freed.
   * `ticket.abandoned` set while waiting drops the invocation from the queue.
   */
  acquire(ticket?: WaitTicket): Promise<Lease> | Lease {
    if (this.#closed) return CANCELLED;
    // Every CPU has a busy environment already: an invocation that can wait behind one (a quick
    // function, see queueCapacity) does, rather than waking another environment that could not run
    // in parallel anyway (a wake-up costs more than a quick invocation).
    if (this.#busy.size >= this.cpus) {
      const behind = this.#leastQueued();
      if (behind) return this.#lease(behind);
    }
    const idle = this.#idle.pop();
    if (idle) return this.#lease(idle.env);
    if (this.#live < this.maxEnvironments) {
      this.#live++;
      return this.#start();
    }
    const behind = this.#leastQueued();
    if (behind) return this.#lease(behind);
    if (this.#waiting.length === 0 && this.#live < this.maxWaitingEnvironments && this.mostlyWaiting) {
      this.#live++;
      return this.#start();
    }
    const waiting = new Promise<Lease>((resolve) => {
      this.#waiting.push({ resolve, ticket });
    });
    this.#scaleOut();
    return waiting;
  }

  /** Gives an environment back after an invocation; `reusable: false` disposes it. */
  release(env: ExecutionEnvironment, reusable: boolean): void {
    if (!reusable || env.dead) {
      // Invocations queued behind this one come back `notStarted` and release nothing.
      if (!this.#busy.delete(env)) return;
      env.dispose();
      this.#freeSlot();
      return;
    }
    const leases = (this.#busy.get(env) ?? 1) - 1;
    if (leases > 0) {
      // Still busy with invocations queued behind this one: room for one more queued caller.
      this.#busy.set(env, leases);
      if (this.#canQueue(env, leases)) {
        const next = this.#nextWaiter();
        if (next) this.#grant(next, env);
      }
      return;
    }
    this.#busy.delete(env);
    // A queued invocation takes the warm environment directly (even of a retired version: it was
    // accepted before the change, like an invocation that was already running).
    const next = this.#nextWaiter();
    if (next) {
      this.#grant(next, env);
      return;
    }
    if (this.#retired) {
      env.dispose();
      this.#live--;
      return;
    }
    this.#idle.push({ env, since: Date.now() });
  }

  /** An idle environment died by itself: forget it. */
  forget(env: ExecutionEnvironment): void {
    const i = this.#idle.findIndex((x) => x.env === env);
    if (i < 0) return;
    this.#idle.splice(i, 1);
    this.#freeSlot();
  }

  /** Stops environments idle since before `cutoff` (epoch ms). */
  reap(cutoff: number): void {
    while (this.#idle.length > 0 && (this.#idle[0] as IdleEnv).since <= cutoff) {
      (this.#idle.shift() as IdleEnv).env.dispose();
      this.#live--;
    }
  }

  /** Stops the idle environments; running ones stop after their invocation (and the queue). */
  retire(): void {
    this.#retired = true;
    for (const { env } of this.#idle.splice(0)) {
      env.dispose();
      this.#live--;
    }
  }

  /** Fails every queued invocation and any later one (the runtime is closing). */
  close(): void {
    this.#closed = true;
    this.retire();
    for (const w of this.#waiting.splice(0)) w.resolve(CANCELLED);
  }

  #nextWaiter(): Waiter | undefined {
    let w = this.#waiting.shift();
    while (w?.ticket?.abandoned === true) {
      w.resolve(CANCELLED);
      w = this.#waiting.shift();
    }
    return w;
  }

  /** Hands a queued invocation a warm environment, or (`null`) a free slot to spawn into. */
  #grant(w: Waiter, env: ExecutionEnvironment | null): void {
    w.resolve(env ? this.#lease(env) : this.#start());
  }

  /** An environment ended: its slot goes to the next queued invocation, which starts a new one. */
  #freeSlot(): void {
    const next = this.#nextWaiter();
    if (next) this.#grant(next, null);
    else this.#live--;
  }

  #lease(env: ExecutionEnvironment): Lease {
    this.#busy.set(env, (this.#busy.get(env) ?? 0) + 1);
    return { kind: 'env', env };
  }

  #canQueue(env: ExecutionEnvironment, leases: number): boolean {
    return leases <= (env.queueCapacity ?? 0);
  }

  /** The busy environment with the fewest invocations that can queue one more, if any. */
  #leastQueued(): ExecutionEnvironment | undefined {
    let best: ExecutionEnvironment | undefined;
    let bestLeases = Infinity;
    for (const [env, leases] of this.#busy) {
      if (leases < bestLeases && this.#canQueue(env, leases)) {
        best = env;
        bestLeases = leases;
      }
    }
    return best;
  }

  async #start(): Promise<Lease> {
    this.#code ??= this.hooks.prepare(this.def);
    const code = await this.#code;
    if (code.kind === 'error') {
      this.#freeSlot();
      return { kind: 'init-error', code };
    }
    return this.#lease(this.hooks.spawn(this, code));
  }
}
