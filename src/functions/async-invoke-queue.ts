import { isLambdaServiceError } from './errors.js';
import type { InvokeRequest, InvokeResult } from './types.js';

/** One queued `Event` invocation. */
export interface AsyncJob {
  request: InvokeRequest;
  /** 0 for the first try. */
  attempt: number;
  throttles: number;
}

/** Queue tuning. */
export interface AsyncQueueOptions {
  /** Delays before the 1st and 2nd retry after a function error. Lambda: about 1 and 2 minutes. */
  retryDelaysMs: readonly number[];
  /** Delay before retrying a throttled event. */
  throttleRetryMs: number;
  /** Throttled attempts before an event is dropped (Lambda keeps trying for up to 6 hours). */
  maxThrottles: number;
  /** Reports dropped events. */
  onDrop(job: AsyncJob, reason: string): void;
}

/**
 * Lambda's asynchronous invocation queue
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html): `Event` invokes are accepted
 * (202), run in the background, retried twice on function errors, and retried later when throttled.
 */
export class AsyncInvokeQueue {
  readonly #run: (request: InvokeRequest) => Promise<InvokeResult>;
  readonly #o: AsyncQueueOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(run: (request: InvokeRequest) => Promise<InvokeResult>, options: AsyncQueueOptions) {
    this.#run = run;
    this.#o = options;
  }

  /** Accepts an event; it starts on the next turn of the event loop. */
  enqueue(request: InvokeRequest): void {
    this.#schedule({ request, attempt: 0, throttles: 0 }, 0);
  }

  /** Jobs waiting or running (for tests and metrics). */
  get pending(): number {
    return this.#timers.size + this.#running.size;
  }

  /** Drops waiting retries and waits for running attempts. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.all(this.#running);
  }

  #schedule(job: AsyncJob, delayMs: number): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const p = this.#attempt(job).finally(() => this.#running.delete(p));
      this.#running.add(p);
    }, delayMs);
    this.#timers.add(timer);
  }

  async #attempt(job: AsyncJob): Promise<void> {
    let result: InvokeResult;
    try {
      result = await this.#run({ ...job.request, invocationType: 'RequestResponse', logType: 'None' });
    } catch (err) {
      if (
        isLambdaServiceError(err) &&
        err.name === 'TooManyRequestsException' &&
        job.throttles < this.#o.maxThrottles
      ) {
        this.#schedule({ ...job, throttles: job.throttles + 1 }, this.#o.throttleRetryMs);
        return;
      }
      this.#o.onDrop(job, err instanceof Error ? err.message : String(err));
      return;
    }
    if (result.functionError === undefined) return;
    const delay = this.#o.retryDelaysMs[job.attempt];
    if (delay === undefined) {
      this.#o.onDrop(job, `function error after ${job.attempt + 1} attempts`);
      return;
    }
    this.#schedule({ ...job, attempt: job.attempt + 1 }, delay);
  }
}
