import type { Http1Response } from '../../http1/index.js';
import type { BodySource } from '../integration.js';

/**
 * Carries an upstream response body from undici's dispatch handler to the client response, with
 * backpressure both ways. Chunks that arrive before the client side is attached are queued.
 */
export class UpstreamBody implements BodySource {
  #sink: Http1Response | undefined;
  #queue: Buffer[] | undefined;
  #done = false;
  #error: Error | undefined;
  #resolve: (() => void) | undefined;
  #reject: ((err: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #abort: ((err?: Error) => void) | undefined;
  bytes = 0;

  /** Set by the dispatch handler once the request is on the wire. */
  setControls(abort: (err?: Error) => void): void {
    this.#abort = abort;
  }

  setResume(resume: () => void): void {
    this.#resume = resume;
  }

  /** Called for each upstream chunk; false asks undici to pause. */
  push(chunk: Buffer): boolean {
    this.bytes += chunk.length;
    const sink = this.#sink;
    if (sink === undefined) {
      (this.#queue ??= []).push(chunk);
      return true;
    }
    if (sink.write(chunk)) return true;
    sink.onceDrain(this.#onDrain);
    return false;
  }

  #onDrain = (): void => {
    this.#resume?.();
  };

  end(): void {
    this.#done = true;
    const sink = this.#sink;
    if (sink) {
      sink.end();
      this.#resolve?.();
    }
  }

  fail(err: Error): void {
    this.#error = err;
    this.#done = true;
    if (this.#sink) {
      this.#sink.destroy(err);
      this.#reject?.(err);
    }
  }

  pipeTo(res: Http1Response): Promise<void> | undefined {
    this.#sink = res;
    const queue = this.#queue;
    this.#queue = undefined;
    if (this.#done && !this.#error) {
      // The whole body is already here (the common case for small responses): one write.
      if (queue === undefined) res.end();
      else if (queue.length === 1) res.end(queue[0]);
      else res.end(Buffer.concat(queue));
      return undefined;
    }
    if (queue) for (const chunk of queue) res.write(chunk);
    if (this.#error) {
      res.destroy(this.#error);
      return Promise.reject(this.#error);
    }
    return new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  clientClosed(): void {
    if (!this.#sink?.writableFinished) this.abort();
  }

  abort(): void {
    if (!this.#done) this.#abort?.(new Error('client closed the connection'));
  }
}
