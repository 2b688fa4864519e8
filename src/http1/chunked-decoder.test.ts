import { describe, expect, it } from 'vitest';
import { CHUNKED_ERROR, CHUNKED_MORE, ChunkedDecoder } from './chunked-decoder.js';

interface Decoded {
  /** The last `push` result: CHUNKED_MORE, CHUNKED_ERROR, or the end offset in the whole input. */
  result: number;
  body: string;
  done: boolean;
  /** Lengths of the pieces passed to `onData` (never empty). */
  pieces: number[];
}

/**
 * Pushes `input` cut into pieces at `cuts` (ascending offsets), stopping at the first result other
 * than CHUNKED_MORE; a returned offset is translated into an offset in the whole input.
 */
function decode(input: string | Buffer, cuts: number[] = []): Decoded {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const decoder = new ChunkedDecoder();
  const data: Buffer[] = [];
  let result = CHUNKED_MORE;
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const r = decoder.push(bytes.subarray(start, end), (d) => data.push(Buffer.from(d)));
    if (r !== CHUNKED_MORE) {
      result = r === CHUNKED_ERROR ? r : start + r;
      break;
    }
    start = end;
  }
  const body = Buffer.concat(data).toString('latin1');
  return { result, body, done: decoder.done, pieces: data.map((d) => d.length) };
}

/** Every cut position of `input`, one at a time. */
function singleCuts(input: string): number[][] {
  return Array.from({ length: input.length - 1 }, (_, i) => [i + 1]);
}

/** Cut before every byte. */
function everyByte(input: string): number[] {
  return Array.from({ length: input.length - 1 }, (_, i) => i + 1);
}

type ValidCase = [name: string, wire: string, body: string];

