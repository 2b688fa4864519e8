/**
 * The framing between the gateway and a Node execution environment (a child process): each frame is
 * `u32 header length, u32 body length, header JSON, raw body`. The body carries event/result bytes
 * untouched so payloads are never re-encoded; the small header carries the metadata.
 */

/** Header of every frame; `t` is the frame type. */
export interface FrameHeader {
  t: string;
  [key: string]: unknown;
}

/** Encodes one frame. */
export function encodeFrame(header: FrameHeader, body?: Buffer | string): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const b = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body) : body;
  const out = Buffer.allocUnsafe(8 + h.length + b.length);
  out.writeUInt32LE(h.length, 0);
  out.writeUInt32LE(b.length, 4);
  h.copy(out, 8);
  b.copy(out, 8 + h.length);
  return out;
}

const EMPTY = Buffer.alloc(0);

/** Incremental decoder: feed chunks, get whole frames through the callback. */
export class FrameDecoder {
  #pending: Buffer = EMPTY;
  readonly #onFrame: (header: FrameHeader, body: Buffer) => void;

  constructor(onFrame: (header: FrameHeader, body: Buffer) => void) {
    this.#onFrame = onFrame;
  }

  /** Adds bytes read from the stream. */
  push(chunk: Buffer): void {
    let buf = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (buf.length >= 8) {
      const hl = buf.readUInt32LE(0);
      const bl = buf.readUInt32LE(4);
      const end = 8 + hl + bl;
      if (buf.length < end) break;
      const header = JSON.parse(buf.toString('utf8', 8, 8 + hl)) as FrameHeader;
      // Copy the body out so the (possibly large) chunk it came from is not retained.
      const body = bl === 0 ? EMPTY : Buffer.from(buf.subarray(8 + hl, end));
      buf = buf.subarray(end);
      this.#onFrame(header, body);
    }
    this.#pending = buf.length === 0 ? EMPTY : buf;
  }
}
