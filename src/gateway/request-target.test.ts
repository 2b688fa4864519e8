import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from './request-target.js';

describe('parseRequestTarget', () => {
  it.each([
    ['/', { rawPath: '/', rawQuery: '', segments: [] }],
    ['/a/b?x=1&y', { rawPath: '/a/b', rawQuery: 'x=1&y', segments: ['a', 'b'] }],
    ['/a//b/', { rawPath: '/a//b/', rawQuery: '', segments: ['a', '', 'b', ''] }],
    ['/caf%C3%A9/a%20b', { rawPath: '/caf%C3%A9/a%20b', rawQuery: '', segments: ['café', 'a b'] }],
    ['/v1.2/file.txt', { rawPath: '/v1.2/file.txt', rawQuery: '', segments: ['v1.2', 'file.txt'] }],
    ['/...', { rawPath: '/...', rawQuery: '', segments: ['...'] }],
    ['/a?q=%20', { rawPath: '/a', rawQuery: 'q=%20', segments: ['a'] }],
  ])('accepts %s', (url, expected) => {
    expect(parseRequestTarget(url)).toStrictEqual(expected);
  });

  it.each([
    ['/a/../b', 'dot segment in path'],
    ['/a/./b', 'dot segment in path'],
    ['/..', 'dot segment in path'],
    ['/a/%2e%2e/b', 'dot segment in path'],
    ['/a/%2E./b', 'dot segment in path'],
    ['/a/.%2e', 'dot segment in path'],
    ['/a%2fb', 'encoded slash, backslash or NUL in path'],
    ['/a%2F..%2Fb', 'encoded slash, backslash or NUL in path'],
    ['/a%5cb', 'encoded slash, backslash or NUL in path'],
    ['/a%00', 'encoded slash, backslash or NUL in path'],
    ['/a\\b', 'backslash in path'],
    ['/a%zz', 'invalid percent-encoding in path'],
    ['/a%', 'invalid percent-encoding in path'],
    ['/a%C3', 'invalid percent-encoding in path'],
    ['/a?x=%zz', 'invalid percent-encoding in query'],
    ['*', 'request target must be an absolute path'],
    ['http://example.com/a', 'request target must be an absolute path'],
  ])('refuses %s', (url, error) => {
    expect(parseRequestTarget(url)).toStrictEqual({ error });
  });
});
