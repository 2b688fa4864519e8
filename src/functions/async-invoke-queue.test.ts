import { describe, expect, it, vi } from 'vitest';
import { LambdaServiceError } from './errors.js';
import {
  AsyncInvokeQueue,
  type AsyncJob,
  type AsyncOutcome,
  type AsyncSettings,
} from './async-invoke-queue.js';
import type { InvokeRequest, InvokeResult } from './types.js';

const ok: InvokeResult = { statusCode: 200, payload: Buffer.from('{"ok":1}'), executedVersion: '$LATEST' };
const failed: InvokeResult = {
  ...ok,
  functionError: 'Unhandled',
  payload: Buffer.from('{"errorType":"Error"}'),
};

/** A queue on a fake clock, whose function answers from `answers` in turn. */
function harness(answers: (InvokeResult | Error)[], settings: AsyncSettings, throttleRetryMs = 1) {
  let clock = 1_000_000;
  const runs: { requestId: string | undefined; at: number }[] = [];
  const outcomes: { job: AsyncJob; outcome: AsyncOutcome }[] = [];
  const queue = new AsyncInvokeQueue(
    (r: InvokeRequest) => {
      runs.push({ requestId: r.requestId, at: clock });
      const next = answers.shift() ?? ok;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    {
      retryDelaysMs: [1, 2],
      throttleRetryMs,
      settings: () => settings,
      onOutcome: (job, outcome) => outcomes.push({ job, outcome }),
      now: () => clock,
    },
  );
  const settled = async (): Promise<void> => {
    while (queue.pending > 0) await new Promise((r) => setTimeout(r, 2));
  };
  return {
    queue,
    runs,
    outcomes,
    settled,
    advance: (ms: number) => (clock += ms),
    send: () => queue.enqueue({ functionName: 'f', payload: Buffer.from('{}'), requestId: 'req-1' }),
  };
}

const throttle = (): LambdaServiceError =>
  new LambdaServiceError('TooManyRequestsException', 'Rate Exceeded.');

describe('AsyncInvokeQueue', () => {
  it('runs an event once when it succeeds, under its request id', async () => {
    const h = harness([ok], { maximumRetryAttempts: 2, maximumEventAgeMs: 60_000 });
    h.send();
    await h.settled();
    expect(h.runs.map((r) => r.requestId)).toStrictEqual(['req-1']);
    expect(h.outcomes.map((o) => [o.outcome, o.job.attempts])).toStrictEqual([
      [{ condition: 'Success', result: ok }, 1],
    ]);
  });

  it('retries a function error as often as the settings say, then reports the last result', async () => {
    for (const retries of [0, 1, 2]) {
      const h = harness([failed, failed, failed, failed], {
        maximumRetryAttempts: retries,
        maximumEventAgeMs: 60_000,
      });
      h.send();
      await h.settled();
      expect(h.runs).toHaveLength(retries + 1);
      expect(h.runs.every((r) => r.requestId === 'req-1')).toBe(true);
      expect(h.outcomes.map((o) => [o.outcome, o.job.attempts])).toStrictEqual([
        [{ condition: 'RetriesExhausted', result: failed }, retries + 1],
      ]);
    }
  });

  it('stops at success after a retry', async () => {
    const h = harness([failed, ok], { maximumRetryAttempts: 2, maximumEventAgeMs: 60_000 });
    h.send();
    await h.settled();
    expect(h.outcomes.map((o) => [o.outcome.condition, o.job.attempts])).toStrictEqual([['Success', 2]]);
  });

  it('does not run an event older than its maximum age, and reports the last result it had', async () => {
    const h = harness([failed], { maximumRetryAttempts: 2, maximumEventAgeMs: 60_000 });
    // The retry comes due after the event has expired.
    h.queue.enqueue({ functionName: 'f', payload: Buffer.from('{}'), requestId: 'req-1' });
    await new Promise((r) => setTimeout(r, 0));
    h.advance(60_001);
    await h.settled();
    expect(h.runs).toHaveLength(1);
    expect(h.outcomes.map((o) => [o.outcome, o.job.attempts])).toStrictEqual([
      [{ condition: 'EventAgeExceeded', result: failed }, 1],
    ]);
  });

  it('tries a throttled event again with a doubling delay until it runs or expires', async () => {
    vi.useFakeTimers();
    try {
      const h = harness(
        [throttle(), throttle(), ok],
        { maximumRetryAttempts: 2, maximumEventAgeMs: 60_000 },
        1000,
      );
      h.send();
      await vi.advanceTimersByTimeAsync(0);
      expect(h.runs).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(999);
      expect(h.runs).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.runs).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1999);
      expect(h.runs).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(h.runs).toHaveLength(3);
      expect(h.outcomes.map((o) => [o.outcome.condition, o.job.attempts, o.job.throttles])).toStrictEqual([
        ['Success', 1, 2],
      ]);
    } finally {
      vi.useRealTimers();
    }

    const expired = harness([throttle()], { maximumRetryAttempts: 2, maximumEventAgeMs: 60_000 });
    expired.send();
    await new Promise((r) => setTimeout(r, 0));
    expired.advance(60_001);
    await expired.settled();
    expect(expired.outcomes.map((o) => [o.outcome, o.job.attempts])).toStrictEqual([
      [{ condition: 'EventAgeExceeded', result: undefined }, 0],
    ]);
  });

  it('drops an event that cannot run, with the reason', async () => {
    const h = harness([new LambdaServiceError('ResourceNotFoundException', 'Function not found: f')], {
      maximumRetryAttempts: 2,
      maximumEventAgeMs: 60_000,
    });
    h.send();
    await h.settled();
    expect(h.outcomes.map((o) => o.outcome)).toStrictEqual([
      { condition: 'Dropped', reason: 'Function not found: f' },
    ]);
  });
});
