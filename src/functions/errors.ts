/**
 * Lambda service errors: real HTTP errors of the Invoke API (as opposed to function errors, which are
 * 200 results with `X-Amz-Function-Error`). Wire format: `x-amzn-ErrorType: <Name>` and a body
 * `{"Type":"User","message":"..."}` (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html#API_Invoke_Errors).
 */
export const LAMBDA_SERVICE_ERRORS = {
  InvalidParameterValueException: { status: 400, type: 'User' },
  InvalidRequestContentException: { status: 400, type: 'User' },
  ResourceNotFoundException: { status: 404, type: 'User' },
  ResourceConflictException: { status: 409, type: 'User' },
  PreconditionFailedException: { status: 412, type: 'User' },
  PolicyLengthExceededException: { status: 400, type: 'User' },
  RequestEntityTooLargeException: { status: 413, type: 'User' },
  RequestTooLargeException: { status: 413, type: 'User' },
  UnsupportedMediaTypeException: { status: 415, type: 'User' },
  TooManyRequestsException: { status: 429, type: 'User' },
  ServiceException: { status: 500, type: 'Service' },
  ResourceNotReadyException: { status: 502, type: 'Service' },
} as const satisfies Record<string, { status: number; type: 'User' | 'Service' }>;

/** A Lambda exception name from the catalog. */
export type LambdaErrorName = keyof typeof LAMBDA_SERVICE_ERRORS;

/** One Lambda service error (name, status, message; `reason` for throttles). */
export class LambdaServiceError extends Error {
  override readonly name: LambdaErrorName;
  readonly status: number;
  readonly type: 'User' | 'Service';
  /** `Reason` member, e.g. `ReservedFunctionConcurrentInvocationLimitExceeded`. */
  readonly reason?: string;

  constructor(name: LambdaErrorName, message: string, options?: { reason?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = name;
    this.status = LAMBDA_SERVICE_ERRORS[name].status;
    this.type = LAMBDA_SERVICE_ERRORS[name].type;
    if (options?.reason !== undefined) this.reason = options.reason;
  }
}

/** Narrowing helper. */
export function isLambdaServiceError(err: unknown): err is LambdaServiceError {
  return err instanceof LambdaServiceError;
}

/** Renders any error in Lambda's wire format; unknown errors become a `ServiceException` 500. */
export function lambdaErrorResponse(
  err: unknown,
  requestId: string,
): { status: number; headers: Record<string, string>; body: string } {
  const e = isLambdaServiceError(err) ? err : new LambdaServiceError('ServiceException', 'Internal error');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': e.name,
    'x-amzn-requestid': requestId,
  };
  const body: Record<string, string> = { Type: e.type, message: e.message };
  if (e.reason !== undefined) {
    body.Reason = e.reason;
    // Throttles tell the client when to come back (the SDK's retry strategy reads it).
    if (e.name === 'TooManyRequestsException') headers['retry-after'] = '1';
  }
  return { status: e.status, headers, body: JSON.stringify(body) };
}

/**
 * The caller stopped waiting for an invocation (`InvokeRequest.waitTimeoutMs`, the gateway's
 * integration timeout). Not a Lambda error: the integration maps it to its own timeout response.
 */
export class InvokeWaitTimeoutError extends Error {
  override readonly name = 'InvokeWaitTimeoutError';
  constructor(readonly waitTimeoutMs: number) {
    super(`No result within ${waitTimeoutMs} ms`);
  }
}
