import { describe, expect, it } from 'vitest';
import { buildEventV1, buildEventV2 } from './events/index.js';
import { base } from './events/request-inputs.fixture.js';
import { isEmptyPayload, payloadBytes, payloadExceeds, ProxyEventPayload } from './invoke-payload.js';

const MB = 1024 * 1024;

describe('invoke payloads', () => {
  it('gives a gateway request the JSON of its event, made once', () => {
    const v2 = new ProxyEventPayload('2.0', base);
    expect(payloadBytes(v2).toString()).toBe(JSON.stringify(buildEventV2(base)));
    expect(payloadBytes(v2)).toBe(payloadBytes(v2));
    const v1 = new ProxyEventPayload('1.0', base);
    expect(payloadBytes(v1).toString()).toBe(JSON.stringify(buildEventV1(base)));
    const bytes = Buffer.from('{"a":1}');
    expect(payloadBytes(bytes)).toBe(bytes);
  });

  it('measures limits on the JSON: exactly for large bodies, without JSON for small ones', () => {
    expect(payloadExceeds(Buffer.alloc(10), 9)).toBe(true);
    expect(payloadExceeds(Buffer.alloc(10), 10)).toBe(false);
    const small = new ProxyEventPayload('2.0', { ...base, body: Buffer.alloc(1000, 'a') });
    expect(payloadExceeds(small, 6 * MB)).toBe(false);
    // 5 MB of binary is 6.67 MB of base64: over the synchronous limit.
    const binary = { ...base, rawHeaders: ['Content-Type', 'application/octet-stream'] };
    const big = new ProxyEventPayload('2.0', { ...binary, body: Buffer.alloc(5 * MB, 0xff) });
    expect(payloadExceeds(big, 6 * MB)).toBe(true);
    // 4.4 MB of binary is 5.87 MB of base64: under it.
    const under = new ProxyEventPayload('2.0', { ...binary, body: Buffer.alloc(4.4 * MB, 0xff) });
    expect(payloadExceeds(under, 6 * MB)).toBe(false);
    // Text bodies are JSON-escaped in the event: 1.1 MB of control characters is 6.6 MB of JSON.
    const control = { ...base, rawHeaders: ['Content-Type', 'text/plain'], body: Buffer.alloc(1.1 * MB, 1) };
    expect(payloadExceeds(new ProxyEventPayload('2.0', control), 6 * MB)).toBe(true);
    expect(payloadExceeds(new ProxyEventPayload('1.0', control), 6 * MB)).toBe(true);
    // An authorizer's output is not bounded by the head: measured.
    const context = { blob: 'x'.repeat(7 * MB) };
    const authorized = new ProxyEventPayload('2.0', { ...base, authorizer: { kind: 'lambda', context } });
    expect(payloadExceeds(authorized, 6 * MB)).toBe(true);
    // The 1 MB Event limit is always measured.
    expect(payloadExceeds(new ProxyEventPayload('2.0', { ...base, body: Buffer.alloc(MB) }), MB)).toBe(true);
  });

  it('treats only empty bytes as an empty payload', () => {
    expect(isEmptyPayload(Buffer.alloc(0))).toBe(true);
    expect(isEmptyPayload(Buffer.from('{}'))).toBe(false);
    expect(isEmptyPayload(new ProxyEventPayload('2.0', base))).toBe(false);
  });

  it('has compact text unless a field cannot travel so', () => {
    expect(new ProxyEventPayload('2.0', base).compact()?.text).toContain('\u0000GET\u0000');
    expect(new ProxyEventPayload('2.0', { ...base, rawPath: '/a\u0000' }).compact()).toBeUndefined();
  });
});
