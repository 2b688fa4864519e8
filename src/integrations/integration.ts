import type { Http1Response } from '../http1/index.js';
import type { RequestContext } from '../gateway/context.js';

/** A response body that arrives over time (streamed from an upstream). */
export interface BodySource {
  /**
   * Writes the body into `res` and ends it. Returns undefined when the whole body was already there
   * (written and ended at once), else a promise that settles when the upstream is done.
   */
  pipeTo(res: Http1Response): Promise<void> | undefined;
  /** Stops the upstream transfer (client went away). */
  abort(): void;
  /** The client's response closed: stop the upstream transfer unless the body was fully sent. */
  clientClosed(): void;
  /** Body bytes passed through so far. */
  readonly bytes: number;
}

/**
 * What an integration answers. Headers are a flat `[name, value, name, value, ...]` list in the
 * order and case they should be sent; the body is either complete (`body`) or streamed (`stream`).
 */
export interface IntegrationResponse {
  statusCode: number;
  headers: string[];
  /**
   * The same fields as bytes, when the integration received them so (an HTTP upstream's, already
   * without hop-by-hop fields): sent as they are unless response mapping needs `headers`.
   */
  rawHeaders?: Buffer[];
  body?: Buffer | string;
  stream?: BodySource;
}

/** The one interface every integration type implements. */
export interface Integration {
  readonly type: string;
  invoke(ctx: RequestContext, signal?: AbortSignal): Promise<IntegrationResponse>;
}
