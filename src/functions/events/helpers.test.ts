import { describe, expect, it } from 'vitest';
import {
  collectHeadersV1,
  decodeQueryComponent,
  firstAcceptType,
  formatClfTime,
  isTextContentType,
  matchesBinaryMediaTypes,
  parseQueryV1,
  parseQueryV2,
  splitCookieHeader,
} from './index.js';
import { decodeBase64Strict } from './response-common.js';

describe('formatClfTime', () => {
  it.each([
    [0, '01/Jan/1970:00:00:00 +0000'],
    [1718635693506, '17/Jun/2024:14:48:13 +0000'],
    [1718635693999, '17/Jun/2024:14:48:13 +0000'],
    [1718635694000, '17/Jun/2024:14:48:14 +0000'],
    [1583348638390, '04/Mar/2020:19:03:58 +0000'],
    [1735689599000, '31/Dec/2024:23:59:59 +0000'],
  ])('%i -> %s', (epoch, text) => {
    expect(formatClfTime(epoch)).toBe(text);
  });
});

describe('query strings', () => {
  it('1.0 keeps the last value and all values; + is a space', () => {
    expect(parseQueryV1('price=10&price=20&price=30&q=a+b%2Bc')).toStrictEqual({
      single: Object.assign(Object.create(null), { price: '30', q: 'a b+c' }),
      multi: Object.assign(Object.create(null), { price: ['10', '20', '30'], q: ['a b+c'] }),
    });
  });

  it('1.0 is null for an empty query or only separators', () => {
    expect(parseQueryV1('')).toStrictEqual({ single: null, multi: null });
    expect(parseQueryV1('&&')).toStrictEqual({ single: null, multi: null });
  });

  it('2.0 comma-joins decoded values and is undefined when empty', () => {
    expect({ ...parseQueryV2('a=1&a=2&b&a=%2C&c=x=y') }).toStrictEqual({ a: '1,2,,', b: '', c: 'x=y' });
    expect(parseQueryV2('')).toBeUndefined();
  });

  it('keeps malformed escapes verbatim', () => {
    expect(decodeQueryComponent('%ZZ+%41')).toBe('%ZZ %41');
    expect(decodeQueryComponent('%41+%42')).toBe('A B');
  });
});

describe('headers', () => {
  it('splits Cookie headers into pairs', () => {
    const into: string[] = [];
    splitCookieHeader('a=1; b=2;c=3 ;; ', into);
    splitCookieHeader('d=4', into);
    expect(into).toStrictEqual(['a=1', 'b=2', 'c=3', 'd=4']);
  });

  it('1.0 HTTP API lowercases names; REST keeps the first casing', () => {
    const raw = ['X-A', '1', 'x-a', '2'];
    expect(JSON.stringify(collectHeadersV1(raw, 'HTTP'))).toBe(
      '{"headers":{"x-a":"2"},"multiValueHeaders":{"x-a":["1","2"]}}',
    );
    expect(JSON.stringify(collectHeadersV1(raw, 'REST'))).toBe(
      '{"headers":{"X-A":"2"},"multiValueHeaders":{"X-A":["1","2"]}}',
    );
  });
});

describe('media types', () => {
  it.each([
    ['text/plain', true],
    ['Text/HTML; charset=utf-8', true],
    ['application/json', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', false],
    ['image/png', false],
    ['', false],
    [undefined, false],
  ])('isTextContentType(%s) = %s', (type, text) => {
    expect(isTextContentType(type)).toBe(text);
  });

  it.each([
    ['image/png', ['image/png'], true],
    ['IMAGE/PNG; q=1', ['image/png'], true],
    ['image/jpeg', ['image/*'], true],
    ['imagex/jpeg', ['image/*'], false],
    ['application/json', ['*/*'], true],
    ['application/json', ['image/png', 'application/octet-stream'], false],
    ['', ['*/*'], false],
    ['image/png', [], false],
    ['image/png', undefined, false],
  ] as const)('matchesBinaryMediaTypes(%s, %j) = %s', (type, types, match) => {
    expect(matchesBinaryMediaTypes(type, types)).toBe(match);
  });

  it('takes the first Accept type', () => {
    expect(firstAcceptType('image/webp;q=0.9, */*')).toBe('image/webp');
    expect(firstAcceptType(undefined)).toBe('');
  });
});

describe('decodeBase64Strict', () => {
  it.each([
    ['', ''],
    ['dGVzdA==', '74657374'],
    ['dGVzdA', '74657374'],
    ['AAEC/w==', '000102ff'],
  ])('decodes %s', (text, hex) => {
    expect(decodeBase64Strict(text)?.toString('hex')).toBe(hex);
  });

  it.each(['a', 'dGVz dA==', 'dGVzdA=', 'ab-_', 'dG=VzdA=='])('rejects %s', (text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });
});
