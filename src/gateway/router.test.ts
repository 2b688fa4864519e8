import { describe, expect, it } from 'vitest';
import { compileRouter } from './router.js';

function router(keys: string[]) {
  return compileRouter(keys.map((routeKey) => ({ routeKey, value: routeKey })));
}

function segs(path: string): string[] {
  return path === '/' ? [] : path.split('/').slice(1);
}

describe('HTTP API route priority (AWS worked example)', () => {
  const r = router([
    'GET /pets/dog/1',
    'GET /pets/dog/{id}',
    'GET /pets/{proxy+}',
    'ANY /{proxy+}',
    '$default',
  ]);
  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', undefined],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/test/5', 'ANY /{proxy+}', { proxy: 'test/5' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/', '$default', undefined],
    ['DELETE', '/', '$default', undefined],
  ])('%s %s -> %s', (method, path, routeKey, params) => {
    const m = r.match(method, segs(path));
    expect(m?.routeKey).toBe(routeKey);
    expect(m?.pathParameters).toStrictEqual(params);
  });
});

describe('route priority rules', () => {
  it.each<[string[], string, string, string | undefined, Record<string, string> | undefined]>([
    // A specific method beats ANY on the same path.
    [['ANY /pets', 'GET /pets'], 'GET', '/pets', 'GET /pets', undefined],
    [['ANY /pets', 'GET /pets'], 'PUT', '/pets', 'ANY /pets', undefined],
    // Static segments beat variables at the same depth.
    [['GET /pets/{id}', 'GET /pets/mine'], 'GET', '/pets/mine', 'GET /pets/mine', undefined],
    [['GET /pets/{id}', 'GET /pets/mine'], 'GET', '/pets/7', 'GET /pets/{id}', { id: '7' }],
    // When the static branch has no route for the method, the variable branch is tried.
    [['POST /pets/dog', 'GET /pets/{id}'], 'GET', '/pets/dog', 'GET /pets/{id}', { id: 'dog' }],
    // Several variables.
    [['GET /a/{x}/b/{y}'], 'GET', '/a/1/b/2', 'GET /a/{x}/b/{y}', { x: '1', y: '2' }],
    // A full match with a variable beats a greedy route.
    [['GET /pets/{id}', 'GET /{proxy+}'], 'GET', '/pets/1', 'GET /pets/{id}', { id: '1' }],
    // The deeper greedy route wins over a shallower one.
    [['ANY /{proxy+}', 'ANY /api/{rest+}'], 'GET', '/api/x/y', 'ANY /api/{rest+}', { rest: 'x/y' }],
    // Greedy with a variable prefix.
    [['GET /u/{id}/{proxy+}'], 'GET', '/u/9/a/b', 'GET /u/{id}/{proxy+}', { id: '9', proxy: 'a/b' }],
    // Greedy needs at least one non-empty segment.
    [['ANY /pets/{proxy+}'], 'GET', '/pets', undefined, undefined],
    [['ANY /pets/{proxy+}'], 'GET', '/pets/', undefined, undefined],
    [['ANY /{proxy+}'], 'GET', '/', undefined, undefined],
    // Paths are case-sensitive and a trailing slash is significant.
    [['GET /pets'], 'GET', '/Pets', undefined, undefined],
    [['GET /pets'], 'GET', '/pets/', undefined, undefined],
    [['GET /'], 'GET', '/', 'GET /', undefined],
    // Method mismatch without ANY and no $default: nothing.
    [['GET /pets'], 'POST', '/pets', undefined, undefined],
    // An empty segment never fills a variable.
    [['GET /pets/{id}'], 'GET', '/pets/', undefined, undefined],
    // $default only when nothing else matches.
    [['GET /pets', '$default'], 'POST', '/pets', '$default', undefined],
  ])('%j: %s %s -> %s', (keys, method, path, routeKey, params) => {
    const m = router(keys).match(method, segs(path));
    expect(m?.routeKey).toBe(routeKey);
    if (routeKey !== undefined) expect(m?.pathParameters).toStrictEqual(params);
  });

  it('refuses duplicate route keys', () => {
    expect(() => router(['GET /a', 'GET /a'])).toThrow('duplicate route key: GET /a');
  });
});
