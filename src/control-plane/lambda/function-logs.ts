import { randomUUID } from 'node:crypto';
import { LambdaServiceError, lambdaErrorResponse } from '../../functions/errors.js';
import type { PorticoFunctionRuntime } from '../../functions/index.js';
import type { AdminRequest, AdminResponse, AdminRoute } from '../admin-router.js';

/** The part of the runtime the log route reads. */
export type FunctionLogSource = Pick<PorticoFunctionRuntime, 'getFunction' | 'readLogs' | 'followLogs'>;

/** Longest long-poll a follower may ask for. */
const MAX_WAIT_SECONDS = 60;

/**
 * `GET /portico/functions/{FunctionName}/logs` — a function's CloudWatch-style log.
 * Without `cursor`: everything still on disk. With `cursor=N` (from the previous answer's
 * `x-portico-log-cursor` header): only newer text, waiting up to `wait` seconds (default 20) for some —
 * a long-poll, so `portico logs --follow` needs no streaming transport.
 */
export function createFunctionLogRoutes(source: FunctionLogSource): AdminRoute[] {
  return [
    {
      method: 'GET',
      path: '/portico/functions/{FunctionName}/logs',
      operation: 'GetFunctionLogs',
      handler: async function getFunctionLogs(req: AdminRequest): Promise<AdminResponse> {
        const name = req.params.FunctionName ?? '';
        try {
          if (!source.getFunction(name)) {
            throw new LambdaServiceError('ResourceNotFoundException', `Function not found: ${name}`);
          }
          const cursorParam = req.query.get('cursor');
          let chunk;
          if (cursorParam === null) {
            chunk = await source.readLogs(name);
          } else {
            const cursor = Number(cursorParam);
            const waitParam = Number(req.query.get('wait') ?? '20');
            if (!Number.isInteger(cursor) || cursor < 0 || !Number.isFinite(waitParam) || waitParam < 0) {
              throw new LambdaServiceError(
                'InvalidParameterValueException',
                'cursor must be a non-negative integer and wait a number of seconds',
              );
            }
            chunk = await source.followLogs(name, cursor, Math.min(waitParam, MAX_WAIT_SECONDS) * 1000);
          }
          return {
            status: 200,
            headers: {
              'content-type': 'text/plain; charset=utf-8',
              'x-portico-log-cursor': String(chunk.cursor),
            },
            body: chunk.text,
          };
        } catch (err) {
          return lambdaErrorResponse(err, randomUUID());
        }
      },
    },
  ];
}
