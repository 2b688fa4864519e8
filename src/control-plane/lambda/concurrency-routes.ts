import { randomUUID } from 'node:crypto';
import { LambdaServiceError } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import type { AdminRoute } from '../admin-router.js';
import { commit, functionRefOf, requireFunction, requireWritable, type LambdaDeps } from './lambda-deps.js';
import { listAll } from '../../storage/index.js';
import { emptyResponse, invalid, jsonResponse, lambdaRoute, optInt, parseBody } from './wire.js';

/** Lambda's default account concurrency, and the share that must stay unreserved. */
export const ACCOUNT_CONCURRENCY = 1000;
const MIN_UNRESERVED = 100;

/** PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency. */
export function concurrencyRoutes(deps: LambdaDeps): AdminRoute[] {
  const { onError } = deps;
  const setReserved = async (name: string, reserved: number | undefined): Promise<void> => {
    await commit(deps, async (tx) => {
      const def = await requireWritable(deps, name, tx);
      if (reserved !== undefined) {
        // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html: reservations
        // may not leave less than 100 unreserved executions in the account.
        const others = [...deps.ctx.configModel().functions, ...(await listAll((p) => tx.functions.list(p)))]
          .filter((f) => f.functionName !== name)
          .reduce((sum, f) => sum + (f.reservedConcurrentExecutions ?? 0), 0);
        if (ACCOUNT_CONCURRENCY - others - reserved < MIN_UNRESERVED) {
          throw new LambdaServiceError(
            'InvalidParameterValueException',
            `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
          );
        }
      }
      const { reservedConcurrentExecutions: _old, ...rest } = def;
      void _old;
      // A new RevisionId makes the runtime pick up the new limit (it keys environments by revision).
      const next: FunctionDef = {
        ...rest,
        revisionId: randomUUID(),
        ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      };
      await tx.functions.put(next);
    });
  };
  return [
    lambdaRoute(
      'PUT',
      '/2017-10-31/functions/{FunctionName}/concurrency',
      'PutFunctionConcurrency',
      async (req) => {
        const ref = functionRefOf(req);
        const body = parseBody(req);
        const reserved = optInt(body, 'ReservedConcurrentExecutions');
        if (reserved === undefined)
          throw invalid('ReservedConcurrentExecutions', null, 'Member must not be null');
        if (reserved < 0) {
          throw invalid(
            'ReservedConcurrentExecutions',
            reserved,
            'Member must have value greater than or equal to 0',
          );
        }
        await setReserved(ref.name, reserved);
        return jsonResponse(200, { ReservedConcurrentExecutions: reserved });
      },
      onError,
    ),
    lambdaRoute(
      'GET',
      '/2019-09-30/functions/{FunctionName}/concurrency',
      'GetFunctionConcurrency',
      async (req) => {
        const found = await requireFunction(deps, functionRefOf(req).name);
        const reserved = found.def.reservedConcurrentExecutions;
        return jsonResponse(200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
      },
      onError,
    ),
    lambdaRoute(
      'DELETE',
      '/2017-10-31/functions/{FunctionName}/concurrency',
      'DeleteFunctionConcurrency',
      async (req) => {
        await setReserved(functionRefOf(req).name, undefined);
        return emptyResponse(204);
      },
      onError,
    ),
  ];
}
