/**
 * One synchronous invocation as the runtime tracks it: its log plumbing (START, application lines,
 * END + REPORT), the caller's promise and its place in a deadline list. State lives in fields of one
 * object per invocation rather than in closures, timers and promise wrappers: per-request closures
 * held by long-lived structures made young-GC scavenges copy far more (see docs/benchmarks.md).
 */
import type { EnvInvocation, EnvOutcome } from './environment.js';
import { InvokeWaitTimeoutError } from './errors.js';
import type { LogStore } from './log-store.js';
import { appLine, closingText, startText, type PlatformLog } from './log-format.js';
import type { InvokePayload } from './invoke-payload.js';
import type { InvokeResult } from './types.js';

const TEXT_PLATFORM_LOG: PlatformLog = { json: false, info: true };

/** An invocation handed to an environment; also the pool's wait ticket (`abandoned`). */
export class Invocation implements EnvInvocation {
  readonly requestId: string;
  payload: InvokePayload;
  readonly invokedFunctionArn: string;
  clientContext?: string;
  /** How START/END/REPORT are written (the function's LoggingConfig); text unless set. */
  platform: PlatformLog = TEXT_PLATFORM_LOG;
  /** The caller's taker of a streaming response as it is written (InvokeRequest.onChunk). */
  onChunk: EnvInvocation['onChunk'];
  /** Set when the caller stopped waiting: the pool drops it if it is still queued. */
  abandoned = false;
  /** The log text of the invocation, for `LogType: Tail`. */
  readonly tail: string[] | undefined;
  readonly #store: LogStore;
  readonly #name: string;
  readonly #version: string;
  readonly #memorySizeMB: number;
  #ended = false;
  #settled = false;
  #resolve: ((result: InvokeResult) => void) | undefined;
  #reject: ((err: unknown) => void) | undefined;
  /** Deadline list membership (see {@link DeadlineList}). */
  deadline = 0;
  prev: Invocation | undefined;
  next: Invocation | undefined;
  list: DeadlineList | undefined;

  constructor(
    store: LogStore,
    name: string,
    version: string,
    memorySizeMB: number,
    requestId: string,
    payload: InvokePayload,
    invokedFunctionArn: string,
    tail: boolean,
  ) {
    this.#store = store;
    this.#name = name;
    this.#version = version;
    this.#memorySizeMB = memorySizeMB;
    this.requestId = requestId;
    this.payload = payload;
    this.invokedFunctionArn = invokedFunctionArn;
    this.tail = tail ? [] : undefined;
  }

  begin(): void {
    const text = startText(this.platform, this.requestId, this.#version, new Date());
    if (text !== '') this.log(text);
  }

  log(text: string): void {
    this.#store.append(this.#name, text);
    this.tail?.push(text);
  }

  /** Text: an ERROR line. JSON: nothing, the report's `status` and `errorType` carry it. */
  platformErrorLine(message: string): void {
    if (!this.platform.json) this.log(appLine(new Date(), this.requestId, 'ERROR', message));
  }

  /** END, REPORT (and a timeout's trailer) in one append, before a queued invocation's START. */
  end(o: EnvOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    const text = closingText(this.platform, this.requestId, this.#memorySizeMB, o, new Date());
    if (text !== '') this.log(text);
  }

  /** The promise the caller waits on; settled by {@link resolve}, {@link reject} or the deadline. */
  promise(): Promise<InvokeResult> {
    return new Promise<InvokeResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  resolve(result: InvokeResult): void {
    if (this.#settled) return;
    this.#settled = true;
    this.list?.remove(this);
    (this.#resolve as (result: InvokeResult) => void)(result);
    this.#resolve = this.#reject = undefined;
  }

  reject(err: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.list?.remove(this);
    (this.#reject as (err: unknown) => void)(err);
    this.#resolve = this.#reject = undefined;
  }

  /** The caller's deadline passed: it stops waiting (a started invocation still runs to its end). */
  expire(ms: number): void {
    this.abandoned = true;
    this.reject(new InvokeWaitTimeoutError(ms));
  }
}

/**
 * The waits with one timeout length, in deadline order (FIFO: same length, monotonic clock) under one
 * timer, instead of a timer per invocation. The timer is armed for the oldest wait; a settled wait
 * just leaves the list, and a timer that finds the oldest wait not yet due re-arms for it.
 */
export class DeadlineList {
  readonly ms: number;
  #head: Invocation | undefined;
  #tail: Invocation | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = performance.now();
    let head = this.#head;
    // Node's timers count from the event loop's cached (millisecond) time, so one may fire a
    // fraction of a millisecond before `deadline` by the precise clock.
    while (head !== undefined && head.deadline - now < 1) {
      head.expire(this.ms);
      head = this.#head;
    }
    if (head !== undefined) this.#arm(Math.ceil(head.deadline - now));
  };

  constructor(ms: number) {
    this.ms = ms;
  }

  /** Starts `inv`'s wait now. */
  add(inv: Invocation): void {
    inv.deadline = performance.now() + this.ms;
    inv.list = this;
    inv.prev = this.#tail;
    inv.next = undefined;
    if (this.#tail) this.#tail.next = inv;
    else this.#head = inv;
    this.#tail = inv;
    if (this.#timer === undefined) this.#arm(this.ms);
  }

  remove(inv: Invocation): void {
    if (inv.list !== this) return;
    inv.list = undefined;
    const { prev, next } = inv;
    if (prev) prev.next = next;
    else this.#head = next;
    if (next) next.prev = prev;
    else this.#tail = prev;
    inv.prev = inv.next = undefined;
  }

  #arm(ms: number): void {
    // Unreferenced: a wait never keeps the process alive by itself (the invocation it guards is
    // backed by the environment's child process or the code preparation).
    this.#timer = setTimeout(this.#fire, ms);
    this.#timer.unref();
  }
}
