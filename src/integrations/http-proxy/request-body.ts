import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../../errors/index.js';

/** HTTP API payload limit (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** True when the request carries a body (a non-zero Content-Length or any Transfer-Encoding). */
export function hasRequestBody(req: IncomingMessage): boolean {
  const te = req.headers['transfer-encoding'];
  if (te !== undefined) return true;
  const cl = req.headers['content-length'];
  return cl !== undefined && cl !== '0';
}

/**
 * The body to stream upstream. A declared Content-Length was checked against the limit on arrival;
 * chunked bodies are counted as they flow and stop with REQUEST_TOO_LARGE past the limit.
 */
export function upstreamBody(
  req: IncomingMessage,
  limit = MAX_PAYLOAD_BYTES,
): IncomingMessage | AsyncIterable<Buffer> {
  if (req.headers['transfer-encoding'] === undefined) return req;
  return limited(req, limit);
}

async function* limited(req: IncomingMessage, limit: number): AsyncIterable<Buffer> {
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) throw new GatewayError('REQUEST_TOO_LARGE');
    yield buf;
  }
}

/** Reads the whole body (bounded by the limit). */
export async function readBody(req: IncomingMessage, limit = MAX_PAYLOAD_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) throw new GatewayError('REQUEST_TOO_LARGE');
    chunks.push(buf);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
}
