import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FunctionDef } from '../model/types.js';
import { AsyncInvokeQueue } from './async-invoke-queue.js';
import type { EnvInvocation, EnvOutcome, ExecutionEnvironment } from './environment.js';
import { createEnvironment, prepareFunctionCode, type PreparedCode } from './environment-factory.js';
import { LambdaServiceError } from './errors.js';
import { functionArn, parseFunctionRef } from './function-name.js';
import { endLine, reportLine, startLine } from './log-format.js';
import { LogStore, type LogChunk } from './log-store.js';
import type { FunctionRuntime, InvokeRequest, InvokeResult } from './types.js';

/** A log message of the runtime itself (not of a function). */
export interface RuntimeLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  functionName?: string;
}

/** Resolves a version number or alias to the function definition it runs (`undefined`: not found). */
export type QualifierResolver = (
  functionName: string,
  qualifier: string,
) => { def: FunctionDef; version: string } | undefined;

/** Options of {@link createFunctionRuntime}. */
export interface FunctionRuntimeOptions {
  /** Logs go to `<dataDir>/logs/<function>/`, compiled TypeScript to `<dataDir>/build/`. */
  dataDir: string;
  region?: string;
  accountId?: string;
  /** Idle environments are stopped after this long. Default 5 minutes. */
  idleTimeoutMs?: number;
  /** Account concurrency limit. Default 1000, as on Lambda. */
  accountConcurrency?: number;
  logger?: (entry: RuntimeLogEntry) => void;
  /** Delays of the two retries of a failed `Event` invoke. Default 60 s and 120 s (Lambda's). */
  eventRetryDelaysMs?: readonly number[];
  /** Resolves versions and aliases (`$LATEST` never reaches it). */
  resolveQualifier?: QualifierResolver;
  /** Per-function log bounds. */
  logMaxFileBytes?: number;
  logFiles?: number;
}

/** The function runtime with Portico's extras (logs, qualifier hook, introspection). */
export interface PorticoFunctionRuntime extends FunctionRuntime {
  /** A function's `$LATEST` definition. */
  getFunction(name: string): FunctionDef | undefined;
  /** Installs the version/alias resolver (the versions engineer's hook). */
  setQualifierResolver(resolver: QualifierResolver | undefined): void;
  /** All log text on disk for a function, and a cursor to follow from. */
  readLogs(name: string): Promise<LogChunk>;
  /** Log text after `cursor`, waiting up to `waitMs` for some (long-poll). */
  followLogs(name: string, cursor: number, waitMs: number, signal?: AbortSignal): Promise<LogChunk>;
  /** Counts of environments (for tests and metrics). */
  environmentCounts(name: string): { idle: number; busy: number };
}

const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

interface IdleEnv {
  env: ExecutionEnvironment;
  since: number;
}

/** One function version with its environments. */
class FunctionEntry {
  readonly idle: IdleEnv[] = [];
  busy = 0;
  retired = false;
  code: Promise<PreparedCode> | undefined;
  constructor(
    readonly def: FunctionDef,
    readonly version: string,
    readonly fingerprint: string,
  ) {}
}

/** Creates the Lambda-compatible function runtime. */
export function createFunctionRuntime(options: FunctionRuntimeOptions): PorticoFunctionRuntime {
  return new Runtime(options);
}

class Runtime implements PorticoFunctionRuntime {
  readonly #region: string;
  readonly #accountId: string;
  readonly #idleMs: number;
  readonly #limit: number;
  readonly #buildDir: string;
  readonly #log: (entry: RuntimeLogEntry) => void;
  readonly #store: LogStore;
  readonly #queue: AsyncInvokeQueue;
  readonly #reaper: NodeJS.Timeout;
  #resolver: QualifierResolver | undefined;
  #latest = new Map<string, FunctionEntry>();
  #versions = new Map<string, FunctionEntry>();
  /** Busy environments per function name (all versions), for reserved concurrency. */
  #busyByName = new Map<string, number>();
  #unreservedBusy = 0;
  #reservedTotal = 0;
  #closed = false;

