import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startGateway, type TestGateway } from './gateway.js';

/** The framework fixtures (Express, Hono, Fastify apps behind their Lambda adapters). */
export const FRAMEWORKS_DIR = fileURLToPath(new URL('../fixtures/functions/frameworks/', import.meta.url));

/** The two payload formats an HTTP API AWS_PROXY integration can use. */
export type PayloadFormat = '1.0' | '2.0';

/** Both payload formats, for `describe.each`. */
export const PAYLOAD_FORMATS: readonly PayloadFormat[] = ['2.0', '1.0'];

/** One function of the framework fixtures: a handler export of a module in FRAMEWORKS_DIR. */
export interface FidelityFunction {
  name: string;
  /** e.g. `express-app.handler`. */
  handler: string;
  environment?: Record<string, string>;
}

/** One HTTP API whose `ANY /{proxy+}` and `$default` routes both go to `functionName`. */
export interface FidelityApi {
  apiId: string;
  functionName: string;
  payloadFormatVersion: PayloadFormat;
}

/**
 * The YAML config: each API has one AWS_PROXY integration used by `ANY /{proxy+}` and `$default`
 * (so `/` reaches the function too), a `$default` stage and a named stage `dev`.
 */
export function fidelityConfig(functions: readonly FidelityFunction[], apis: readonly FidelityApi[]): string {
  const config = {
    functions: Object.fromEntries(
      functions.map((f) => [
        f.name,
        {
          runtime: 'nodejs20.x',
          handler: f.handler,
          code: FRAMEWORKS_DIR,
          // Cold starts load a whole framework; keep clear of the 3 s default on a busy 2-core box.
          timeout: 15,
          memorySize: 256,
          ...(f.environment ? { environment: f.environment } : {}),
        },
      ]),
    ),
    apis: Object.fromEntries(
      apis.map((a) => [
        a.apiId,
        {
          integrations: {
            app: {
              type: 'AWS_PROXY',
              function: a.functionName,
              payloadFormatVersion: a.payloadFormatVersion,
            },
          },
          routes: { 'ANY /{proxy+}': 'app', $default: 'app' },
          stages: { $default: {}, dev: {} },
        },
      ]),
    ),
  };
  return stringify(config);
}

/** Starts one gateway (ports 0, silent) serving the framework fixtures. */
export function startFidelityGateway(
  functions: readonly FidelityFunction[],
  apis: readonly FidelityApi[],
): Promise<TestGateway> {
  return startGateway(fidelityConfig(functions, apis), { accessLog: false });
}

/** How a request addresses the API: `/_aws/execute-api/{apiId}/...` or `Host: {apiId}.execute-api.localhost`. */
export type AddressStyle = 'path' | 'host';

/** One request to an API through the gateway. */
export interface ApiCall {
  apiId: string;
  /** `undefined` = the `$default` stage (no prefix); `dev` = the named stage (`/dev/...`). */
  stage?: string;
  /** Path and query after the stage, starting with `/`. */
  path: string;
  style?: AddressStyle;
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

/** A complete response with the body as bytes. */
export interface FidelityResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Header names and values in arrival order and case. */
  rawHeaders: string[];
  body: Buffer;
  text(): string;
  json(): unknown;
  /** Every value of a header (case-insensitive), one per header line, in arrival order. */
  all(name: string): string[];
}

/** The URL and Host a call goes to. */
export function callTarget(port: number, call: ApiCall): { url: string; host: string } {
  const stagePath = (call.stage === undefined ? '' : `/${call.stage}`) + call.path;
  if ((call.style ?? 'path') === 'host') {
    return { url: `http://127.0.0.1:${port}${stagePath}`, host: `${call.apiId}.execute-api.localhost` };
  }
  return {
    url: `http://127.0.0.1:${port}/_aws/execute-api/${call.apiId}${stagePath}`,
    host: `127.0.0.1:${port}`,
  };
}

/** Sends one request on a fresh connection and collects the whole response as bytes. */
export function callApi(gw: TestGateway, call: ApiCall): Promise<FidelityResponse> {
  const { url, host } = callTarget(gw.port, call);
  const u = new URL(url);
  const headers: OutgoingHttpHeaders = { host, ...call.headers };
  if (call.body !== undefined) headers['content-length'] = Buffer.byteLength(call.body);
  return new Promise<FidelityResponse>((resolve, reject) => {
    const req = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method: call.method ?? 'GET',
        headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const rawHeaders = res.rawHeaders;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders,
            body,
            text: () => body.toString('utf8'),
            json: () => JSON.parse(body.toString('utf8')) as unknown,
            all: (name) => headerValues(rawHeaders, name),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/** Every value of header `name` (case-insensitive) in raw `[name, value, ...]` pairs. */
export function headerValues(rawHeaders: readonly string[], name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if ((rawHeaders[i] as string).toLowerCase() === lower) out.push(rawHeaders[i + 1] as string);
  }
  return out;
}

/** Header names in arrival order, lower-cased (to assert the exact set a response carries). */
export function headerNames(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) out.push((rawHeaders[i] as string).toLowerCase());
  return out;
}

/** HTTP API request ids (`apigw-requestid`): 15 base64 characters and `=`. */
export const REQUEST_ID = /^[A-Za-z0-9+/]{15}=$/;

/** An IMF-fixdate (`Sat, 28 Nov 2026 09:08:22 GMT`), as in `Date` headers. */
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The same 1x1 PNG as the fixtures' `shared.js` (fixtures are plain JS outside the typecheck). */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** A response reduced to what a test compares exactly. */
export interface ResponseShape {
  status: number;
  /**
   * Every header by lower-cased name: one line -> its value, several lines -> the list. Values that
   * change per request are checked and replaced: `apigw-requestid` -> `<id>`, `date` -> `<date>`.
   */
  headers: Record<string, string | string[]>;
  body: string;
}

/** The whole response (all headers, body as UTF-8) with per-request values checked and masked. */
export function shape(res: FidelityResponse): ResponseShape {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    const name = (res.rawHeaders[i] as string).toLowerCase();
    let value = res.rawHeaders[i + 1] as string;
    if (name === 'apigw-requestid' && REQUEST_ID.test(value)) value = '<id>';
    if (name === 'date' && HTTP_DATE.test(value)) value = '<date>';
    const prev = headers[name];
    headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return { status: res.status, headers, body: res.text() };
}

/** The headers the gateway itself adds to every response it sends for the function. */
export function gatewayHeaders(contentLength: number): Record<string, string> {
  return {
    'apigw-requestid': '<id>',
    'content-length': String(contentLength),
    date: '<date>',
    connection: 'close',
  };
}

/** What HTTP APIs answer when the function itself fails (reference §2.5). */
export const FUNCTION_FAILED: ResponseShape = {
  status: 500,
  headers: { 'content-type': 'application/json', ...gatewayHeaders(35) },
  body: '{"message":"Internal Server Error"}',
};
