/**
 * Whether a function's invocations mostly wait (on I/O, timers, other services) or keep their
 * environment busy: a running average of the share of each invocation's duration its event loop was
 * busy. The pool lets a function that mostly waits start environments beyond the CPU-based cap.
 *
 * It starts at "busy" and counts every invocation: a quick one (under 5 ms, whose environment does
 * not measure) or one from an environment that cannot tell (custom runtimes) counts as busy. So a
 * CPU-bound function stays at the CPU-based cap whatever a rare slow invocation reports (on a
 * saturated core, a handler of microseconds was once seen at 7 ms of which 0.8 ms busy, and a first
 * sample taken as the average started 32 environments on one core); a function flips after about four
 * invocations in a row that mostly waited.
 */

/** Below this busy share a function mostly waits. */
const WAITING_SHARE = 0.5;

/** Weight of the newest invocation in the running average. */
const SHARE_WEIGHT = 0.2;

export class BusyShare {
  #share = 1;

  /** The function's invocations have mostly waited lately. */
  get mostlyWaiting(): boolean {
    return this.#share < WAITING_SHARE;
  }

  /** Learns from one finished invocation; `activeMs` = its busy time, when its environment measured it. */
  observe(durationMs: number, activeMs: number | undefined): void {
    const share = activeMs === undefined || durationMs <= 0 ? 1 : Math.min(1, activeMs / durationMs);
    this.#share += SHARE_WEIGHT * (share - this.#share);
  }
}
