import { describe, expect, it } from 'vitest';
import { HEAD_ERROR, HEAD_INCOMPLETE, HeadParser } from './head-parser.js';

const MAX = 8192;

/** The fields a parse fills in, as one comparable object. */
function fields(p: HeadParser) {
  return {
    method: p.method,
    url: p.url,
    versionMajor: p.versionMajor,
    versionMinor: p.versionMinor,
    rawHeaders: p.rawHeaders,
    hostCount: p.hostCount,
    host: p.host,
    contentLength: p.contentLength,
    contentLengthCount: p.contentLengthCount,
    transferEncoding: p.transferEncoding,
    connection: p.connection,
    expect: p.expect,
  };
}

type Fields = ReturnType<typeof fields>;

/** What a plain `GET / HTTP/1.1` with nothing else leaves behind; cases override what they set. */
const BASE: Fields = {
  method: 'GET',
  url: '/',
  versionMajor: 1,
  versionMinor: 1,
  rawHeaders: [],
  hostCount: 0,
  host: undefined,
  contentLength: undefined,
  contentLengthCount: 0,
  transferEncoding: undefined,
  connection: undefined,
  expect: undefined,
};

function parseWhole(text: string, max = MAX): { end: number; parser: HeadParser } {
  const parser = new HeadParser();
  return { end: parser.parse(text, max), parser };
}

/** Feeds `text` one more byte per call (as a trickling client would); returns every result. */
function parseByteByByte(text: string, max = MAX): { results: number[]; parser: HeadParser } {
  const parser = new HeadParser();
  const results: number[] = [];
  for (let i = 1; i <= text.length; i++) {
    const r = parser.parse(text.slice(0, i), max);
    results.push(r);
    if (r !== HEAD_INCOMPLETE) break;
  }
  return { results, parser };
}

type ValidCase = [name: string, head: string, expected: Partial<Fields>];

const valid: ValidCase[] = [
  ['a bare request line', 'GET / HTTP/1.1\r\n\r\n', {}],
  [
    'an HTTP/1.0 request with a query',
    'POST /a/b?c=d&e HTTP/1.0\r\n\r\n',
    { method: 'POST', url: '/a/b?c=d&e', versionMinor: 0 },
  ],
  ['an extension method', 'PURGE /x HTTP/1.1\r\n\r\n', { method: 'PURGE', url: '/x' }],
  ['obs-text in the target', 'GET /caf\xe9 HTTP/1.1\r\n\r\n', { url: '/caf\xe9' }],
  [
    'OWS (spaces and tabs) trimmed around values, kept inside',
    'GET / HTTP/1.1\r\nHost:a\r\nX-A: \t b  c \t \r\nX-Empty:\r\nX-Blank:   \r\n\r\n',
    { rawHeaders: ['Host', 'a', 'X-A', 'b  c', 'X-Empty', '', 'X-Blank', ''], hostCount: 1, host: 'a' },
  ],
  [
    'rawHeaders keep order, case and duplicates',
    'GET / HTTP/1.1\r\nhOsT: a\r\nX-Dup: 1\r\nx-dup: 2\r\nCookie: a=b\r\n\r\n',
    { rawHeaders: ['hOsT', 'a', 'X-Dup', '1', 'x-dup', '2', 'Cookie', 'a=b'], hostCount: 1, host: 'a' },
  ],
  [
    'obs-text and HTAB inside a value',
    'GET / HTTP/1.1\r\nX-A: caf\xe9\tok\r\n\r\n',
    { rawHeaders: ['X-A', 'caf\xe9\tok'] },
  ],
  [
    'a colon in a value',
    'GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n',
    { rawHeaders: ['Host', 'example.com:8080'], hostCount: 1, host: 'example.com:8080' },
  ],
  [
    'Host counted whatever its case, the first value kept',
    'GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n',
    { rawHeaders: ['Host', 'a', 'HOST', 'b'], hostCount: 2, host: 'a' },
  ],
  [
    'Content-Length captured and counted',
    'POST / HTTP/1.1\r\ncontent-length: 5\r\nCONTENT-LENGTH:  6 \r\n\r\n',
    {
      method: 'POST',
      rawHeaders: ['content-length', '5', 'CONTENT-LENGTH', '6'],
      contentLength: '6',
      contentLengthCount: 2,
    },
  ],
  [
    'Transfer-Encoding values joined',
    'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\ntransfer-encoding: chunked\r\n\r\n',
    {
      method: 'POST',
      rawHeaders: ['Transfer-Encoding', 'gzip', 'transfer-encoding', 'chunked'],
      transferEncoding: 'gzip, chunked',
    },
  ],
  [
    'Connection values joined',
    'GET / HTTP/1.1\r\nConnection: keep-alive\r\nconnection: Upgrade, close\r\n\r\n',
    {
      rawHeaders: ['Connection', 'keep-alive', 'connection', 'Upgrade, close'],
      connection: 'keep-alive, Upgrade, close',
    },
  ],
  [
    'Expect captured',
    'PUT / HTTP/1.1\r\nEXPECT: 100-continue\r\n\r\n',
    { method: 'PUT', rawHeaders: ['EXPECT', '100-continue'], expect: '100-continue' },
  ],
  [
    'names of the same length as a framing header are not mistaken for it',
    'GET / HTTP/1.1\r\nHoss: a\r\nExpekt: b\r\nConnectioN: keep-alive\r\nContent-Lengtx: 1\r\n\r\n',
    {
      rawHeaders: ['Hoss', 'a', 'Expekt', 'b', 'ConnectioN', 'keep-alive', 'Content-Lengtx', '1'],
      connection: 'keep-alive',
    },
  ],
  ['one leading empty line', '\r\nGET / HTTP/1.1\r\n\r\n', {}],
  [
    'eight leading empty lines',
    '\r\n'.repeat(8) + 'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
    { rawHeaders: ['Host', 'a'], hostCount: 1, host: 'a' },
  ],
];

