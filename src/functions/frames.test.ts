import { describe, expect, it } from 'vitest';
import {
  decodeHeader,
  encodeFrame,
  encodeFrameJson,
  FrameDecoder,
  invokeHeader,
  resultHeader,
  type FrameHeader,
} from './frames.js';

describe('frames', () => {
  it('round-trips frames split at every byte boundary', () => {
    const a = encodeFrame({ t: 'invoke', id: 'x' }, Buffer.from('{"a":1}'));
    const b = encodeFrame({ t: 'log' }, 'héllo\n');
    const c = encodeFrame({ t: 'ready' });
    const all = Buffer.concat([a, b, c]);
    for (let split = 0; split <= all.length; split++) {
      const got: Array<[FrameHeader, string]> = [];
      const d = new FrameDecoder((h, body) => got.push([h, body.toString('utf8')]));
      d.push(all.subarray(0, split));
      d.push(all.subarray(split));
      expect(got).toEqual([
        [{ t: 'invoke', id: 'x' }, '{"a":1}'],
        [{ t: 'log' }, 'héllo\n'],
        [{ t: 'ready' }, ''],
      ]);
    }
  });
});

describe('invoke and result headers', () => {
  const arn = 'arn:aws:lambda:us-east-1:000000000000:function:hello:$LATEST';
  const id = '6f1b5c3e-2a4d-4c8b-9e7f-0123456789ab';
  const trace = 'Root=1-6750a1b2-6f1b5c3e2a4d4c8b9e7f0123;Sampled=0';

  it('round-trips an invoke header in the tab-separated form', () => {
    const text = invokeHeader(id, 3000, arn, trace);
    expect(text.startsWith('i\t')).toBe(true);
    expect(decodeHeader(text)).toStrictEqual({ t: 'invoke', id, timeoutMs: 3000, arn, trace });
  });

  it('keeps a client context with tabs, newlines and quotes whole', () => {
    const cc = '{"custom":{"a":"x\ty"},\n"env":{"q":"\\""}}';
    expect(decodeHeader(invokeHeader(id, 900_000, arn, trace, cc))).toStrictEqual({
      t: 'invoke',
      id,
      timeoutMs: 900_000,
      arn,
      trace,
      cc,
    });
    expect(decodeHeader(invokeHeader(id, 1, arn, trace, '')).cc).toBe('');
  });

  it('falls back to JSON when a field is not plain text', () => {
    const odd = 'id with "quotes"\tand a tab';
    const text = invokeHeader(odd, 3000, arn, trace, 'cc');
    expect(text.startsWith('{')).toBe(true);
    expect(decodeHeader(text)).toStrictEqual({ t: 'invoke', id: odd, timeoutMs: 3000, arn, trace, cc: 'cc' });
    expect(decodeHeader(resultHeader(odd, 41, 0.5))).toStrictEqual({ t: 'result', id: odd, mem: 41, d: 0.5 });
  });

  it('round-trips an invoke header for a gateway request (payload version and text length)', () => {
    const proxy = { ev: '2.0' as const, n: 612 };
    const text = invokeHeader(id, 3000, arn, trace, undefined, proxy);
    expect(text).toBe(`e\t${id}\t3000\t${arn}\t${trace}\t2.0\t612`);
    expect(decodeHeader(text)).toStrictEqual({
      t: 'invoke',
      id,
      timeoutMs: 3000,
      arn,
      trace,
      ev: '2.0',
      n: 612,
    });
    const cc = 'a\tb';
    expect(decodeHeader(invokeHeader(id, 5, arn, trace, cc, { ev: '1.0', n: 0 }))).toStrictEqual({
      t: 'invoke',
      id,
      timeoutMs: 5,
      arn,
      trace,
      ev: '1.0',
      n: 0,
      cc,
    });
    // The JSON form carries the same members.
    const odd = 'odd "id"';
    expect(decodeHeader(invokeHeader(odd, 5, arn, trace, undefined, proxy))).toStrictEqual({
      t: 'invoke',
      id: odd,
      timeoutMs: 5,
      arn,
      trace,
      ev: '2.0',
      n: 612,
    });
  });

  it('writes a frame body of text and tail bytes', () => {
    const frames: Array<[FrameHeader, Buffer]> = [];
    const decoder = new FrameDecoder((h, b) => frames.push([h, Buffer.from(b)]));
    decoder.push(encodeFrameJson('{"t":"x"}', 'tëxt', false, Buffer.from([0, 255])));
    expect(frames).toStrictEqual([[{ t: 'x' }, Buffer.concat([Buffer.from('tëxt'), Buffer.from([0, 255])])]]);
  });

  it('round-trips a result header', () => {
    const text = resultHeader(id, 57, 1.234567);
    expect(text).toBe(`r\t${id}\t57\t1.234567`);
    expect(decodeHeader(text)).toStrictEqual({ t: 'result', id, mem: 57, d: 1.234567 });
    // Longer invocations also carry the event loop's busy time.
    expect(decodeHeader(resultHeader(id, 57, 120.5, 3.25))).toStrictEqual({
      t: 'result',
      id,
      mem: 57,
      d: 120.5,
      a: 3.25,
    });
  });

  it('reads JSON headers of the other frame types', () => {
    expect(decodeHeader('{"t":"ready","initMs":12.5}')).toStrictEqual({ t: 'ready', initMs: 12.5 });
  });

  it('decodes both forms through the frame decoder', () => {
    const frames: Array<[FrameHeader, string]> = [];
    const decoder = new FrameDecoder((h, b) => frames.push([h, b.toString()]));
    decoder.push(
      Buffer.concat([
        encodeFrameJson(resultHeader(id, 40, 2), '{"statusCode":200}'),
        encodeFrame({ t: 'log' }, 'line\n'),
      ]),
    );
    expect(frames).toStrictEqual([
      [{ t: 'result', id, mem: 40, d: 2 }, '{"statusCode":200}'],
      [{ t: 'log' }, 'line\n'],
    ]);
  });
});
