import { ERROR_CODES, type ErrorCode } from './codes.js';

/** The one error type of the gateway: a catalog code, optionally a custom message and the cause. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly awsType: string;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; status?: number }) {
    const spec = ERROR_CODES[code];
    super(message ?? spec.message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = options?.status ?? spec.status;
    this.awsType = spec.awsType;
  }

  /** True when the message was not overridden (so flavour-specific wording may apply). */
  get isDefaultMessage(): boolean {
    return this.message === ERROR_CODES[this.code].message;
  }
}

/** Narrowing helper. */
export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}