describe('HeadParser: valid heads', () => {
  it.each(valid)('%s', (_name, head, expected) => {
    const { end, parser } = parseWhole(head);
    expect(end).toBe(head.length);
    expect(fields(parser)).toEqual({ ...BASE, ...expected });
  });

  it.each(valid)('%s: the same result when split at every byte position', (_name, head, expected) => {
    for (let cut = 1; cut < head.length; cut++) {
      const parser = new HeadParser();
      expect(parser.parse(head.slice(0, cut), MAX), `cut at ${cut}`).toBe(HEAD_INCOMPLETE);
      expect(parser.parse(head, MAX), `cut at ${cut}`).toBe(head.length);
      expect(fields(parser)).toEqual({ ...BASE, ...expected });
    }
  });

  it.each(valid)('%s: HEAD_INCOMPLETE until the last byte when fed byte by byte', (_name, head, expected) => {
    const { results, parser } = parseByteByByte(head);
    expect(results).toEqual([...Array<number>(head.length - 1).fill(HEAD_INCOMPLETE), head.length]);
    expect(fields(parser)).toEqual({ ...BASE, ...expected });
  });

  it('returns the offset just past the head when body bytes follow it', () => {
    const head = 'POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n';
    // A body larger than maxSize after a small head is not counted against the head.
    const { end, parser } = parseWhole(`${head}${'b'.repeat(200)}\r\n\r\nGET / HTTP/1.1\r\n\r\n`, 100);
    expect(end).toBe(head.length);
    expect(parser.contentLength).toBe('20');
  });

  it('is incomplete for an empty text, leading empty lines only, or a head without its last CRLF', () => {
    for (const text of [
      '',
      '\r',
      '\r\n',
      '\r\n\r\n',
      'GET / HTTP/1.1\r\n',
      'GET / HTTP/1.1\r\nHost: a\r\n\r',
    ]) {
      expect(new HeadParser().parse(text, MAX), JSON.stringify(text)).toBe(HEAD_INCOMPLETE);
    }
  });

  it('reset() clears every field for the next request on the connection', () => {
    const parser = new HeadParser();
    const first =
      'POST /a HTTP/1.0\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n' +
      'Connection: close\r\nExpect: 100-continue\r\n\r\n';
    expect(parser.parse(first, MAX)).toBe(first.length);
    parser.reset();
    const second = 'GET / HTTP/1.1\r\n\r\n';
    expect(parser.parse(second, MAX)).toBe(second.length);
    expect(fields(parser)).toEqual(BASE);
  });

  it('reset() after an error clears the error status', () => {
    const parser = new HeadParser();
    expect(parser.parse('GET / HTTP/2.0\r\n\r\n', MAX)).toBe(HEAD_ERROR);
    expect(parser.errorStatus).toBe(505);
    parser.reset();
    expect([parser.errorStatus, parser.errorMessage]).toEqual([400, 'Bad Request']);
    expect(parser.parse('GET / HTTP/1.1\r\n\r\n', MAX)).toBe(18);
  });
});

