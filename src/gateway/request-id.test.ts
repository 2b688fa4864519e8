import { describe, expect, it } from 'vitest';
import { createRequestIdGenerator } from './request-id.js';

describe('createRequestIdGenerator', () => {
  it('makes apigw-requestid shaped ids: 11 bytes in base64, seconds first, distinct', () => {
    const next = createRequestIdGenerator();
    const ids = Array.from({ length: 1000 }, () => next());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(new Set(ids).size).toBe(1000);
    const bytes = Buffer.from(ids[0] as string, 'base64');
    expect(bytes.length).toBe(11);
    expect(Math.abs(bytes.readUInt32BE(0) - Date.now() / 1000)).toBeLessThan(5);
    // The counter is the last 4 bytes and increases by one per id.
    const b2 = Buffer.from(ids[1] as string, 'base64');
    expect((b2.readUInt32BE(7) - bytes.readUInt32BE(7)) >>> 0).toBe(1);
    expect(b2.subarray(0, 7)).toStrictEqual(bytes.subarray(0, 7));
  });
});
