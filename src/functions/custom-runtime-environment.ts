import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  exitMessage,
  platformError,
  timeoutOutcome,
  type EnvInvocation,
  type EnvOutcome,
  type ExecutionEnvironment,
} from './environment.js';
import { payloadBytes } from './invoke-payload.js';
import { appLine, timeoutMessage } from './log-format.js';
import { parseJsonObject } from './json-object.js';
import { memoryCgroupFor, type MemoryCgroup } from './memory-cgroup.js';
import { MemoryWatch } from './memory-watch.js';
import { DEFAULT_STREAM_CONTENT_TYPE } from './response-stream.js';
import { RuntimeApiServer } from './runtime-api-server.js';

/** How to start one custom-runtime environment. */
export interface CustomRuntimeOptions {
  codeDir: string;
  /** Environment without AWS_LAMBDA_RUNTIME_API (added once the Runtime API listens). */
  env: Record<string, string>;
  timeoutSeconds: number;
  memorySizeMB: number;
  /** Log text produced while no invocation runs. */
  log(text: string): void;
}

interface Active {
  inv: EnvInvocation;
  resolve(outcome: EnvOutcome): void;
  timer?: NodeJS.Timeout;
  startedAt: number;
  begun: boolean;
}

const INIT_TIMEOUT_MS = 10_000;

/**
 * A `provided.al2023` / `provided.al2` environment: the function's `bootstrap` executable, driven through
 * Portico's Runtime API (one server per environment, as each Lambda sandbox has its own endpoint).
 */
export class CustomRuntimeEnvironment implements ExecutionEnvironment {
  onDeath?: () => void;
  readonly #o: CustomRuntimeOptions;
  readonly #api: RuntimeApiServer;
  #child: ChildProcess | undefined;
  #ready = false;
  #dead = false;
  #startedAt = performance.now();
  #initDurationMs: number | undefined;
  #initError: { body: Buffer; errorType: string | undefined } | undefined;
  #active: Active | undefined;
  #initTimer: NodeJS.Timeout | undefined;
  /** The memory size, enforced on the bootstrap's process tree (see MemoryWatch). */
  #watch: MemoryWatch | undefined;
  /** The hard limit on the process tree, where cgroups can be used (else the watch alone). */
  #cgroup: MemoryCgroup | undefined;
  #oom = false;
  /** The parts of a streamed response kept for a caller that does not stream (see #onResponseChunk). */
  readonly #streamed: Buffer[] = [];
  #streamContentType: string | undefined;
  readonly #started: Promise<void>;

