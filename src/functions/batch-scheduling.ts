import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

let prefix: readonly string[] = [];
let probe: Promise<void> | undefined;

/**
 * Checks once per process whether Node execution environments can start under Linux's
 * `SCHED_BATCH` policy (`chrt -b 0 node ...`; chrt execs node, so pid, exit code and signals are
 * node's). A batch task still gets its fair share of CPU but does not preempt the gateway when an
 * invocation frame wakes it: the gateway keeps dispatching, and each environment then runs the
 * invocations queued in its pipe in one go (function bench, one core: 53–58 µs of CPU per request
 * instead of 60–70). Asynchronous, so it overlaps the first function's code preparation.
 */
export function probeBatchScheduling(): Promise<void> {
  probe ??= new Promise<void>((resolve) => {
    const chrt = process.platform === 'linux' ? ['/usr/bin/chrt', '/bin/chrt'].find(existsSync) : undefined;
    if (chrt === undefined) return resolve();
    // A sandbox may forbid sched_setscheduler: then environments start without it.
    execFile(chrt, ['-b', '0', chrt, '--version'], { timeout: 5000 }, (err) => {
      if (!err) prefix = [chrt, '-b', '0'];
      resolve();
    });
  });
  return probe;
}

/** The command prefix for a Node environment (`[]` until the probe succeeded, or without chrt). */
export function batchSchedulingPrefix(): readonly string[] {
  return prefix;
}
