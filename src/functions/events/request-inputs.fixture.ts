/**
 * Gateway requests for the proxy event tests: every shape the builders handle (for the tests of the
 * compact request text, proxy-input-codec.ts), and the recorded AWS samples in fixtures/events/ with
 * the request each was made from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ProxyRequestInput } from './types.js';

/** A recorded sample: the request as JSON (body as utf8/base64, null maps) and the event AWS sends for it. */
export interface EventFixture {
  description: string;
  version: '1.0' | '2.0';
  input: Omit<ProxyRequestInput, 'body' | 'pathParameters' | 'stageVariables'> & {
    body: { utf8: string } | { base64: string } | null;
    pathParameters: Record<string, string> | null;
    stageVariables: Record<string, string> | null;
  };
  expected: unknown;
}

const dir = new URL('./fixtures/events/', import.meta.url);

/** The recorded samples, by file name. */
export const recorded: Array<{ name: string; fixture: EventFixture }> = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, fixture: JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as EventFixture }));

/** The request a recorded sample was made from. */
export function toInput(fixture: EventFixture): ProxyRequestInput {
  const { body, pathParameters, stageVariables, ...rest } = fixture.input;
  return {
    ...rest,
    body:
      body === null
        ? undefined
        : 'utf8' in body
          ? Buffer.from(body.utf8, 'utf8')
          : Buffer.from(body.base64, 'base64'),
    pathParameters: pathParameters ?? undefined,
    stageVariables: stageVariables ?? undefined,
  };
}

export const base: ProxyRequestInput = {
  apiFlavour: 'HTTP',
  method: 'GET',
  rawPath: '/hello',
  path: '/hello',
  rawQueryString: '',
  rawHeaders: ['Host', 'example.com', 'User-Agent', 'curl/8.0'],
  body: undefined,
  sourceIp: '203.0.113.9',
  protocol: 'HTTP/1.1',
  routeKey: 'GET /hello',
  resourcePath: '/hello',
  pathParameters: undefined,
  stageVariables: undefined,
  stage: '$default',
  requestId: 'JZ1ifjJxoAMEVbw=',
  requestTimeEpoch: 1_718_635_693_123,
  domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
  domainPrefix: 'abc123',
  apiId: 'abc123',
  accountId: '000000000000',
};

const cert = {
  clientCertPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
  subjectDN: 'CN=client',
  issuerDN: 'CN=ca',
  serialNumber: '01',
  validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2021 GMT' },
};

export const cases: Array<[string, Partial<ProxyRequestInput>]> = [
  ['minimal GET', {}],
  ['no headers at all', { rawHeaders: [] }],
  ['no user agent', { rawHeaders: ['Host', 'x'] }],
  [
    'duplicate headers joined, cookies split, hop-by-hop dropped',
    {
      rawHeaders: [
        'Accept',
        'text/html',
        'accept',
        'application/json',
        'Cookie',
        'a=1; b=2',
        'Cookie',
        ' c=3 ;',
        'Connection',
        'keep-alive',
        'X-Forwarded-For',
        '198.51.100.1, 203.0.113.9',
      ],
    },
  ],
  ['an empty Cookie header gives no cookies', { rawHeaders: ['Cookie', ' ; '] }],
  [
    'header names that look like numbers or object members',
    { rawHeaders: ['123', 'n', '__proto__', 'p', 'constructor', 'c', '7', 'seven', 'toString', 't'] },
  ],
  [
    'values that need escaping',
    {
      rawHeaders: ['X-Quote', 'say "hi" \\ there', 'X-Control', 'tab\tand\u0001', 'User-Agent', 'ua "q"'],
      rawPath: '/a"b\\c',
      sourceIp: '::1',
    },
  ],
  [
    'non-ASCII, emoji and a lone surrogate',
    { rawHeaders: ['X-Name', 'Zoë ✓ 😀', 'X-Lone', 'a\ud800b', 'X-Sep', '\u2028\u2029'] },
  ],
  [
    'query string with duplicates, +, escapes and malformed %',
    { rawQueryString: 'a=1&a=2&b=x+y&c=%41%2&d&&=e' },
  ],
  ['query string of only separators', { rawQueryString: '&&' }],
  ['query keys that look like numbers', { rawQueryString: '10=a&2=b&z=c' }],
  ['path parameters', { pathParameters: { id: '42', proxy: 'a/b "c"' }, routeKey: 'GET /{id}/{proxy+}' }],
  ['empty path parameters and stage variables are omitted', { pathParameters: {}, stageVariables: {} }],
  ['stage variables and a named stage', { stageVariables: { env: 'dev', url: 'http://x' }, stage: 'dev' }],
  [
    'text body',
    {
      method: 'POST',
      body: Buffer.from('{"k":"v\\n","u":"é"}'),
      rawHeaders: ['Content-Type', 'application/json'],
    },
  ],
  [
    'binary body',
    {
      method: 'PUT',
      body: Buffer.from([0, 1, 2, 254, 255]),
      rawHeaders: ['Content-Type', 'application/octet-stream'],
    },
  ],
  ['body without a content type', { method: 'POST', body: Buffer.from('plain') }],
  ['empty body', { method: 'POST', body: Buffer.alloc(0) }],
  [
    'JWT authorizer',
    { authorizer: { kind: 'jwt', claims: { sub: 'u1', 'cognito:groups': '[a b]', n: 5 }, scopes: ['read'] } },
  ],
  ['JWT authorizer without scopes', { authorizer: { kind: 'jwt', claims: { sub: 'u1' }, scopes: null } }],
  [
    'Lambda authorizer context',
    { authorizer: { kind: 'lambda', context: { user: 'x', nested: { a: [1, null] } } } },
  ],
  ['Lambda authorizer without context', { authorizer: { kind: 'lambda' } }],
  ['client certificate', { clientCert: cert }],
  ['$default route', { routeKey: '$default', resourcePath: '$default' }],
];
