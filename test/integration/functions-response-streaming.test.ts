import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionServer, type FunctionServer } from '../helpers/function-server.js';
import { fn, json } from '../helpers/functions.js';
import { FRAMEWORKS_DIR } from '../helpers/lambda-fidelity.js';

// Lambda's response streaming: handlers made with the runtime's global awslambda.streamifyResponse
// (and HttpResponseStream), through Invoke (buffered) and InvokeWithResponseStream (an event stream),
// with the real SDK client; and a real library that relies on it, Hono's streamHandle.
const STREAMING_DIR = join(FRAMEWORKS_DIR, '..', 'node-streaming');
let server: FunctionServer;

beforeAll(async () => {
  server = await startFunctionServer((box) => [
    fn('sh-stream', box.code('custom-sh'), 'function.handler', { runtime: 'provided.al2023', timeout: 10 }),
    fn('py-stream', box.code('custom-py'), 'main', { runtime: 'provided.al2023', timeout: 10 }),
    fn('text', STREAMING_DIR, 'index.text'),
    fn('text-thread', STREAMING_DIR, 'index.text', { isolation: 'thread' }),
    fn('http', STREAMING_DIR, 'index.http'),
    fn('fails', STREAMING_DIR, 'index.fails'),
    fn('no-end', STREAMING_DIR, 'index.noEnd'),
    fn('not-async', STREAMING_DIR, 'index.notAsync'),
    fn('plain', STREAMING_DIR, 'index.plain'),
    fn('waits', STREAMING_DIR, 'index.waits', { timeout: 10 }),
    fn('waits-thread', STREAMING_DIR, 'index.waits', { timeout: 10, isolation: 'thread' }),
    fn('hono-stream', FRAMEWORKS_DIR, 'hono-stream-app.handler'),
  ]);
});

afterAll(() => server?.close());

const payload = (event: unknown): Uint8Array => Buffer.from(JSON.stringify(event));

/**
 * The events of an InvokeWithResponseStream answer: the payload chunks (each, and joined), and
 * InvokeComplete. `afterFirst` runs when the first chunk has arrived, before the next is read.
 */
async function collect(
  out: InvokeWithResponseStreamCommandOutput,
  afterFirst?: () => void,
): Promise<{ bytes: Buffer; parts: string[]; complete: unknown }> {
  const chunks: Buffer[] = [];
  let complete: unknown;
  for await (const event of out.EventStream ?? []) {
    if (event.PayloadChunk?.Payload) {
      chunks.push(Buffer.from(event.PayloadChunk.Payload));
      if (chunks.length === 1) afterFirst?.();
    }
    if (event.InvokeComplete) complete = event.InvokeComplete;
  }
  return { bytes: Buffer.concat(chunks), parts: chunks.map((c) => c.toString()), complete };
}

describe('streaming handlers', () => {
  it('answer Invoke with what they wrote, in process and thread environments', async () => {
    for (const name of ['text', 'text-thread']) {
      const r = await server.client.send(
        new InvokeCommand({ FunctionName: name, Payload: payload({ name: 'you' }) }),
      );
      expect(r.StatusCode).toBe(200);
      expect(r.FunctionError).toBeUndefined();
      expect(Buffer.from(r.Payload ?? []).toString()).toBe('hello you 36');
    }
  });

  it('answer InvokeWithResponseStream as an event stream with their content type', async () => {
    const out = await server.client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'text', Payload: payload({ name: 'stream' }) }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.ResponseStreamContentType).toBe('text/plain');
    const { bytes, complete } = await collect(out);
    expect(bytes.toString()).toBe('hello stream 36');
    expect(complete).toStrictEqual({});
  });

  it('write the HTTP prelude of HttpResponseStream.from ahead of the body', async () => {
    const out = await server.client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'http', Payload: payload({}) }),
    );
    expect(out.ResponseStreamContentType).toBe('application/vnd.awslambda.http-integration-response');
    const { bytes } = await collect(out);
    const prelude = JSON.stringify({ statusCode: 201, headers: { 'x-custom': 'yes' } });
    expect(bytes).toStrictEqual(
      Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from('created')]),
    );
  });

  it('must end their stream and be async, as on Lambda; an error ends the stream in InvokeComplete', async () => {
    const noEnd = await server.client.send(
      new InvokeCommand({ FunctionName: 'no-end', Payload: payload({}) }),
    );
    expect(noEnd.FunctionError).toBe('Unhandled');
    expect((json(noEnd.Payload) as { errorType: string }).errorType).toBe('Sandbox.Timedout');
    const notAsync = await server.client.send(
      new InvokeCommand({ FunctionName: 'not-async', Payload: payload({}) }),
    );
    expect(notAsync.FunctionError).toBe('Unhandled');
    expect(json(notAsync.Payload)).toMatchObject({
      errorType: 'Error',
      errorMessage: 'Streaming does not support non-async handlers.',
    });

    const failed = await collect(
      await server.client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'fails', Payload: payload({}), LogType: 'Tail' }),
      ),
    );
    // What it wrote before it failed was sent already.
    expect(failed.bytes.toString()).toBe('partial');
    const complete = failed.complete as { ErrorCode: string; ErrorDetails: string; LogResult: string };
    expect([complete.ErrorCode, complete.ErrorDetails]).toStrictEqual(['Error', 'boom']);
    expect(Buffer.from(complete.LogResult, 'base64').toString()).toMatch(
      /^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/,
    );
    const invoked = await server.client.send(
      new InvokeCommand({ FunctionName: 'fails', Payload: payload({}) }),
    );
    expect(invoked.FunctionError).toBe('Unhandled');
  });

  it('send each part as it is written (the handler waits until the caller has the first)', async () => {
    for (const name of ['waits', 'waits-thread']) {
      const go = join(server.box.root, `go-${name}`);
      const out = await server.client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: name, Payload: payload({ go }) }),
      );
      const { parts, complete } = await collect(out, () => writeFileSync(go, ''));
      expect(parts).toStrictEqual(['first ', 'second']);
      expect(complete).toStrictEqual({});
    }
  });

  it('answers a missing function, Event and DryRun as Lambda does, before any stream', async () => {
    await expect(
      server.client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'missing', Payload: payload({}) }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
    // The SDK's types leave Event out: sent as a plain request.
    const event = await fetch(
      `${server.admin.url}/2021-11-15/functions/text/response-streaming-invocations`,
      {
        method: 'POST',
        headers: { 'x-amz-invocation-type': 'Event' },
        body: '{}',
      },
    );
    expect(event.status).toBe(400);
    expect(event.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    const dry = await server.client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'text',
        InvocationType: 'DryRun',
        Payload: payload({}),
      }),
    );
    expect([dry.StatusCode, dry.ExecutedVersion]).toStrictEqual([204, '$LATEST']);
  });

  it('streams a plain handler\u2019s JSON answer too', async () => {
    const out = await server.client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'plain', Payload: payload({ a: 1 }) }),
    );
    expect(out.ResponseStreamContentType).toBe('application/octet-stream');
    expect(JSON.parse((await collect(out)).bytes.toString())).toStrictEqual({ plain: true, event: { a: 1 } });
  });
});

