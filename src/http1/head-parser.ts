/**
 * Incremental, strict parser for an HTTP/1.1 request head (RFC 9112 §2–§5): request line and header
 * fields, CRLF line endings only. It works on latin1 text (one char per byte) and resumes where it
 * stopped, so a head that trickles in is not re-parsed from the start. What RFC 9112 lets a server
 * reject is rejected (bare LF, obs-fold, whitespace before the colon, control characters), since a
 * proxy that reads a request differently from its upstream enables request smuggling.
 */

/** `parse` result: the head is not complete yet. */
export const HEAD_INCOMPLETE = -1;
/** `parse` result: the head is malformed; see `errorStatus` / `errorMessage`. */
export const HEAD_ERROR = -2;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Field values: HTAB, SP, VCHAR and obs-text (RFC 9110 §5.5); anything else is refused. */
const BAD_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** Request targets: no whitespace or controls. */
const BAD_TARGET_CHAR = /[^\x21-\x7e\x80-\xff]/;
const VERSION = /^HTTP\/(\d)\.(\d)$/;
/** Empty lines tolerated before a request line (RFC 9112 §2.2). */
const MAX_LEADING_EMPTY_LINES = 8;

/** Parses one request head at a time; `reset()` before the next request on the connection. */
export class HeadParser {
  method = '';
  url = '';
  versionMajor = 1;
  versionMinor = 1;
  rawHeaders: string[] = [];
  /** Count of Host fields, and the first one's value. */
  hostCount = 0;
  host: string | undefined;
  /** Content-Length field values (more than one is an error the caller reports). */
  contentLength: string | undefined;
  contentLengthCount = 0;
  /** Transfer-Encoding field values, comma-joined. */
  transferEncoding: string | undefined;
  /** Connection field values, comma-joined. */
  connection: string | undefined;
  expect: string | undefined;
  errorStatus = 400;
  errorMessage = 'Bad Request';
  #pos = 0;
  #sawRequestLine = false;
  #emptyLines = 0;

  reset(): void {
    this.method = '';
    this.url = '';
    this.versionMajor = 1;
    this.versionMinor = 1;
    this.rawHeaders = [];
    this.hostCount = 0;
    this.host = undefined;
    this.contentLength = undefined;
    this.contentLengthCount = 0;
    this.transferEncoding = undefined;
    this.connection = undefined;
    this.expect = undefined;
    this.errorStatus = 400;
    this.errorMessage = 'Bad Request';
    this.#pos = 0;
    this.#sawRequestLine = false;
    this.#emptyLines = 0;
  }

  /**
   * Continues parsing `text` (all bytes of this head received so far, as latin1). Returns the offset
   * just past the empty line that ends the head, HEAD_INCOMPLETE or HEAD_ERROR. `maxSize` bounds
   * the request line plus the header fields (431 past it).
   */
  parse(text: string, maxSize: number): number {
    let pos = this.#pos;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) {
        this.#pos = pos;
        return text.length > maxSize ? this.#fail(431, 'Request Header Fields Too Large') : HEAD_INCOMPLETE;
      }
      if (nl > maxSize) return this.#fail(431, 'Request Header Fields Too Large');
      // Bare LF line endings are refused (RFC 9112 §2.2 lets a server reject them).
      if (nl === 0 || text.charCodeAt(nl - 1) !== 13) return this.#fail(400, 'Bad Request');
      const end = nl - 1;
      if (!this.#sawRequestLine) {
        if (end === pos) {
          if (++this.#emptyLines > MAX_LEADING_EMPTY_LINES) return this.#fail(400, 'Bad Request');
        } else if (!this.#requestLine(text, pos, end)) {
          return HEAD_ERROR;
        }
      } else if (end === pos) {
        this.#pos = nl + 1;
        return nl + 1;
      } else if (!this.#field(text, pos, end)) {
        return HEAD_ERROR;
      }
      pos = nl + 1;
    }
  }

  #fail(status: number, message: string): number {
    this.errorStatus = status;
    this.errorMessage = message;
    return HEAD_ERROR;
  }

  #bad(status: number, message: string): false {
    this.#fail(status, message);
    return false;
  }

  #requestLine(text: string, start: number, end: number): boolean {
    const sp1 = text.indexOf(' ', start);
    if (sp1 === -1 || sp1 >= end) return this.#bad(400, 'Bad Request');
    const method = text.slice(start, sp1);
    if (!TOKEN.test(method)) return this.#bad(400, 'Bad Request');
    const sp2 = text.indexOf(' ', sp1 + 1);
    const targetEnd = sp2 === -1 || sp2 > end ? end : sp2;
    const url = text.slice(sp1 + 1, targetEnd);
    if (url === '' || BAD_TARGET_CHAR.test(url)) return this.#bad(400, 'Bad Request');
    // HTTP/0.9 (`GET /path` with no version) is a version this server does not speak.
    if (targetEnd === end) return this.#bad(505, 'HTTP Version Not Supported');
    const version = VERSION.exec(text.slice(sp2 + 1, end));
    if (version === null) return this.#bad(400, 'Bad Request');
    const major = Number(version[1]);
    const minor = Number(version[2]);
    if (major !== 1 || minor > 1) return this.#bad(505, 'HTTP Version Not Supported');
    this.method = method;
    this.url = url;
    this.versionMajor = major;
    this.versionMinor = minor;
    this.#sawRequestLine = true;
    return true;
  }

  #field(text: string, start: number, end: number): boolean {
    const colon = text.indexOf(':', start);
    if (colon === -1 || colon >= end) return this.#bad(400, 'Bad Request');
    const name = text.slice(start, colon);
    // Also refuses obs-fold (a line starting with whitespace) and whitespace before the colon.
    if (!TOKEN.test(name)) return this.#bad(400, 'Bad Request');
    let vs = colon + 1;
    let ve = end;
    while (vs < ve && isOws(text.charCodeAt(vs))) vs++;
    while (ve > vs && isOws(text.charCodeAt(ve - 1))) ve--;
    const value = text.slice(vs, ve);
    if (BAD_VALUE_CHAR.test(value)) return this.#bad(400, 'Bad Request');
    this.rawHeaders.push(name, value);
    // Only names of the lengths the server itself reads are lower-cased.
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host' && this.hostCount++ === 0) this.host = value;
        break;
      case 6:
        if (name.toLowerCase() === 'expect') this.expect = value;
        break;
      case 10:
        if (name.toLowerCase() === 'connection')
          this.connection = this.connection === undefined ? value : `${this.connection}, ${value}`;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') {
          this.contentLength = value;
          this.contentLengthCount++;
        }
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding')
          this.transferEncoding =
            this.transferEncoding === undefined ? value : `${this.transferEncoding}, ${value}`;
        break;
    }
    return true;
  }
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}
