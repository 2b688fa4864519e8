import { deepStrictEqual } from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { buildEventV1, buildEventV2, type ProxyRequestInput } from './index.js';
import { decodeProxyInput, encodeProxyInput, proxyEventFromFrame } from './proxy-input-codec.js';
import { base, cases, recorded, toInput } from './request-inputs.fixture.js';

/** The frame body the gateway sends: the text in UTF-8, then the request body's bytes. */
function frameOf(input: ProxyRequestInput): { frame: Buffer; n: number } {
  const text = encodeProxyInput(input);
  if (text === undefined) throw new Error('not encodable');
  const bytes = Buffer.from(text, 'utf8');
  return { frame: Buffer.concat([bytes, input.body ?? Buffer.alloc(0)]), n: bytes.length };
}

function roundTrip(input: ProxyRequestInput): ProxyRequestInput {
  const { frame, n } = frameOf(input);
  return decodeProxyInput(frame.toString('utf8', 0, n), n < frame.length ? frame.subarray(n) : undefined);
}

/** What the environment hands the handler (as node-env-entry.ts does). */
function eventOf(version: '1.0' | '2.0', input: ProxyRequestInput): unknown {
  const { frame, n } = frameOf(input);
  return proxyEventFromFrame(version, n, frame);
}

// The lone surrogate case cannot travel as UTF-8 text: it is checked separately below.
const encodable = cases.filter(([name]) => !name.includes('lone surrogate'));

const REST_EXTRAS: Partial<ProxyRequestInput> = {
  extendedRequestId: 'ext-1',
  binaryMediaTypes: ['image/png', '*/*'],
  deploymentId: 'dep1',
  resourceId: 'res1',
  apiKey: 'key-value',
  apiKeyId: 'key-id',
};

describe('proxy request text', () => {
  it.each(encodable)('%s: the 2.0 event built from it deep-equals the parsed JSON event', (_name, patch) => {
    const input = { ...base, ...patch };
    // deepStrictEqual: prototypes, own keys (an undefined-valued member would differ) and values.
    deepStrictEqual(eventOf('2.0', input), JSON.parse(JSON.stringify(buildEventV2(input))));
  });

  it.each(encodable)('%s: the 1.0 event built from it deep-equals the parsed JSON event', (_name, patch) => {
    const input = { ...base, ...patch };
    deepStrictEqual(eventOf('1.0', input), JSON.parse(JSON.stringify(buildEventV1(input))));
  });

  it.each(recorded)(
    'the recorded AWS sample $name: the event built from the text is the one AWS sends',
    ({ fixture }) => {
      deepStrictEqual(eventOf(fixture.version, toInput(fixture)), fixture.expected);
    },
  );

  it('keeps every member of the request, optional ones included', () => {
    const input: ProxyRequestInput = {
      ...base,
      ...REST_EXTRAS,
      pathParameters: { id: '7' },
      stageVariables: { v: '1' },
      body: Buffer.from('x'),
    };
    expect(roundTrip(input)).toStrictEqual(input);
    expect(roundTrip(base)).toStrictEqual(base);
  });

  it('gives maps the prototype parsed JSON has (handlers call hasOwnProperty)', () => {
    const input = { ...base, rawHeaders: ['X-A', '1', '__proto__', 'p'], rawQueryString: 'q=1' };
    const v2 = eventOf('2.0', input) as { headers: Record<string, string>; queryStringParameters: object };
    // eslint-disable-next-line no-prototype-builtins -- what handler code does
    expect(v2.headers.hasOwnProperty('x-a')).toBe(true);
    expect(Object.getPrototypeOf(v2.headers)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(v2.queryStringParameters)).toBe(Object.prototype);
    expect(Object.keys(v2.headers)).toEqual(['x-a', '__proto__']);
    const v1 = eventOf('1.0', input) as {
      multiValueHeaders: object;
      multiValueQueryStringParameters: object;
    };
    expect(Object.getPrototypeOf(v1.multiValueHeaders)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(v1.multiValueQueryStringParameters)).toBe(Object.prototype);
  });

  it('keeps header order, duplicates and empty values', () => {
    const rawHeaders = ['A', '', 'a', 'x', 'B', ' y ', 'A', 'z'];
    expect(roundTrip({ ...base, rawHeaders }).rawHeaders).toEqual(rawHeaders);
    expect(roundTrip({ ...base, rawHeaders: [] }).rawHeaders).toEqual([]);
  });

  it('treats an empty body as none', () => {
    expect(roundTrip({ ...base, body: Buffer.alloc(0) }).body).toBeUndefined();
  });

  it('refuses NUL in any member and lone surrogates, so the caller sends JSON', () => {
    expect(encodeProxyInput({ ...base, rawHeaders: ['X', 'a\u0000b'] })).toBeUndefined();
    expect(encodeProxyInput({ ...base, rawPath: '/a\u0000' })).toBeUndefined();
    expect(encodeProxyInput({ ...base, rawHeaders: ['X-Lone', 'a\ud800b'] })).toBeUndefined();
    // In a JSON member NUL is escaped: that one travels.
    const input = { ...base, pathParameters: { id: 'a\u0000b' } };
    expect(roundTrip(input).pathParameters).toEqual({ id: 'a\u0000b' });
    // A well-formed pair (an emoji) is fine.
    expect(roundTrip({ ...base, rawHeaders: ['X', '😀'] }).rawHeaders).toEqual(['X', '😀']);
  });

  it('rejects text that is not a request', () => {
    expect(() => decodeProxyInput('a\u0000b', undefined)).toThrow(/malformed/);
  });
});
