import { describe, expect, it } from 'vitest';
import {
  applyHeaderOps,
  applyQueryOps,
  compileMapping,
  compileValue,
  evaluate,
  type MappingSources,
} from './parameter-mapping.js';

const src: MappingSources = {
  header: (n) => ({ 'x-user': 'alice', accept: 'a,b' })[n],
  querystring: (n) => ({ q: 'term', page: '2' })[n],
  pathParam: (n) => ({ id: '42' })[n],
  path: () => '/pets/42',
  context: (n) => ({ requestId: 'REQ=', 'identity.sourceIp': '10.0.0.1' })[n],
  body: () => '{"user":{"name":"bob","tags":["x","y"]},"n":3}',
  responseHeader: (n) => ({ 'x-up': 'U' })[n],
  responseBody: () => '{"ok":true}',
};

describe('compileValue + evaluate', () => {
  it.each([
    ['static', 'static'],
    ['$request.header.X-User', 'alice'],
    ['$request.querystring.q', 'term'],
    ['$request.path', '/pets/42'],
    ['$request.path.id', '42'],
    ['$context.requestId', 'REQ='],
    ['$context.identity.sourceIp', '10.0.0.1'],
    ['$stageVariables.env', 'prod'],
    ['$stageVariables.missing', ''],
    ['${request.path.id}-${stageVariables.env}', '42-prod'],
    ['id=${request.path.id};q=${request.querystring.q}', 'id=42;q=term'],
    ['$request.body.user.name', 'bob'],
    ['$request.body.user.tags[1]', 'y'],
    ['$request.body.n', '3'],
    ['$request.body.user', '{"name":"bob","tags":["x","y"]}'],
    ['$request.body.nope.deeper', ''],
    ['$response.header.x-up', 'U'],
    ['$response.body.ok', 'true'],
  ])('%s -> %s', (expr, expected) => {
    expect(evaluate(compileValue(expr, { env: 'prod' }), src)).toBe(expected);
  });

  it('rejects unknown sources', () => {
    expect(() => compileValue('$request.cookie.x', {})).toThrow('unsupported mapping expression');
  });
});

describe('compileMapping', () => {
  it.each([
    ['bogus:header.x', 'invalid parameter mapping key: bogus:header.x'],
    ['append:header', 'parameter mapping key needs a name: append:header'],
    ['overwrite:header.Authorization', 'header Authorization cannot be mapped'],
    ['append:header.x-amz-date', 'header x-amz-date cannot be mapped'],
    ['append:path', 'invalid parameter mapping key: append:path'],
    ['overwrite:statuscode', 'invalid request mapping key: overwrite:statuscode'],
  ])('rejects %s', (key, message) => {
    expect(() => compileMapping({ [key]: 'v' }, {}, 'request')).toThrow(message);
  });

  it('rejects path mapping on responses', () => {
    expect(() => compileMapping({ 'overwrite:path': '/x' }, {}, 'response')).toThrow(
      'invalid response mapping key: overwrite:path',
    );
  });
});

describe('applyHeaderOps', () => {
  it('appends, overwrites and removes case-insensitively', () => {
    const ops = compileMapping(
      {
        'append:header.X-Tag': 'one',
        'append:header.X-New': '$request.path.id',
        'overwrite:header.x-user': 'bob',
        'remove:header.X-Secret': '',
      },
      {},
      'request',
    );
    const headers = ['X-Tag', 'zero', 'X-User', 'alice', 'x-secret', 's', 'Accept', '*/*'];
    expect(applyHeaderOps(headers, ops, src)).toStrictEqual([
      'X-Tag',
      'zero,one',
      'Accept',
      '*/*',
      'x-new',
      '42',
      'x-user',
      'bob',
    ]);
    expect(headers).toStrictEqual(['X-Tag', 'zero', 'X-User', 'alice', 'x-secret', 's', 'Accept', '*/*']);
  });
});

describe('applyQueryOps', () => {
  it('appends, overwrites and removes query parameters', () => {
    const ops = compileMapping(
      {
        'append:querystring.tag': 'a b',
        'overwrite:querystring.page': '9',
        'remove:querystring.secret': '',
      },
      {},
      'request',
    );
    expect(applyQueryOps('page=1&secret=x&tag=z&flag', ops, src)).toBe('tag=z&flag&tag=a%20b&page=9');
  });

  it('leaves the query untouched without query operations', () => {
    expect(applyQueryOps('a=%20', [], src)).toBe('a=%20');
  });
});
