import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawExchange, parseRawResponse } from '../helpers/http-client.js';
import { echoHandler, startUpstream, type Echo, type TestUpstream } from '../helpers/upstream.js';

// Black-box tests of the data plane's HTTP/1.1 core (src/http1): connection reuse, pipelining,
// framing and interim responses, over raw sockets against a real upstream.

const E = '/_aws/execute-api/s/e';
const OK = 'HTTP/1.1 200 OK';
const DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const NOT_FOUND_BODY = '{"message":"Not Found"}';

/** One response read off a raw connection. */
interface Reply {
  statusLine: string;
  /** Header lines as sent (without the status line). */
  lines: string[];
  /** Lower-cased names; repeated fields joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

/** Takes one complete response off the front of `buf`, or undefined when more bytes are needed. */
function takeReply(buf: string, noBody: boolean, ended: boolean): { reply: Reply; used: number } | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) return undefined;
  const [statusLine = '', ...lines] = buf.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const status = Number(statusLine.split(' ')[1]);
  const reply = (body: string): Reply => ({ statusLine, lines, headers, body });
  let pos = end + 4;
  if (noBody || status < 200 || status === 204 || status === 304) return { reply: reply(''), used: pos };
  if (headers['transfer-encoding'] === 'chunked') {
    let body = '';
    for (;;) {
      const eol = buf.indexOf('\r\n', pos);
      if (eol === -1) return undefined;
      const size = parseInt(buf.slice(pos, eol), 16);
      if (size === 0) return buf.length < eol + 4 ? undefined : { reply: reply(body), used: eol + 4 };
      if (buf.length < eol + 2 + size + 2) return undefined;
      body += buf.slice(eol + 2, eol + 2 + size);
      pos = eol + 2 + size + 2;
    }
  }
  if (headers['content-length'] !== undefined) {
    const used = pos + Number(headers['content-length']);
    return buf.length < used ? undefined : { reply: reply(buf.slice(pos, used)), used };
  }
  return ended ? { reply: reply(buf.slice(pos)), used: buf.length } : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A raw client connection that reads responses one at a time, as they arrive. */
class RawConnection {
  /** Bytes received and not yet taken as a response. */
  buffered = '';
  /** The server closed its side. */
  ended = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => (this.buffered += c.toString('latin1')));
    socket.on('end', () => (this.ended = true));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text, 'latin1');
  }

  /** The next complete response (`noBody` for an answer to HEAD); waits up to 3 s. */
  async next(options: { noBody?: boolean } = {}): Promise<Reply> {
    const take = () => takeReply(this.buffered, options.noBody ?? false, this.ended);
    const deadline = Date.now() + 3_000;
    while (take() === undefined && !this.ended && Date.now() < deadline) await sleep(5);
    const got = take();
    if (got === undefined) throw new Error(`no complete response; received ${JSON.stringify(this.buffered)}`);
    this.buffered = this.buffered.slice(got.used);
    return got.reply;
  }

  /** True once the server has closed the connection (waits up to `timeoutMs`). */
  async closed(timeoutMs = 3_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await sleep(5);
    return this.ended;
  }
}

const get = (path: string, extra = '', version = '1.1'): string =>
  `GET ${E}${path} HTTP/${version}\r\nHost: a\r\n${extra}\r\n`;
