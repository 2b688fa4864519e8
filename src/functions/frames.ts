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
  return encodeFrameJson(JSON.stringify(header), body);
}

/**
 * Encodes one frame whose header is already JSON text (a {@link FrameHeader} object's). `own`: the
 * frame gets an ArrayBuffer of its own (not a slice of Node's pool), so it can be transferred to
 * another thread as is.
 */
export function encodeFrameJson(headerJson: string, body?: Buffer | string, own = false): Buffer {
  const b = body === undefined ? EMPTY : typeof body === 'string' ? Buffer.from(body) : body;
  const hl = Buffer.byteLength(headerJson);
  const size = 8 + hl + b.length;
  const out = own ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
  out.writeUInt32LE(hl, 0);
  out.writeUInt32LE(b.length, 4);
  out.write(headerJson, 8, hl, 'utf8');
  b.copy(out, 8 + hl);
  return out;
}

/** True when `frame` spans its whole ArrayBuffer (transferable without a copy). */
export function ownsBuffer(frame: Uint8Array): boolean {
  return frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength;
}

const EMPTY = Buffer.alloc(0);

/** Bytes beside a frame body that a decoded body may keep alive instead of being copied out. */
const RETAIN_SLACK = 4096;

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
      // Copy the body out when keeping a view would retain much more memory than the body (a large
      // chunk, or a pooled slab); a chunk that holds little else is kept as is (no copy per frame).
      const view = buf.subarray(8 + hl, end);
      const body = bl === 0 ? EMPTY : buf.buffer.byteLength - bl <= RETAIN_SLACK ? view : Buffer.from(view);
      buf = buf.subarray(end);
      this.#onFrame(header, body);
    }
    this.#pending = buf.length === 0 ? EMPTY : buf;
  }
}
