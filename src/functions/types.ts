import type { FunctionDef } from '../model/types.js';
import type { InvokePayload } from './invoke-payload.js';

/** One Lambda Invoke call, as the Invoke API and the AWS_PROXY integration make it. */
export interface InvokeRequest {
  /** Name, `name:qualifier`, partial ARN or full ARN (with or without qualifier). */
  functionName: string;
  /** `$LATEST`, a version number or an alias name. */
  qualifier?: string;
  /**
   * The invocation's request id (`context.awsRequestId`, the log's `RequestId`); the Invoke API
   * passes the one it answers with, as Lambda does. Default: a new UUID. An `Event` keeps it for
   * every attempt.
   */
  requestId?: string;
  /** The event: JSON bytes, or a gateway request (see invoke-payload.ts). */
  payload: InvokePayload;
  invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  logType?: 'None' | 'Tail';
  /** base64 JSON, becomes `context.clientContext`. */
  clientContext?: string;
  /** Aborts waiting for the result. */
  signal?: AbortSignal;
  /**
   * Stop waiting for the result after this many ms (the gateway's integration timeout): the call
   * rejects with `InvokeWaitTimeoutError`. Cheaper than a `signal` (one timer, no AbortSignal).
   */
  waitTimeoutMs?: number;
  /**
   * Takes a streaming handler's response (`awslambda.streamifyResponse`) as it is written, the
   * first part with the stream's content type; the result's payload then holds nothing more.
   * Node environments stream; other handlers and custom runtimes answer in the result's payload.
   */
  onChunk?: (chunk: Buffer, contentType: string | undefined) => void;
}

/** What Lambda's Invoke returns. Function errors are results, not exceptions. */
export interface InvokeResult {
  /** 200 RequestResponse, 202 Event, 204 DryRun. */
  statusCode: number;
  payload: Buffer;
  functionError?: 'Unhandled' | 'Handled';
  /** base64 of the last 4 KB of the invocation's log (LogType Tail). */
  logResult?: string;
  executedVersion: string;
  /** Set for a streaming handler's response (`awslambda.streamifyResponse`): its content type. */
  contentType?: string;
}

/** The part of the function runtime the data plane and the control plane depend on. */
export interface FunctionInvoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

/** The function runtime as the composition root sees it. */
export interface FunctionRuntime extends FunctionInvoker {
  /** Replaces the set of functions (on start, config reload and control-plane changes). */
  setFunctions(functions: FunctionDef[]): void;
  /** Stops every execution environment. */
  close(): Promise<void>;
}
