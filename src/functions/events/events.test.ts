import { describe, expect, it } from 'vitest';
import { buildEventV1, buildEventV2, encodeEvent } from './index.js';
import type { ProxyRequestInput } from './index.js';
import { recorded, toInput } from './request-inputs.fixture.js';

const fixtures = recorded;

describe('proxy events from recorded fixtures', () => {
  it('has the expected fixtures', () => {
    expect(fixtures.map((f) => f.name)).toStrictEqual([
      'http-v1-jwt-default-stage.json',
      'http-v1-named-stage.json',
      'http-v2-doc-sample.json',
      'http-v2-named-stage-binary.json',
      'http-v2-no-authorizer.json',
      'rest-binary-authorizer.json',
      'rest-proxy-get.json',
      'rest-text-body.json',
    ]);
  });

  it.each(fixtures)('$name', ({ fixture }) => {
    const input = toInput(fixture);
    const event = fixture.version === '2.0' ? buildEventV2(input) : buildEventV1(input);
    const wire = encodeEvent(event).toString('utf8');
    // Whole-object equality first (readable diff), then byte equality (member order, null vs omitted).
    expect(JSON.parse(wire)).toStrictEqual(fixture.expected);
    expect(wire).toBe(JSON.stringify(fixture.expected));
  });
});

describe('event builders', () => {
  const base: ProxyRequestInput = {
    apiFlavour: 'HTTP',
    method: 'GET',
    rawPath: '/dev/x',
    path: '/x',
    rawQueryString: '',
    rawHeaders: [],
    body: undefined,
    sourceIp: '127.0.0.1',
    protocol: 'HTTP/1.1',
    routeKey: '$default',
    resourcePath: '$default',
    pathParameters: undefined,
    stageVariables: undefined,
    stage: 'dev',
    requestId: 'r',
    requestTimeEpoch: 1_000,
    domainName: 'localhost',
    domainPrefix: 'localhost',
    apiId: 'api',
    accountId: '000000000000',
  };

  it('2.0 omits every empty optional member and keeps headers as {}', () => {
    expect(JSON.parse(encodeEvent(buildEventV2(base)).toString('utf8'))).toStrictEqual({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/dev/x',
      rawQueryString: '',
      headers: {},
      requestContext: {
        accountId: '000000000000',
        apiId: 'api',
        domainName: 'localhost',
        domainPrefix: 'localhost',
        http: { method: 'GET', path: '/dev/x', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' },
        requestId: 'r',
        routeKey: '$default',
        stage: 'dev',
        time: '01/Jan/1970:00:00:01 +0000',
        timeEpoch: 1000,
      },
      isBase64Encoded: false,
    });
  });

  it('1.0 sends null for empty headers, queries, parameters, stage variables and body', () => {
    const event = buildEventV1({ ...base, apiFlavour: 'REST', rawQueryString: '&&' });
    expect(event.headers).toBeNull();
    expect(event.multiValueHeaders).toBeNull();
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect('version' in event).toBe(false);
    expect(event.path).toBe('/x');
    expect(event.requestContext.path).toBe('/dev/x');
    expect(event.requestContext.resourceId).toBeNull();
    expect('authorizer' in event.requestContext).toBe(false);
  });

  it('treats header and query names such as __proto__ and constructor as data', () => {
    const input: ProxyRequestInput = {
      ...base,
      rawHeaders: ['constructor', 'a', '__proto__', 'b', 'Constructor', 'c'],
      rawQueryString: '__proto__=1&toString=2&__proto__=3',
    };
    // Compared as JSON text: the wire is what matters, and matchers treat an own `__proto__` specially.
    const v2 = buildEventV2(input);
    expect(JSON.stringify(v2.headers)).toBe('{"constructor":"a,c","__proto__":"b"}');
    expect(JSON.stringify(v2.queryStringParameters)).toBe('{"__proto__":"1,3","toString":"2"}');
    const v1 = buildEventV1({ ...input, apiFlavour: 'REST' });
    expect(JSON.stringify(v1.headers)).toBe('{"constructor":"c","__proto__":"b"}');
    expect(JSON.stringify(v1.multiValueHeaders)).toBe('{"constructor":["a","c"],"__proto__":["b"]}');
    expect(JSON.stringify(v1.queryStringParameters)).toBe('{"__proto__":"3","toString":"2"}');
    expect(JSON.stringify(v1.multiValueQueryStringParameters)).toBe(
      '{"__proto__":["1","3"],"toString":["2"]}',
    );
  });

  it('drops HTTP/2 pseudo-headers and hop-by-hop headers', () => {
    const event = buildEventV2({
      ...base,
      rawHeaders: [
        ':authority',
        'h',
        'Keep-Alive',
        'timeout=5',
        'Upgrade',
        'h2c',
        'TE',
        'trailers',
        'X-Ok',
        '1',
      ],
    });
    expect({ ...event.headers }).toStrictEqual({ 'x-ok': '1' });
  });

  it.each([
    ['application/json', false],
    ['application/json; charset=utf-8', false],
    ['TEXT/CSV', false],
    ['application/xml', false],
    ['application/javascript', false],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', true],
    ['multipart/form-data; boundary=x', true],
    ['application/vnd.api+json', true],
    [undefined, true],
  ] as const)('HTTP API body with content-type %s -> base64 %s', (contentType, base64) => {
    const rawHeaders = contentType === undefined ? [] : ['Content-Type', contentType];
    const input = { ...base, rawHeaders, body: Buffer.from('é!') };
    const v2 = buildEventV2(input);
    const v1 = buildEventV1(input);
    const body = base64 ? Buffer.from('é!').toString('base64') : 'é!';
    expect([v2.body, v2.isBase64Encoded]).toStrictEqual([body, base64]);
    expect([v1.body, v1.isBase64Encoded]).toStrictEqual([body, base64]);
  });

  it('REST sends a binary body as base64 only when Content-Type matches binaryMediaTypes', () => {
    const input: ProxyRequestInput = {
      ...base,
      apiFlavour: 'REST',
      rawHeaders: ['Content-Type', 'application/octet-stream'],
      body: Buffer.from([0xff, 0x00]),
    };
    expect(buildEventV1(input).isBase64Encoded).toBe(false);
    const withTypes = buildEventV1({ ...input, binaryMediaTypes: ['*/*'] });
    expect([withTypes.body, withTypes.isBase64Encoded]).toStrictEqual(['/wA=', true]);
  });

  it('renders authorizer results per payload version', () => {
    const lambda = { kind: 'lambda', context: { n: 1, o: { a: 1 }, claims: 'x' } } as const;
    expect(buildEventV2({ ...base, authorizer: lambda }).requestContext.authorizer).toStrictEqual({
      lambda: { n: 1, o: { a: 1 }, claims: 'x' },
    });
    // 1.0: values stringified, reserved `claims` key dropped.
    expect(buildEventV1({ ...base, authorizer: lambda }).requestContext.authorizer).toStrictEqual({
      n: '1',
      o: '{"a":1}',
    });
    const jwt = { kind: 'jwt', claims: { sub: 's' }, scopes: ['a'] } as const;
    expect(buildEventV2({ ...base, authorizer: jwt }).requestContext.authorizer).toStrictEqual({
      jwt: { claims: { sub: 's' }, scopes: ['a'] },
    });
    expect(buildEventV1({ ...base, authorizer: jwt }).requestContext.authorizer).toStrictEqual({
      claims: { sub: 's' },
      scopes: ['a'],
    });
  });
});
