import { GatewayError } from '../../errors/index.js';
import {
  lambdaFailureError,
  parseInvokeResult,
  type ProxyRequestInput,
} from '../../functions/events/index.js';
import { InvokeWaitTimeoutError, ProxyEventPayload } from '../../functions/index.js';
import type { FunctionInvoker, InvokeResult } from '../../functions/types.js';
import type { RequestContext } from '../../gateway/context.js';
import type { IntegrationDef } from '../../model/types.js';
import { hasRequestBody, readBody } from '../http-proxy/request-body.js';
import type { Integration, IntegrationResponse } from '../integration.js';

/**
 * Framing headers of the function's response: the gateway sends its own body with its own
 * `content-length` and connection handling, so passing these on would mis-frame the message (an
 * adapter's stale `content-length`, or `transfer-encoding: chunked` next to our `content-length`).
 */
const REFRAMED = /^(?:content-length|transfer-encoding|connection|keep-alive)$/i;

/** What an AWS_PROXY integration needs at compile time. */
export interface LambdaProxyOptions {
  def: IntegrationDef;
  stageVariables: Record<string, string>;
  routeKey: string;
  invoker: FunctionInvoker;
  /** The function reference (name, name:qualifier or ARN) after stage-variable substitution. */
  functionRef: string;
}

/**
 * AWS_PROXY (Lambda proxy) integration: builds the payload 1.0 or 2.0 event, invokes the function
 * through the runtime, and turns its output into the HTTP response
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 * Failures map to the statuses of reference §2.5.
 */
export function createLambdaProxyIntegration(options: LambdaProxyOptions): Integration {
  const { def, routeKey, invoker, functionRef } = options;
  const stageVariables = Object.keys(options.stageVariables).length > 0 ? options.stageVariables : undefined;
  const resourcePath = routeKey === '$default' ? '$default' : routeKey.slice(routeKey.indexOf(' ') + 1);
  const v2 = def.payloadFormatVersion === '2.0';
  const timeout = def.timeoutInMillis;

  return {
    type: 'AWS_PROXY',
    async invoke(ctx: RequestContext): Promise<IntegrationResponse> {
      const req = ctx.req;
      const body = ctx.body ?? (hasRequestBody(req) ? await readBody(req) : undefined);
      const api = ctx.api as NonNullable<RequestContext['api']>;
      const rawHeaders: string[] = [];
      const raw = req.rawHeaders;
      let xff: string | undefined;
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i] as string;
        // Only the X-Forwarded-* names (15 and 16 characters) need a closer look.
        if (name.length === 15 || name.length === 16) {
          const lower = name.toLowerCase();
          if (lower === 'x-forwarded-for') {
            xff = xff === undefined ? (raw[i + 1] as string) : `${xff}, ${raw[i + 1] as string}`;
            continue;
          }
          if (lower === 'x-forwarded-port' || lower === 'x-forwarded-proto') continue;
        }
        rawHeaders.push(name, raw[i + 1] as string);
      }
      rawHeaders.push(
        'X-Forwarded-For',
        forwardedFor(xff, ctx.sourceIp),
        'X-Forwarded-Port',
        String(ctx.localPort),
        'X-Forwarded-Proto',
        ctx.scheme,
      );
      const input: ProxyRequestInput = {
        apiFlavour: 'HTTP',
        method: req.method ?? 'GET',
        rawPath: ctx.rawPath,
        path: ctx.rawRoutePath,
        rawQueryString: ctx.target?.rawQuery ?? '',
        rawHeaders,
        body,
        sourceIp: ctx.sourceIp,
        protocol: 'HTTP/1.1',
        routeKey: ctx.routeKey,
        resourcePath,
        pathParameters: ctx.pathParameters,
        stageVariables,
        stage: ctx.stage?.stageName ?? '$default',
        requestId: ctx.requestId,
        requestTimeEpoch: ctx.requestTimeEpoch,
        domainName: ctx.domainName,
        domainPrefix: domainPrefixOf(ctx.domainName),
        apiId: api.apiId,
        accountId: api.accountId,
      };
      // The request itself: a Node environment builds the event from it, anything else gets its JSON.
      const payload = new ProxyEventPayload(v2 ? '2.0' : '1.0', input);
      const started = performance.now();
      let result: InvokeResult;
      try {
        // The runtime stops waiting after the integration timeout with one plain timer (an
        // AbortSignal per invocation cost ~5 µs).
        result = await invoker.invoke({ functionName: functionRef, payload, waitTimeoutMs: timeout });
      } catch (err) {
        ctx.integrationLatency = performance.now() - started;
        if (err instanceof InvokeWaitTimeoutError)
          throw lambdaFailureError('integration-timeout', 'HTTP', err);
        throw lambdaFailureError('invoke-failed', 'HTTP', err);
      }
      ctx.integrationLatency = performance.now() - started;
      const parsed = parseInvokeResult(result, { payloadFormatVersion: v2 ? '2.0' : '1.0', flavour: 'HTTP' });
      if (!parsed.ok) {
        throw new GatewayError('LAMBDA_FAILURE', undefined, { status: parsed.status, cause: parsed.reason });
      }
      ctx.integrationStatus = parsed.statusCode;
      const headers: string[] = [];
      for (const [name, value] of parsed.headers) if (!REFRAMED.test(name)) headers.push(name, value);
      return { statusCode: parsed.statusCode, headers, body: parsed.body };
    },
  };
}

function forwardedFor(existing: string | string[] | undefined, sourceIp: string): string {
  if (existing === undefined) return sourceIp;
  return `${Array.isArray(existing) ? existing.join(', ') : existing}, ${sourceIp}`;
}

/**
 * The function an AWS_PROXY integration URI names, after stage-variable substitution: a plain Lambda
 * ARN, the `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations` form, or a
 * bare name. Returns the function ARN (or name) the runtime resolves.
 */
export function functionRefOf(uri: string, stageVariables: Record<string, string>): string {
  const filled = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_m, n: string) => stageVariables[n] ?? '',
  );
  const m = /\/functions\/(.+)\/invocations$/.exec(filled);
  return m ? (m[1] as string) : filled;
}

/** `requestContext.domainPrefix`: the first label of the host name. */
function domainPrefixOf(domainName: string): string {
  const dot = domainName.indexOf('.');
  return dot === -1 ? domainName : domainName.slice(0, dot);
}
