import { describe, expect, it } from 'vitest';
import { compileUri, encodePathValue, renderUri } from './uri-template.js';

describe('compileUri/renderUri', () => {
  it.each<[string, Record<string, string>, Record<string, string> | undefined, string | undefined, string]>([
    ['http://h:1/pets/{id}', {}, { id: '7' }, 'http://h:1', '/pets/7'],
    ['http://h:1/{proxy}', {}, { proxy: 'a/b c' }, 'http://h:1', '/a/b%20c'],
    ['http://h:1', {}, undefined, 'http://h:1', ''],
    [
      'http://${stageVariables.host}/v/${stageVariables.ver}/{id}',
      { host: 'x:2', ver: '3' },
      { id: 'q' },
      'http://x:2',
      '/v/3/q',
    ],
    ['http://h/p?fixed=1', {}, undefined, 'http://h', '/p?fixed=1'],
    ['http://{sub}.h/x', {}, { sub: 'eu' }, undefined, 'http://eu.h/x'],
  ])('%s', (uri, vars, params, origin, rendered) => {
    const c = compileUri(uri, vars);
    expect(c.staticOrigin).toBe(origin);
    expect(renderUri(c, params)).toBe(rendered);
  });

  it.each([
    ['plain', 'plain'],
    ['a:b@c', 'a:b@c'],
    ['a b', 'a%20b'],
    ['x?y#z', 'x%3Fy%23z'],
    ['100%', '100%25'],
    ['é', '%C3%A9'],
  ])('encodePathValue(%s)', (value, expected) => {
    expect(encodePathValue(value)).toBe(expected);
  });
});
