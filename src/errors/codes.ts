/**
 * The one catalog of errors Portico produces. Keys are Amazon API Gateway gateway-response types
 * where AWS has one (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html),
 * otherwise a descriptive name. Each entry fixes the status, the AWS error type (x-amzn-ErrorType)
 * and the default message per API flavour (HTTP APIs and REST APIs word some messages differently).
 */
export interface ErrorSpec {
  readonly status: number;
  /** Value of `x-amzn-ErrorType` (REST APIs and control plane). */
  readonly awsType: string;
  /** Body message for HTTP APIs. */
  readonly message: string;
  /** Body message for REST APIs when it differs. */
  readonly restMessage?: string;
}

export const ERROR_CODES = {
  NOT_FOUND: { status: 404, awsType: 'NotFoundException', message: 'Not Found' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    awsType: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
  },
  BAD_REQUEST: { status: 400, awsType: 'BadRequestException', message: 'Bad Request' },
  BAD_REQUEST_PARAMETERS: { status: 400, awsType: 'BadRequestException', message: 'Bad Request' },
  BAD_REQUEST_BODY: { status: 400, awsType: 'BadRequestException', message: 'Invalid request body' },
  REQUEST_TOO_LARGE: {
    status: 413,
    awsType: 'RequestTooLargeException',
    message: 'Request Entity Too Large',
  },
  URI_TOO_LONG: { status: 414, awsType: 'BadRequestException', message: 'Request-URI Too Long' },
  HEADERS_TOO_LARGE: {
    status: 431,
    awsType: 'BadRequestException',
    message: 'Request Header Fields Too Large',
  },
  REQUEST_TIMEOUT: { status: 408, awsType: 'BadRequestException', message: 'Request Timeout' },
  /** Control plane: the resource already exists or is in use (apigatewayv2 ConflictException). */
  CONFLICT: { status: 409, awsType: 'ConflictException', message: 'Conflict' },
  UNAUTHORIZED: { status: 401, awsType: 'UnauthorizedException', message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, awsType: 'AccessDeniedException', message: 'Forbidden' },
  INVALID_API_KEY: { status: 403, awsType: 'ForbiddenException', message: 'Forbidden' },
  THROTTLED: { status: 429, awsType: 'TooManyRequestsException', message: 'Too Many Requests' },
  QUOTA_EXCEEDED: { status: 429, awsType: 'LimitExceededException', message: 'Limit Exceeded' },
  INTEGRATION_FAILURE: {
    status: 502,
    awsType: 'InternalServerErrorException',
    message: 'Bad Gateway',
    restMessage: 'Internal server error',
  },
  INTEGRATION_TIMEOUT: {
    status: 503,
    awsType: 'InternalServerErrorException',
    message: 'Service Unavailable',
    restMessage: 'Endpoint request timed out',
  },
  /** Function error, malformed proxy response, Lambda refused the invoke (HTTP API: 500). */
  LAMBDA_FAILURE: {
    status: 500,
    awsType: 'InternalServerErrorException',
    message: 'Internal Server Error',
    restMessage: 'Internal server error',
  },
  INTERNAL: {
    status: 500,
    awsType: 'InternalServerErrorException',
    message: 'Internal Server Error',
    restMessage: 'Internal server error',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    awsType: 'ServiceUnavailableException',
    message: 'Service Unavailable',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;
