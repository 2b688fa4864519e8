/**
 * Incremental decoder for the chunked transfer coding of a request body (RFC 9112 §7.1), strict
 * about what a smuggling attempt varies: hex sizes only (no sign, no overflow), CRLF after every
 * line and after each chunk's data, bounded size lines and trailers.
 */

/** `push` result: the body has not ended yet. */
export const CHUNKED_MORE = -1;
/** `push` result: the coding is malformed. */
export const CHUNKED_ERROR = -2;

const SIZE_LINE = 0;
const DATA = 1;
const DATA_CR = 2;
const DATA_LF = 3;
const TRAILERS = 4;
const DONE = 5;

/** Longest chunk-size line (size plus extensions) accepted. */
const MAX_LINE = 4096;
/** Largest chunk size accepted (2^48 - 1: 12 hex digits without leading zeros). */
const MAX_SIZE_DIGITS = 12;
const MAX_TRAILER_BYTES = 8192;
// eslint-disable-next-line no-control-regex -- chunk extensions must not hold control characters
const CHUNK_EXT = /^[\t ]*(;[^\x00-\x08\x0a-\x1f\x7f]*)?$/;
const TRAILER_FIELD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*$/;

/** Decodes one chunked body; feed it the bytes that follow the head. */
export class ChunkedDecoder {
  #state = SIZE_LINE;
  #remaining = 0;
  #line = '';
  #trailerBytes = 0;

  /** True once the last chunk and the trailer section were read. */
  get done(): boolean {
    return this.#state === DONE;
  }

  /**
   * Decodes `chunk`, passing body bytes to `onData`. Returns the offset in `chunk` just past the end
   * of the body (bytes after it belong to the next request), CHUNKED_MORE or CHUNKED_ERROR.
   */
  push(chunk: Buffer, onData: (data: Buffer) => void): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.#state) {
        case DATA: {
          const take = Math.min(this.#remaining, n - i);
          onData(chunk.subarray(i, i + take));
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = DATA_CR;
          break;
        }
        case DATA_CR:
          if (chunk[i++] !== 13) return CHUNKED_ERROR;
          this.#state = DATA_LF;
          break;
        case DATA_LF:
          if (chunk[i++] !== 10) return CHUNKED_ERROR;
          this.#state = SIZE_LINE;
          break;
        case SIZE_LINE:
        case TRAILERS: {
          const nl = chunk.indexOf(10, i);
          const stop = nl === -1 ? n : nl;
          this.#line += chunk.toString('latin1', i, stop);
          if (this.#line.length > MAX_LINE + 1) return CHUNKED_ERROR;
          if (nl === -1) return CHUNKED_MORE;
          i = nl + 1;
          const line = this.#line;
          this.#line = '';
          if (!line.endsWith('\r')) return CHUNKED_ERROR;
          const ok = this.#state === SIZE_LINE ? this.#sizeLine(line.slice(0, -1)) : this.#trailer(line);
          if (!ok) return CHUNKED_ERROR;
          if (this.done) return i;
          break;
        }
        default:
          return i;
      }
    }
    return this.#state === DONE ? i : CHUNKED_MORE;
  }

  #sizeLine(line: string): boolean {
    let end = 0;
    while (end < line.length && isHex(line.charCodeAt(end))) end++;
    if (end === 0 || !CHUNK_EXT.test(line.slice(end))) return false;
    let start = 0;
    while (start < end - 1 && line.charCodeAt(start) === 48) start++;
    if (end - start > MAX_SIZE_DIGITS) return false;
    const size = parseInt(line.slice(start, end), 16);
    if (size === 0) {
      this.#state = TRAILERS;
    } else {
      this.#remaining = size;
      this.#state = DATA;
    }
    return true;
  }

  #trailer(line: string): boolean {
    if (line === '\r') {
      this.#state = DONE;
      return true;
    }
    this.#trailerBytes += line.length + 1;
    return this.#trailerBytes <= MAX_TRAILER_BYTES && TRAILER_FIELD.test(line.slice(0, -1));
  }
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
