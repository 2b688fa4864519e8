import type { Readable } from 'node:stream';
import { GatewayError } from '../../errors/index.js';
import type { Http1Request } from '../../http1/index.js';

/** HTTP API payload limit (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** True when the request carries a body (a non-zero Content-Length or chunked). */
export function hasRequestBody(req: Http1Request): boolean {
  return req.body !== undefined;
}

/**
 * The body to stream upstream. A declared Content-Length was checked against the limit on arrival;
 * chunked bodies are counted as they flow and stop with REQUEST_TOO_LARGE past the limit.
 */
export function upstreamBody(
  req: Http1Request,
  limit = MAX_PAYLOAD_BYTES,
): Readable | AsyncIterable<Buffer> | null {
  const body = req.body;
  if (body === undefined) return null;
  if (req.transferEncoding === undefined) return body;
  return limited(body, limit);
}

async function* limited(body: Readable, limit: number): AsyncIterable<Buffer> {
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) throw new GatewayError('REQUEST_TOO_LARGE');
    yield buf;
  }
}

/** Reads the whole body (bounded by the limit); empty when the request has none. */
export async function readBody(req: Http1Request, limit = MAX_PAYLOAD_BYTES): Promise<Buffer> {
  const body = req.body;
  if (body === undefined) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) throw new GatewayError('REQUEST_TOO_LARGE');
    chunks.push(buf);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}
