import { types } from 'node:util';

/** The error object Lambda's Node runtime returns: `errorType`, `errorMessage`, `trace`. */
export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/**
 * Serialises a thrown value like the Lambda Node runtime: errors give name, message and stack lines;
 * other values give `typeof` and `String(value)` with an empty trace
 * (aws-lambda-nodejs-runtime-interface-client, `Errors.toRapidResponse`).
 */
export function errorPayload(err: unknown): ErrorPayload {
  try {
    if (types.isNativeError(err) || looksLikeError(err)) {
      const e = err as Error;
      return {
        errorType: String(e.name),
        errorMessage: String(e.message),
        trace: typeof e.stack === 'string' ? e.stack.split('\n') : [],
      };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

function looksLikeError(err: unknown): boolean {
  return (
    err !== null &&
    typeof err === 'object' &&
    typeof (err as { name?: unknown }).name === 'string' &&
    typeof (err as { message?: unknown }).message === 'string'
  );
}
