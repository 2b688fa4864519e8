import { isLambdaServiceError } from './errors.js';
import type { InvokeRequest, InvokeResult } from './types.js';

/** One queued `Event` invocation. */
export interface AsyncJob {
  /** The request, with the request id every attempt runs under (Lambda keeps it across retries). */
  request: InvokeRequest & { requestId: string };
  /** Attempts that ran the function so far (0 before the first). */
  attempts: number;
  throttles: number;
  /** When the event was accepted (ms, the queue's clock). */
  acceptedAt: number;
}

/** The settings of one event's function and qualifier (FunctionEventInvokeConfig). */
export interface AsyncSettings {
  /** Retries after a function error, 0..2. */
  maximumRetryAttempts: number;
  /** How long the event may wait to be run. */
  maximumEventAgeMs: number;
}

/**
 * How an event ended. `Success` and `RetriesExhausted` carry the last attempt's result;
 * `EventAgeExceeded` the result of the last attempt if one ran; `Dropped` is an event that
 * cannot run at all (its function was deleted, say).
 */
export type AsyncOutcome =
  | { condition: 'Success' | 'RetriesExhausted'; result: InvokeResult }
  | { condition: 'EventAgeExceeded'; result: InvokeResult | undefined }
  | { condition: 'Dropped'; reason: string };

/** Queue tuning. */
export interface AsyncQueueOptions {
  /** Delays before the 1st and 2nd retry after a function error. Lambda: about 1 and 2 minutes. */
  retryDelaysMs: readonly number[];
  /** Delay before the first retry of a throttled event; it doubles for each throttle, up to 5 min. */
  throttleRetryMs: number;
  /** The settings that apply to a job's event (read at each decision: changes apply to queued events). */
  settings(job: AsyncJob): AsyncSettings;
  /** Reports how each event ended. */
  onOutcome(job: AsyncJob, outcome: AsyncOutcome): void;
  /** The clock (ms). Default `Date.now`. */
  now?: () => number;
}

/** Lambda's defaults (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). */
export const DEFAULT_ASYNC_SETTINGS: AsyncSettings = {
  maximumRetryAttempts: 2,
  maximumEventAgeMs: 21_600_000,
};
/** The longest wait between two tries of a throttled event. */
const MAX_THROTTLE_DELAY_MS = 300_000;

/**
 * Lambda's asynchronous invocation queue
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html): `Event` invokes are accepted
 * (202) and run in the background under the request id the caller got; a function error is retried
 * up to `maximumRetryAttempts` times; a throttled event is tried again with a growing delay; an event
 * older than `maximumEventAgeMs` is not run any more. Every event ends with one outcome.
 */
export class AsyncInvokeQueue {
  readonly #run: (request: InvokeRequest) => Promise<InvokeResult>;
  readonly #o: AsyncQueueOptions;
  readonly #now: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(run: (request: InvokeRequest) => Promise<InvokeResult>, options: AsyncQueueOptions) {
    this.#run = run;
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** Accepts an event; it starts on the next turn of the event loop. */
  enqueue(request: InvokeRequest & { requestId: string }): void {
    this.#schedule({ request, attempts: 0, throttles: 0, acceptedAt: this.#now() }, 0, undefined);
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

  #schedule(job: AsyncJob, delayMs: number, last: InvokeResult | undefined): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      // The callbacks are the runtime's and do not throw; should one, the event ends there rather
      // than as an unhandled rejection.
      const p = this.#attempt(job, last)
        .catch(() => undefined)
        .finally(() => this.#running.delete(p));
      this.#running.add(p);
    }, delayMs);
    this.#timers.add(timer);
  }

  async #attempt(job: AsyncJob, last: InvokeResult | undefined): Promise<void> {
    const settings = this.#o.settings(job);
    if (this.#now() - job.acceptedAt > settings.maximumEventAgeMs) {
      this.#o.onOutcome(job, { condition: 'EventAgeExceeded', result: last });
      return;
    }
    let result: InvokeResult;
    try {
      result = await this.#run({ ...job.request, invocationType: 'RequestResponse', logType: 'None' });
    } catch (err) {
      if (isLambdaServiceError(err) && err.name === 'TooManyRequestsException') {
        const delay = Math.min(this.#o.throttleRetryMs * 2 ** job.throttles, MAX_THROTTLE_DELAY_MS);
        this.#schedule({ ...job, throttles: job.throttles + 1 }, delay, last);
        return;
      }
      this.#o.onOutcome(job, {
        condition: 'Dropped',
        reason: err instanceof Error ? err.message : String(err),
      });
      return;
    }
    const ran = { ...job, attempts: job.attempts + 1 };
    if (result.functionError === undefined) {
      this.#o.onOutcome(ran, { condition: 'Success', result });
      return;
    }
    // Re-read: the settings may have changed while the attempt ran.
    if (ran.attempts > this.#o.settings(ran).maximumRetryAttempts) {
      this.#o.onOutcome(ran, { condition: 'RetriesExhausted', result });
      return;
    }
    const delays = this.#o.retryDelaysMs;
    const delay = delays[Math.min(ran.attempts - 1, delays.length - 1)] ?? 0;
    this.#schedule(ran, delay, result);
  }
}
