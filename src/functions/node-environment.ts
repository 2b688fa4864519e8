import {
  spawnProcessChannel,
  startThreadChannel,
  type EnvChannel,
  type FunctionIsolation,
} from './env-channels.js';
import { encodeFrame, FrameDecoder, invokeHeader, type FrameHeader } from './frames.js';
import { payloadBytes } from './invoke-payload.js';
import type { SpareProcesses } from './spare-processes.js';
import {
  exitMessage,
  platformError,
  timeoutOutcome,
  type EnvInvocation,
  type EnvOutcome,
  type ExecutionEnvironment,
} from './environment.js';
import { appLine, timeoutMessage } from './log-format.js';
import { parseJsonObject } from './json-object.js';
import { memoryCgroupFor, type MemoryCgroup } from './memory-cgroup.js';
import { MemoryWatch } from './memory-watch.js';
import type { InitFrame } from './node-env-protocol.js';

/** Where the compiled entry script lives: beside this module (src/ for tests, dist/ when shipped). */
export const NODE_ENV_ENTRY = new URL('./node-env-entry.js', import.meta.url);

/** Lambda's init phase limit (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). */
const INIT_TIMEOUT_MS = 10_000;

/**
 * Invocations are queued behind a running one only while the work ahead of them there, judged by
 * the environment's last invocation, takes under this long: then a wake-up per invocation would
 * cost more than the work, while behind a slow function an invocation would wait longer than for
 * a free environment. A function whose last invocation took 5 ms or more gets none queued.
 */
const QUEUE_BUDGET_MS = 5;
/**
 * At most this many wait behind the running one. Measured on the function bench (hello handler,
 * 50 connections, one core): 4 (the earlier fixed depth) < 32 < 64 (docs/benchmarks.md).
 */
const MAX_QUEUED = 64;
/** A running invocation this old (as the gateway sees it) is slow: nothing more is queued behind it. */
const STUCK_MS = 50;

/** How to start one Node environment. */
export interface NodeEnvironmentOptions {
  /** Absolute path of the entry script (the compiled node-env-entry.js). */
  entryPath: string;
  /** The function's code directory (cwd and LAMBDA_TASK_ROOT). */
  cwd: string;
  env: Record<string, string>;
  execArgv: string[];
  /** A child process (default) or a worker thread (see FunctionIsolation). */
  isolation: FunctionIsolation;
  /** Booted processes a process environment may start in (see SpareProcesses). */
  spares?: SpareProcesses | undefined;
  init: InitFrame;
  timeoutSeconds: number;
  memorySizeMB: number;
  /** Log text produced while no invocation runs (init, stray timers). */
  log(text: string): void;
}

interface Active {
  inv: EnvInvocation;
  resolve(outcome: EnvOutcome): void;
  startedAt: number;
  begun: boolean;
}

/**
 * A Node execution environment: node-env-entry.js in a child process (frames over stdin and fd 3)
 * or in a worker thread (frames over its message port). See docs/functions.md for the choice.
 */
