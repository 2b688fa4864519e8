import { Writable } from 'node:stream';

/**
 * Lambda's response streaming as the Node runtime offers it
 * (https://docs.aws.amazon.com/lambda/latest/dg/config-rs-write-functions.html): the global
 * `awslambda` with `streamifyResponse(handler)`, whose handler is called as
 * `handler(event, responseStream, context)`, and `HttpResponseStream.from(stream, prelude)`, which
 * writes the HTTP status and headers ahead of the body for function URLs.
 *
 * For Invoke, Portico collects what the handler writes and returns it as the invocation's result,
 * as Lambda does for a streaming function invoked with Invoke (buffered). For
 * InvokeWithResponseStream, each part goes to the gateway as it is written (`chunk` frames).
 */

/** Marks a handler made by `streamifyResponse`. */
export const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');

/** The content type of a stream nobody set one on. */
export const DEFAULT_STREAM_CONTENT_TYPE = 'application/octet-stream';
/** What `HttpResponseStream.from` sets: a JSON prelude, 8 zero bytes, then the body. */
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

/** The stream a streaming handler writes its response to. */
export class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType = DEFAULT_STREAM_CONTENT_TYPE;
  /** Takes each part as it is written (the first flagged) instead of collecting them. */
  readonly #forward: ((chunk: Buffer, first: boolean) => void) | undefined;
  #sent = false;
  /** What goes out ahead of the first write (HttpResponseStream's prelude), once. */
  ahead: Buffer | undefined;

  constructor(forward?: (chunk: Buffer, first: boolean) => void) {
    super();
    this.#forward = forward;
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), encoding);
    if (this.ahead !== undefined) {
      bytes = Buffer.concat([this.ahead, bytes]);
      this.ahead = undefined;
    }
    if (this.#forward === undefined) this.chunks.push(bytes);
    else if (bytes.length > 0) {
      this.#forward(bytes, !this.#sent);
      this.#sent = true;
    }
    callback();
  }

  /** As on Lambda: before the first write. */
  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  /** Everything written (nothing when the parts were forwarded). */
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** `awslambda.HttpResponseStream`. */
class HttpResponseStream {
  /** The prelude goes out with the first write (nothing is sent for a stream never written to). */
  static from(stream: ResponseStream, prelude: unknown): ResponseStream {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    stream.ahead = Buffer.concat([Buffer.from(JSON.stringify(prelude)), Buffer.alloc(8)]);
    return stream;
  }
}

/** Installs the `awslambda` global (before the handler's module loads: it may use it at load). */
export function installAwsLambdaGlobal(): void {
  const g = globalThis as { awslambda?: unknown };
  g.awslambda = {
    streamifyResponse<T extends object>(handler: T): T {
      (handler as Record<symbol, unknown>)[STREAMING] = 'response';
      return handler;
    },
    HttpResponseStream,
  };
}

/** True for a handler made by `streamifyResponse`. */
export function isStreamingHandler(handler: unknown): boolean {
  return (
    typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[STREAMING] !== undefined
  );
}
