import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { EventInvokeConfigDef, FunctionDef } from '../model/types.js';
import {
  AsyncInvokeQueue,
  DEFAULT_ASYNC_SETTINGS,
  type AsyncJob,
  type AsyncOutcome,
  type AsyncSettings,
} from './async-invoke-queue.js';
import { probeBatchScheduling } from './batch-scheduling.js';
import { claimBuildDir } from './build-dir.js';
import type { EnvOutcome, ExecutionEnvironment } from './environment.js';
import { createEnvironment, prepareFunctionCode } from './environment-factory.js';
import { EnvironmentPool, type PoolHooks, type SpawnableCode } from './environment-pool.js';
import { LambdaServiceError } from './errors.js';
import { functionArn, parseFunctionRef } from './function-name.js';
import { DeadlineList, Invocation } from './invocation.js';
import { arnService, invocationRecord } from './invocation-record.js';
import { withAbort } from './invoke-wait.js';
import { platformLog } from './log-format.js';
import { LogStore, type LogChunk } from './log-store.js';
import { defaultSpareSetup, SpareProcesses, spareSizes } from './spare-processes.js';
import { isEmptyPayload, payloadBytes, payloadExceeds } from './invoke-payload.js';
import type { FunctionRuntime, InvokeRequest, InvokeResult } from './types.js';

/** Default cap on environments of a function that mostly waits (see EnvironmentPool). */
const DEFAULT_WAITING_ENVIRONMENTS = 32;

/** How many ARN-style references the runtime remembers before it starts over. */
const MAX_REMEMBERED_REFS = 256;

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
  /**
   * Execution environments of one function version running at once on this machine; invocations
   * beyond it wait for a free one (Lambda would scale out). Default `max(2, availableParallelism())`,
   * raised to `maxWaitingEnvironmentsPerFunction` for functions that mostly wait. Set, it is a fixed
   * cap for every function.
   */
  maxEnvironmentsPerFunction?: number;
  /**
   * The cap for a function whose invocations mostly wait (on I/O, timers, other services): their
   * environments use little CPU, so more of them run at once. Default 32; ignored when
   * `maxEnvironmentsPerFunction` is set.
   */
  maxWaitingEnvironmentsPerFunction?: number;
  logger?: (entry: RuntimeLogEntry) => void;
  /** Delays of the two retries of a failed `Event` invoke. Default 60 s and 120 s (Lambda's). */
  eventRetryDelaysMs?: readonly number[];
  /** Resolves versions and aliases (`$LATEST` never reaches it). */
  resolveQualifier?: QualifierResolver;
  /** Per-function log bounds. */
  logMaxFileBytes?: number;
  logFiles?: number;
  /**
   * Keep a booted Node process ready per memory size of the process-isolated Node functions, so a
   * cold start skips Node's own start (see SpareProcesses). Default true.
   */
  spareProcesses?: boolean;
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
  /**
   * Counts for tests and metrics: idle environments, invocations in progress (running or queued,
   * what concurrency limits count) and how many of those wait for an environment.
   */
  environmentCounts(name: string): { idle: number; busy: number; queued?: number };
}

const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

/** Creates the Lambda-compatible function runtime. */
export function createFunctionRuntime(options: FunctionRuntimeOptions): PorticoFunctionRuntime {
  return new Runtime(options);
}

class Runtime implements PorticoFunctionRuntime {
  readonly #region: string;
  readonly #accountId: string;
  readonly #idleMs: number;
  readonly #limit: number;
  readonly #maxEnvs: number;
  /** CPUs the gateway may run on (its affinity): how many environments can run in parallel. */
  readonly #cpus = availableParallelism();
  readonly #maxWaitingEnvs: number;
  readonly #hooks: PoolHooks;
  readonly #buildDir: string;
  readonly #log: (entry: RuntimeLogEntry) => void;
  readonly #store: LogStore;
  readonly #queue: AsyncInvokeQueue;
  readonly #reaper: NodeJS.Timeout;
  #resolver: QualifierResolver | undefined;
  #latest = new Map<string, EnvironmentPool>();
  /**
   * The `$LATEST` definitions as last set. A pool keeps the definition it was made with while its
   * environments' fingerprint stays the same; settings outside it (asynchronous invocation
   * settings, tags) are read from here.
   */
  #defs = new Map<string, FunctionDef>();
  /** Unqualified references other than plain names (ARNs) -> their `$LATEST` pool; cleared on changes. */
  readonly #latestRefs = new Map<string, EnvironmentPool>();
  #versions = new Map<string, EnvironmentPool>();
  /** Busy environments per function name (all versions), for reserved concurrency. */
  #busyByName = new Map<string, number>();
  #unreservedBusy = 0;
  readonly #deadlineLists = new Map<number, DeadlineList>();
  #reservedTotal = 0;
  #closed = false;
  #spares: SpareProcesses | undefined;