export class NodeEnvironment implements ExecutionEnvironment {
  onDeath?: () => void;
  readonly #o: NodeEnvironmentOptions;
  readonly #channel: EnvChannel;
  #ready = false;
  #dead = false;
  #oom = false;
  /** Last memory figure the child reported (used when it dies without reporting). */
  #lastMemMB: number | undefined;
  #spawnedAt = performance.now();
  #initDurationMs: number | undefined;
  #initError: Buffer | undefined;
  #active: Active | undefined;
  /** Invocations already written to the child, to begin in order once the active one ends. */
  readonly #queued: Active[] = [];
  #lastDurationMs = Infinity;
  #initTimer: NodeJS.Timeout | undefined;
  /**
   * A child process's whole memory (off-heap buffers and subprocesses included) against the memory
   * size; the heap limit alone bounds only the V8 heap. Threads share the gateway's RSS: none.
   */
  readonly #watch: MemoryWatch | undefined;
  /** The hard limit on the process tree, where cgroups can be used (else the watch alone). */
  #cgroup: MemoryCgroup | undefined;
  /**
   * The function timeout: one timer per environment, re-armed (`refresh`) when an invocation begins
   * and left armed after it ends (it then finds nothing begun and does nothing), instead of a timer
   * and closure per invocation. Only the active invocation can time out, and it is always the one
   * that began last, so the timer always counts from its start.
   */
  #timer: NodeJS.Timeout | undefined;
  readonly #onTimer = (): void => {
    const active = this.#active;
    if (active?.begun) this.#onTimeout(active);
  };

  constructor(options: NodeEnvironmentOptions) {
    this.#o = options;
    const decoder = new FrameDecoder((h, b) => this.#onFrame(h, b));
    const start = options.isolation === 'thread' ? startThreadChannel : spawnProcessChannel;
    this.#channel = start(
      {
        entryPath: options.entryPath,
        cwd: options.cwd,
        env: options.env,
        execArgv: options.execArgv,
        memorySizeMB: options.memorySizeMB,
        spares: options.spares,
      },
      {
        data: (chunk) => decoder.push(chunk),
        // Output that bypasses the patched console (native code, subprocesses, V8 fatal errors).
        output: (text) => this.#log(text),
        outOfMemory: () => {
          this.#oom = true;
        },
        exit: (code, signal) => this.#onClose(code, signal),
      },
    );
    // A spare process was started without the function's variables and directory: the init frame
    // carries them.
    const init = this.#channel.adopted
      ? { ...options.init, env: options.env, cwd: options.cwd }
      : options.init;
    const pid = this.#channel.pid;
    if (pid !== undefined) {
      void memoryCgroupFor(pid, options.memorySizeMB).then((cgroup) => {
        // An environment that ended while its cgroup was being made leaves nothing behind.
        if (this.#dead) cgroup?.remove();
        else this.#cgroup = cgroup;
      });
      this.#watch = new MemoryWatch({
        pid,
        limitMB: options.memorySizeMB,
        busy: () => !this.#ready || this.#active !== undefined,
        oomKilled: () => this.#cgroup?.oomKilled === true,
        exceeded: () => {
          // Lambda's sandbox kills the environment; the close reports Runtime.OutOfMemory.
          this.#oom = true;
          this.#channel.kill();
        },
      });
      this.#watch.wake();
    }
    this.#channel.send(encodeFrame(init));
    this.#initTimer = setTimeout(() => this.#onInitTimeout(), INIT_TIMEOUT_MS);
  }

  get dead(): boolean {
    return this.#dead;
  }

  get queueCapacity(): number {
    if (!this.#ready || this.#dead) return 0;
    // Nothing more behind an invocation that turned out slow. Its time is the gateway's view (from
    // when the gateway began it, which under load is some turns after the environment did), so
    // only a clearly slow one counts: a quick function's invocations end within a few turns.
    const active = this.#active;
    if (active?.begun === true && performance.now() - active.startedAt >= STUCK_MS) return 0;
    // The floor keeps a 0 ms measurement from meaning "unbounded".
    return Math.min(MAX_QUEUED, Math.floor(QUEUE_BUDGET_MS / Math.max(this.#lastDurationMs, 0.05)));
  }

  invoke(inv: EnvInvocation): Promise<EnvOutcome> {
    return new Promise<EnvOutcome>((resolve) => {
      if (this.#dead) {
        // Died after it was handed out, before this invocation reached it: nothing ran.
        resolve(NOT_STARTED);
        return;
      }
      // `startedAt` is set when it begins.
      const active: Active = { inv, resolve, startedAt: 0, begun: false };
      // The child runs frames one at a time, in order: a queued one begins when the active one ends.
      const queued = this.#active !== undefined;
      if (queued) this.#queued.push(active);
      else this.#active = active;
      const id = inv.requestId;
      const timeoutMs = this.#o.timeoutSeconds * 1000;
      const trace = traceHeader(id);
      const payload = inv.payload;
      // A gateway request goes as its compact text (the environment builds the event), else JSON.
      const compact = Buffer.isBuffer(payload) ? undefined : payload.compact();
      if (compact === undefined) {
        const stream = inv.onChunk !== undefined;
        const header = invokeHeader(
          id,
          timeoutMs,
          inv.invokedFunctionArn,
          trace,
          inv.clientContext,
          undefined,
          stream,
        );
        this.#channel.sendFrame(header, payloadBytes(payload));
      } else {
        const layout = { ev: compact.version, n: Buffer.byteLength(compact.text) };
        const header = invokeHeader(id, timeoutMs, inv.invokedFunctionArn, trace, inv.clientContext, layout);
        this.#channel.sendFrame(header, compact.text, compact.body);
      }
      if (this.#ready && !queued) this.#begin(active);
    });
  }

  dispose(): void {
    this.#requeue();
    if (this.#dead) return;
    this.#dead = true;
    clearTimeout(this.#initTimer);
    clearTimeout(this.#timer);
    this.#watch?.stop();
    this.#channel.kill();
  }

  /** Hands back the queued invocations that never began (the environment is going away). */
  #requeue(): void {
    for (const q of this.#queued.splice(0)) q.resolve(NOT_STARTED);
  }

  /** Ends an invocation: its END/REPORT first, then the next queued one begins. */
  #settle(active: Active, outcome: EnvOutcome): void {
    active.inv.end?.(outcome);
    active.resolve(outcome);
    if (this.#dead) return this.#requeue();
    const next = this.#queued.shift();
    if (next) {
      this.#active = next;
      this.#begin(next);
    }
  }

  #log(text: string): void {
    if (this.#active?.begun) this.#active.inv.log(text);
    else this.#o.log(text);
  }

  #begin(active: Active): void {
    active.begun = true;
    active.startedAt = performance.now();
    active.inv.begin();
    this.#watch?.wake();
    if (this.#timer === undefined) this.#timer = setTimeout(this.#onTimer, this.#o.timeoutSeconds * 1000);
    else this.#timer.refresh();
  }

  #onFrame(h: FrameHeader, body: Buffer): void {
    if (typeof h.mem === 'number') this.#lastMemMB = h.mem;
    switch (h.t) {
      case 'log':
        this.#log(body.toString('utf8'));
        return;
      case 'ready':
        clearTimeout(this.#initTimer);
        this.#ready = true;
        this.#initDurationMs = performance.now() - this.#spawnedAt;
        if (this.#active) this.#begin(this.#active);
        return;
      case 'init-error':
        clearTimeout(this.#initTimer);
        this.#initError = body;
        this.#initDurationMs = performance.now() - this.#spawnedAt;
        this.#finish({
          payload: body,
          error: true,
          errorType: errorTypeOf(body),
          retire: true,
          mem: typeof h.mem === 'number' ? h.mem : undefined,
        });
        return;
      case 'chunk': {
        // A part of a streaming handler's response, as it was written.
        const active = this.#active;
        if (active === undefined || active.inv.requestId !== h.id) return;
        active.inv.onChunk?.(body, typeof h.ct === 'string' ? h.ct : undefined);
        return;
      }
      case 'result':
      case 'error': {
        if (this.#active?.inv.requestId !== h.id) return;
        this.#finish({
          payload: body,
          error: h.t === 'error',
          errorType: h.t === 'error' ? errorTypeOf(body) : undefined,
          retire: h.exit === true,
          mem: typeof h.mem === 'number' ? h.mem : undefined,
          durationMs: typeof h.d === 'number' ? h.d : undefined,
          activeMs: typeof h.a === 'number' ? h.a : undefined,
          contentType: typeof h.ct === 'string' ? h.ct : undefined,
        });
        return;
      }
    }
  }

  #finish(r: {
    payload: Buffer;
    error: boolean;
    errorType?: string | undefined;
    retire: boolean;
    mem: number | undefined;
    /** The handler's run time as the environment measured it (absent: init errors, crashes). */
    durationMs?: number | undefined;
    activeMs?: number | undefined;
    contentType?: string | undefined;
  }): void {
    const active = this.#active;
    if (!active) return;
    this.#active = undefined;
    if (!active.begun) active.inv.begin();
    const outcome: EnvOutcome = {
      payload: r.payload,
      error: r.error,
      durationMs: !active.begun ? 0 : (r.durationMs ?? performance.now() - active.startedAt),
      maxMemoryUsedMB: Math.min(r.mem ?? this.#lastMemMB ?? this.#o.memorySizeMB, this.#o.memorySizeMB),
      retire: r.retire,
    };
    if (r.errorType !== undefined) outcome.errorType = r.errorType;
    if (r.activeMs !== undefined) outcome.activeMs = r.activeMs;
    if (r.contentType !== undefined) outcome.contentType = r.contentType;
    if (this.#initDurationMs !== undefined) {
      outcome.initDurationMs = this.#initDurationMs;
      this.#initDurationMs = undefined;
    }
    this.#lastDurationMs = outcome.durationMs;
    if (r.retire) this.dispose();
    this.#settle(active, outcome);
  }

  #onTimeout(active: Active): void {
    if (this.#active !== active) return;
    this.#active = undefined;
    this.dispose();
    const outcome = timeoutOutcome(
      active.inv.requestId,
      this.#o.timeoutSeconds,
      this.#o.memorySizeMB,
      this.#initDurationMs,
    );
    this.#settle(active, outcome);
  }

  #onInitTimeout(): void {
    if (this.#ready || this.#dead) return;
    const active = this.#active;
    this.dispose();
    if (!active) return;
    this.#active = undefined;
    active.inv.begin();
    this.#settle(active, {
      payload: platformError(
        'Sandbox.Timedout',
        active.inv.requestId,
        timeoutMessage(INIT_TIMEOUT_MS / 1000),
      ),
      error: true,
      errorType: 'Sandbox.Timedout',
      timedOut: true,
      durationMs: INIT_TIMEOUT_MS,
      maxMemoryUsedMB: this.#o.memorySizeMB,
      retire: true,
    });
  }

  #onClose(code: number | null, signal: NodeJS.Signals | null): void {
    const wasDead = this.#dead;
    this.#dead = true;
    this.#watch?.stop();
    // Killed by the kernel for the memory size: reported as Lambda does, as running out of memory.
    if (this.#cgroup?.oomKilled === true) this.#oom = true;
    this.#cgroup?.remove();
    clearTimeout(this.#initTimer);
    clearTimeout(this.#timer);
    const active = this.#active;
    if (active) {
      const id = active.inv.requestId;
      const errorType = this.#oom ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
      // Lambda's sandbox kills an environment that exceeds its memory: the platform says `signal: killed`.
      const message = this.#oom ? exitMessage(null, 'SIGKILL') : exitMessage(code, signal);
      if (this.#oom) {
        const line = `${errorType}: ${message}`;
        if (active.begun) active.inv.platformErrorLine(line);
        else this.#log(appLine(new Date(), id, 'ERROR', line));
      }
      this.#finish({
        payload: platformError(errorType, id, message),
        error: true,
        errorType,
        retire: true,
        mem: this.#oom ? this.#o.memorySizeMB : undefined,
      });
    }
    if (!wasDead && this.#initError === undefined) this.onDeath?.();
  }
}

let traceSecond = -1;
let traceSecondHex = '';

/** `_X_AMZN_TRACE_ID` of an invocation: `Root=1-<epoch seconds hex>-<24 hex of the id>;Sampled=0`. */
function traceHeader(requestId: string): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== traceSecond) {
    traceSecond = second;
    traceSecondHex = second.toString(16);
  }
  const id = requestId;
  // A UUID without its dashes, cut to 24 hex digits (without a regular expression for the usual shape).
  const hex =
    id.length === 36 && id[8] === '-' && id[13] === '-' && id[18] === '-' && id[23] === '-'
      ? id.slice(0, 8) + id.slice(9, 13) + id.slice(14, 18) + id.slice(19, 23) + id.slice(24, 28)
      : id.replace(/-/g, '').slice(0, 24);
  return `Root=1-${traceSecondHex}-${hex};Sampled=0`;
}

const NOT_STARTED: EnvOutcome = {
  payload: Buffer.alloc(0),
  error: false,
  durationMs: 0,
  maxMemoryUsedMB: 0,
  retire: false,
  notStarted: true,
};

function errorTypeOf(body: Buffer): string | undefined {
  const errorType = parseJsonObject(body)?.errorType;
  return typeof errorType === 'string' ? errorType : undefined;
}