const BAD = [400, 'Bad Request'] as const;
const VERSION = [505, 'HTTP Version Not Supported'] as const;
const TOO_LARGE = [431, 'Request Header Fields Too Large'] as const;

type ErrorCase = [name: string, head: string, expected: readonly [number, string]];

const errors: ErrorCase[] = [
  ['bare LF after the request line', 'GET / HTTP/1.1\nHost: a\r\n\r\n', BAD],
  ['bare LF after a header', 'GET / HTTP/1.1\r\nHost: a\n\r\n', BAD],
  ['bare LF as the terminator', 'GET / HTTP/1.1\r\nHost: a\r\n\n', BAD],
  ['bare LF everywhere', 'GET / HTTP/1.1\nHost: a\n\n', BAD],
  ['a leading bare LF', '\nGET / HTTP/1.1\r\n\r\n', BAD],
  ['a CR inside a header line', 'GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n', BAD],
  ['a CR before the request line CRLF', 'GET / HTTP/1.1\r\r\n\r\n', BAD],
  ['obs-fold with a space', 'GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n', BAD],
  ['obs-fold with a tab', 'GET / HTTP/1.1\r\nX-A: b\r\n\tc\r\n\r\n', BAD],
  ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', BAD],
  ['a tab before the colon', 'GET / HTTP/1.1\r\nHost\t: a\r\n\r\n', BAD],
  ['a space inside a name', 'GET / HTTP/1.1\r\nX Y: a\r\n\r\n', BAD],
  ['an empty header name', 'GET / HTTP/1.1\r\n: a\r\n\r\n', BAD],
  ['a header without a colon', 'GET / HTTP/1.1\r\nX-A\r\n\r\n', BAD],
  ['a non-token character in a name', 'GET / HTTP/1.1\r\nX(A): b\r\n\r\n', BAD],
  ['NUL in a value', 'GET / HTTP/1.1\r\nX-A: b\x00c\r\n\r\n', BAD],
  ['SOH in a value', 'GET / HTTP/1.1\r\nX-A: \x01\r\n\r\n', BAD],
  ['DEL in a value', 'GET / HTTP/1.1\r\nX-A: b\x7f\r\n\r\n', BAD],
  ['ESC in a value', 'GET / HTTP/1.1\r\nX-A: \x1b[0m\r\n\r\n', BAD],
  ['a control character in the target', 'GET /a\x01 HTTP/1.1\r\n\r\n', BAD],
  ['DEL in the target', 'GET /a\x7f HTTP/1.1\r\n\r\n', BAD],
  ['a tab in the target', 'GET /a\tb HTTP/1.1\r\n\r\n', BAD],
  ['a space in the target', 'GET /a b HTTP/1.1\r\n\r\n', BAD],
  ['NUL in the method', 'G\x00T / HTTP/1.1\r\n\r\n', BAD],
  ['a control character in the method', 'GE\x7fT / HTTP/1.1\r\n\r\n', BAD],
  ['a non-token character in the method', 'GE(T) / HTTP/1.1\r\n\r\n', BAD],
  ['a leading space before the method', ' GET / HTTP/1.1\r\n\r\n', BAD],
  ['two spaces after the method', 'GET  / HTTP/1.1\r\n\r\n', BAD],
  ['the method only', 'GET\r\n\r\n', BAD],
  ['the method and a space only', 'GET \r\n\r\n', BAD],
  ['garbage', 'GARBAGE\r\n\r\n', BAD],
  ['a missing version (HTTP/0.9)', 'GET /path\r\n\r\n', VERSION],
  ['a missing version before headers', 'GET /path\r\nHost: a b\r\n\r\n', VERSION],
  ['HTTP/2.0', 'GET / HTTP/2.0\r\n\r\n', VERSION],
  ['HTTP/1.2', 'GET / HTTP/1.2\r\n\r\n', VERSION],
  ['HTTP/0.9 spelled out', 'GET / HTTP/0.9\r\n\r\n', VERSION],
  ['HTTP/1.7x', 'GET / HTTP/1.7x\r\n\r\n', BAD],
  ['a lower-case version', 'GET / http/1.1\r\n\r\n', BAD],
  ['a version without the dot', 'GET / HTTP/11\r\n\r\n', BAD],
  ['an empty version', 'GET / \r\n\r\n', BAD],
  ['a token after the version', 'GET / HTTP/1.1 extra\r\n\r\n', BAD],
  ['nine leading empty lines', '\r\n'.repeat(9) + 'GET / HTTP/1.1\r\n\r\n', BAD],
];

