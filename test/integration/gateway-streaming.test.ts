import { request, type IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, waitFor, type TestGateway } from '../helpers/gateway.js';
import { parseRawResponse, rawExchange, send, REQUEST_ID } from '../helpers/http-client.js';
import { readSeenBody, startUpstream, type SeenRequest, type TestUpstream } from '../helpers/upstream.js';

const TEN_MB = 10 * 1024 * 1024;

/** A latch a test opens to let a paused party continue. */
function latch(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('HTTP_PROXY streams bodies both ways, and enforces the 10 MB payload limit', () => {
  let up: TestUpstream;
  let gw: TestGateway;
  /** Released by the response-streaming test once the client holds the first chunk. */
  let releaseSecondChunk = latch();
  /** What the request-streaming upstream has received so far. */
  let received: Buffer[] = [];
  let hangClosed = false;

  beforeAll(async () => {
    up = await startUpstream((req, res, seen) => {
      if (req.url === '/download') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first chunk;');
        void releaseSecondChunk.promise.then(() => res.end('second chunk'));
        return;
      }
      if (req.url === '/hang') {
        // Never answers; records when the gateway gives up the upstream request.
        req.socket.once('close', () => (hangClosed = true));
        return;
      }
      if (req.url === '/upload') {
        req.on('data', (c: Buffer) => received.push(c));
        req.on('end', () => {
          seen.body = Buffer.concat(received);
          res.end(`got ${seen.body.length} bytes: ${seen.body.toString()}`);
        });
        return;
      }
      void readSeenBody(req, seen).then(
        (body) => res.end(`len=${body.length}`),
        () => res.destroy(),
      );
    });
    gw = await startGateway({
      apis: {
        s: {
          integrations: { up: { type: 'HTTP_PROXY', uri: `http://${up.host}` } },
          routes: { $default: 'up' },
          stages: { $default: {} },
        },
      },
    });
  });

  afterEach(() => {
    releaseSecondChunk.open();
  });

  afterAll(async () => {
    await gw?.close();
    await up?.close();
  });

  const path = (p: string): string => `/_aws/execute-api/s${p}`;

  it('streams the response: the client gets the first chunk while the upstream is still sending', async () => {
    releaseSecondChunk = latch();
    const chunks: string[] = [];
    let res: IncomingMessage | undefined;
    let ended = false;
    const req = request({ host: '127.0.0.1', port: gw.port, path: path('/download'), agent: false }, (r) => {
      res = r;
      r.setEncoding('utf8');
      r.on('data', (c: string) => chunks.push(c));
      r.on('end', () => (ended = true));
    });
    req.end();
    // If the gateway buffered the response, this chunk would only come after the release below.
    await waitFor(() => chunks.join('') === 'first chunk;', 'the first chunk before the upstream finished');
    expect(ended).toBe(false);
    expect(res?.statusCode).toBe(200);
    expect(res?.headers['transfer-encoding']).toBe('chunked');
    expect(res?.headers['apigw-requestid']).toMatch(REQUEST_ID);
    releaseSecondChunk.open();
    await waitFor(() => ended, 'the end of the response');
    expect(chunks.join('')).toBe('first chunk;second chunk');
  });

  it.each([
    ['chunked', { 'transfer-encoding': 'chunked' }],
    ['Content-Length', { 'content-length': '10' }],
  ])(
    'streams a %s request body: the upstream gets the first part before the client sent the rest',
    async (_n, headers) => {
      received = [];
      let response = '';
      let status = 0;
      let done = false;
      const req = request(
        { host: '127.0.0.1', port: gw.port, path: path('/upload'), method: 'POST', headers, agent: false },
        (r) => {
          status = r.statusCode ?? 0;
          r.setEncoding('utf8');
          r.on('data', (c: string) => (response += c));
          r.on('end', () => (done = true));
        },
      );
      req.write('part1');
      // If the gateway buffered the request body, the upstream would see nothing until req.end().
      await waitFor(() => Buffer.concat(received).toString() === 'part1', 'the first part at the upstream');
      req.end('part2');
      await waitFor(() => done, 'the response');
      expect(status).toBe(200);
      expect(response).toBe('got 10 bytes: part1part2');
    },
  );

  it('a client that leaves before the upstream answered frees the upstream request', async () => {
    const before = up.requests.length;
    const req = request({ host: '127.0.0.1', port: gw.port, path: path('/hang'), agent: false });
    req.on('error', () => undefined);
    req.end();
    await waitFor(() => up.requests.length > before, 'the request at the upstream');
    expect(hangClosed).toBe(false);
    req.destroy();
    // Without the abort, the upstream connection would stay busy until the 30 s integration timeout.
    await waitFor(() => hangClosed, 'the upstream request to be aborted');
    expect((await send(`${gw.url}${path('/after')}`, { method: 'POST', body: 'ok' })).body).toBe('len=2');
  });

  it('refuses a declared Content-Length over 10 MB with 413 before reaching the upstream', async () => {
    const before = up.requests.length;
    const reply = await rawExchange(
      gw.port,
      `POST ${path('/big')} HTTP/1.1\r\nHost: x\r\nContent-Length: ${TEN_MB + 1}\r\n\r\n` + 'a'.repeat(1000),
    );
    const parsed = parseRawResponse(reply.text);
    expect(parsed.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(parsed.headers['apigw-requestid']).toMatch(REQUEST_ID);
    expect(parsed.headers['content-type']).toBe('application/json');
    expect(parsed.headers.connection).toBe('close');
    expect(parsed.body).toBe('{"message":"Request Entity Too Large"}');
    expect(reply.closed).toBe(true);
    expect(up.requests.length).toBe(before);
    // The gateway still serves.
    expect((await send(`${gw.url}${path('/after')}`, { method: 'POST', body: 'ok' })).body).toBe('len=2');
  });

  it('accepts exactly 10 MB, and stops a chunked body past 10 MB with 413', async () => {
    const exact = await send(`${gw.url}${path('/exact')}`, {
      method: 'POST',
      body: Buffer.alloc(TEN_MB, 97),
    });
    expect(exact.status).toBe(200);
    expect(exact.body).toBe(`len=${TEN_MB}`);

    const seenBefore = up.requests.length;
    const { status, body, requestId } = await new Promise<{
      status: number;
      body: string;
      requestId: unknown;
    }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: gw.port,
          path: path('/chunked-big'),
          method: 'POST',
          headers: { 'transfer-encoding': 'chunked' },
          agent: false,
        },
        (r) => {
          let text = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (text += c));
          r.on('end', () =>
            resolve({ status: r.statusCode ?? 0, body: text, requestId: r.headers['apigw-requestid'] }),
          );
        },
      );
      req.on('error', reject);
      const piece = Buffer.alloc(1024 * 1024, 98);
      let sent = 0;
      const pump = (): void => {
        while (sent <= TEN_MB) {
          sent += piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(body).toBe('{"message":"Request Entity Too Large"}');
    expect(requestId).toMatch(REQUEST_ID);
    // The upstream may have seen the start of the stream, but never a complete request body.
    const seen: SeenRequest[] = up.requests.slice(seenBefore);
    for (const s of seen) expect(s.body === undefined || s.body.length <= TEN_MB).toBe(true);
    expect((await send(`${gw.url}${path('/after')}`, { method: 'POST', body: 'ok' })).body).toBe('len=2');
  });
});