const valid: ValidCase[] = [
  ['the last chunk only (empty body)', '0\r\n\r\n', ''],
  ['one chunk', '5\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['several chunks', '5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n', 'hello world'],
  [
    'upper- and lower-case hex sizes',
    'A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n',
    '0123456789abcdefghijk',
  ],
  ['leading zeros in sizes', '005\r\nhello\r\n0000000000000000000000003\r\nabc\r\n000\r\n\r\n', 'helloabc'],
  ['a chunk extension', '5;name=value\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['several extensions, quoted values', '5;a=1;b="x y";c\r\nhello\r\n0;last=yes\r\n\r\n', 'hello'],
  ['whitespace before an extension', '5 \t;a=b\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['one trailer', '5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n', 'hello'],
  ['several trailers, one empty', '2\r\nhi\r\n0\r\nX-A: 1\r\nX-B:\r\nX-C: caf\xe9\r\n\r\n', 'hi'],
  ['CR and LF bytes inside chunk data', '4\r\n\r\n\r\n\r\n0\r\n\r\n', '\r\n\r\n'],
  ['binary data', '3\r\n\x00\xff\x80\r\n0\r\n\r\n', '\x00\xff\x80'],
];

describe('ChunkedDecoder: valid bodies', () => {
  it.each(valid)('%s', (_name, wire, body) => {
    const d = decode(wire);
    expect(d).toMatchObject({ result: wire.length, body, done: true });
    expect(d.pieces.every((n) => n > 0)).toBe(true);
  });

  it.each(valid)('%s: the same bytes and end when split at every byte position', (_name, wire, body) => {
    for (const cuts of singleCuts(wire)) {
      expect(decode(wire, cuts), `cut at ${cuts[0]}`).toMatchObject({
        result: wire.length,
        body,
        done: true,
      });
    }
  });

  it.each(valid)('%s: the same bytes and end when fed byte by byte', (_name, wire, body) => {
    expect(decode(wire, everyByte(wire))).toMatchObject({ result: wire.length, body, done: true });
  });

  it('returns the offset of bytes after the end (the next pipelined request)', () => {
    const body = '5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n';
    const wire = `${body}GET / HTTP/1.1\r\n\r\n`;
    expect(decode(wire)).toMatchObject({ result: body.length, body: 'hello', done: true });
    // Split anywhere, the end is found at the same place and nothing after it is taken as data.
    for (const cuts of singleCuts(wire)) {
      expect(decode(wire, cuts), `cut at ${cuts[0]}`).toMatchObject({
        result: body.length,
        body: 'hello',
        done: true,
      });
    }
  });

  it('returns an offset in the chunk it was given', () => {
    const decoder = new ChunkedDecoder();
    const out: string[] = [];
    const onData = (d: Buffer): void => void out.push(d.toString());
    expect(decoder.push(Buffer.from('3\r\nab'), onData)).toBe(CHUNKED_MORE);
    expect(decoder.done).toBe(false);
    expect(decoder.push(Buffer.from('c\r\n0\r\n\r\nNEXT'), onData)).toBe(8);
    expect(decoder.done).toBe(true);
    expect(out).toEqual(['ab', 'c']);
  });

  it('is not done while the trailer section is open', () => {
    const decoder = new ChunkedDecoder();
    expect(decoder.push(Buffer.from('0\r\nX-A: 1\r\n'), () => undefined)).toBe(CHUNKED_MORE);
    expect(decoder.done).toBe(false);
    expect(decoder.push(Buffer.from('\r\n'), () => undefined)).toBe(2);
    expect(decoder.done).toBe(true);
  });

  it('an empty push changes nothing', () => {
    const decoder = new ChunkedDecoder();
    expect(decoder.push(Buffer.alloc(0), () => undefined)).toBe(CHUNKED_MORE);
    expect(decoder.push(Buffer.from('0\r\n\r\n'), () => undefined)).toBe(5);
  });

  it('passes a large chunk through without copying it line by line', () => {
    const data = 'x'.repeat(100_000);
    const wire = `${data.length.toString(16)}\r\n${data}\r\n0\r\n\r\n`;
    const d = decode(wire, [10, 50_000]);
    expect(d).toMatchObject({ result: wire.length, done: true });
    expect(d.body).toBe(data);
    expect(d.pieces).toEqual([10 - 7, 50_000 - 10, 100_000 - (50_000 - 7)]);
  });

  it('accepts the largest size (12 hex digits) and waits for its data', () => {
    expect(decode('ffffffffffff\r\nabc')).toMatchObject({ result: CHUNKED_MORE, body: 'abc', done: false });
    expect(decode('0000ffffffffffff\r\nabc').result).toBe(CHUNKED_MORE);
  });

  it('accepts a size line of 4096 bytes', () => {
    const line = `1;${'e'.repeat(4094)}`;
    expect(line.length).toBe(4096);
    expect(decode(`${line}\r\nx\r\n0\r\n\r\n`)).toMatchObject({ body: 'x', done: true });
  });
});

type ErrorCase = [name: string, wire: string];

const errors: ErrorCase[] = [
  ['a non-hex size', 'zz\r\nhello\r\n0\r\n\r\n'],
  ['a hex size followed by garbage', '5x\r\nhello\r\n0\r\n\r\n'],
  ['a 0x prefix', '0x5\r\nhello\r\n0\r\n\r\n'],
  ['an empty size line', '\r\nhello\r\n0\r\n\r\n'],
  ['whitespace before the size', ' 5\r\nhello\r\n0\r\n\r\n'],
  ['a negative size', '-5\r\nhello\r\n0\r\n\r\n'],
  ['a plus sign', '+5\r\nhello\r\n0\r\n\r\n'],
  ['an overflowing size (19 hex digits)', 'fffffffffffffffffff\r\nhello\r\n0\r\n\r\n'],
  ['a size of 2^64 (17 hex digits)', '10000000000000000\r\nhello\r\n0\r\n\r\n'],
  ['a size over 12 significant hex digits', '1000000000000\r\nhello\r\n0\r\n\r\n'],
  ['data without the CRLF after it', '3\r\nabc0\r\n\r\n'],
  ['data followed by a bare LF', '3\r\nabc\n0\r\n\r\n'],
  ['data followed by CR and not LF', '3\r\nabc\rX0\r\n\r\n'],
  ['data longer than its size', '3\r\nabcd\r\n0\r\n\r\n'],
  ['data shorter than its size', '5\r\nabc\r\n0\r\n\r\n0\r\n\r\n'],
  ['a bare LF in a size line', '3\nabc\r\n0\r\n\r\n'],
  ['a bare LF in the last chunk line', '3\r\nabc\r\n0\n\r\n'],
  ['a bare LF ending the trailers', '0\r\n\n'],
  ['a bare LF after a trailer', '0\r\nX-A: 1\n\r\n'],
  ['a CR inside a size line', '3\r\r\nabc\r\n0\r\n\r\n'],
  ['a CR inside an extension', '3;a\rb\r\nabc\r\n0\r\n\r\n'],
  ['NUL in an extension', '3;a\x00\r\nabc\r\n0\r\n\r\n'],
  ['whitespace after the size without an extension', '3 x\r\nabc\r\n0\r\n\r\n'],
  ['an oversized size line', `1;${'e'.repeat(5000)}\r\nx\r\n0\r\n\r\n`],
  ['an oversized size line without its end', `1;${'e'.repeat(5000)}`],
  ['a trailer without a colon', '0\r\nX-A\r\n\r\n'],
  ['a trailer with a space before the colon', '0\r\nX-A : 1\r\n\r\n'],
  ['obs-fold in the trailers', '0\r\nX-A: 1\r\n 2\r\n\r\n'],
  ['a control character in a trailer', '0\r\nX-A: \x01\r\n\r\n'],
  ['trailers over 8 KB', `0\r\n${'X-Trailer: 0123456789012345678901234567890123456789\r\n'.repeat(200)}\r\n`],
];

describe('ChunkedDecoder: errors', () => {
  it.each(errors)('%s', (_name, wire) => {
    expect(decode(wire).result).toBe(CHUNKED_ERROR);
  });

  it.each(errors)('%s: also when fed byte by byte', (_name, wire) => {
    expect(decode(wire, everyByte(wire)).result).toBe(CHUNKED_ERROR);
  });

  it('passes no data of a chunk whose size line is bad', () => {
    expect(decode('5x\r\nhello\r\n0\r\n\r\n')).toMatchObject({
      result: CHUNKED_ERROR,
      body: '',
      done: false,
    });
  });

  it('an oversized size line is refused before its end arrives', () => {
    const decoder = new ChunkedDecoder();
    let result = CHUNKED_MORE;
    let pushes = 0;
    while (result === CHUNKED_MORE && pushes < 100) {
      result = decoder.push(Buffer.from(pushes === 0 ? '1;' : 'e'.repeat(100)), () => undefined);
      pushes++;
    }
    expect(result).toBe(CHUNKED_ERROR);
    expect(pushes).toBeLessThanOrEqual(43);
  });
});