  constructor(o: FunctionRuntimeOptions) {
    this.#region = o.region ?? 'us-east-1';
    this.#accountId = o.accountId ?? '000000000000';
    this.#idleMs = o.idleTimeoutMs ?? 5 * 60_000;
    this.#limit = o.accountConcurrency ?? 1000;
    this.#maxEnvs = Math.max(1, o.maxEnvironmentsPerFunction ?? Math.max(2, availableParallelism()));
    this.#maxWaitingEnvs =
      o.maxEnvironmentsPerFunction !== undefined
        ? this.#maxEnvs
        : Math.max(this.#maxEnvs, o.maxWaitingEnvironmentsPerFunction ?? DEFAULT_WAITING_ENVIRONMENTS);
    const scheduling = probeBatchScheduling();
    this.#hooks = {
      // The scheduling probe overlaps the first code preparation, so the first spawn knows it.
      prepare: async (def) => (await Promise.all([prepareFunctionCode(def, this.#buildDir), scheduling]))[0],
      spawn: (pool, code) => this.#spawn(pool, code),
    };
    this.#buildDir = claimBuildDir(join(o.dataDir, 'build'));
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
      settings: (job) => this.#asyncSettings(job),
      onOutcome: (job, outcome) => this.#asyncOutcome(job, outcome),
    });
    this.#reaper = setInterval(() => this.#reap(), Math.max(50, Math.min(this.#idleMs / 2, 30_000)));
    this.#reaper.unref();
    if (o.spareProcesses !== false) {
      const { entryPath, boot } = defaultSpareSetup();
      this.#spares = new SpareProcesses(entryPath, boot);
    }
  }

  setFunctions(functions: FunctionDef[]): void {
    const next = new Map<string, EnvironmentPool>();
    for (const def of functions) {
      const fp = fingerprint(def);
      const old = this.#latest.get(def.functionName);
      if (old && old.fingerprint === fp) {
        next.set(def.functionName, old);
        continue;
      }
      next.set(def.functionName, this.#pool(def, '$LATEST', fp));
      this.#noticeRuntime(def);
    }
    for (const [name, old] of this.#latest) if (next.get(name) !== old) this.#retire(old);
    this.#latest = next;
    this.#defs = new Map(functions.map((f) => [f.functionName, f]));
    this.#latestRefs.clear();
    // Spares start once the batch-scheduling probe has answered (they start like environments).
    const sizes = spareSizes(functions);
    const spares = this.#spares;
    if (spares) void probeBatchScheduling().then(() => !this.#closed && spares.want(sizes));
    this.#reservedTotal = 0;
    for (const e of next.values()) this.#reservedTotal += e.def.reservedConcurrentExecutions ?? 0;
  }

  setQualifierResolver(resolver: QualifierResolver | undefined): void {
    this.#resolver = resolver;
  }

  getFunction(name: string): FunctionDef | undefined {
    return this.#defs.get(name);
  }

  readLogs(name: string): Promise<LogChunk> {
    return this.#store.readAll(name);
  }

  followLogs(name: string, cursor: number, waitMs: number, signal?: AbortSignal): Promise<LogChunk> {
    return this.#store.readSince(name, cursor, waitMs, signal);
  }

  environmentCounts(name: string): { idle: number; busy: number; queued?: number } {
    const e = this.#latest.get(name);
    const counts = { idle: e?.idleCount ?? 0, busy: this.#busyByName.get(name) ?? 0 };
    return e && e.waitingCount > 0 ? { ...counts, queued: e.waitingCount } : counts;
  }

  /**
   * Not an `async` function: returning the invocation's own promise (instead of an async wrapper
   * that adopts it) saves a promise and two microtask turns per call; failures before the invocation
   * starts still arrive as rejections.
   */
  invoke(request: InvokeRequest): Promise<InvokeResult> {
    try {
      return this.#invoke(request);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  #invoke(request: InvokeRequest): Promise<InvokeResult> {
    const type = request.invocationType ?? 'RequestResponse';
    const limit = type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT;
    if (payloadExceeds(request.payload, limit)) {
      throw new LambdaServiceError(
        'RequestTooLargeException',
        `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
      );
    }
    const entry = this.#resolve(request);
    if (type === 'DryRun')
      return Promise.resolve({ statusCode: 204, payload: Buffer.alloc(0), executedVersion: entry.version });
    if (type === 'Event') {
      this.#queue.enqueue({ ...request, signal: undefined, requestId: request.requestId ?? randomUUID() });
      return Promise.resolve({ statusCode: 202, payload: Buffer.alloc(0), executedVersion: entry.version });
    }
    return this.#run(entry, request);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#reaper);
    this.#spares?.close();
    const closing = this.#queue.close();
    for (const e of [...this.#latest.values(), ...this.#versions.values()]) e.close();
    this.#latest.clear();
    this.#latestRefs.clear();
    this.#versions.clear();
    await closing;
    await this.#store.close();
  }

  #invokeSync(request: InvokeRequest): Promise<InvokeResult> {
    return this.#run(this.#resolve(request), request);
  }

  /** The event invoke config of a queued event's function and qualifier, if it has one. */
  #eventConfig(job: AsyncJob): { arn: string; config: EventInvokeConfigDef | undefined } {
    // The reference was valid when the event was accepted, so this parse does not throw.
    const ref = parseFunctionRef(job.request.functionName, job.request.qualifier);
    const qualifier = ref.qualifier ?? '$LATEST';
    const configs = this.#defs.get(ref.name)?.eventInvokeConfigs;
    return {
      arn: functionArn(this.#region, this.#accountId, ref.name, qualifier),
      config: configs !== undefined && Object.hasOwn(configs, qualifier) ? configs[qualifier] : undefined,
    };
  }

  #asyncSettings(job: AsyncJob): AsyncSettings {
    const { config } = this.#eventConfig(job);
    return {
      maximumRetryAttempts: config?.maximumRetryAttempts ?? DEFAULT_ASYNC_SETTINGS.maximumRetryAttempts,
      maximumEventAgeMs:
        config?.maximumEventAgeInSeconds === undefined
          ? DEFAULT_ASYNC_SETTINGS.maximumEventAgeMs
          : config.maximumEventAgeInSeconds * 1000,
    };
  }

  /** Logs an event that failed, and sends the invocation record to the destination, if any. */
  #asyncOutcome(job: AsyncJob, outcome: AsyncOutcome): void {
    const functionName = job.request.functionName;
    const id = job.request.requestId;
    if (outcome.condition === 'Dropped') {
      this.#log({ level: 'warn', message: `Dropped async event ${id}: ${outcome.reason}`, functionName });
      return;
    }
    if (outcome.condition === 'RetriesExhausted') {
      this.#log({
        level: 'warn',
        message: `Async event ${id} failed: function error after ${job.attempts} attempts`,
        functionName,
      });
    } else if (outcome.condition === 'EventAgeExceeded') {
      this.#log({
        level: 'warn',
        message: `Async event ${id} expired: older than its maximum event age after ${job.attempts} attempts`,
        functionName,
      });
    }
    if (this.#closed) return;
    const { arn, config } = this.#eventConfig(job);
    const destination = outcome.condition === 'Success' ? config?.onSuccess : config?.onFailure;
    if (destination === undefined) return;
    const record = invocationRecord({
      requestId: id,
      functionArn: arn,
      condition: outcome.condition,
      approximateInvokeCount: job.attempts,
      requestPayload: payloadBytes(job.request.payload),
      result: outcome.result,
      timestamp: new Date(),
    });
    const service = arnService(destination);
    if (service !== 'lambda') {
      this.#log({
        level: 'warn',
        message: `Invocation record of async event ${id} not delivered to ${destination}: Portico delivers to Lambda functions only`,
        functionName,
      });
      return;
    }
    this.invoke({ functionName: destination, invocationType: 'Event', payload: record }).catch(
      (err: unknown) =>
        this.#log({
          level: 'warn',
          message: `Invocation record of async event ${id} not delivered to ${destination}: ${err instanceof Error ? err.message : String(err)}`,
          functionName,
        }),
    );
  }

  #pool(def: FunctionDef, version: string, fp: string): EnvironmentPool {
    return new EnvironmentPool(
      def,
      version,
      fp,
      this.#maxEnvs,
      this.#hooks,
      this.#maxWaitingEnvs,
      this.#cpus,
    );
  }

  #resolve(request: InvokeRequest): EnvironmentPool {
    // The usual case, a plain name of a known function: no parsing (a known name is a valid one).
    // Then an unqualified reference (an ARN) seen before.
    if (request.qualifier === undefined) {
      const known = this.#latest.get(request.functionName) ?? this.#latestRefs.get(request.functionName);
      if (known !== undefined) return known;
    }
    const ref = parseFunctionRef(request.functionName, request.qualifier);
    const notFound = (): LambdaServiceError =>
      new LambdaServiceError(
        'ResourceNotFoundException',
        `Function not found: ${functionArn(this.#region, this.#accountId, ref.name, ref.qualifier)}`,
      );
    const latest = this.#latest.get(ref.name);
    if (ref.qualifier === undefined || ref.qualifier === '$LATEST') {
      if (!latest) throw notFound();
      if (request.qualifier === undefined) {
        if (this.#latestRefs.size >= MAX_REMEMBERED_REFS) this.#latestRefs.clear();
        this.#latestRefs.set(request.functionName, latest);
      }
      return latest;
    }
    const resolved = this.#resolver?.(ref.name, ref.qualifier);
    if (!resolved) throw notFound();
    const key = `${ref.name}:${resolved.version}`;
    const fp = fingerprint(resolved.def);
    const known = this.#versions.get(key);
    if (known && known.fingerprint === fp) return known;
    if (known) this.#retire(known);
    const entry = this.#pool(resolved.def, resolved.version, fp);
    this.#versions.set(key, entry);
    return entry;
  }

  #run(entry: EnvironmentPool, request: InvokeRequest): Promise<InvokeResult> {
    const name = entry.def.functionName;
    const reserved =
      this.#latest.get(name)?.def.reservedConcurrentExecutions ?? entry.def.reservedConcurrentExecutions;
    const busy = this.#busyByName.get(name) ?? 0;
    // https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html: reserved functions are
    // bounded by their reservation; the rest share what the reservations leave of the account limit.
    // Invocations waiting for a local environment count as running: the limits are Lambda's, the
    // environment cap is only this machine's.
    if (reserved !== undefined) {
      if (busy >= reserved)
        return Promise.reject(throttled('ReservedFunctionConcurrentInvocationLimitExceeded'));
    } else if (this.#unreservedBusy >= this.#limit - this.#reservedTotal) {
      return Promise.reject(throttled('ConcurrentInvocationLimitExceeded'));
    }
    this.#busyByName.set(name, busy + 1);
    if (reserved === undefined) this.#unreservedBusy++;
    const def = entry.def;
    const inv = new Invocation(
      this.#store,
      name,
      entry.version,
      def.memorySize,
      request.requestId ?? randomUUID(),
      isEmptyPayload(request.payload) ? EMPTY_EVENT : request.payload,
      request.qualifier === undefined
        ? entry.arn(this.#region, this.#accountId)
        : functionArn(this.#region, this.#accountId, name, request.qualifier),
      request.logType === 'Tail',
    );
    if (request.clientContext !== undefined) {
      inv.clientContext = Buffer.from(request.clientContext, 'base64').toString('utf8');
    }
    if (request.onChunk !== undefined) inv.onChunk = request.onChunk;
    if (def.loggingConfig !== undefined) inv.platform = platformLog(def.loggingConfig);
    const result = inv.promise();
    // A caller that stops waiting (the gateway's integration timeout) does not stop a started
    // invocation: as on Lambda, it runs to its end and keeps its environment (and concurrency) until
    // then. One that has not got an environment yet is dropped from the queue.
    if (request.waitTimeoutMs !== undefined) this.#deadlines(request.waitTimeoutMs).add(inv);
    void this.#runCounted(entry, inv, reserved !== undefined);
    if (request.waitTimeoutMs === undefined && request.signal) return withAbort(result, request.signal, inv);
    return result;
  }

  /** The deadline list of one wait length (the integration timeouts of a config are few). */
  #deadlines(ms: number): DeadlineList {
    let list = this.#deadlineLists.get(ms);
    if (list === undefined) {
      list = new DeadlineList(ms);
      this.#deadlineLists.set(ms, list);
    }
    return list;
  }

  /**
   * Runs one admitted invocation and settles its promise; its concurrency is given back when it
   * ends.
   */
  async #runCounted(entry: EnvironmentPool, inv: Invocation, reserved: boolean): Promise<void> {
    try {
      let o: EnvOutcome;
      for (;;) {
        let lease = entry.acquire(inv);
        if (lease instanceof Promise) lease = await lease;
        if (lease.kind === 'cancelled') {
          throw new LambdaServiceError('ServiceException', 'The invocation was cancelled before it started');
        }
        if (lease.kind === 'init-error') {
          inv.begin();
          o = {
            payload: lease.code.payload,
            error: true,
            errorType: lease.code.errorType,
            durationMs: 0,
            maxMemoryUsedMB: 0,
            retire: true,
          };
          break;
        }
        o = await lease.env.invoke(inv);
        // Queued behind an invocation whose environment then died: it never began, run it elsewhere.
        if (o.notStarted) {
          entry.release(lease.env, false);
          continue;
        }
        entry.observe(o.durationMs, o.activeMs);
        entry.release(lease.env, !(o.retire || this.#closed));
        break;
      }
      inv.end(o);
      const result: InvokeResult = { statusCode: 200, payload: o.payload, executedVersion: entry.version };
      if (o.error) result.functionError = 'Unhandled';
      else if (o.payload.length > SYNC_PAYLOAD_LIMIT) {
        // Lambda's limit on a (buffered) response: the invocation fails instead.
        result.payload = Buffer.from(
          JSON.stringify({
            errorMessage: `Response payload size (${o.payload.length} bytes) exceeded maximum allowed payload size (${SYNC_PAYLOAD_LIMIT} bytes).`,
            errorType: 'Function.ResponseSizeTooLarge',
          }),
        );
        result.functionError = 'Unhandled';
      }
      if (o.contentType !== undefined) result.contentType = o.contentType;
      if (inv.tail) result.logResult = Buffer.from(inv.tail.join('')).subarray(-4096).toString('base64');
      inv.resolve(result);
    } catch (err) {
      inv.reject(err);
    } finally {
      const name = entry.def.functionName;
      this.#busyByName.set(name, (this.#busyByName.get(name) ?? 1) - 1);
      if (!reserved) this.#unreservedBusy--;
    }
  }

  #spawn(entry: EnvironmentPool, code: SpawnableCode): ExecutionEnvironment {
    const name = entry.def.functionName;
    const env = createEnvironment({
      def: entry.def,
      version: entry.version,
      region: this.#region,
      code,
      nodeExecArgv: [],
      spares: this.#spares,
      log: (text) => this.#store.append(name, text),
    });
    env.onDeath = () => entry.forget(env);
    return env;
  }

  #retire(entry: EnvironmentPool): void {
    entry.retire();
  }

  #reap(): void {
    const cutoff = Date.now() - this.#idleMs;
    for (const entry of this.#latest.values()) entry.reap(cutoff);
    for (const entry of this.#versions.values()) entry.reap(cutoff);
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
    def.loggingConfig,
  ]);
}
