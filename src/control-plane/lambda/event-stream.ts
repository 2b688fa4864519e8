import { crc32 } from 'node:zlib';

/**
 * One message of AWS's event stream encoding (`application/vnd.amazon.eventstream`, what
 * InvokeWithResponseStream answers with): a prelude (total length, headers length, its CRC32),
 * string headers, the payload, and the CRC32 of all of it, big-endian.
 */
function eventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    // Header value type 7: a string, with a 2-byte length.
    h.writeUInt8(7, 1 + n.length);
    h.writeUInt16BE(v.length, 2 + n.length);
    parts.push(h, v);
  }
  const headerBytes = Buffer.concat(parts);
  const total = 12 + headerBytes.length + payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBytes.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headerBytes.copy(out, 12);
  payload.copy(out, 12 + headerBytes.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** An event message of the stream (`:message-type: event`). */
export function eventMessage(eventType: string, contentType: string, payload: Buffer): Buffer {
  return eventStreamMessage(
    { ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' },
    payload,
  );
}

/**
 * Messages written as they come, read as an async iterable (the body of a streamed answer): `push`
 * adds, `end` ends, `fail` makes the reader throw (the response is then cut short).
 */
export class MessageQueue implements AsyncIterable<Buffer> {
  readonly #items: Buffer[] = [];
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;

  push(message: Buffer): void {
    this.#items.push(message);
    this.#notify();
  }

  end(): void {
    this.#ended = true;
    this.#notify();
  }

  fail(err: unknown): void {
    this.#error = err ?? new Error('stream failed');
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.#items.length > 0) {
        // What arrived meanwhile goes out in one write.
        yield Buffer.concat(this.#items.splice(0));
        continue;
      }
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
