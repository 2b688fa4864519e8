/**
 * How Lambda invocation failures surface through the gateway (reference §2.5, §9 item 5):
 * https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway.html#services-apigateway-errors
 * HTTP APIs answer 500 for everything except their own integration timeout (503); REST APIs answer
 * 502 for function errors and malformed output, 500 when Lambda denies the call, 502 for other
 * rejected calls (observed), and 504 on their integration timeout.
 */
import type { ErrorCode } from '../../errors/index.js';
import { GatewayError } from '../../errors/index.js';
import type { InvokeResult } from '../types.js';
import { parseResponseV1, type ParseResponseV1Options } from './response-v1.js';
import { parseResponseV2 } from './response-v2.js';
import type { ProxyApiFlavour, ProxyResponseResult } from './types.js';

/** Why a Lambda proxy call produced no usable response. */
export type LambdaFailureKind =
  /** Invoke returned `X-Amz-Function-Error` (thrown error, crash, function timeout `Sandbox.Timedout`). */
  | 'function-error'
  /** The function returned output the payload version does not accept. */
  | 'malformed-response'
  /** Lambda refused the call for lack of permission (AccessDenied). */
  | 'invoke-denied'
  /** Lambda refused or failed the call otherwise (function missing, throttled 429, service error). */
  | 'invoke-failed'
  /** The gateway's own integration timeout fired before the function answered. */
  | 'integration-timeout';

/** A catalog code plus the status to use (it may differ from the catalog default by flavour). */
export interface LambdaFailureMapping {
  code: ErrorCode;
  status: number;
}

/** Maps a Lambda proxy failure to the gateway error code and status of the API flavour (§2.5). */
export function mapLambdaFailure(kind: LambdaFailureKind, flavour: ProxyApiFlavour): LambdaFailureMapping {
  const rest = flavour === 'REST';
  switch (kind) {
    case 'function-error':
    case 'malformed-response':
      return { code: 'LAMBDA_FAILURE', status: rest ? 502 : 500 };
    case 'invoke-denied':
      return { code: 'LAMBDA_FAILURE', status: 500 };
    case 'invoke-failed':
      return rest ? { code: 'INTEGRATION_FAILURE', status: 502 } : { code: 'LAMBDA_FAILURE', status: 500 };
    case 'integration-timeout':
      return { code: 'INTEGRATION_TIMEOUT', status: rest ? 504 : 503 };
  }
}

/** Builds the `GatewayError` for a Lambda proxy failure; `cause` is for the log only. */
export function lambdaFailureError(
  kind: LambdaFailureKind,
  flavour: ProxyApiFlavour,
  cause?: unknown,
): GatewayError {
  const { code, status } = mapLambdaFailure(kind, flavour);
  return new GatewayError(code, undefined, { status, cause });
}

/** Options for turning an Invoke result into the client response. */
export interface ProxyResultOptions extends ParseResponseV1Options {
  payloadFormatVersion: '1.0' | '2.0';
}

/**
 * Turns a completed Invoke into the response for the client: a function error (X-Amz-Function-Error)
 * becomes a failure with the flavour's status, otherwise the payload is parsed per version.
 */
export function parseInvokeResult(result: InvokeResult, opts: ProxyResultOptions): ProxyResponseResult {
  if (result.functionError !== undefined) {
    const { status } = mapLambdaFailure('function-error', opts.flavour);
    return { ok: false, reason: `function error (${result.functionError})`, status };
  }
  return opts.payloadFormatVersion === '2.0'
    ? parseResponseV2(result.payload)
    : parseResponseV1(result.payload, opts);
}
