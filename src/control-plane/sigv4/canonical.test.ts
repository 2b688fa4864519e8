import { describe, expect, it } from 'vitest';
import { canonicalHeaderValue, canonicalQuery, canonicalUri, parseQuery } from './canonical.js';

describe('canonicalUri (SDK v3 double encoding of the wire path)', () => {
  it.each([
    ['', ''],
    ['/', '/'],
    ['/2015-03-31/functions', '/2015-03-31/functions'],
    ['/2015-03-31/functions/my%20fn', '/2015-03-31/functions/my%2520fn'],
    [
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations',
      '/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Af/invocations',
    ],
    ['/v2/apis/', '/v2/apis/'],
    ['/a/./b/../c/', '/a/c/'],
    ['//a//b', '/a/b'],
    ['/raw:colon', '/raw%3Acolon'],
    ["/x*y(!)'", '/x%2Ay%28%21%29%27'],
    ['/caf%C3%A9', '/caf%25C3%25A9'],
    ['/tilde~-_.', '/tilde~-_.'],
  ])('%j -> %j', (raw, expected) => {
    expect(canonicalUri(raw)).toBe(expected);
  });
});

describe('canonicalQuery', () => {
  it.each([
    ['', ''],
    ['b=2&a=1&a=0', 'a=0&a=1&b=2'],
    ['Qualifier=%24LATEST', 'Qualifier=%24LATEST'],
    ['Qualifier=$LATEST', 'Qualifier=%24LATEST'],
    ['k=a+b', 'k=a%2Bb'],
    ['k=a%20b', 'k=a%20b'],
    ['flag', 'flag='],
    ['flag=', 'flag='],
    ['X-Amz-Signature=abc&x=1', 'x=1'],
    ['k=%E2%9C%93', 'k=%E2%9C%93'],
    ['k=%ZZ', 'k=%25ZZ'],
    ['?MaxItems=10&Marker=abc%3D', 'Marker=abc%3D&MaxItems=10'],
  ])('%j -> %j', (raw, expected) => {
    expect(canonicalQuery(parseQuery(raw))).toBe(expected);
  });

  it('takes parsed URLSearchParams too', () => {
    expect(
      canonicalQuery(
        parseQuery(
          new URLSearchParams([
            ['b', 'x y'],
            ['a', '*'],
          ]),
        ),
      ),
    ).toBe('a=%2A&b=x%20y');
  });
});

describe('canonicalHeaderValue', () => {
  it.each([
    ['  a   b  ', 'a b'],
    ['a\tb', 'a b'],
    [['x', 'y'], 'x,y'],
    [undefined, ''],
  ] as const)('%j -> %j', (value, expected) => {
    expect(canonicalHeaderValue(value as string | string[] | undefined)).toBe(expected);
  });
});
