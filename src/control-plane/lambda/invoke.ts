import { randomUUID } from 'node:crypto';
import { LambdaServiceError, lambdaErrorResponse } from '../../functions/errors.js';
import { parseJsonObject } from '../../functions/json-object.js';
import { DEFAULT_STREAM_CONTENT_TYPE } from '../../functions/response-stream.js';
import type { FunctionInvoker, InvokeRequest, InvokeResult } from '../../functions/types.js';
import type { AdminRequest, AdminResponse, AdminRoute } from '../admin-router.js';
import { eventMessage, MessageQueue } from './event-stream.js';

/** Options of the Invoke operation. */
export interface InvokeRoutesOptions {
  /** Reports unexpected errors (they are answered as `ServiceException`). */
  onError?: (err: unknown) => void;
}

const INVOCATION_TYPES = new Set(['RequestResponse', 'Event', 'DryRun']);
const CLIENT_CONTEXT_LIMIT = 3583;
/** Bytes per PayloadChunk event of InvokeWithResponseStream. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * The Lambda Invoke operation, wire-compatible with `@aws-sdk/client-lambda` `InvokeCommand`
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). Function errors are 200 responses
 * with `X-Amz-Function-Error`; service errors use Lambda's error format.
 */
export function createInvokeRoutes(runtime: FunctionInvoker, opts: InvokeRoutesOptions = {}): AdminRoute[] {
  /** One operation: its request id (also the function's), and Lambda's error answers. */
  const route = (
    path: string,
    operation: string,
    run: (req: AdminRequest, requestId: string) => Promise<AdminResponse>,
  ): AdminRoute => ({
    method: 'POST',
    path,
    operation,
    handler: async (req: AdminRequest): Promise<AdminResponse> => {
      const requestId = randomUUID();
      try {
        return await run(req, requestId);
      } catch (err) {
        if (!(err instanceof LambdaServiceError)) opts.onError?.(err);
        return lambdaErrorResponse(err, requestId);
      }
    },
  });
  return [
    route('/2015-03-31/functions/{FunctionName}/invocations', 'Invoke', async (req, requestId) => {
      // The function sees the request id the caller gets back (context.awsRequestId), as on Lambda.
      const result = await runtime.invoke({ ...parseInvoke(req), requestId });
      const headers: Record<string, string> = {
        'x-amzn-requestid': requestId,
        'x-amz-executed-version': result.executedVersion,
      };
      if (result.statusCode === 200) headers['content-type'] = 'application/json';
      if (result.functionError !== undefined) headers['x-amz-function-error'] = result.functionError;
      if (result.logResult !== undefined) headers['x-amz-log-result'] = result.logResult;
      return { status: result.statusCode, headers, body: result.payload };
    }),
    route(
      '/2021-11-15/functions/{FunctionName}/response-streaming-invocations',
      'InvokeWithResponseStream',
      (req, requestId) => invokeWithResponseStream(runtime, parseInvoke(req), requestId),
    ),
    // The deprecated asynchronous Invoke (https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html):
    // an `Event` invoke of `$LATEST` with a 202 `{"Status":202}` answer.
    route('/2014-11-13/functions/{FunctionName}/invoke-async', 'InvokeAsync', async (req, requestId) => {
      const functionName = req.params.FunctionName ?? '';
      if (req.body.length > 0 && req.body.length <= 1024 * 1024) parseJson(req.body);
      await runtime.invoke({ functionName, payload: req.body, invocationType: 'Event', requestId });
      return {
        status: 202,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ Status: 202 }),
      };
    }),
  ];
}

/**
 * https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html: the response as
 * an event stream, PayloadChunk events as a streaming handler writes, then one InvokeComplete.
 */
