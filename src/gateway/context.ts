import type { Http1Request, Http1Response } from '../http1/index.js';
import type { BodySource } from '../integrations/integration.js';
import type { CompiledApi, CompiledRoute, CompiledStage } from './compiled.js';
import type { RequestTarget } from './request-target.js';

/** Something to tell when the client's response closes (the integration in flight, a streamed body). */
export interface CloseListener {
  clientClosed(): void;
}

/** Everything the pipeline knows about one request. Created once per request; fields filled by phases. */
export class RequestContext {
  readonly req: Http1Request;
  readonly res: Http1Response<RequestContext>;
  readonly requestId: string;
  /** `performance.now()` at arrival, for latencies. */
  readonly startTime: number;
  /** Epoch ms at arrival. */
  readonly requestTimeEpoch: number;
  readonly sourceIp: string;
  /** 'http' or 'https' (of the data-plane listener). */
  readonly scheme: string;
  readonly localPort: number;
  /** Host header without port, lowercased ('' if absent). */
  domainName = '';
  target: RequestTarget | undefined;
  api: CompiledApi | undefined;
  stage: CompiledStage | undefined;
  route: CompiledRoute | undefined;
  routeKey = '-';
  pathParameters: Record<string, string> | undefined;
  /** The request path as the integration sees it (AWS `rawPath`: includes a named stage, not `/_aws/...`). */
  rawPath = '';
  /** Raw path after the stage / base path: AWS `$request.path`, appended for `$default` HTTP_PROXY routes. */
  rawRoutePath = '';
  /** Decoded segments used for route matching. */
  routeSegments: string[] = [];
  /** The base path mapping key matched on a custom domain ('' when none). */
  basePathMatched = '';
  /** ms spent in the integration, -1 when none ran. */
  integrationLatency = -1;
  /** Status the integration returned (before response mapping), -1 when none. */
  integrationStatus = -1;
  status = 0;
  /** Bytes of response body sent (set when known). */
  responseLength = -1;
  /** The streamed body being sent, if any (its byte count is the response length). */
  responseStream: BodySource | undefined;
  /** Message of a gateway-generated error (access log `$context.error.message`). */
  errorMessage: string | undefined;
  /** Told once when the client response closes (finished or connection lost). */
  closeListener: CloseListener | undefined;
  /** Buffered request body, when a phase needed it (parameter mapping on the body, Lambda events). */
  body: Buffer | undefined;

  constructor(
    req: Http1Request,
    res: Http1Response<RequestContext>,
    requestId: string,
    startTime: number,
    sourceIp: string,
    scheme: string,
    localPort: number,
  ) {
    this.req = req;
    this.res = res;
    this.requestId = requestId;
    this.startTime = startTime;
    this.requestTimeEpoch = Date.now();
    this.sourceIp = sourceIp;
    this.scheme = scheme;
    this.localPort = localPort;
  }
}