describe('a custom runtime answering in streaming mode (Runtime API)', () => {
  it('sends each part as the bootstrap posts it, and Invoke gets them all', async () => {
    const go = join(server.box.root, 'go-sh');
    const out = await server.client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'sh-stream',
        Payload: payload({ stream: true, go }),
      }),
    );
    expect(out.ResponseStreamContentType).toBe('text/plain');
    const { parts, complete } = await collect(out, () => writeFileSync(go, ''));
    expect(parts.join('')).toBe('first second');
    expect(parts[0]).toBe('first ');
    expect(complete).toStrictEqual({});

    // Buffered: Invoke returns the whole response.
    const r = await server.client.send(
      new InvokeCommand({ FunctionName: 'sh-stream', Payload: payload({ stream: true, go }) }),
    );
    expect(r.FunctionError).toBeUndefined();
    expect(Buffer.from(r.Payload ?? []).toString()).toBe('first second');
  });

  it('ends the stream as a function error reported in the trailers', async () => {
    const out = await collect(
      await server.client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: 'py-stream',
          Payload: payload({ stream_error: true }),
        }),
      ),
    );
    expect(out.bytes.toString()).toBe('partial ');
    expect(out.complete).toStrictEqual({ ErrorCode: 'StreamError', ErrorDetails: 'stream broke' });
    const r = await server.client.send(
      new InvokeCommand({ FunctionName: 'py-stream', Payload: payload({ stream_error: true }) }),
    );
    expect(r.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(r.Payload ?? []).toString())).toStrictEqual({
      errorMessage: 'stream broke',
      errorType: 'StreamError',
    });
  });
});

describe("Hono's streamHandle (hono/aws-lambda)", () => {
  it('loads (it needs the awslambda global) and streams the response with its HTTP prelude', async () => {
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/stream',
      rawQueryString: '',
      headers: { host: 'example.com', 'user-agent': 'test' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'api',
        domainName: 'example.com',
        domainPrefix: 'example',
        http: {
          method: 'GET',
          path: '/stream',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'test',
        },
        requestId: 'r-1',
        routeKey: '$default',
        stage: '$default',
        time: '06/Dec/2026:05:00:00 +0000',
        timeEpoch: 1796533200000,
      },
      isBase64Encoded: false,
    };
    const out = await server.client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'hono-stream', Payload: payload(event) }),
    );
    expect(out.ResponseStreamContentType).toBe('application/vnd.awslambda.http-integration-response');
    const { bytes, complete } = await collect(out);
    expect(complete).toStrictEqual({});
    const split = bytes.indexOf(Buffer.alloc(8));
    const prelude = JSON.parse(bytes.subarray(0, split).toString()) as {
      statusCode: number;
      headers: Record<string, string>;
    };
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers['x-streamed']).toBe('yes');
    expect(prelude.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(bytes.subarray(split + 8).toString()).toBe('one two three');
  });
});