  constructor(o: FunctionRuntimeOptions) {
    this.#region = o.region ?? 'us-east-1';
    this.#accountId = o.accountId ?? '000000000000';
    this.#idleMs = o.idleTimeoutMs ?? 5 * 60_000;
    this.#limit = o.accountConcurrency ?? 1000;
    this.#buildDir = join(o.dataDir, 'build');
    this.#log = o.logger ?? (() => undefined);
    this.#resolver = o.resolveQualifier;
    this.#store = new LogStore({
      dir: join(o.dataDir, 'logs'),
      ...(o.logMaxFileBytes === undefined ? {} : { maxFileBytes: o.logMaxFileBytes }),
      ...(o.logFiles === undefined ? {} : { files: o.logFiles }),
    });
    this.#queue = new AsyncInvokeQueue((r) => this.#invokeSync(r), {
      retryDelaysMs: o.eventRetryDelaysMs ?? [60_000, 120_000],
      throttleRetryMs: 1000,
      maxThrottles: 60,
      onDrop: (job, reason) =>
        this.#log({
          level: 'warn',
          message: `Dropped async event: ${reason}`,
          functionName: job.request.functionName,
        }),
    });
    this.#reaper = setInterval(() => this.#reap(), Math.max(50, Math.min(this.#idleMs / 2, 30_000)));
    this.#reaper.unref();
  }

  setFunctions(functions: FunctionDef[]): void {
    const next = new Map<string, FunctionEntry>();
    for (const def of functions) {
      const fp = fingerprint(def);
      const old = this.#latest.get(def.functionName);
      if (old && old.fingerprint === fp) {
        next.set(def.functionName, old);
        continue;
      }
      next.set(def.functionName, new FunctionEntry(def, '$LATEST', fp));
      this.#noticeRuntime(def);
    }
    for (const [name, old] of this.#latest) if (next.get(name) !== old) this.#retire(old);
    this.#latest = next;
    this.#reservedTotal = 0;
    for (const e of next.values()) this.#reservedTotal += e.def.reservedConcurrentExecutions ?? 0;
  }

  setQualifierResolver(resolver: QualifierResolver | undefined): void {
    this.#resolver = resolver;
  }

  getFunction(name: string): FunctionDef | undefined {
    return this.#latest.get(name)?.def;
  }

  readLogs(name: string): Promise<LogChunk> {
    return this.#store.readAll(name);
  }

  followLogs(name: string, cursor: number, waitMs: number, signal?: AbortSignal): Promise<LogChunk> {
    return this.#store.readSince(name, cursor, waitMs, signal);
  }

  environmentCounts(name: string): { idle: number; busy: number } {
    const e = this.#latest.get(name);
    return { idle: e?.idle.length ?? 0, busy: this.#busyByName.get(name) ?? 0 };
  }

  async invoke(request: InvokeRequest): Promise<InvokeResult> {
    const type = request.invocationType ?? 'RequestResponse';
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (request.payload.length > limit) {
      throw new LambdaServiceError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    const entry = this.#resolve(request);
    if (type === 'DryRun')
      return { statusCode: 204, payload: Buffer.alloc(0), executedVersion: entry.version };
    if (type === 'Event') {
      this.#queue.enqueue({ ...request, signal: undefined });
      return { statusCode: 202, payload: Buffer.alloc(0), executedVersion: entry.version };
    }
    return this.#run(entry, request);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reaper);
    const closing = this.#queue.close();
    for (const e of [...this.#latest.values(), ...this.#versions.values()]) this.#retire(e);
    this.#latest.clear();
    this.#versions.clear();
    await closing;
    await this.#store.close();
  }

  #invokeSync(request: InvokeRequest): Promise<InvokeResult> {
    return this.#run(this.#resolve(request), request);
  }

  #resolve(request: InvokeRequest): FunctionEntry {
    const ref = parseFunctionRef(request.functionName, request.qualifier);
    const notFound = (): LambdaServiceError =>
      new LambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: ${functionArn(this.#region, this.#accountId, ref.name, ref.qualifier)}`,
      );
    const latest = this.#latest.get(ref.name);
    if (ref.qualifier === undefined || ref.qualifier === '$LATEST') {
      if (!latest) throw notFound();
      return latest;
    }
    const resolved = this.#resolver?.(ref.name, ref.qualifier);
    if (!resolved) throw notFound();
    const key = `${ref.name}:${resolved.version}`;
    const fp = fingerprint(resolved.def);
    const known = this.#versions.get(key);
    if (known && known.fingerprint === fp) return known;
    if (known) this.#retire(known);
    const entry = new FunctionEntry(resolved.def, resolved.version, fp);
    this.#versions.set(key, entry);
    return entry;
  }

  #run(entry: FunctionEntry, request: InvokeRequest): Promise<InvokeResult> {
    const name = entry.def.functionName;
    const reserved =
      this.#latest.get(name)?.def.reservedConcurrentExecutions ?? entry.def.reservedConcurrentExecutions;
    const busy = this.#busyByName.get(name) ?? 0;
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: reserved functions are
    // bounded by their reservation; the rest share what the reservations leave of the account limit.
    if (reserved !== undefined) {
      if (busy >= reserved)
        return Promise.reject(throttled('ReservedFunctionConcurrentInvocationLimitExceeded'));
    } else if (this.#unreservedBusy >= this.#limit - this.#reservedTotal) {
      return Promise.reject(throttled('ConcurrentInvocationLimitExceeded'));
    }
    this.#busyByName.set(name, busy + 1);
    if (reserved === undefined) this.#unreservedBusy++;
    entry.busy++;
    const running = this.#runOnEnvironment(entry, request).finally(() => {
      entry.busy--;
      this.#busyByName.set(name, (this.#busyByName.get(name) ?? 1) - 1);
      if (reserved === undefined) this.#unreservedBusy--;
    });
    // A caller that stops waiting (the gateway's integration timeout) does not stop the invocation:
    // as on Lambda, it runs to its end and keeps its environment (and concurrency) until then.
    return request.signal ? withAbort(running, request.signal) : running;
  }

  async #runOnEnvironment(entry: FunctionEntry, request: InvokeRequest): Promise<InvokeResult> {
    const def = entry.def;
    const name = def.functionName;
    const requestId = randomUUID();
    const tail: string[] | undefined = request.logType === 'Tail' ? [] : undefined;
    const write = (text: string): void => {
      this.#store.append(name, text);
      tail?.push(text);
    };
    let env = entry.idle.pop()?.env;
    let failed: EnvOutcome | undefined;
    if (env === undefined) {
      entry.code ??= prepareFunctionCode(def, this.#buildDir);
      const code = await entry.code;
      if (code.kind !== 'error') env = this.#spawn(entry, code);
      else
        failed = {
          payload: code.payload,
          error: true,
          errorType: code.errorType,
          durationMs: 0,
          maxMemoryUsedMB: 0,
          retire: true,
        };
    }
    const invocation: EnvInvocation = {
      requestId,
      payload: request.payload.length === 0 ? EMPTY_EVENT : request.payload,
      invokedFunctionArn: functionArn(this.#region, this.#accountId, name, request.qualifier),
      begin: () => write(startLine(requestId, entry.version)),
      log: write,
    };
    if (request.clientContext !== undefined) {
      invocation.clientContext = Buffer.from(request.clientContext, 'base64').toString('utf8');
    }
    let o: EnvOutcome;
    if (env !== undefined) {
      o = await env.invoke(invocation);
    } else {
      invocation.begin();
      o = failed as EnvOutcome;
    }
    write(endLine(requestId));
    const figures = {
      durationMs: o.durationMs,
      memorySizeMB: def.memorySize,
      maxMemoryUsedMB: o.maxMemoryUsedMB,
      ...(o.initDurationMs === undefined ? {} : { initDurationMs: o.initDurationMs }),
      ...(o.timedOut
        ? { status: 'timeout' as const }
        : o.retire && o.error
          ? { status: 'error' as const }
          : {}),
      ...(o.retire && o.error && o.errorType !== undefined ? { errorType: o.errorType } : {}),
    };
    write(reportLine(requestId, figures));
    if (o.trailer !== undefined) write(o.trailer);
    if (env !== undefined) this.#returnEnv(entry, env, o);
    const result: InvokeResult = { statusCode: 200, payload: o.payload, executedVersion: entry.version };
    if (o.error) result.functionError = 'Unhandled';
    if (tail) result.logResult = Buffer.from(tail.join('')).subarray(-4096).toString('base64');
    return result;
  }

  #spawn(entry: FunctionEntry, code: Exclude<PreparedCode, { kind: 'error' }>): ExecutionEnvironment {
    const name = entry.def.functionName;
    const env = createEnvironment({
      def: entry.def,
      version: entry.version,
      region: this.#region,
      code,
      nodeExecArgv: [],
      log: (text) => this.#store.append(name, text),
    });
    env.onDeath = () => {
      const i = entry.idle.findIndex((x) => x.env === env);
      if (i >= 0) entry.idle.splice(i, 1);
    };
    return env;
  }

  #returnEnv(entry: FunctionEntry, env: ExecutionEnvironment, outcome: EnvOutcome): void {
    if (outcome.retire || env.dead || entry.retired || this.#closed) {
      env.dispose();
      return;
    }
    entry.idle.push({ env, since: Date.now() });
  }

  #retire(entry: FunctionEntry): void {
    entry.retired = true;
    for (const { env } of entry.idle.splice(0)) env.dispose();
  }

  #reap(): void {
    const cutoff = Date.now() - this.#idleMs;
    for (const entry of [...this.#latest.values(), ...this.#versions.values()]) {
      while (entry.idle.length > 0 && (entry.idle[0] as IdleEnv).since <= cutoff) {
        (entry.idle.shift() as IdleEnv).env.dispose();
      }
    }
  }

  #noticeRuntime(def: FunctionDef): void {
    const m = /^nodejs(\d+)\.x$/.exec(def.runtime);
    const local = process.versions.node.split('.')[0];
    if (m && m[1] !== local) {
      this.#log({
        level: 'warn',
        message: `Function ${def.functionName} declares runtime ${def.runtime}; it runs on the local Node.js ${process.version}`,
        functionName: def.functionName,
      });
    }
  }
}

const EMPTY_EVENT = Buffer.from('{}');

function throttled(reason: string): LambdaServiceError {
  return new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.', { reason });
}

/** What makes two definitions run differently (a change retires the warm environments). */
function fingerprint(def: FunctionDef): string {
  return JSON.stringify([
    def.runtime,
    def.handler,
    def.codeDir,
    def.timeout,
    def.memorySize,
    def.environment,
    def.codeSha256,
    def.revisionId,
    def.lastModified,
  ]);
}

function withAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    p.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}
