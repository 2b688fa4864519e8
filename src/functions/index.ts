/** The function runtime: what other areas import. */
export {
  createFunctionRuntime,
  type FunctionRuntimeOptions,
  type PorticoFunctionRuntime,
  type QualifierResolver,
  type RuntimeLogEntry,
} from './function-runtime.js';
export {
  InvokeWaitTimeoutError,
  LambdaServiceError,
  LAMBDA_SERVICE_ERRORS,
  isLambdaServiceError,
  lambdaErrorResponse,
  type LambdaErrorName,
} from './errors.js';
export { parseFunctionRef, functionArn, type FunctionRef } from './function-name.js';
export { prepareCode } from './prepare-code.js';
export { logGroupOf, RESERVED_ENV_KEYS } from './lambda-env-vars.js';
export { codeDirFor, safeZipEntry, unpackZipOnce, type UnpackErrors } from './zip-extract.js';
export type { LogChunk } from './log-store.js';
export type { FunctionInvoker, FunctionRuntime, InvokeRequest, InvokeResult } from './types.js';
export {
  ProxyEventPayload,
  payloadBytes,
  type CompactRequest,
  type InvokePayload,
} from './invoke-payload.js';
