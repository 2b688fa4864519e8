import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the upstream saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Header names and values in arrival order and case. */
  rawHeaders: string[];
  /** The body, once it has been read completely (the echo handler reads it; custom handlers may not). */
  body: Buffer | undefined;
}

/** What the default echo handler answers: the request as seen, as JSON. */
export interface Echo {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real upstream HTTP server on 127.0.0.1, port 0, that records every request. */
export interface TestUpstream {
  server: Server;
  port: number;
  /** `127.0.0.1:PORT` (for stage variables and URIs). */
  host: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Custom upstream behaviour; `seen` is already recorded in `requests`. */
export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

/** Reads the whole request body into `seen.body`. */
export async function readSeenBody(req: IncomingMessage, seen: SeenRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  seen.body = Buffer.concat(chunks);
  return seen.body;
}

/** Answers 200 with the request echoed as JSON (method, url, headers, body). */
export const echoHandler: UpstreamHandler = (req, res, seen) => {
  readSeenBody(req, seen).then(
    (body) => {
      const echo: Echo = { method: seen.method, url: seen.url, headers: seen.headers, body: body.toString() };
      const text = JSON.stringify(echo);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
    () => res.destroy(),
  );
};

/** Starts an upstream; every request is recorded before `handler` (default: echo) runs. */
export async function startUpstream(handler: UpstreamHandler = echoHandler): Promise<TestUpstream> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const seen: SeenRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: undefined,
    };
    requests.push(seen);
    handler(req, res, seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    host: `127.0.0.1:${port}`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port that refuses connections (bound then closed). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
