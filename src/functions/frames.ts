/**
 * The framing between the gateway and a Node execution environment (a child process): each frame is
 * `u32 header length, u32 body length, header JSON, raw body`. The body carries event/result bytes
 * untouched so payloads are never re-encoded; the small header carries the metadata.
 */

/**
 * Header of every frame; `t` is the frame type. On the wire a header is JSON text, except the two
 * sent once per invocation (invoke, result), which have a tab-separated form that is cheaper to
 * write and read (see {@link invokeHeader}, {@link resultHeader}).
 */
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
export function encodeFrameJson(
  headerJson: string,
  body: Buffer | string = EMPTY,
  own = false,
  tail?: Buffer,
): Buffer {
  const hl = Buffer.byteLength(headerJson);
  const bl = byteLengthOf(body);
  const size = 8 + hl + bl + (tail === undefined ? 0 : tail.length);
  const out = own ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size);
  writeFrame(out, 0, headerJson, hl, body, bl, tail);
  return out;
}

/** Bytes of a frame body part (text in UTF-8). */
export function byteLengthOf(part: Buffer | string): number {
  return typeof part === 'string' ? Buffer.byteLength(part) : part.length;
}

/**
 * Writes one frame into `out` at `at`: the header text (`hl` bytes) and a body of `body` (`bl`
 * bytes) followed by `tail`. Returns the offset after it.
 */
export function writeFrame(
  out: Buffer,
  at: number,
  header: string,
  hl: number,
  body: Buffer | string,
  bl: number,
  tail?: Buffer,
): number {
  const tl = tail === undefined ? 0 : tail.length;
  out.writeUInt32LE(hl, at);
  out.writeUInt32LE(bl + tl, at + 4);
  out.write(header, at + 8, hl, 'utf8');
  at += 8 + hl;
  if (typeof body === 'string') out.write(body, at, bl, 'utf8');
  else out.set(body, at);
  at += bl;
  if (tail !== undefined) out.set(tail, at);
  return at + tl;
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
      const header = decodeHeader(buf.toString('utf8', 8, 8 + hl));
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

/** Text that can go into a tab-separated header as is (ids, ARNs, trace headers). */
const PLAIN = /^[\w.:=;$/+-]*$/;

/** How an invoke frame's body carries a gateway request instead of event JSON (proxy-input-codec.ts). */
export interface ProxyBodyLayout {
  /** Payload format version of the event to build. */
  ev: '1.0' | '2.0';
  /** Bytes of request text at the start of the body; the request body's bytes follow. */
  n: number;
}

/**
 * An invoke frame's header (an {@link InvokeFrame} of node-env-protocol.ts): `i`, id, timeout,
 * ARN, trace header, then the client context text (last: it may hold anything). With a gateway
 * request for a body (`proxy`): `e`, the same members, the payload version and the request text's
 * byte length, then the client context. JSON when a field is not plain text.
 */
export function invokeHeader(
  id: string,
  timeoutMs: number,
  arn: string,
  trace: string,
  cc?: string,
  proxy?: ProxyBodyLayout,
  stream?: boolean,
): string {
  if (stream !== true && PLAIN.test(id) && PLAIN.test(arn) && PLAIN.test(trace)) {
    const head =
      proxy === undefined
        ? `i\t${id}\t${timeoutMs}\t${arn}\t${trace}`
        : `e\t${id}\t${timeoutMs}\t${arn}\t${trace}\t${proxy.ev}\t${proxy.n}`;
    return cc === undefined ? head : `${head}\t${cc}`;
  }
  const header: FrameHeader = { t: 'invoke', id, timeoutMs, arn, trace };
  if (proxy !== undefined) {
    header.ev = proxy.ev;
    header.n = proxy.n;
  }
  if (cc !== undefined) header.cc = cc;
  // The caller takes a streaming handler's response as it is written (`chunk` frames).
  if (stream === true) header.st = true;
  return JSON.stringify(header);
}

/**
 * A result frame's header: `r`, id, memory used (MB), the handler's duration (ms), and for longer
 * invocations the time the event loop was busy (ms).
 */
export function resultHeader(id: string, mem: number, d: number, a?: number, ct?: string): string {
  // A streamed response's content type goes in the JSON form (rare: streaming handlers only).
  if (!PLAIN.test(id) || ct !== undefined) {
    const h: FrameHeader = { t: 'result', id, mem, d };
    if (a !== undefined) h.a = a;
    if (ct !== undefined) h.ct = ct;
    return JSON.stringify(h);
  }
  return a === undefined ? `r\t${id}\t${mem}\t${d}` : `r\t${id}\t${mem}\t${d}\t${a}`;
}

/** Reads a header in either form. */
export function decodeHeader(text: string): FrameHeader {
  const kind = text.charCodeAt(0);
  if (kind === 105 /* i */ || kind === 101 /* e */) {
    const fields = kind === 105 ? 5 : 7;
    const f = text.split('\t', fields);
    const header: FrameHeader = {
      t: 'invoke',
      id: f[1] as string,
      timeoutMs: Number(f[2]),
      arn: f[3] as string,
      trace: f[4] as string,
    };
    if (kind === 101) {
      header.ev = f[5];
      header.n = Number(f[6]);
    }
    // The client context is the rest of the text, after the last tab of the fixed fields.
    let at = -1;
    for (let n = 0; n < fields && (at = text.indexOf('\t', at + 1)) !== -1; n++);
    if (at !== -1) header.cc = text.slice(at + 1);
    return header;
  }
  if (kind === 114 /* r */) {
    const f = text.split('\t', 5);
    const header: FrameHeader = { t: 'result', id: f[1] as string, mem: Number(f[2]), d: Number(f[3]) };
    if (f[4] !== undefined) header.a = Number(f[4]);
    return header;
  }
  return JSON.parse(text) as FrameHeader;
}
