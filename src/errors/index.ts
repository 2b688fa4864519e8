export { ERROR_CODES, type ErrorCode, type ErrorSpec } from './codes.js';
export { GatewayError, isGatewayError } from './gateway-error.js';
export { toResponse, type ErrorResponse, type ApiFlavour } from './to-response.js';
