import { ERROR_CODES } from './codes.js';
import { GatewayError, isGatewayError } from './gateway-error.js';

/** A fully rendered error response. */
export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type ApiFlavour = 'HTTP' | 'REST' | 'WEBSOCKET';

/**
 * Renders any error as the AWS-shaped response of the API flavour: HTTP APIs answer
 * `{"message":"..."}`; REST APIs also set `x-amzn-ErrorType`. Unknown errors become a generic 500;
 * their cause is for the log, never for the client.
 */
export function toResponse(err: unknown, flavour: ApiFlavour = 'HTTP'): ErrorResponse {
  const gwErr = isGatewayError(err) ? err : new GatewayError('INTERNAL', undefined, { cause: err });
  const spec = ERROR_CODES[gwErr.code];
  let message = gwErr.message;
  if (flavour === 'REST' && gwErr.isDefaultMessage && 'restMessage' in spec && spec.restMessage) {
    message = spec.restMessage;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (flavour === 'REST') headers['x-amzn-errortype'] = gwErr.awsType;
  return { status: gwErr.status, headers, body: JSON.stringify({ message }) };
}
