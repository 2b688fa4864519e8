import { GatewayError, isGatewayError } from '../../errors/index.js';
import type { AdminResponse } from '../admin-router.js';

/**
 * apigatewayv2 NotFoundException carries the type of the missing resource
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid.html#apis-apiid-model-notfoundexception).
 */
export class ResourceNotFoundError extends GatewayError {
  readonly resourceType: string;

  constructor(resourceType: string, message: string) {
    super('NOT_FOUND', message);
    this.resourceType = resourceType;
  }
}

/** 400 BadRequestException with a message. */
export function badRequest(message: string): GatewayError {
  return new GatewayError('BAD_REQUEST', message);
}

/** 409 ConflictException with a message. */
export function conflict(message: string): GatewayError {
  return new GatewayError('CONFLICT', message);
}

/** 404 NotFoundException for a resource type (`Api`, `Route`, `Stage`, ...) and identifier. */
export function notFound(resourceType: string, id: string): ResourceNotFoundError {
  return new ResourceNotFoundError(resourceType, `Invalid ${resourceType} identifier specified ${id}`);
}

/**
 * Renders a control-plane error the way apigatewayv2 does: JSON `{"message"}` (plus `resourceType`
 * for NotFoundException) and the `x-amzn-ErrorType` header the SDK reads the error code from.
 * Anything that is not a GatewayError is rethrown so the admin server logs it and answers 500.
 */
export function errorResponse(err: unknown): AdminResponse {
  if (!isGatewayError(err) || err.status >= 500) throw err;
  const body: Record<string, string> = { message: err.message };
  if (err instanceof ResourceNotFoundError) body.resourceType = err.resourceType;
  else if (err.status === 404) body.resourceType = 'Api';
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.awsType },
    body: JSON.stringify(body),
  };
}
