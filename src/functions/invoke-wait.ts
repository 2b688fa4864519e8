/**
 * How a caller stops waiting for an invocation. Stopping to wait never stops a started invocation
 * (on Lambda it runs to its end); the ticket tells the environment pool to drop one still queued.
 */
import type { WaitTicket } from './environment-pool.js';

/** Stops waiting when `signal` aborts (rejecting with its reason). */
export function withAbort<T>(p: Promise<T>, signal: AbortSignal, ticket: WaitTicket): Promise<T> {
  if (signal.aborted) {
    ticket.abandoned = true;
    p.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      ticket.abandoned = true;
      reject(signal.reason);
    };
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