const post = (path: string, body: string, extra = ''): string =>
  `POST ${E}${path} HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

function echo(reply: Reply): Echo {
  return JSON.parse(reply.body) as Echo;
}

/** A 200 echo reply from a connection that stays open, as Node would frame it. */
function expectKeptAlive(reply: Reply, url: string): void {
  expect(reply.statusLine).toBe(OK);
  expect(reply.headers['connection']).toBe('keep-alive');
  expect(reply.headers['keep-alive']).toBe('timeout=5');
  expect(reply.headers['content-length']).toBe(String(reply.body.length));
  expect(echo(reply).url).toBe(url);
}

function expectClosing(reply: Reply): void {
  expect(reply.headers['connection']).toBe('close');
  expect(reply.headers['keep-alive']).toBeUndefined();
}

describe('HTTP/1.1 core: connections, framing and interim responses', () => {
  let up: TestUpstream;
  let gw: TestGateway;
  const open: RawConnection[] = [];

  const connection = async (): Promise<RawConnection> => {
    const c = await RawConnection.open(gw.port);
    open.push(c);
    return c;
  };
  const upstreamUrls = (since: number): string[] => up.requests.slice(since).map((r) => r.url);

  beforeAll(async () => {
    up = await startUpstream((req, res, seen) => {
      if (req.url?.startsWith('/stream')) {
        // No Content-Length: the gateway has to choose the framing towards its client.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one;');
        setTimeout(() => res.end('two'), 20);
        return;
      }
      echoHandler(req, res, seen);
    });
    gw = await startGateway({
      apis: {
        s: {
          integrations: { up: { type: 'HTTP_PROXY', uri: `http://${up.host}/{proxy}` } },
          routes: { 'ANY /e/{proxy+}': 'up' },
          stages: { $default: {} },
        },
      },
    });
  });

  afterAll(async () => {
    for (const c of open) c.socket.destroy();
    await gw?.close();
    await up?.close();
  });

  it('answers two requests one after the other on one connection (keep-alive)', async () => {
    const c = await connection();
    c.write(get('/one'));
    expectKeptAlive(await c.next(), '/one');
    c.write(get('/two'));
    const second = await c.next();
    expectKeptAlive(second, '/two');
    expect(c.ended).toBe(false);
    expect(c.buffered).toBe('');
  });

  it('sends a current Date on every response', async () => {
    const c = await connection();
    c.write(get('/dated'));
    const ok = await c.next();
    c.write(`GET /_aws/execute-api/s/missing HTTP/1.1\r\nHost: a\r\n\r\n`);
    const missing = await c.next();
    for (const reply of [ok, missing]) {
      expect(reply.headers['date']).toMatch(DATE);
      expect(Math.abs(Date.parse(reply.headers['date'] as string) - Date.now())).toBeLessThan(5_000);
      expect(reply.lines.filter((l) => /^date:/i.test(l))).toHaveLength(1);
    }
    expect(missing.statusLine).toBe('HTTP/1.1 404 Not Found');
  });

  it('answers pipelined requests in order on one connection', async () => {
    const before = up.requests.length;
    const c = await connection();
    c.write(get('/p1') + post('/p2', 'hello', 'Content-Type: text/plain\r\n') + get('/p3'));
    const replies = [await c.next(), await c.next(), await c.next()];
    expect(replies.map((r) => echo(r).url)).toEqual(['/p1', '/p2', '/p3']);
    for (const [i, r] of replies.entries()) expectKeptAlive(r, `/p${i + 1}`);
    expect(echo(replies[1] as Reply)).toMatchObject({ method: 'POST', body: 'hello' });
    expect(upstreamUrls(before)).toEqual(['/p1', '/p2', '/p3']);
    expect(c.ended).toBe(false);
  });

  it('answers pipelined requests written byte by byte', async () => {
    const c = await connection();
    const wire = get('/b1') + post('/b2', 'xyz') + get('/b3');
    for (const ch of wire) c.write(ch);
    const replies = [await c.next(), await c.next(), await c.next()];
    expect(replies.map((r) => [r.statusLine, echo(r).url, echo(r).body])).toEqual([
      [OK, '/b1', ''],
      [OK, '/b2', 'xyz'],
      [OK, '/b3', ''],
    ]);
  });

  it('Connection: close is answered with Connection: close, then the connection is closed', async () => {
    const before = up.requests.length;
    const c = await connection();
    // What follows a `Connection: close` request is never read.
    c.write(get('/closing', 'Connection: close\r\n') + get('/after'));
    const reply = await c.next();
    expect(reply.statusLine).toBe(OK);
    expectClosing(reply);
    expect(echo(reply).url).toBe('/closing');
    expect(await c.closed()).toBe(true);
    expect(c.buffered).toBe('');
    expect(upstreamUrls(before)).toEqual(['/closing']);
  });

  it('closes an HTTP/1.0 connection without keep-alive after the response', async () => {
    const reply = await rawExchange(gw.port, `GET ${E}/old HTTP/1.0\r\n\r\n`);
    expect(reply.closed).toBe(true);
    const parsed = parseRawResponse(reply.text);
    expect(parsed.statusLine).toBe(OK);
    expect(parsed.headers['connection']).toBe('close');
    expect(parsed.headers['keep-alive']).toBeUndefined();
    expect(parsed.headers['content-length']).toBe(String(parsed.body.length));
    expect((JSON.parse(parsed.body) as Echo).url).toBe('/old');
  });

  it('keeps an HTTP/1.0 connection with Connection: keep-alive open', async () => {
    const c = await connection();
    c.write(get('/old1', 'Connection: keep-alive\r\n', '1.0'));
    expectKeptAlive(await c.next(), '/old1');
    expect(await c.closed(100)).toBe(false);
    c.write(get('/old2', 'Connection: Keep-Alive\r\n', '1.0'));
    expectKeptAlive(await c.next(), '/old2');
    // Without the header the next one is the last.
    c.write(get('/old3', '', '1.0'));
    const last = await c.next();
    expectClosing(last);
    expect(echo(last).url).toBe('/old3');
    expect(await c.closed()).toBe(true);
  });

  it('streams a response of unknown length chunked to HTTP/1.1 and until the close to HTTP/1.0', async () => {
    const c11 = await connection();
    c11.write(get('/stream'));
    const chunked = await c11.next();
    expect(chunked.statusLine).toBe(OK);
    expect(chunked.headers).toMatchObject({ 'transfer-encoding': 'chunked', connection: 'keep-alive' });
    expect(chunked.headers['content-length']).toBeUndefined();
    expect(chunked.body).toBe('one;two');
    c11.write(get('/after-stream'));
    expectKeptAlive(await c11.next(), '/after-stream');

    const c10 = await connection();
    c10.write(get('/stream', 'Connection: keep-alive\r\n', '1.0'));
    const untilClose = await c10.next();
    expect(untilClose.statusLine).toBe(OK);
    expectClosing(untilClose);
    expect(untilClose.headers['transfer-encoding']).toBeUndefined();
    expect(untilClose.body).toBe('one;two');
    expect(c10.ended).toBe(true);
  });

  it('Expect: 100-continue with a body: HTTP/1.1 100 Continue comes before the body is sent', async () => {
    const c = await connection();
    c.write(`POST ${E}/cont HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n`);
    const interim = await c.next();
    expect(interim).toEqual({ statusLine: 'HTTP/1.1 100 Continue', lines: [], headers: {}, body: '' });
    c.write('hello');
    expect((await c.next()).statusLine).toMatch(/^HTTP\/1\.1 \d{3} /);
  });

  // Fails: the gateway forwards `Expect` to the upstream and undici refuses it ("expect header not
  // supported"), so the final answer is 502. Not in src/http1 (the header is not dropped in
  // src/integrations/http-proxy/http-proxy.ts forwardHeaders); the same happened before src/http1.
  it('Expect: 100-continue with a body: final 200, and the upstream got the body', async () => {
    const before = up.requests.length;
    const c = await connection();
    c.write(`POST ${E}/cont HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n`);
    expect((await c.next()).statusLine).toBe('HTTP/1.1 100 Continue');
    c.write('hello');
    const final = await c.next();
    expect(final.statusLine).toBe(OK);
    expect(echo(final)).toMatchObject({ method: 'POST', url: '/cont', body: 'hello' });
    expect(up.requests.slice(before).map((r) => r.body?.toString())).toEqual(['hello']);
  });

  // Fails: RFC 9110 §10.1.1 "A server that receives a 100-continue expectation in an HTTP/1.0
  // request MUST ignore that expectation" (node:http did); src/http1/connection.ts #startRequest
  // writes `HTTP/1.1 100 Continue` whatever the request's version.
  it('Expect: 100-continue in an HTTP/1.0 request is ignored (no interim response)', async () => {
    const c = await connection();
    c.write(`POST ${E}/cont10 HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello`);
    const first = await c.next();
    expect(first.statusLine).not.toBe('HTTP/1.1 100 Continue');
  });

  it('answers an unknown expectation with 417 and closes', async () => {
    const before = up.requests.length;
    const reply = await rawExchange(gw.port, get('/exp', 'Expect: tea-please\r\n'));
    expect(reply.closed).toBe(true);
    const parsed = parseRawResponse(reply.text);
    expect(parsed.statusLine).toBe('HTTP/1.1 417 Expectation Failed');
    expect(parsed.headers).toMatchObject({ connection: 'close', 'content-length': '32' });
    expect(parsed.body).toBe('{"message":"Expectation Failed"}');
    expect(upstreamUrls(before)).toEqual([]);
  });

  it('answers HEAD with the upstream headers (its Content-Length) and no body', async () => {
    const c = await connection();
    c.write(`HEAD ${E}/h HTTP/1.1\r\nHost: a\r\n\r\n`);
    const head = await c.next({ noBody: true });
    const seen = up.requests.at(-1);
    expect(seen?.method).toBe('HEAD');
    // What the echo upstream would have sent for GET-like framing: its length, no bytes.
    const length = Buffer.byteLength(
      JSON.stringify({ method: 'HEAD', url: '/h', headers: seen?.headers, body: '' }),
    );
    expect(head.statusLine).toBe(OK);
    expect(head.headers).toMatchObject({
      'content-length': String(length),
      'content-type': 'application/json',
      connection: 'keep-alive',
    });
    expect(head.headers['transfer-encoding']).toBeUndefined();
    // No body bytes: the next response starts right after the head.
    c.write(get('/after-head'));
    expectKeptAlive(await c.next(), '/after-head');
    expect(c.buffered).toBe('');
  });

  const postMissing = (framing: string): string =>
    `POST /_aws/execute-api/s/missing HTTP/1.1\r\nHost: a\r\n${framing}\r\n\r\n`;
  it.each([
    [
      'Content-Length, body sent with the head',
      [`${postMissing('Content-Length: 10')}0123456789${get('/next')}`],
    ],
    // The end of the body looks like a request line.
    [
      'Content-Length, body sent after the 404',
      [postMissing('Content-Length: 10'), '01234', `GET /${get('/next')}`],
    ],
    [
      'chunked, body split',
      [
        `${postMissing('Transfer-Encoding: chunked')}5\r\nhel`,
        `lo\r\n0\r\nX-Trailer: 1\r\n\r\n${get('/next')}`,
      ],
    ],
  ])('a body the route never reads (404) is skipped (%s); the next request works', async (_name, parts) => {
    const before = up.requests.length;
    const c = await connection();
    c.write(parts[0] as string);
    const missing = await c.next();
    expect(missing.statusLine).toBe('HTTP/1.1 404 Not Found');
    expect(missing.body).toBe(NOT_FOUND_BODY);
    expect(missing.headers['connection']).toBe('keep-alive');
    for (const part of parts.slice(1)) {
      await sleep(30);
      c.write(part);
    }
    expectKeptAlive(await c.next(), '/next');
    expect(upstreamUrls(before)).toEqual(['/next']);
    expect(c.ended).toBe(false);
  });

  it('forwards a chunked request body to the upstream', async () => {
    const before = up.requests.length;
    const c = await connection();
    const parts = [
      `POST ${E}/chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n`,
      '5;ext=1\r\nhello\r\n',
      '1\r\n \r\n00',
      '5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n',
    ];
    for (const part of parts) {
      c.write(part);
      await sleep(20);
    }
    const reply = await c.next();
    expectKeptAlive(reply, '/chunked');
    expect(echo(reply)).toMatchObject({ method: 'POST', body: 'hello world' });
    expect(up.requests.slice(before).map((r) => r.body?.toString())).toEqual(['hello world']);
    // The connection is still in step: the next request is answered.
    c.write(post('/after-chunked', 'ok'));
    expect(echo(await c.next())).toMatchObject({ url: '/after-chunked', body: 'ok' });
  });

  it('forwards a chunked body sent with the head in one write, followed by a pipelined request', async () => {
    const c = await connection();
    c.write(
      `PUT ${E}/chunked-one HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n` +
        `3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n${get('/next')}`,
    );
    expect(echo(await c.next())).toMatchObject({ method: 'PUT', url: '/chunked-one', body: 'abc0123456789' });
    expectKeptAlive(await c.next(), '/next');
  });
});