  constructor(options: CustomRuntimeOptions) {
    this.#o = options;
    this.#api = new RuntimeApiServer({
      onNext: () => this.#onNext(),
      onResponse: (id, body) => this.#onResult(id, body, false, undefined),
      onResponseChunk: (id, chunk, contentType) => this.#onResponseChunk(id, chunk, contentType),
      onError: (id, body, type) => this.#onResult(id, body, true, type),
      onInitError: (body, type) => this.#onInitError(body, type),
    });
    this.#started = this.#start();
  }

  get dead(): boolean {
    return this.#dead;
  }

  async #start(): Promise<void> {
    const bootstrap = join(this.#o.codeDir, 'bootstrap');
    const address = await this.#api.listen();
    if (this.#dead) return;
    if (!existsSync(bootstrap)) {
      this.#initError = {
        body: Buffer.from(
          JSON.stringify({
            errorType: 'Runtime.InvalidEntrypoint',
            errorMessage: `RequestId: Error: Couldn't find valid bootstrap(s): [${bootstrap} /opt/bootstrap]`,
          }),
        ),
        errorType: 'Runtime.InvalidEntrypoint',
      };
      return;
    }
    const child = spawn(bootstrap, [], {
      cwd: this.#o.codeDir,
      env: { ...this.#o.env, AWS_LAMBDA_RUNTIME_API: address },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so a timeout also ends the runtime's helpers (curl, ...).
      detached: true,
    });
    this.#child = child;
    if (child.pid !== undefined) {
      void memoryCgroupFor(child.pid, this.#o.memorySizeMB).then((cgroup) => {
        // An environment that ended while its cgroup was being made leaves nothing behind.
        if (this.#dead) cgroup?.remove();
        else this.#cgroup = cgroup;
      });
      this.#watch = new MemoryWatch({
        pid: child.pid,
        limitMB: this.#o.memorySizeMB,
        busy: () => !this.#ready || this.#active !== undefined,
        oomKilled: () => this.#cgroup?.oomKilled === true,
        exceeded: () => this.#onOutOfMemory(),
      });
      this.#watch.wake();
    }
    const raw = (c: Buffer): void => this.#log(c.toString('utf8'));
    child.stdout?.on('data', raw);
    child.stderr?.on('data', raw);
    child.on('error', (err) => {
      this.#initError = {
        body: Buffer.from(
          JSON.stringify({
            errorType: 'Runtime.InvalidEntrypoint',
            errorMessage: `RequestId: Error: fork/exec ${bootstrap}: ${err.message}`,
          }),
        ),
        errorType: 'Runtime.InvalidEntrypoint',
      };
    });
    child.on('close', (code, signal) => this.#onClose(code, signal));
    this.#initTimer = setTimeout(() => this.#onInitTimeout(), INIT_TIMEOUT_MS);
  }

  async invoke(inv: EnvInvocation): Promise<EnvOutcome> {
    await this.#started;
    return new Promise<EnvOutcome>((resolve) => {
      const active: Active = { inv, resolve, startedAt: performance.now(), begun: false };
      this.#active = active;
      if (this.#initError) return this.#failInit();
      if (this.#dead) {
        return this.#finish(
          platformError('Runtime.ExitError', inv.requestId, exitMessage(null, 'SIGKILL')),
          true,
          'Runtime.ExitError',
          true,
        );
      }
      const deadlineMs = Date.now() + this.#o.timeoutSeconds * 1000;
      const event = {
        requestId: inv.requestId,
        payload: payloadBytes(inv.payload),
        deadlineMs,
        invokedFunctionArn: inv.invokedFunctionArn,
        traceId: `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${inv.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
        ...(inv.clientContext === undefined ? {} : { clientContext: inv.clientContext }),
      };
      this.#api.deliver(event);
      if (this.#ready) this.#begin(active);
    });
  }

  dispose(): void {
    if (this.#dead) return;
    this.#dead = true;
    clearTimeout(this.#initTimer);
    this.#api.close();
    this.#watch?.stop();
    this.#killGroup();
  }

  #killGroup(): void {
    const pid = this.#child?.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Over the memory size: Lambda's sandbox kills the runtime; the close reports it. */
  #onOutOfMemory(): void {
    this.#oom = true;
    this.#killGroup();
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
    active.timer = setTimeout(() => this.#onTimeout(active), this.#o.timeoutSeconds * 1000);
  }

  #onNext(): void {
    if (this.#ready) return;
    this.#ready = true;
    clearTimeout(this.#initTimer);
    this.#initDurationMs = performance.now() - this.#startedAt;
    if (this.#active && !this.#active.begun) this.#begin(this.#active);
  }

  /**
   * A part of a streamed response: to the caller as it arrives when it takes one (InvokeWithResponseStream),
   * else kept for the result (Invoke buffers a streaming function's response, as on Lambda).
   */
  #onResponseChunk(id: string, chunk: Buffer, contentType: string | undefined): void {
    const active = this.#active;
    if (active?.inv.requestId !== id) return;
    this.#streamContentType = contentType ?? DEFAULT_STREAM_CONTENT_TYPE;
    const take = active.inv.onChunk;
    if (take !== undefined) take(chunk, this.#streamContentType);
    else this.#streamed.push(chunk);
  }

  #onResult(id: string, body: Buffer, error: boolean, errorType: string | undefined): boolean {
    if (this.#active?.inv.requestId !== id) return false;
    // A streamed response: its kept parts are the body; the content type goes with the outcome.
    const contentType = this.#streamContentType;
    const kept = this.#streamed.splice(0);
    this.#streamContentType = undefined;
    if (!error && kept.length > 0) body = Buffer.concat([...kept, body]);
    let payload = body;
    let type = errorType;
    if (error) {
      const parsed = parseJsonObject(body);
      if (parsed && typeof parsed.errorType === 'string') type = parsed.errorType;
      if (!parsed)
        payload = Buffer.from(
          JSON.stringify({ errorMessage: body.toString('utf8'), errorType: errorType ?? 'Unhandled' }),
        );
    }
    this.#finish(payload, error, error ? (type ?? 'Unhandled') : undefined, false, undefined, contentType);
    return true;
  }

  #onInitError(body: Buffer, errorType: string | undefined): void {
    this.#initError = { body, errorType };
    if (this.#active) this.#failInit();
  }

  #failInit(): void {
    const e = this.#initError;
    if (!e) return;
    this.#initDurationMs ??= performance.now() - this.#startedAt;
    this.#finish(
      e.body,
      true,
      e.errorType ?? parseJsonObject(e.body)?.errorType?.toString() ?? 'Runtime.Unknown',
      true,
    );
  }

  #finish(
    payload: Buffer,
    error: boolean,
    errorType: string | undefined,
    retire: boolean,
    memMB?: number,
    contentType?: string,
  ): void {
    const active = this.#active;
    if (!active) return;
    this.#active = undefined;
    clearTimeout(active.timer);
    // A stream cut short (timeout, crash) leaves nothing for the next invocation.
    this.#streamed.length = 0;
    this.#streamContentType = undefined;
    if (!active.begun) active.inv.begin();
    const outcome: EnvOutcome = {
      payload,
      error,
      durationMs: active.begun ? performance.now() - active.startedAt : 0,
      maxMemoryUsedMB: memMB ?? this.#peakMemoryMB(),
      retire,
    };
    if (errorType !== undefined) outcome.errorType = errorType;
    if (contentType !== undefined) outcome.contentType = contentType;
    if (this.#initDurationMs !== undefined) {
      outcome.initDurationMs = this.#initDurationMs;
      this.#initDurationMs = undefined;
    }
    if (retire) this.dispose();
    active.resolve(outcome);
  }

  /** The bootstrap's own peak RSS or the tree's highest sample, whichever is higher. */
  #peakMemoryMB(): number {
    const pid = this.#child?.pid;
    if (pid === undefined) return 0;
    let hwm = 0;
    try {
      const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      hwm = m?.[1] === undefined ? 0 : Math.ceil(Number(m[1]) / 1024);
    } catch {
      // Gone, or not Linux.
    }
    return Math.min(Math.max(hwm, this.#watch?.peakMB ?? 0), this.#o.memorySizeMB);
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
    active.resolve(outcome);
  }

  #onInitTimeout(): void {
    if (this.#ready || this.#dead) return;
    this.#initError = {
      body: platformError('Sandbox.Timedout', '', timeoutMessage(INIT_TIMEOUT_MS / 1000)),
      errorType: 'Sandbox.Timedout',
    };
    if (this.#active) this.#failInit();
    this.dispose();
  }

  #onClose(code: number | null, signal: NodeJS.Signals | null): void {
    const wasDead = this.#dead;
    const active = this.#active;
    // Killed by the kernel for the memory size: reported as Lambda does, as running out of memory.
    if (this.#cgroup?.oomKilled === true) this.#oom = true;
    this.#cgroup?.remove();
    if (active) {
      const id = active.inv.requestId;
      if (this.#oom) {
        // As the Node environments report it: the platform's kill, typed as running out of memory.
        const message = exitMessage(null, 'SIGKILL');
        const line = `Runtime.OutOfMemory: ${message}`;
        if (active.begun) active.inv.platformErrorLine(line);
        else this.#log(appLine(new Date(), id, 'ERROR', line));
        this.#finish(
          platformError('Runtime.OutOfMemory', id, message),
          true,
          'Runtime.OutOfMemory',
          true,
          this.#o.memorySizeMB,
        );
      } else if (this.#initError) this.#failInit();
      else
        this.#finish(
          platformError('Runtime.ExitError', id, exitMessage(code, signal)),
          true,
          'Runtime.ExitError',
          true,
        );
    }
    this.dispose();
    if (!wasDead) this.onDeath?.();
  }
}
