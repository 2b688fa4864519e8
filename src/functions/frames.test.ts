import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, type FrameHeader } from './frames.js';

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