async function invokeWithResponseStream(
  runtime: FunctionInvoker,
  parsed: InvokeRequest,
  requestId: string,
): Promise<AdminResponse> {
  if (parsed.invocationType === 'Event') {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
    );
  }
  // Resolves the function and version first: a missing one is a plain error answer, and the
  // version goes in the headers, which leave with the first part of the response.
  const dry = await runtime.invoke({ ...parsed, invocationType: 'DryRun' });
  const headers: Record<string, string> = {
    'x-amzn-requestid': requestId,
    'x-amz-executed-version': dry.executedVersion,
  };
  if (parsed.invocationType === 'DryRun') return { status: 204, headers };
  const queue = new MessageQueue();
  let contentType: string | undefined;
  let started: (() => void) | undefined;
  const firstPart = new Promise<void>((resolve) => (started = resolve));
  const done = runtime
    .invoke({
      ...parsed,
      requestId,
      onChunk: (chunk, ct) => {
        contentType ??= ct;
        for (const m of payloadChunks(chunk)) queue.push(m);
        started?.();
      },
    })
    .then((result) => {
      contentType ??= result.contentType;
      for (const m of resultEvents(result)) queue.push(m);
      queue.end();
      return result;
    });
  done.catch((err: unknown) => queue.fail(err));
  // An error before anything was written is answered as an error; after, it cuts the stream.
  await Promise.race([firstPart, done]);
  headers['content-type'] = contentType ?? DEFAULT_STREAM_CONTENT_TYPE;
  return { status: 200, headers, body: queue };
}

/** A part of the response as PayloadChunk events (up to 1 MB each). */
function payloadChunks(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    out.push(eventMessage('PayloadChunk', 'application/octet-stream', bytes.subarray(at, at + CHUNK_BYTES)));
  }
  return out;
}

/**
 * The end of the stream: what the result still holds (a handler that did not stream), then
 * InvokeComplete, with the error's type and message for a function error.
 */
function resultEvents(result: InvokeResult): Buffer[] {
  const complete: Record<string, string> = {};
  const out: Buffer[] = [];
  if (result.functionError === undefined) out.push(...payloadChunks(result.payload));
  else {
    // [unsure] The error object goes in InvokeComplete (its type and message), not as payload.
    const error = parseJsonObject(result.payload);
    complete.ErrorCode = typeof error?.errorType === 'string' ? error.errorType : result.functionError;
    complete.ErrorDetails = typeof error?.errorMessage === 'string' ? error.errorMessage : '';
  }
  if (result.logResult !== undefined) complete.LogResult = result.logResult;
  out.push(eventMessage('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(complete))));
  return out;
}

/** Lambda refuses an event that is not JSON before anything runs. */
function parseJson(body: Buffer): void {
  try {
    JSON.parse(body.toString('utf8'));
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new LambdaServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${detail}`,
    );
  }
}

function header(req: AdminRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseInvoke(req: AdminRequest): InvokeRequest {
  const functionName = req.params.FunctionName ?? '';
  const type = header(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!INVOCATION_TYPES.has(type)) {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const logType = header(req, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    throw new LambdaServiceError(
      'InvalidParameterValueException',
      `1 validation error detected: Value '${logType}' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [Tail, None]`,
    );
  }
  const request: InvokeRequest = {
    functionName,
    payload: req.body,
    invocationType: type as InvokeRequest['invocationType'] & string,
    // Tail is honoured for synchronous invokes only.
    logType: type === 'RequestResponse' ? logType : 'None',
  };
  const qualifier = req.query.get('Qualifier');
  if (qualifier !== null && qualifier !== '') request.qualifier = qualifier;
  const clientContext = header(req, 'x-amz-client-context');
  if (clientContext !== undefined && clientContext !== '') {
    if (clientContext.length > CLIENT_CONTEXT_LIMIT) {
      throw new LambdaServiceError(
        'InvalidParameterValueException',
        'Client context must be 3583 bytes or less.',
      );
    }
    try {
      JSON.parse(Buffer.from(clientContext, 'base64').toString('utf8'));
    } catch {
      throw new LambdaServiceError(
        'InvalidRequestContentException',
        'Client context must be a valid Base64-encoded JSON object.',
      );
    }
    request.clientContext = clientContext;
  }
  // Lambda rejects payloads that are not JSON before anything runs.
  if (req.body.length > 0 && req.body.length <= 6 * 1024 * 1024) parseJson(req.body);
  return request;
}
