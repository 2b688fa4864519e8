import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { parseRawResponse, rawExchange, send, REQUEST_ID } from '../helpers/http-client.js';
import { startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

const P = '/_aws/execute-api/s/x';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request';

/** A case: what goes on the wire, and the status line expected back ('closed' = no answer, just a close). */
type Case = [name: string, parts: string[], expected: string];

// Each case goes over a raw socket; afterwards the upstream must not have seen it, and a normal
// request must still work (the process survived and the gateway serves).
describe('bad input never reaches an upstream and never stops the gateway', () => {
  let up: TestUpstream;
  let gw: TestGateway;

  beforeAll(async () => {
    up = await startUpstream();
    gw = await startGateway(
      {
        apis: {
          s: {
            integrations: { up: { type: 'HTTP_PROXY', uri: `http://${up.host}` } },
            routes: { $default: 'up' },
            stages: { $default: {} },
          },
        },
      },
      { headersTimeoutMs: 300, requestTimeoutMs: 600 },
    );
  });

  afterAll(async () => {
    await gw?.close();
    await up?.close();
  });

  /** Sends the case, checks the answer, that the upstream saw nothing, and that the gateway still serves. */
  const expectRefused = async (
    parts: string[],
    expected: string,
    options: { gapMs?: number; body?: string } = {},
  ): Promise<void> => {
    const before = up.requests.length;
    const reply = await rawExchange(gw.port, parts, { waitMs: 3_000, ...options });
    if (expected === 'closed') {
      expect(reply.text).toBe('');
    } else {
      expect(reply.statusLine).toBe(expected);
      const parsed = parseRawResponse(reply.text);
      expect(parsed.headers['apigw-requestid']).toMatch(REQUEST_ID);
      // RFC 9110 §6.6.1: an origin server with a clock sends Date, on refusals too.
      expect(parsed.headers.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      if (options.body !== undefined) expect(parsed.body).toBe(options.body);
    }
    expect(reply.closed).toBe(true);
    const ok = await send(`${gw.url}/_aws/execute-api/s/still-ok`);
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.body) as Echo).url).toBe('/still-ok');
    expect(up.requests.map((r) => r.url)).toEqual([
      ...up.requests.slice(0, before).map((r) => r.url),
      '/still-ok',
    ]);
  };

  const malformed: Case[] = [
    ['garbage request line', ['GARBAGE\r\n\r\n'], BAD_REQUEST],
    ['method only', ['GET\r\n\r\n'], BAD_REQUEST],
    ['extra token after the version', [`GET ${P} HTTP/1.1 extra\r\nHost: a\r\n\r\n`], BAD_REQUEST],
    ['space inside the target', [`GET /_aws/execute-api/s/a b HTTP/1.1\r\nHost: a\r\n\r\n`], BAD_REQUEST],
    ['control character in the target', [`GET ${P}\x01 HTTP/1.1\r\nHost: a\r\n\r\n`], BAD_REQUEST],
    ['NUL in the method', [`G\x00T ${P} HTTP/1.1\r\nHost: a\r\n\r\n`], BAD_REQUEST],
    ['bare LF line endings', [`GET ${P} HTTP/1.1\nHost: a\n\n`], BAD_REQUEST],
    ['unknown HTTP version', [`GET ${P} HTTP/1.7x\r\nHost: a\r\n\r\n`], BAD_REQUEST],
    [
      'HTTP/2.0 over HTTP/1 framing',
      [`GET ${P} HTTP/2.0\r\nHost: a\r\n\r\n`],
      'HTTP/1.1 505 HTTP Version Not Supported',
    ],
    ['HTTP/0.9 (no version)', [`GET ${P}\r\n\r\n`], 'HTTP/1.1 505 HTTP Version Not Supported'],
    ['HTTP/1.1 without Host', [`GET ${P} HTTP/1.1\r\n\r\n`], BAD_REQUEST],
    ['two Host headers', [`GET ${P} HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n`], BAD_REQUEST],
    ['header without a colon', [`GET ${P} HTTP/1.1\r\nHost: a\r\nX-No-Colon\r\n\r\n`], BAD_REQUEST],
    ['space in a header name', [`GET ${P} HTTP/1.1\r\nHost: a\r\nX Y: z\r\n\r\n`], BAD_REQUEST],
    ['obsolete line folding', [`GET ${P} HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n`], BAD_REQUEST],
    ['NUL in a header value', [`GET ${P} HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n`], BAD_REQUEST],
  ];
  it.each(malformed)('malformed request: %s', async (_name, parts, expected) => {
    await expectRefused(parts, expected);
  });

  it('refuses request targets that are not origin-form with 400 {"message":"Bad Request"}', async () => {
    for (const target of [`http://evil.example${P}`, '*', 'x']) {
      await expectRefused([`GET ${target} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`], BAD_REQUEST, {
        body: '{"message":"Bad Request"}',
      });
    }
  });

  it('answers 431 to headers over 10 KB', async () => {
    await expectRefused(
      [`GET ${P} HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(10_300)}\r\n\r\n`],
      'HTTP/1.1 431 Request Header Fields Too Large',
      { body: '{"message":"Request Header Fields Too Large"}' },
    );
    const many = Array.from({ length: 200 }, (_, i) => `X-H${i}: ${'b'.repeat(80)}\r\n`).join('');
    await expectRefused(
      [`GET ${P} HTTP/1.1\r\nHost: a\r\n${many}\r\n`],
      'HTTP/1.1 431 Request Header Fields Too Large',
    );
    // Just under the limit still works.
    const res = await send(`${gw.url}${P}`, { headers: { 'x-big': 'c'.repeat(9_000) } });
    expect(res.status).toBe(200);
  });

  it.each([['/a%zz'], ['/a%'], ['/a%4'], ['/a%e2%82'], ['/a%ff'], ['/a?q=%zz'], ['/a?q=%e2%82']])(
    'answers 400 to invalid percent-encoding: %s',
    async (path) => {
      await expectRefused(
        [`GET /_aws/execute-api/s${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`],
        BAD_REQUEST,
        { body: '{"message":"Bad Request"}' },
      );
    },
  );

  it.each([
    ['/a/../b'],
    ['/a/./b'],
    ['/..'],
    ['/a/..'],
    ['/a/%2e%2e/b'],
    ['/a/%2E%2E/b'],
    ['/a/.%2e/b'],
    ['/a/%2e/b'],
    ['/a%2fb'],
    ['/a%2F..%2Fb'],
    ['/a%5cb'],
    ['/a\\b'],
    ['/a%00b'],
  ])('answers 400 to dot segments and encoded separators: %s', async (path) => {
    await expectRefused(
      [`GET /_aws/execute-api/s${path} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`],
      BAD_REQUEST,
      { body: '{"message":"Bad Request"}' },
    );
  });

  const post = `POST ${P} HTTP/1.1\r\nHost: a\r\n`;
  const smuggling: Case[] = [
    [
      'Content-Length with Transfer-Encoding',
      [`${post}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
      BAD_REQUEST,
    ],
    [
      'Transfer-Encoding with Content-Length',
      [`${post}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`],
      BAD_REQUEST,
    ],
    [
      'two different Content-Lengths',
      [`${post}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!`],
      BAD_REQUEST,
    ],
    ['a Content-Length list', [`${post}Content-Length: 5, 6\r\n\r\nhello!`], BAD_REQUEST],
    ['a negative Content-Length', [`${post}Content-Length: -1\r\n\r\n`], BAD_REQUEST],
    ['a non-numeric Content-Length', [`${post}Content-Length: 5x\r\n\r\nhello`], BAD_REQUEST],
    [
      'Transfer-Encoding chunked, identity',
      [`${post}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`],
      BAD_REQUEST,
    ],
    [
      'an unknown transfer coding',
      [`${post}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`],
      'HTTP/1.1 501 Not Implemented',
    ],
    ['a bad chunk size', [`${post}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`], BAD_REQUEST],
    [
      'a negative chunk size',
      [`${post}Transfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n`],
      BAD_REQUEST,
    ],
    [
      'an overflowing chunk size',
      [`${post}Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nhello\r\n0\r\n\r\n`],
      BAD_REQUEST,
    ],
    [
      'a bad chunk size after the headers went',
      [`${post}Transfer-Encoding: chunked\r\n\r\n`, 'zz\r\nhello\r\n0\r\n\r\n'],
      BAD_REQUEST,
    ],
  ];
  it.each(smuggling)('request smuggling shape: %s', async (_name, parts, expected) => {
    await expectRefused(parts, expected, { gapMs: 50 });
  });

  it('answers 408 when the headers do not arrive in time (headersTimeoutMs)', async () => {
    await expectRefused([`GET ${P} HTTP/1.1\r\nHost: a\r\n`], 'HTTP/1.1 408 Request Timeout', {
      body: '{"message":"Request Timeout"}',
    });
    // Trickling header lines does not reset the clock.
    const lines = [`GET ${P} HTTP/1.1\r\n`, ...Array.from({ length: 8 }, (_, i) => `X-Slow-${i}: 1\r\n`)];
    await expectRefused(lines, 'HTTP/1.1 408 Request Timeout', { gapMs: 100 });
  });

  it('answers 408 when the body does not arrive in time (requestTimeoutMs)', async () => {
    await expectRefused([`${post}Content-Length: 10\r\n\r\n`], 'HTTP/1.1 408 Request Timeout', {
      body: '{"message":"Request Timeout"}',
    });
  });

  // Bodies are streamed, so when the bad part comes after good body bytes the upstream may have seen
  // the start of the request; it must see that request fail, never complete.
  it.each([
    [
      'a chunk longer than its size',
      `${post}Transfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n`,
      BAD_REQUEST,
    ],
    [
      'a body that stalls half-way (requestTimeoutMs)',
      `${post}Content-Length: 10\r\n\r\nabc`,
      'HTTP/1.1 408 Request Timeout',
    ],
  ])('%s: refused, and the upstream never gets a complete request', async (_name, wire, expected) => {
    const before = up.requests.length;
    const reply = await rawExchange(gw.port, [wire]);
    expect(reply.statusLine).toBe(expected);
    expect(reply.closed).toBe(true);
    const seen = up.requests.slice(before);
    for (const s of seen) expect(s.body).toBeUndefined();
    const ok = await send(`${gw.url}/_aws/execute-api/s/still-ok`);
    expect(ok.status).toBe(200);
  });
});