describe('HeadParser: errors', () => {
  it.each(errors)('%s', (_name, head, [status, message]) => {
    const { end, parser } = parseWhole(head);
    expect(end).toBe(HEAD_ERROR);
    expect([parser.errorStatus, parser.errorMessage]).toEqual([status, message]);
  });

  it.each(errors)('%s: the same error when fed byte by byte', (_name, head, [status, message]) => {
    const { results, parser } = parseByteByByte(head);
    expect(results.at(-1)).toBe(HEAD_ERROR);
    expect([parser.errorStatus, parser.errorMessage]).toEqual([status, message]);
  });

  it('reports the error as soon as the bad line is complete', () => {
    const parser = new HeadParser();
    expect(parser.parse('GET / HTTP/1.1\r\nX A: b\r', MAX)).toBe(HEAD_INCOMPLETE);
    expect(parser.parse('GET / HTTP/1.1\r\nX A: b\r\n', MAX)).toBe(HEAD_ERROR);
  });
});

describe('HeadParser: maxSize (431)', () => {
  const MAX_SMALL = 64;
  const tooLarge = (text: string): void => {
    const { end, parser } = parseWhole(text, MAX_SMALL);
    expect(end).toBe(HEAD_ERROR);
    expect([parser.errorStatus, parser.errorMessage]).toEqual(TOO_LARGE);
  };

  it('refuses a request line longer than maxSize before any line end is seen', () => {
    tooLarge(`GET /${'a'.repeat(MAX_SMALL)}`);
  });

  it('refuses an unfinished head over maxSize after complete lines', () => {
    tooLarge(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(MAX_SMALL)}`);
  });

  it('refuses a complete head over maxSize (the terminator already received)', () => {
    tooLarge(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(MAX_SMALL)}\r\n\r\n`);
    // Many short lines add up.
    tooLarge(`GET / HTTP/1.1\r\n${'X: 1\r\n'.repeat(20)}\r\n`);
  });

  it('refuses a long request line even when it is complete', () => {
    tooLarge(`GET /${'a'.repeat(MAX_SMALL)} HTTP/1.1\r\n\r\n`);
  });

  it('counts leading empty lines', () => {
    const head = `GET / HTTP/1.1\r\nX-A: ${'a'.repeat(40)}\r\n\r\n`;
    expect(parseWhole(head, MAX_SMALL).end).toBe(head.length);
    tooLarge(`${'\r\n'.repeat(8)}${head}`);
  });

  it('refuses with 431 when fed byte by byte, before the terminator arrives', () => {
    const head = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(MAX_SMALL)}\r\n\r\n`;
    const { results, parser } = parseByteByByte(head, MAX_SMALL);
    expect(results.at(-1)).toBe(HEAD_ERROR);
    expect(results.length).toBeLessThan(head.length);
    expect([parser.errorStatus, parser.errorMessage]).toEqual(TOO_LARGE);
  });

  it('accepts a head of exactly maxSize bytes, whole or byte by byte', () => {
    const prefix = 'GET / HTTP/1.1\r\nX-A: ';
    const head = `${prefix}${'a'.repeat(MAX_SMALL - prefix.length - 4)}\r\n\r\n`;
    expect(head.length).toBe(MAX_SMALL);
    expect(parseWhole(head, MAX_SMALL).end).toBe(MAX_SMALL);
    expect(parseByteByByte(head, MAX_SMALL).results.at(-1)).toBe(MAX_SMALL);
  });

  it('gives the same answer whole and byte by byte around the limit', () => {
    const prefix = 'GET / HTTP/1.1\r\nX-A: ';
    for (let size = MAX_SMALL - 2; size <= MAX_SMALL + 3; size++) {
      const head = `${prefix}${'a'.repeat(size - prefix.length - 4)}\r\n\r\n`;
      const whole = parseWhole(head, MAX_SMALL).end;
      expect(parseByteByByte(head, MAX_SMALL).results.at(-1), `size ${size}`).toBe(whole);
    }
  });
});