describe('HTTP/1.1 core: idle keep-alive connections', () => {
  let up: TestUpstream;
  let gw: TestGateway;
  let c: RawConnection | undefined;

  beforeAll(async () => {
    up = await startUpstream();
    gw = await startGateway(
      {
        apis: {
          s: {
            integrations: { up: { type: 'HTTP_PROXY', uri: `http://${up.host}/{proxy}` } },
            routes: { 'ANY /e/{proxy+}': 'up' },
            stages: { $default: {} },
          },
        },
      },
      // A short request timeout makes the server's timeout sweep run every 200 ms.
      { keepAliveTimeoutMs: 1_000, requestTimeoutMs: 400 },
    );
  });

  afterAll(async () => {
    c?.socket.destroy();
    await gw?.close();
    await up?.close();
  });

  it('closes a keep-alive connection idle for keepAliveTimeoutMs, and not before', async () => {
    c = await RawConnection.open(gw.port);
    c.write(get('/k1'));
    const first = await c.next();
    expect(first.statusLine).toBe(OK);
    expect(first.headers).toMatchObject({ connection: 'keep-alive', 'keep-alive': 'timeout=1' });
    // Half the timeout later the connection is still usable, and using it restarts the clock.
    expect(await c.closed(500)).toBe(false);
    c.write(get('/k2'));
    expect(echo(await c.next()).url).toBe('/k2');
    const idleFrom = Date.now();
    expect(await c.closed(3_000)).toBe(true);
    const idle = Date.now() - idleFrom;
    expect(idle).toBeGreaterThanOrEqual(900);
    expect(idle).toBeLessThan(2_000);
    // Closed without a word.
    expect(c.buffered).toBe('');
  });
});
